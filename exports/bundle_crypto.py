"""Bundle encryption: the content key wrapped per recipient with HPKE, and the payload sealed
in authenticated chunks ("AES-256-GCM/stream-v1") so that neither side holds it whole.

Chunk i is sealed with AES-256-GCM under a key derived from the content key, with the nonce
`i` (11 bytes, big-endian) followed by a last-chunk flag byte, and the bundle id as associated
data. A stream therefore opens only whole, in order, and ending where the sender ended it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric import x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from cwtt_tui.errors import BundleRejected

try:
    from cryptography.hazmat.primitives.asymmetric import mlkem
    from cryptography.hazmat.primitives.hpke import (
        MLKEM768X25519PrivateKey,
        MLKEM768X25519PublicKey,
    )
except ImportError:  # older cryptography: classic suite only
    mlkem = None  # type: ignore[assignment]
    MLKEM768X25519PrivateKey = MLKEM768X25519PublicKey = None  # type: ignore[assignment,misc]

__all__ = [
    "CONTENT_KEY_BYTES",
    "DEFAULT_CHUNK_BYTES",
    "MAX_CHUNK_BYTES",
    "MIN_CHUNK_BYTES",
    "NOT_FOR_THIS_LAPTOP",
    "PAYLOAD_AEAD",
    "SUITES",
    "SUITE_CLASSIC",
    "SUITE_HYBRID",
    "TAG_BYTES",
    "OwnKeys",
    "PayloadOpener",
    "PayloadSealer",
    "Recipient",
    "hybrid_available",
    "open_payload",
    "payload_key",
    "unwrap_content_key",
    "usable_suite",
    "wrap_content_key",
]

SUITE_CLASSIC = "HPKE/DHKEM(X25519,HKDF-SHA256)/HKDF-SHA256/AES-256-GCM"
SUITE_HYBRID = "HPKE/MLKEM768-X25519/HKDF-SHA256/AES-256-GCM"
PAYLOAD_AEAD = "AES-256-GCM/stream-v1"
CONTENT_KEY_BYTES = 32
TAG_BYTES = 16
DEFAULT_CHUNK_BYTES = 1 << 20
MIN_CHUNK_BYTES = 4 << 10
MAX_CHUNK_BYTES = 16 << 20
X25519_BYTES = 32
MLKEM768_PUBLIC_BYTES = 1184
MLKEM768_SEED_BYTES = 64

NOT_FOR_THIS_LAPTOP = "This bundle was not encrypted for this laptop; ask the sender to export it to this laptop's key."
NEEDS_NEWER_CWTT = (
    "This bundle was made by a newer version of cwtt; update cwtt on this laptop to import it."
)
CONTENTS_DAMAGED = "This bundle's contents are damaged; ask the sender to export again."

_PAYLOAD_INFO = b"cwtt payload v1"
_LAST = b"\x01"
_NOT_LAST = b"\x00"


@functools.cache
def hybrid_available() -> bool:
    """Whether the installed cryptography offers the ML-KEM-768 + X25519 HPKE suite."""
    if mlkem is None or MLKEM768X25519PrivateKey is None:
        return False
    try:
        hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
        mlkem.MLKEM768PrivateKey.from_seed_bytes(bytes(MLKEM768_SEED_BYTES))
    except Exception:
        return False
    return True


def _suites() -> tuple[str, ...]:
    return (SUITE_CLASSIC, SUITE_HYBRID) if hybrid_available() else (SUITE_CLASSIC,)


#: The suites this laptop can wrap and unwrap with, newest last.
SUITES: tuple[str, ...] = _suites()


@dataclass(frozen=True)
class Recipient:
    """A laptop a bundle is encrypted to: its fingerprint, chosen suite and public keys."""

    fingerprint: str
    suite: str
    x25519_public: bytes
    mlkem768_public: bytes | None = None


@dataclass(frozen=True)
class OwnKeys:
    """This laptop's fingerprint and the private keys that unwrap a content key."""

    fingerprint: str
    x25519_private: bytes
    mlkem768_seed: bytes | None = None


