"""The `.cwtt` bundle file: a ZIP of `manifest.json`, its Ed25519 signature `manifest.sig` and
`payload.bin` (JSON Lines records, xz-compressed, then sealed with `bundle_crypto`).

Writing and reading both stream, so memory stays flat however many children a bundle holds.
Reading checks, in order: the ZIP's shape, the manifest, the signature, the payload's hashes,
the content key, then every chunk and record as it is read. A large bundle may be split into
parts, each a complete ZIP with its own signed manifest and one piece of the payload.

This module holds the format's constants, the messages more than one module uses, `Limits`,
and the manifest: its exact bytes, its checks and its parsing. `bundle_writer` writes bundles;
`bundle_zip` (the ZIP and its parts) and `bundle_reader` (the payload) read them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from cwtt_tui.errors import BundleRejected
from exports.bundle_crypto import (
    MAX_CHUNK_BYTES,
    MIN_CHUNK_BYTES,
    NEEDS_NEWER_CWTT,
    PAYLOAD_AEAD,
)

__all__ = [
    "FORMAT",
    "Limits",
]

FORMAT = "cwtt-bundle/1"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
PAYLOAD_NAME = "payload.bin"
ENTRY_NAMES = (MANIFEST_NAME, SIGNATURE_NAME, PAYLOAD_NAME)
COMPRESSION = "xz"
SIGNATURE_BYTES = 64
MAX_PARTS = 1000

NOT_A_BUNDLE = "This file is not a cwtt bundle (.cwtt)."
MANIFEST_DAMAGED = "This file's manifest is incomplete or damaged; ask the sender to export again."

BLOCK = 1 << 20
HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_FORMAT_RE = re.compile(r"cwtt-bundle/(\d{1,6})(?:\.\d{1,6})?")


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


def b64(value: Any) -> bytes | None:
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
        if not b64(entry.get("enc")):
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
    key = b64(sender.get("ed25519"))
    if key is None or len(key) != 32:
        return "sender.ed25519"
    return None


def manifest_problem(manifest: Any) -> str | None:
    """What is missing or wrong in a manifest (a short technical phrase), or None."""
    if not isinstance(manifest, dict):
        return "not an object"
    if not _is_str(manifest.get("format")):
        return "format"
    if not (_is_str(manifest.get("bundle_id")) and HEX32.fullmatch(manifest["bundle_id"])):
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


def no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_manifest(data: bytes) -> dict[str, Any]:
    """The manifest as a dict, or BundleRejected: newer version first, then the schema."""
    try:
        manifest = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=no_constants,
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
