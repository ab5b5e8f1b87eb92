"""Reading a `.cwtt` bundle's payload: `OpenedBundle` checks the signature and the hashes,
unwraps the content key, then streams the records. The file format is described in
`bundle_manifest`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import lzma
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from cwtt_tui.errors import BundleRejected
from exports.bundle_crypto import (
    CONTENTS_DAMAGED,
    NOT_FOR_THIS_LAPTOP,
    OwnKeys,
    open_payload,
    unwrap_content_key,
)
from exports.bundle_manifest import Limits, no_constants, sender_label
from exports.bundle_zip import Part, assemble, file_blocks, read_part
from exports.read_ahead import read_ahead

__all__ = [
    "OpenedBundle",
]

#: Decoder memory an xz stream may ask for (preset 9 needs about 65 MiB).
XZ_MEMORY_LIMIT = 128 << 20

SIGNATURE_BAD = "This bundle was changed after it was signed — ask {sender} to export again."
PAYLOAD_CHANGED = "This bundle's contents were changed or damaged after it was signed — ask {sender} to export again."
TOO_MUCH_DATA = (
    "This bundle unpacks to more data than allowed; it may be a damaged or hostile file."
)

_INFLATE_STEP = 256 << 10


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
_RECORD_DECODER = json.JSONDecoder(parse_constant=no_constants)
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

    def __init__(self, parts: list[Part], limits: Limits) -> None:
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
        parts = [read_part(Path(path), limits) for path in paths]
        return cls(assemble(parts), limits)

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
            for block in file_blocks(part.path, entry):
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
