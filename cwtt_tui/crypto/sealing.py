"""Row payloads sealed with AES-256-GCM, bound to their table and row id."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = b"\x01"  # version byte of a sealed value
NONCE_BYTES = 12


class SealError(Exception):
    """A sealed value does not open: wrong key, wrong row, or damaged bytes."""


def new_data_key() -> bytes:
    """A fresh random 256-bit data key for a new store."""
    return os.urandom(32)


def subkey(data_key: bytes, purpose: str) -> bytes:
    """Derive a key for one purpose, so that no key is used for two jobs."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        data_key
    )


class RowSealer:
    """Seals and opens row payloads; the associated data names the table and row."""

    def __init__(self, data_key: bytes) -> None:
        self._aead = AESGCM(subkey(data_key, "cwtt rows v1"))

    def seal(self, table: str, row_id: str, plaintext: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return FORMAT + nonce + self._aead.encrypt(nonce, plaintext, _bind(table, row_id))

    def open(self, table: str, row_id: str, sealed: bytes) -> bytes:
        if not sealed or sealed[:1] != FORMAT or len(sealed) < 1 + NONCE_BYTES + 16:
            raise SealError(f"{table} {row_id}: not a sealed value")
        nonce = sealed[1 : 1 + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, sealed[1 + NONCE_BYTES :], _bind(table, row_id))
        except InvalidTag as exc:
            raise SealError(f"{table} {row_id}: does not open") from exc

    def open_many(self, table: str, row_ids: list[str], sealed: list[bytes]) -> list[bytes]:
        """`open` for many rows of one table at once (the board's thousands of summaries)."""
        decrypt, prefix, head = self._aead.decrypt, f"cwtt:{table}:", 1 + NONCE_BYTES
        out = []
        for row_id, value in zip(row_ids, sealed, strict=True):
            if value[:1] != FORMAT or len(value) < head + 16:
                raise SealError(f"{table} {row_id}: not a sealed value")
            try:
                out.append(decrypt(value[1:head], value[head:], (prefix + row_id).encode()))
            except InvalidTag as exc:
                raise SealError(f"{table} {row_id}: does not open") from exc
        return out


def _bind(table: str, row_id: str) -> bytes:
    return f"cwtt:{table}:{row_id}".encode()
