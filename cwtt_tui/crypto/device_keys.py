"""This laptop's Ed25519 signing key and X25519 key, and the fingerprint read aloud to peers."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

_RAW = serialization.Encoding.Raw
_RAW_PRIV = serialization.PrivateFormat.Raw
_RAW_PUB = serialization.PublicFormat.Raw
_NO_ENC = serialization.NoEncryption()


@dataclass(frozen=True)
class DeviceKeys:
    """The two private keys of a laptop (32 raw bytes each)."""

    ed25519_private: bytes
    x25519_private: bytes

    @classmethod
    def generate(cls) -> DeviceKeys:
        ed = Ed25519PrivateKey.generate().private_bytes(_RAW, _RAW_PRIV, _NO_ENC)
        x = X25519PrivateKey.generate().private_bytes(_RAW, _RAW_PRIV, _NO_ENC)
        return cls(ed, x)

    @property
    def ed25519_public(self) -> bytes:
        key = Ed25519PrivateKey.from_private_bytes(self.ed25519_private)
        return key.public_key().public_bytes(_RAW, _RAW_PUB)

    @property
    def x25519_public(self) -> bytes:
        key = X25519PrivateKey.from_private_bytes(self.x25519_private)
        return key.public_key().public_bytes(_RAW, _RAW_PUB)

    def sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.ed25519_private).sign(message)


def fingerprint(ed25519_public: bytes, x25519_public: bytes) -> str:
    """Twenty characters in five groups of four, easy to read aloud: `K3QF-…`."""
    digest = hashlib.sha256(b"cwtt-device-v1" + ed25519_public + x25519_public).digest()
    text = base64.b32encode(digest[:15]).decode().rstrip("=")[:20]
    return "-".join(text[i : i + 4] for i in range(0, 20, 4))


def public_pem(ed25519_public: bytes) -> str:
    """The signing key as PEM, so that `openssl pkeyutl -verify` can check a signature."""
    key = Ed25519PublicKey.from_public_bytes(ed25519_public)
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
