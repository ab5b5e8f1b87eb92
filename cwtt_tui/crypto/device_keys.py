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


MLKEM_BINDING = b"cwtt-mlkem768-v1"


def mlkem_available() -> bool:
    """Whether the installed cryptography offers ML-KEM-768 (for the post-quantum hybrid)."""
    try:
        from cryptography.hazmat.primitives.asymmetric import mlkem

        mlkem.MLKEM768PrivateKey.generate()
    except Exception:
        return False
    return True


def new_mlkem_seed() -> bytes | None:
    """A 64-byte ML-KEM-768 private seed, or None where the library lacks ML-KEM."""
    if not mlkem_available():
        return None
    from cryptography.hazmat.primitives.asymmetric import mlkem

    return mlkem.MLKEM768PrivateKey.generate().private_bytes_raw()


def mlkem_public(seed: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric import mlkem

    return mlkem.MLKEM768PrivateKey.from_seed_bytes(seed).public_key().public_bytes_raw()


def verify_binding(ed25519_public: bytes, mlkem768_public: bytes, signature: bytes) -> bool:
    """Whether the ML-KEM key was vouched for by the signing key (which the fingerprint covers)."""
    from cryptography.exceptions import InvalidSignature

    try:
        Ed25519PublicKey.from_public_bytes(ed25519_public).verify(
            signature, MLKEM_BINDING + mlkem768_public
        )
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class DeviceKeys:
    """The private keys of a laptop: Ed25519 and X25519 (32 raw bytes each) and, where the
    library offers it, an ML-KEM-768 seed (64 bytes) for post-quantum hybrid bundles."""

    ed25519_private: bytes
    x25519_private: bytes
    mlkem768_seed: bytes | None = None

    @classmethod
    def generate(cls) -> DeviceKeys:
        ed = Ed25519PrivateKey.generate().private_bytes(_RAW, _RAW_PRIV, _NO_ENC)
        x = X25519PrivateKey.generate().private_bytes(_RAW, _RAW_PRIV, _NO_ENC)
        return cls(ed, x, new_mlkem_seed())

    @property
    def mlkem768_public(self) -> bytes | None:
        return mlkem_public(self.mlkem768_seed) if self.mlkem768_seed else None

    def mlkem_binding(self) -> bytes | None:
        """The signature that ties the ML-KEM public key to this laptop's signing key."""
        public = self.mlkem768_public
        return self.sign(MLKEM_BINDING + public) if public else None

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
