"""Key slots: the data key wrapped under a key derived from a passphrase or recovery key."""

from __future__ import annotations

import os
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cwtt_tui.crypto.kdf import KdfParams


class SlotMismatch(Exception):
    """The secret does not open this slot (or the slot is damaged)."""


def _secret_bytes(secret: str) -> bytes:
    # NFC so that a passphrase typed with composed or decomposed accents opens the same slot.
    return unicodedata.normalize("NFC", secret).encode("utf-8")


def wrap_data_key(data_key: bytes, secret: str, params: KdfParams, slot_id: str) -> bytes:
    """Wrap `data_key` for one slot; the slot id is bound as associated data."""
    kek = params.derive(_secret_bytes(secret))
    nonce = os.urandom(12)
    return nonce + AESGCM(kek).encrypt(nonce, data_key, f"cwtt-slot:{slot_id}".encode())


def unwrap_data_key(wrapped: bytes, secret: str, params: KdfParams, slot_id: str) -> bytes:
    """Return the data key, or raise SlotMismatch when `secret` is not this slot's."""
    if len(wrapped) != 12 + 32 + 16:
        raise SlotMismatch("key slot has the wrong length")
    kek = params.derive(_secret_bytes(secret))
    try:
        return AESGCM(kek).decrypt(wrapped[:12], wrapped[12:], f"cwtt-slot:{slot_id}".encode())
    except InvalidTag as exc:
        raise SlotMismatch("secret does not open this slot") from exc
