"""Reading a `.cwtt` bundle's ZIP: its shape, each part's manifest, the parts of one bundle
put in order, bundle files grouped by bundle, and the bytes of a stored entry. The file format
is described in `bundle_manifest`.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cwtt_tui.errors import BundleRejected
from exports.bundle_manifest import (
    BLOCK,
    ENTRY_NAMES,
    MANIFEST_DAMAGED,
    MANIFEST_NAME,
    NOT_A_BUNDLE,
    PAYLOAD_NAME,
    SIGNATURE_BYTES,
    SIGNATURE_NAME,
    Limits,
    parse_manifest,
)

__all__ = [
    "group_bundle_files",
]

FILE_DAMAGED = (
    "This bundle file is damaged or incomplete; copy it again or ask the sender to export again."
)
FILE_TOO_LARGE = (
    "This file is larger than a cwtt bundle may be; it may be a damaged or hostile file."
)
UNEXPECTED_FILES = "This bundle holds unexpected files; it may have been tampered with — ask the sender to export again."
MIXED_BUNDLES = "These files belong to different bundles; import one bundle at a time."
PARTS_MISMATCH = "The parts of this bundle do not match each other; ask the sender to export again."
PART_MISSING = "Part {index} of {count} of this bundle is missing; import all its parts together."
CANNOT_READ = "Could not read {path}; check that the file is still there and readable."

_MAX_CENTRAL_DIR = 64 << 10
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


# ---------------------------------------------------------------- reading: the ZIP


@dataclass(frozen=True)
class _Entry:
    start: int  # where the entry's data begins in the file
    size: int
    crc: int


@dataclass(frozen=True)
class Part:
    path: Path
    file_bytes: int
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: bytes
    payload: _Entry

    @property
    def index(self) -> int:
        return int(self.manifest["part"]["index"])

    @property
    def count(self) -> int:
        return int(self.manifest["part"]["count"])


def _read_exact(fp: IO[bytes], offset: int, size: int) -> bytes:
    fp.seek(offset)
    data = fp.read(size)
    if len(data) != size:
        raise BundleRejected(FILE_DAMAGED)
    return data


def _central_directory(fp: IO[bytes], size: int) -> tuple[int, int]:
    """(offset, size) of the central directory, from end records that must end the file."""
    fp.seek(0)
    cut_short = BundleRejected(FILE_DAMAGED if fp.read(4) == b"PK\x03\x04" else NOT_A_BUNDLE)
    if size < _EOCD.size:
        raise cut_short
    sig, disk, cd_disk, _, total, cd_size, cd_offset, comment = _EOCD.unpack(
        _read_exact(fp, size - _EOCD.size, _EOCD.size)
    )
    if sig != b"PK\x05\x06":
        raise cut_short
    if comment or disk or cd_disk:
        raise BundleRejected(FILE_DAMAGED)
    end = size - _EOCD.size
    if 0xFFFFFFFF in (cd_size, cd_offset) or total == 0xFFFF:
        end -= _ZIP64_LOCATOR.size + _ZIP64_EOCD.size
        if end < 0:
            raise BundleRejected(FILE_DAMAGED)
        locator = _ZIP64_LOCATOR.unpack(_read_exact(fp, end + _ZIP64_EOCD.size, 20))
        record = _ZIP64_EOCD.unpack(_read_exact(fp, end, _ZIP64_EOCD.size))
        if locator[0] != b"PK\x06\x07" or locator[2] != end or record[0] != b"PK\x06\x06":
            raise BundleRejected(FILE_DAMAGED)
        cd_size, cd_offset = record[8], record[9]
    if cd_size > _MAX_CENTRAL_DIR:
        raise BundleRejected(UNEXPECTED_FILES)
    if cd_offset + cd_size != end:  # bytes before, between or after the ZIP's parts
        raise BundleRejected(FILE_DAMAGED)
    return cd_offset, cd_size


def _zip_entries(fp: IO[bytes], size: int) -> dict[str, _Entry]:
    """The three entries of a bundle ZIP, after checking that nothing else hides in the file."""
    cd_offset, _ = _central_directory(fp, size)
    try:
        with zipfile.ZipFile(fp) as archive:
            infos = archive.infolist()
    except BundleRejected:
        raise
    except Exception as exc:  # any parse failure of a hostile or damaged central directory
        raise BundleRejected(FILE_DAMAGED) from exc
    names = [info.orig_filename for info in infos]
    if MANIFEST_NAME not in names:
        raise BundleRejected(NOT_A_BUNDLE)
    if sorted(names) != sorted(ENTRY_NAMES):
        raise BundleRejected(UNEXPECTED_FILES)
    entries: dict[str, _Entry] = {}
    expected = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        stored = info.compress_type == zipfile.ZIP_STORED and not info.flag_bits & 0x1
        if not stored or info.file_size != info.compress_size or info.header_offset != expected:
            raise BundleRejected(FILE_DAMAGED)
        header = _LOCAL_HEADER.unpack(_read_exact(fp, expected, _LOCAL_HEADER.size))
        sig, _, flags, method, *_, name_len, extra_len = header
        name = _read_exact(fp, expected + _LOCAL_HEADER.size, name_len)
        if sig != b"PK\x03\x04" or method or flags & 0x9 or name != info.orig_filename.encode():
            raise BundleRejected(FILE_DAMAGED)
        start = expected + _LOCAL_HEADER.size + name_len + extra_len
        entries[info.orig_filename] = _Entry(start, info.file_size, info.CRC)
        expected = start + info.file_size
    if expected != cd_offset:
        raise BundleRejected(FILE_DAMAGED)
    return entries


def read_part(path: Path, limits: Limits) -> Part:
    """Steps 1 and 2 for one file: the ZIP's shape, then its manifest."""
    try:
        with open(path, "rb") as fp:
            size = os.fstat(fp.fileno()).st_size
            if size > limits.max_file_bytes:
                raise BundleRejected(FILE_TOO_LARGE)
            entries = _zip_entries(fp, size)
            manifest_entry, signature_entry = entries[MANIFEST_NAME], entries[SIGNATURE_NAME]
            if manifest_entry.size > limits.max_manifest_bytes:
                raise BundleRejected(MANIFEST_DAMAGED)
            if signature_entry.size != SIGNATURE_BYTES:
                raise BundleRejected(FILE_DAMAGED)
            data = _read_exact(fp, manifest_entry.start, manifest_entry.size)
            signature = _read_exact(fp, signature_entry.start, signature_entry.size)
    except OSError as exc:
        raise BundleRejected(CANNOT_READ.format(path=path)) from exc
    if zlib.crc32(data) != manifest_entry.crc:
        raise BundleRejected(MANIFEST_DAMAGED)
    if zlib.crc32(signature) != signature_entry.crc:
        raise BundleRejected(FILE_DAMAGED)
    manifest = parse_manifest(data)
    return Part(Path(path), size, manifest, data, signature, entries[PAYLOAD_NAME])