def _hpke_suite(suite: str) -> hpke.Suite:
    if suite == SUITE_CLASSIC:
        return hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    if suite == SUITE_HYBRID and hybrid_available():
        return hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    raise ValueError(f"unsupported suite {suite!r}")


def _info(bundle_id: str) -> bytes:
    return b"cwtt bundle v1 " + bundle_id.encode()


def usable_suite(recipient: Recipient) -> str:
    """The suite to wrap with: the recipient's, or classic when hybrid is asked for but missing."""
    if recipient.suite == SUITE_HYBRID and not hybrid_available():
        return SUITE_CLASSIC
    if recipient.suite not in (SUITE_CLASSIC, SUITE_HYBRID):
        raise ValueError(f"unknown suite {recipient.suite!r}")
    return recipient.suite


def _public_key(recipient: Recipient, suite: str) -> Any:
    if len(recipient.x25519_public) != X25519_BYTES:
        raise ValueError("an X25519 public key has 32 bytes")
    x_pub = x25519.X25519PublicKey.from_public_bytes(recipient.x25519_public)
    if suite == SUITE_CLASSIC:
        return x_pub
    if recipient.mlkem768_public is None or len(recipient.mlkem768_public) != MLKEM768_PUBLIC_BYTES:
        raise ValueError("the hybrid suite needs a 1184-byte ML-KEM-768 public key")
    m_pub = mlkem.MLKEM768PublicKey.from_public_bytes(recipient.mlkem768_public)
    return MLKEM768X25519PublicKey(m_pub, x_pub)


def _private_key(own: OwnKeys, suite: str) -> Any:
    x_priv = x25519.X25519PrivateKey.from_private_bytes(own.x25519_private)
    if suite == SUITE_CLASSIC:
        return x_priv
    if own.mlkem768_seed is None:
        raise ValueError("no ML-KEM-768 seed")
    m_priv = mlkem.MLKEM768PrivateKey.from_seed_bytes(own.mlkem768_seed)
    return MLKEM768X25519PrivateKey(m_priv, x_priv)


def wrap_content_key(content_key: bytes, recipient: Recipient, bundle_id: str) -> bytes:
    """The HPKE ciphertext of the content key for one recipient, bound to the bundle id.

    Uses `usable_suite(recipient)`; record that suite, not `recipient.suite`, in the manifest.
    """
    if len(content_key) != CONTENT_KEY_BYTES:
        raise ValueError("a content key has 32 bytes")
    suite = usable_suite(recipient)
    return _hpke_suite(suite).encrypt(content_key, _public_key(recipient, suite), _info(bundle_id))


def unwrap_content_key(enc: bytes, suite: str, own: OwnKeys, bundle_id: str) -> bytes:
    """The content key from one recipient entry; BundleRejected when it is not ours."""
    if suite not in SUITES:
        raise BundleRejected(NEEDS_NEWER_CWTT)
    try:
        key = _hpke_suite(suite).decrypt(enc, _private_key(own, suite), _info(bundle_id))
    except Exception as exc:  # wrong key, damaged ciphertext or malformed private key
        raise BundleRejected(NOT_FOR_THIS_LAPTOP) from exc
    if len(key) != CONTENT_KEY_BYTES:
        raise BundleRejected(NOT_FOR_THIS_LAPTOP)
    return key


def payload_key(content_key: bytes) -> bytes:
    """The AES-256-GCM key of the payload stream, derived from the content key."""
    return HKDF(hashes.SHA256(), length=32, salt=None, info=_PAYLOAD_INFO).derive(content_key)


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (_LAST if last else _NOT_LAST)


def _check_chunk_bytes(chunk_bytes: int) -> None:
    if not MIN_CHUNK_BYTES <= chunk_bytes <= MAX_CHUNK_BYTES:
        raise ValueError(f"chunk_bytes must lie between {MIN_CHUNK_BYTES} and {MAX_CHUNK_BYTES}")


