"""The `.cwtt` bundle file: a ZIP of `manifest.json`, its Ed25519 signature `manifest.sig` and
`payload.bin` (JSON Lines records, xz-compressed, then sealed with `bundle_crypto`).

Writing and reading both stream, so memory stays flat however many children a bundle holds.
Reading checks, in order: the ZIP's shape, the manifest, the signature, the payload's hashes,
the content key, then every chunk and record as it is read. A large bundle may be split into
parts, each a complete ZIP with its own signed manifest and one piece of the payload.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import hashlib
import json
import lzma
import math
import os
import re
import secrets
import struct
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from cwtt_tui.errors import BundleRejected, DiskFull, UsageError
from exports.bundle_crypto import (
    CONTENTS_DAMAGED,
    DEFAULT_CHUNK_BYTES,
    MAX_CHUNK_BYTES,
    MIN_CHUNK_BYTES,
    NEEDS_NEWER_CWTT,
    NOT_FOR_THIS_LAPTOP,
    PAYLOAD_AEAD,
    OwnKeys,
    PayloadSealer,
    Recipient,
    open_payload,
    unwrap_content_key,
    usable_suite,
    wrap_content_key,
)
from exports.read_ahead import read_ahead

__all__ = [
    "FORMAT",
    "Limits",
    "BundleWriter",
    "OpenedBundle",
    "group_bundle_files",
]

FORMAT = "cwtt-bundle/1"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
PAYLOAD_NAME = "payload.bin"
ENTRY_NAMES = (MANIFEST_NAME, SIGNATURE_NAME, PAYLOAD_NAME)
COMPRESSION = "xz"
SIGNATURE_BYTES = 64
MAX_PARTS = 1000
MIN_SPLIT_BYTES = 64 << 10
#: Decoder memory an xz stream may ask for (preset 9 needs about 65 MiB).
XZ_MEMORY_LIMIT = 128 << 20

NOT_A_BUNDLE = "This file is not a cwtt bundle (.cwtt)."
FILE_DAMAGED = (
    "This bundle file is damaged or incomplete; copy it again or ask the sender to export again."
)
FILE_TOO_LARGE = (
    "This file is larger than a cwtt bundle may be; it may be a damaged or hostile file."
)
UNEXPECTED_FILES = "This bundle holds unexpected files; it may have been tampered with — ask the sender to export again."
MANIFEST_DAMAGED = "This file's manifest is incomplete or damaged; ask the sender to export again."
MIXED_BUNDLES = "These files belong to different bundles; import one bundle at a time."
PARTS_MISMATCH = "The parts of this bundle do not match each other; ask the sender to export again."
PART_MISSING = "Part {index} of {count} of this bundle is missing; import all its parts together."
SIGNATURE_BAD = "This bundle was changed after it was signed — ask {sender} to export again."
PAYLOAD_CHANGED = "This bundle's contents were changed or damaged after it was signed — ask {sender} to export again."
TOO_MUCH_DATA = (
    "This bundle unpacks to more data than allowed; it may be a damaged or hostile file."
)
CANNOT_READ = "Could not read {path}; check that the file is still there and readable."
DISK_FULL = (
    "The disk or USB stick is full; free some space or choose another place, then export again."
)
CANNOT_WRITE = (
    "Could not write to {path}; check that the folder exists and that you may write there."
)
SPLIT_TOO_SMALL = "The part size is too small; use at least 0.07 MB (70 KB)."
TOO_MANY_PARTS = "This bundle would need more than 1000 parts; choose a bigger part size."

_BLOCK = 1 << 20
_INFLATE_STEP = 256 << 10
_ZIP_OVERHEAD = 1024  # headers, central directory and end records of three entries, with room
_MAX_CENTRAL_DIR = 64 << 10
_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_FORMAT_RE = re.compile(r"cwtt-bundle/(\d{1,6})(?:\.\d{1,6})?")
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


@dataclass(frozen=True)
class Limits:
    """How much a bundle may hold before reading refuses it."""

    max_file_bytes: int = 1 << 31
    max_manifest_bytes: int = 1 << 20
    max_plain_bytes: int = 4 << 30
    max_record_bytes: int = 16 << 20


# ---------------------------------------------------------------- manifest


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The exact bytes written as `manifest.json` (and signed)."""
    text = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def _is_int(value: Any, low: int = 0, high: int | None = None) -> bool:
    return type(value) is int and value >= low and (high is None or value <= high)


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _b64(value: Any) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None