def _without_part(manifest: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in manifest.items() if key != "part"}


def assemble(parts: list[Part]) -> list[Part]:
    """The parts of one bundle in order, each once, covering the whole payload."""
    if len({p.manifest["bundle_id"] for p in parts}) > 1:
        raise BundleRejected(MIXED_BUNDLES)
    by_index: dict[int, Part] = {}
    for part in parts:
        seen = by_index.get(part.index)
        if seen is not None and seen.manifest_bytes != part.manifest_bytes:
            raise BundleRejected(PARTS_MISMATCH)
        by_index.setdefault(part.index, part)
    first = parts[0]
    common = _without_part(first.manifest)
    for part in by_index.values():
        if part.count != first.count or _without_part(part.manifest) != common:
            raise BundleRejected(PARTS_MISMATCH)
    for index in range(1, first.count + 1):
        if index not in by_index:
            raise BundleRejected(PART_MISSING.format(index=index, count=first.count))
    ordered = [by_index[i] for i in range(1, first.count + 1)]
    offset = 0
    for part in ordered:
        if part.manifest["part"]["offset"] != offset:
            raise BundleRejected(MANIFEST_DAMAGED)
        offset += part.manifest["part"]["bytes"]
    if offset != first.manifest["payload"]["bytes"]:
        raise BundleRejected(MANIFEST_DAMAGED)
    return ordered


def group_bundle_files(paths: Iterable[Path], limits: Limits | None = None) -> list[list[Path]]:
    """The files grouped by bundle (parts in order), reading only their manifests.

    Groups come sender by sender, oldest sequence first, so a chain of deltas imports in order.
    """
    limits = limits or Limits()
    groups: dict[str, list[Part]] = {}
    for path in paths:
        part = read_part(Path(path), limits)
        groups.setdefault(part.manifest["bundle_id"], []).append(part)

    def order(parts: list[Part]) -> tuple[str, int, str, str]:
        manifest = parts[0].manifest
        return (
            manifest["sender"]["device_id"],
            manifest["sequence"],
            manifest["created_at"],
            manifest["bundle_id"],
        )

    return [
        [p.path for p in sorted(group, key=lambda p: (p.index, str(p.path)))]
        for group in sorted(groups.values(), key=order)
    ]


def file_blocks(path: Path, entry: _Entry) -> Iterator[bytes]:
    try:
        with open(path, "rb") as fp:
            fp.seek(entry.start)
            left = entry.size
            while left:
                block = fp.read(min(BLOCK, left))
                if not block:
                    raise BundleRejected(FILE_DAMAGED)
                left -= len(block)
                yield block
    except OSError as exc:
        raise BundleRejected(CANNOT_READ.format(path=path)) from exc
