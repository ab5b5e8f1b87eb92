"""Writing a `.cwtt` bundle: `BundleWriter` streams records into a sealed payload, then
writes the signed ZIP(s), split into parts if asked. The file format is described in
`bundle_manifest`.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import json
import lzma
import math
import os
import secrets
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from cwtt_tui.errors import DiskFull, UsageError
from exports.bundle_crypto import (
    DEFAULT_CHUNK_BYTES,
    PAYLOAD_AEAD,
    PayloadSealer,
    Recipient,
    usable_suite,
    wrap_content_key,
)
from exports.bundle_manifest import (
    BLOCK,
    COMPRESSION,
    FORMAT,
    HEX32,
    MANIFEST_NAME,
    MAX_PARTS,
    PAYLOAD_NAME,
    SIGNATURE_BYTES,
    SIGNATURE_NAME,
    b64,
    manifest_bytes,
    manifest_problem,
)

__all__ = [
    "BundleWriter",
]

MIN_SPLIT_BYTES = 64 << 10

DISK_FULL = (
    "The disk or USB stick is full; free some space or choose another place, then export again."
)
CANNOT_WRITE = (
    "Could not write to {path}; check that the folder exists and that you may write there."
)
SPLIT_TOO_SMALL = "The part size is too small; use at least 0.07 MB (70 KB)."
TOO_MANY_PARTS = "This bundle would need more than 1000 parts; choose a bigger part size."

_ZIP_OVERHEAD = 1024  # headers, central directory and end records of three entries, with room


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
        if not HEX32.fullmatch(bundle_id):
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
            block = self._file.read(min(BLOCK, length))
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
    raw = b64(sender_key)
    try:
        Ed25519PublicKey.from_public_bytes(raw or b"").verify(signature, data)
    except (InvalidSignature, ValueError) as exc:
        raise ValueError("sign() does not match sender.ed25519 in the fields") from exc