class PayloadSealer:
    """Seals a byte stream chunk by chunk: `update` returns what is ready, `finish` the rest."""

    def __init__(
        self, content_key: bytes, bundle_id: str, chunk_bytes: int = DEFAULT_CHUNK_BYTES
    ) -> None:
        _check_chunk_bytes(chunk_bytes)
        self._aead = AESGCM(payload_key(content_key))
        self._aad = bundle_id.encode()
        self._chunk = chunk_bytes
        self._buffer = bytearray()
        self._index = 0
        self._done = False

    def _seal(self, chunk: bytes | memoryview, last: bool) -> bytes:
        sealed = self._aead.encrypt(_nonce(self._index, last), chunk, self._aad)
        self._index += 1
        return sealed

    def update(self, data: bytes) -> bytes:
        """Take more plaintext; return the chunks that are now sealed (maybe none)."""
        if self._done:
            raise RuntimeError("the sealer is finished")
        self._buffer += data
        size = self._chunk
        if len(self._buffer) <= size:  # a full chunk might still turn out to be the last
            return b""
        out = []
        view = memoryview(self._buffer)
        start = 0
        try:
            while len(self._buffer) - start > size:
                out.append(self._seal(view[start : start + size], last=False))
                start += size
        finally:
            view.release()
        del self._buffer[:start]
        return b"".join(out)

    def finish(self) -> bytes:
        """Seal what is left as the last chunk (empty when nothing was fed)."""
        if self._done:
            raise RuntimeError("the sealer is finished")
        self._done = True
        sealed = self._seal(self._buffer, last=True)
        self._buffer = bytearray()
        return sealed


class PayloadOpener:
    """Opens a sealed stream chunk by chunk; refuses truncation, reordering and extra bytes."""

    def __init__(
        self, content_key: bytes, bundle_id: str, chunk_bytes: int = DEFAULT_CHUNK_BYTES
    ) -> None:
        _check_chunk_bytes(chunk_bytes)
        self._aead = AESGCM(payload_key(content_key))
        self._aad = bundle_id.encode()
        self._sealed = chunk_bytes + TAG_BYTES
        self._buffer = bytearray()
        self._index = 0
        self._done = False

    def _open(self, sealed: bytes | memoryview, last: bool) -> bytes:
        try:
            plain = self._aead.decrypt(_nonce(self._index, last), sealed, self._aad)
        except InvalidTag as exc:
            raise BundleRejected(CONTENTS_DAMAGED) from exc
        self._index += 1
        return plain

    def update(self, data: bytes) -> list[bytes]:
        """Take more sealed bytes; return the plaintext of every chunk now complete."""
        if self._done:
            raise RuntimeError("the opener is finished")
        self._buffer += data
        size = self._sealed
        if len(self._buffer) <= size:  # a full chunk might still turn out to be the last
            return []
        out = []
        view = memoryview(self._buffer)
        start = 0
        try:
            while len(self._buffer) - start > size:
                out.append(self._open(view[start : start + size], last=False))
                start += size
        finally:
            view.release()
        del self._buffer[:start]
        return out

    def finish(self) -> bytes:
        """Open the last chunk; BundleRejected when the stream ended early or ran on."""
        if self._done:
            raise RuntimeError("the opener is finished")
        self._done = True
        if len(self._buffer) < TAG_BYTES:
            raise BundleRejected(CONTENTS_DAMAGED)
        plain = self._open(self._buffer, last=True)
        self._buffer = bytearray()
        return plain


def open_payload(
    blocks: Iterable[bytes],
    content_key: bytes,
    bundle_id: str,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
) -> Iterator[bytes]:
    """Yield the plaintext of a sealed stream given as blocks of any size, chunk by chunk."""
    opener = PayloadOpener(content_key, bundle_id, chunk_bytes)
    for block in blocks:
        yield from opener.update(block)
    yield opener.finish()