def _payload_problem(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return "payload is not an object"
    if not (_is_str(payload.get("sha256")) and _HEX64.fullmatch(payload["sha256"])):
        return "payload.sha256"
    if not _is_int(payload.get("bytes")):
        return "payload.bytes"
    if not _is_int(payload.get("chunk_bytes"), MIN_CHUNK_BYTES, MAX_CHUNK_BYTES):
        return "payload.chunk_bytes"
    if payload.get("compression") != COMPRESSION or payload.get("aead") != PAYLOAD_AEAD:
        return "payload.compression or payload.aead"
    return None


def _recipients_problem(recipients: Any) -> str | None:
    if not isinstance(recipients, list) or not recipients:
        return "recipients is not a non-empty list"
    for entry in recipients:
        if not isinstance(entry, dict):
            return "a recipient is not an object"
        if not (_is_str(entry.get("fingerprint")) and _is_str(entry.get("suite"))):
            return "recipient fingerprint or suite"
        if not _b64(entry.get("enc")):
            return "recipient enc"
    return None


def _part_problem(part: Any, payload_bytes: int) -> str | None:
    if not isinstance(part, dict):
        return "part is not an object"
    count = part.get("count")
    if not (_is_int(count, 1, MAX_PARTS) and _is_int(part.get("index"), 1, count)):
        return "part.index or part.count"
    if not (_is_int(part.get("offset")) and _is_int(part.get("bytes"))):
        return "part.offset or part.bytes"
    if part["offset"] + part["bytes"] > payload_bytes:
        return "part lies beyond the payload"
    if not (_is_str(part.get("sha256")) and _HEX64.fullmatch(part["sha256"])):
        return "part.sha256"
    return None


def _sender_problem(sender: Any) -> str | None:
    if not isinstance(sender, dict):
        return "sender is not an object"
    if not all(_is_str(sender.get(key)) for key in ("device_id", "name", "fingerprint")):
        return "sender device_id, name or fingerprint"
    key = _b64(sender.get("ed25519"))
    if key is None or len(key) != 32:
        return "sender.ed25519"
    return None


def manifest_problem(manifest: Any) -> str | None:
    """What is missing or wrong in a manifest (a short technical phrase), or None."""
    if not isinstance(manifest, dict):
        return "not an object"
    if not _is_str(manifest.get("format")):
        return "format"
    if not (_is_str(manifest.get("bundle_id")) and _HEX32.fullmatch(manifest["bundle_id"])):
        return "bundle_id"
    problem = (
        _payload_problem(manifest.get("payload"))
        or _recipients_problem(manifest.get("recipients"))
        or _part_problem(manifest.get("part"), manifest["payload"]["bytes"])
        or _sender_problem(manifest.get("sender"))
    )
    if problem:
        return problem
    if not _is_str(manifest.get("created_at")):
        return "created_at"
    if not (_is_int(manifest.get("sequence"), 1) and _is_int(manifest.get("delta_after"))):
        return "sequence or delta_after"
    counts = manifest.get("counts")
    if not isinstance(counts, dict) or not all(_is_int(n) for n in counts.values()):
        return "counts"
    if not isinstance(manifest.get("schools"), list):
        return "schools"
    return None


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_manifest(data: bytes) -> dict[str, Any]:
    """The manifest as a dict, or BundleRejected: newer version first, then the schema."""
    try:
        manifest = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constants,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleRejected(MANIFEST_DAMAGED) from exc
    if not isinstance(manifest, dict):
        raise BundleRejected(MANIFEST_DAMAGED)
    kind = manifest.get("format")
    if isinstance(kind, str):
        if not kind.startswith("cwtt-bundle/"):
            raise BundleRejected(NOT_A_BUNDLE)
        match = _FORMAT_RE.fullmatch(kind)
        if match and int(match.group(1)) > 1:
            raise BundleRejected(NEEDS_NEWER_CWTT)
        if not match or int(match.group(1)) != 1:
            raise BundleRejected(MANIFEST_DAMAGED)
    if manifest_problem(manifest) is not None:
        raise BundleRejected(MANIFEST_DAMAGED)
    return manifest


def sender_label(manifest: dict[str, Any]) -> str:
    """The sender's laptop name, tidied for a message (it comes from the file)."""
    sender = manifest.get("sender")
    name = sender.get("name") if isinstance(sender, dict) else None
    if not isinstance(name, str):
        return "the sender"
    name = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
    return name[:60] or "the sender"


# ---------------------------------------------------------------- writing


def _write(stream: IO[bytes], data: bytes) -> None:
    """Every payload byte goes out through here."""
    stream.write(data)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _is_disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


class BundleWriter:
    """Streams records into a sealed payload in `work_dir`, then writes the signed ZIP(s).

    Use as a context manager, or call `abort()` on failure: temporary files are removed and a
    half-written bundle never carries its final name.
    """

    def __init__(
        self,
        work_dir: Path,
        bundle_id: str | None = None,
        chunk_bytes: int = DEFAULT_CHUNK_BYTES,
        xz_preset: int = 6,
    ) -> None:
        if bundle_id is None:
            bundle_id = secrets.token_hex(16)
        if not _HEX32.fullmatch(bundle_id):
            raise ValueError("bundle_id must be 32 lowercase hex characters")
        self.bundle_id = bundle_id
        self.chunk_bytes = chunk_bytes
        self._work_dir = Path(work_dir)
        self._content_key = secrets.token_bytes(32)
        self._sealer = PayloadSealer(self._content_key, bundle_id, chunk_bytes)
        self._compressor = lzma.LZMACompressor(format=lzma.FORMAT_XZ, preset=xz_preset)
        self._sha256 = hashlib.sha256()
        self._payload_bytes = 0
        self._records = 0
        self._state = "open"
        self._temp: Path | None = None
        self._file: IO[bytes] | None = None
        self._partials: list[Path] = []
        self._finals: list[Path] = []
        with self._writing(self._work_dir):
            fd, name = tempfile.mkstemp(prefix=".cwtt-", suffix=".partial", dir=self._work_dir)
            self._temp = Path(name)
            self._file = os.fdopen(fd, "w+b")

    @property
    def payload_bytes(self) -> int:
        """Bytes of sealed payload so far (all of it once finished)."""
        return self._payload_bytes

    @property
    def records(self) -> int:
        """How many records were added."""
        return self._records

    def __enter__(self) -> BundleWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.abort()

    @contextlib.contextmanager
    def _writing(self, path: Path) -> Iterator[None]:
        """Turn an OSError into DiskFull or UsageError, after removing what was written."""
        try:
            yield
        except OSError as exc:
            self.abort()
            if _is_disk_full(exc):
                raise DiskFull(DISK_FULL) from exc
            raise UsageError(CANNOT_WRITE.format(path=path)) from exc

    def _feed(self, data: bytes) -> None:
        sealed = self._sealer.update(data) if data else b""
        self._out(sealed)

    def _out(self, sealed: bytes) -> None:
        if sealed:
            assert self._file is not None
            self._sha256.update(sealed)
            self._payload_bytes += len(sealed)
            _write(self._file, sealed)

    def add(self, record: dict[str, Any]) -> None:
        """Append one record (a JSON object) as one compact JSON line."""
        if self._state != "open":
            raise RuntimeError("the bundle writer is closed")
        if not isinstance(record, dict):
            raise TypeError("a record is a dict")
        line = json.dumps(
            record, separators=(",", ":"), sort_keys=True, ensure_ascii=False, allow_nan=False
        ).encode("utf-8")
        with self._writing(self._work_dir):
            self._feed(self._compressor.compress(line + b"\n"))
        self._records += 1

    def finish(
        self,
        out_path: Path,
        *,
        fields: dict[str, Any],
        sign: Callable[[bytes], bytes],
        recipients: Sequence[Recipient],
        split_bytes: int | None = None,
    ) -> list[Path]:
        """Seal the payload and write the bundle file(s); return their final paths."""
        if self._state != "open":
            raise RuntimeError("the bundle writer is closed")
        if split_bytes is not None and split_bytes < MIN_SPLIT_BYTES:
            raise UsageError(SPLIT_TOO_SMALL)
        reserved = {"format", "bundle_id", "payload", "recipients", "part"} & fields.keys()
        if reserved:
            raise ValueError(f"fields may not set {sorted(reserved)}")
        if not recipients:
            raise ValueError("a bundle needs at least one recipient")
        out_path = Path(out_path)
        try:
            with self._writing(self._work_dir):
                self._feed(self._compressor.flush())
                self._out(self._sealer.finish())
                assert self._file is not None
                self._file.flush()
            finals = self._write_parts(out_path, fields, sign, recipients, split_bytes)
        except BaseException:
            self.abort()
            raise
        self._state = "finished"
        self._drop_temp()
        return finals

    def _base_manifest(
        self, fields: dict[str, Any], recipients: Sequence[Recipient]
    ) -> dict[str, Any]:
        entries = [
            {
                "fingerprint": r.fingerprint,
                "suite": usable_suite(r),
                "enc": base64.b64encode(
                    wrap_content_key(self._content_key, r, self.bundle_id)
                ).decode("ascii"),
            }
            for r in recipients
        ]
        payload = {
            "sha256": self._sha256.hexdigest(),
            "bytes": self._payload_bytes,
            "chunk_bytes": self.chunk_bytes,
            "compression": COMPRESSION,
            "aead": PAYLOAD_AEAD,
        }
        return {
            **fields,
            "format": FORMAT,
            "bundle_id": self.bundle_id,
            "payload": payload,
            "recipients": entries,
        }

    def _plan(self, base: dict[str, Any], split_bytes: int | None) -> list[tuple[int, int]]:
        """(offset, bytes) of each part's piece, so that every file stays below split_bytes."""
        total = self._payload_bytes
        if split_bytes is None:
            return [(0, total)]
        count = 1
        while True:
            widest = {"index": count, "count": count, "offset": total, "bytes": total}
            longest = manifest_bytes({**base, "part": {**widest, "sha256": "0" * 64}})
            room = split_bytes - 1 - _ZIP_OVERHEAD - SIGNATURE_BYTES - len(longest)
            if room < 1:
                raise UsageError(SPLIT_TOO_SMALL)
            needed = max(1, math.ceil(total / room))
            if needed > MAX_PARTS:
                raise UsageError(TOO_MANY_PARTS)
            if needed <= count:
                break
            count = needed
        size, extra = divmod(total, count)
        plan, offset = [], 0
        for index in range(count):
            length = size + (1 if index < extra else 0)
            plan.append((offset, length))
            offset += length
        return plan

    def _piece_hashes(self, plan: list[tuple[int, int]]) -> list[str]:
        if len(plan) == 1:
            return [self._sha256.hexdigest()]
        digests = []
        for offset, length in plan:
            piece = hashlib.sha256()
            for block in self._read_temp(offset, length):
                piece.update(block)
            digests.append(piece.hexdigest())
        return digests

    def _read_temp(self, offset: int, length: int) -> Iterator[bytes]:
        assert self._file is not None
        self._file.seek(offset)
        while length:
            block = self._file.read(min(_BLOCK, length))
            if not block:
                raise OSError(errno.EIO, "the temporary payload is shorter than written")
            length -= len(block)
            yield block

    def _write_parts(
        self,
        out_path: Path,
        fields: dict[str, Any],
        sign: Callable[[bytes], bytes],
        recipients: Sequence[Recipient],
        split_bytes: int | None,
    ) -> list[Path]:
        base = self._base_manifest(fields, recipients)
        plan = self._plan(base, split_bytes)
        count = len(plan)
        if count == 1:
            names = [out_path]
        else:
            stem = out_path.stem
            names = [
                out_path.with_name(f"{stem}.part{i}of{count}.cwtt") for i in range(1, count + 1)
            ]
        with self._writing(self._work_dir):
            hashes = self._piece_hashes(plan)
        sender = fields.get("sender")
        sender_key = sender.get("ed25519") if isinstance(sender, dict) else None
        for index, ((offset, length), digest, final) in enumerate(
            zip(plan, hashes, names, strict=True), start=1
        ):
            part = {
                "index": index,
                "count": count,
                "offset": offset,
                "bytes": length,
                "sha256": digest,
            }
            manifest = {**base, "part": part}
            problem = manifest_problem(manifest)
            if problem:
                raise ValueError(f"the manifest would not be readable: {problem}")
            data = manifest_bytes(manifest)
            signature = sign(data)
            _check_signature(sender_key, signature, data)
            with self._writing(final):
                self._write_zip(final, data, signature, offset, length)
            if split_bytes is not None and final.stat().st_size >= split_bytes:
                raise RuntimeError("a bundle part came out larger than planned")
        _fsync_dir(out_path.parent)
        return list(self._finals)

    def _write_zip(
        self, final: Path, manifest: bytes, signature: bytes, offset: int, length: int
    ) -> None:
        partial = final.with_name(final.name + ".partial")
        self._partials.append(partial)
        with open(partial, "wb") as raw:
            with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_STORED) as archive:
                archive.writestr(_entry(MANIFEST_NAME), manifest)
                archive.writestr(_entry(SIGNATURE_NAME), signature)
                info = _entry(PAYLOAD_NAME)
                info.file_size = length
                with archive.open(info, "w") as target:
                    for block in self._read_temp(offset, length):
                        _write(target, block)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, final)
        self._partials.remove(partial)
        self._finals.append(final)

    def _drop_temp(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
        if self._temp is not None:
            with contextlib.suppress(OSError):
                self._temp.unlink(missing_ok=True)
            self._temp = None

    def abort(self) -> None:
        """Remove the temporary payload and any file this writer started; no-op once finished."""
        if self._state == "finished":
            return
        self._state = "aborted"
        self._drop_temp()
        for path in (*self._partials, *self._finals):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        self._partials.clear()
        self._finals.clear()


def _check_signature(sender_key: Any, signature: bytes, data: bytes) -> None:
    """The writer signs with the key the manifest names, or it is a setup mistake."""
    if not isinstance(signature, bytes) or len(signature) != SIGNATURE_BYTES:
        raise ValueError("sign() must return a 64-byte Ed25519 signature")
    raw = _b64(sender_key)
    try:
        Ed25519PublicKey.from_public_bytes(raw or b"").verify(signature, data)
    except (InvalidSignature, ValueError) as exc:
        raise ValueError("sign() does not match sender.ed25519 in the fields") from exc


# ---------------------------------------------------------------- reading: the ZIP


@dataclass(frozen=True)
class _Entry:
    start: int  # where the entry's data begins in the file
    size: int
    crc: int


@dataclass(frozen=True)
class _Part:
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


def _read_part(path: Path, limits: Limits) -> _Part:
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
    return _Part(Path(path), size, manifest, data, signature, entries[PAYLOAD_NAME])


def _without_part(manifest: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in manifest.items() if key != "part"}


def _assemble(parts: list[_Part]) -> list[_Part]:
    """The parts of one bundle in order, each once, covering the whole payload."""
    if len({p.manifest["bundle_id"] for p in parts}) > 1:
        raise BundleRejected(MIXED_BUNDLES)
    by_index: dict[int, _Part] = {}
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
    groups: dict[str, list[_Part]] = {}
    for path in paths:
        part = _read_part(Path(path), limits)
        groups.setdefault(part.manifest["bundle_id"], []).append(part)

    def order(parts: list[_Part]) -> tuple[str, int, str, str]:
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


# ---------------------------------------------------------------- reading: the payload


def _inflate(decompressor: lzma.LZMADecompressor, data: bytes) -> Iterator[bytes]:
    """Decompressed output in bounded steps."""
    while True:
        try:
            out = decompressor.decompress(data, max_length=_INFLATE_STEP)
        except (lzma.LZMAError, EOFError) as exc:
            raise BundleRejected(CONTENTS_DAMAGED) from exc
        data = b""
        if out:
            yield out
        if decompressor.eof or decompressor.needs_input:
            return


class _Lines:
    """Splits decompressed bytes into JSON records, holding at most one record's bytes."""

    def __init__(self, max_record_bytes: int) -> None:
        self._max = max_record_bytes
        self._pending = bytearray()

    def feed(self, data: bytes) -> Iterator[dict[str, Any]]:
        start = 0
        while True:
            end = data.find(b"\n", start)
            if end < 0:
                if len(self._pending) + len(data) - start > self._max:
                    raise BundleRejected(TOO_MUCH_DATA)
                self._pending += data[start:]
                return
            if len(self._pending) + end - start > self._max:
                raise BundleRejected(TOO_MUCH_DATA)
            if self._pending:
                line = bytes(self._pending) + data[start:end]
                self._pending.clear()
            else:
                line = data[start:end]
            yield _record(line)
            start = end + 1

    def finish(self) -> None:
        if self._pending:
            raise BundleRejected(CONTENTS_DAMAGED)


#: The standard library's reader, for the rare line orjson would read differently.
_RECORD_DECODER = json.JSONDecoder(parse_constant=_no_constants)
#: Every digit as `0`, anything else as `x`: a line holding `0` * 19 once translated may hold
#: an integer beyond 64 bits, which orjson would read as a float (a regex scan is slower).
_DIGITS = bytes(48 if 48 <= b <= 57 else 120 for b in range(256))
_LONG_NUMBER = b"0" * 19


def _record(line: bytes) -> dict[str, Any]:
    """One record line: orjson reads it (in half the time), the standard library where a
    long number could lose digits in orjson, so both give the same values."""
    try:
        if _LONG_NUMBER not in line.translate(_DIGITS):
            record = orjson.loads(line)
        else:
            record = _RECORD_DECODER.decode(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleRejected(CONTENTS_DAMAGED) from exc
    if not isinstance(record, dict):
        raise BundleRejected(CONTENTS_DAMAGED)
    return record


class OpenedBundle:
    """One bundle (all its parts) whose ZIP shape and manifest passed; see `open`."""

    def __init__(self, parts: list[_Part], limits: Limits) -> None:
        self._parts = parts
        self._limits = limits
        self._signature_ok = False
        self._payload_ok = False

    @classmethod
    def open(cls, paths: Sequence[Path], limits: Limits | None = None) -> OpenedBundle:
        """Check each file's ZIP shape and manifest, then that the parts make one whole."""
        if not paths:
            raise ValueError("no bundle files given")
        limits = limits or Limits()
        parts = [_read_part(Path(path), limits) for path in paths]
        return cls(_assemble(parts), limits)

    @property
    def manifest(self) -> dict[str, Any]:
        return self._parts[0].manifest

    @property
    def manifest_bytes(self) -> bytes:
        return self._parts[0].manifest_bytes

    @property
    def signature(self) -> bytes:
        return self._parts[0].signature

    @property
    def bundle_id(self) -> str:
        return str(self.manifest["bundle_id"])

    @property
    def paths(self) -> list[Path]:
        return [part.path for part in self._parts]

    @property
    def total_bytes(self) -> int:
        return sum(part.file_bytes for part in self._parts)

    @property
    def recipients(self) -> list[str]:
        return [entry["fingerprint"] for entry in self.manifest["recipients"]]

    def _sender(self) -> str:
        return sender_label(self.manifest)

    def verify_signature(self) -> None:
        """Every part's manifest is signed by the Ed25519 key the manifest names."""
        raw = base64.b64decode(self.manifest["sender"]["ed25519"])
        key = Ed25519PublicKey.from_public_bytes(raw)
        for part in self._parts:
            try:
                key.verify(part.signature, part.manifest_bytes)
            except InvalidSignature as exc:
                raise BundleRejected(SIGNATURE_BAD.format(sender=self._sender())) from exc
        self._signature_ok = True

    def _blocks(self) -> Iterator[bytes]:
        """The whole payload stream in blocks; at the end, its hashes must match the manifest."""
        changed = PAYLOAD_CHANGED.format(sender=self._sender())
        whole, total = hashlib.sha256(), 0
        for part in self._parts:
            entry, expected = part.payload, part.manifest["part"]
            if entry.size != expected["bytes"]:
                raise BundleRejected(changed)
            piece, crc = hashlib.sha256(), 0
            for block in _file_blocks(part.path, entry):
                piece.update(block)
                whole.update(block)
                crc = zlib.crc32(block, crc)
                total += len(block)
                yield block
            if crc != entry.crc or piece.hexdigest() != expected["sha256"]:
                raise BundleRejected(changed)
        payload = self.manifest["payload"]
        if total != payload["bytes"] or whole.hexdigest() != payload["sha256"]:
            raise BundleRejected(changed)

    def verify_payload(self) -> None:
        """Every part's piece and the whole payload match the signed hashes and length."""
        for _ in self._blocks():
            pass
        self._payload_ok = True

    def content_key(self, own: OwnKeys) -> bytes:
        """This laptop's content key, unwrapped from its recipient entry."""
        if not self._signature_ok:
            raise RuntimeError("verify_signature() comes before content_key()")
        failure = BundleRejected(NOT_FOR_THIS_LAPTOP)
        for entry in self.manifest["recipients"]:
            if entry["fingerprint"] != own.fingerprint:
                continue
            enc = base64.b64decode(entry["enc"])
            try:
                return unwrap_content_key(enc, entry["suite"], own, self.bundle_id)
            except BundleRejected as exc:
                failure = exc
        raise failure

    def records(self, content_key: bytes) -> Iterator[dict[str, Any]]:
        """The records, one at a time, as the payload is read, opened and decompressed."""
        if not (self._signature_ok and self._payload_ok):
            raise RuntimeError("verify_signature() and verify_payload() come before records()")
        return self._records(content_key)

    def _records(self, content_key: bytes) -> Iterator[dict[str, Any]]:
        lines = _Lines(self._limits.max_record_bytes)
        for block in read_ahead(self._plain(content_key)):
            yield from lines.feed(block)
        lines.finish()

    def _plain(self, content_key: bytes) -> Iterator[bytes]:
        """The payload read, checked, opened and decompressed: JSON lines in blocks."""
        payload = self.manifest["payload"]
        plain = open_payload(self._blocks(), content_key, self.bundle_id, payload["chunk_bytes"])
        decompressor = lzma.LZMADecompressor(format=lzma.FORMAT_XZ, memlimit=XZ_MEMORY_LIMIT)
        total = 0
        for chunk in plain:
            if decompressor.eof and chunk:
                raise BundleRejected(CONTENTS_DAMAGED)
            for out in _inflate(decompressor, chunk):
                total += len(out)
                if total > self._limits.max_plain_bytes:
                    raise BundleRejected(TOO_MUCH_DATA)
                yield out
        if not decompressor.eof or decompressor.unused_data:
            raise BundleRejected(CONTENTS_DAMAGED)


def _file_blocks(path: Path, entry: _Entry) -> Iterator[bytes]:
    try:
        with open(path, "rb") as fp:
            fp.seek(entry.start)
            left = entry.size
            while left:
                block = fp.read(min(_BLOCK, left))
                if not block:
                    raise BundleRejected(FILE_DAMAGED)
                left -= len(block)
                yield block
    except OSError as exc:
        raise BundleRejected(CANNOT_READ.format(path=path)) from exc
