"""Content-key wrapping (HPKE, classic and hybrid) and the chunked payload AEAD."""

from __future__ import annotations

import os
from itertools import pairwise

import pytest
from cryptography.hazmat.primitives.asymmetric import x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given, settings
from hypothesis import strategies as st

from cwtt_tui.errors import BundleRejected
from exports import bundle_crypto
from exports.bundle_crypto import (
    CONTENTS_DAMAGED,
    NEEDS_NEWER_CWTT,
    NOT_FOR_THIS_LAPTOP,
    SUITE_CLASSIC,
    SUITE_HYBRID,
    SUITES,
    TAG_BYTES,
    OwnKeys,
    PayloadOpener,
    PayloadSealer,
    Recipient,
    hybrid_available,
    open_payload,
    payload_key,
    unwrap_content_key,
    usable_suite,
    wrap_content_key,
)

BUNDLE_ID = "0123456789abcdef0123456789abcdef"
CHUNK = 4096
SUITE_PARAMS = [
    SUITE_CLASSIC,
    pytest.param(
        SUITE_HYBRID,
        marks=pytest.mark.skipif(not hybrid_available(), reason="no ML-KEM in cryptography"),
    ),
]


def keypair(fingerprint: str, suite: str) -> tuple[Recipient, OwnKeys]:
    """A recipient and the matching own keys for one suite."""
    x_priv = x25519.X25519PrivateKey.generate()
    x_pub = x_priv.public_key().public_bytes_raw()
    seed = m_pub = None
    if suite == SUITE_HYBRID:
        from cryptography.hazmat.primitives.asymmetric import mlkem

        seed = os.urandom(64)
        m_pub = mlkem.MLKEM768PrivateKey.from_seed_bytes(seed).public_key().public_bytes_raw()
    recipient = Recipient(fingerprint, suite, x_pub, m_pub)
    return recipient, OwnKeys(fingerprint, x_priv.private_bytes_raw(), seed)


def seal(plain: bytes, key: bytes, bundle_id: str = BUNDLE_ID, pieces: int = 1) -> bytes:
    sealer = PayloadSealer(key, bundle_id, CHUNK)
    step = max(1, len(plain) // pieces)
    out = [sealer.update(plain[i : i + step]) for i in range(0, len(plain), step)]
    return b"".join(out) + sealer.finish()


def unseal(sealed: bytes, key: bytes, bundle_id: str = BUNDLE_ID, block: int = 1000) -> bytes:
    blocks = [sealed[i : i + block] for i in range(0, len(sealed), block)]
    return b"".join(open_payload(blocks, key, bundle_id, CHUNK))


def sealed_chunks(sealed: bytes) -> list[bytes]:
    size = CHUNK + TAG_BYTES
    return [sealed[i : i + size] for i in range(0, len(sealed), size)]


@pytest.mark.parametrize("suite", SUITE_PARAMS)
def test_a_wrapped_content_key_unwraps_for_its_recipient_only(suite: str) -> None:
    """The recipient gets the key back; another laptop or another bundle id does not."""
    key = os.urandom(32)
    recipient, own = keypair("AAAA", suite)
    _, stranger = keypair("AAAA", suite)
    enc = wrap_content_key(key, recipient, BUNDLE_ID)
    assert unwrap_content_key(enc, suite, own, BUNDLE_ID) == key
    for bad in (
        lambda: unwrap_content_key(enc, suite, stranger, BUNDLE_ID),
        lambda: unwrap_content_key(enc, suite, own, "f" * 32),
        lambda: unwrap_content_key(enc[:-1], suite, own, BUNDLE_ID),
        lambda: unwrap_content_key(b"", suite, own, BUNDLE_ID),
    ):
        with pytest.raises(BundleRejected) as caught:
            bad()
        assert caught.value.message == NOT_FOR_THIS_LAPTOP


def test_an_unknown_suite_is_refused() -> None:
    _, own = keypair("AAAA", SUITE_CLASSIC)
    with pytest.raises(BundleRejected) as caught:
        unwrap_content_key(b"x" * 80, "HPKE/FUTURE", own, BUNDLE_ID)
    assert caught.value.message == NEEDS_NEWER_CWTT
    with pytest.raises(ValueError):
        usable_suite(Recipient("AAAA", "HPKE/FUTURE", b"x" * 32))


def test_hybrid_degrades_to_classic_without_ml_kem(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the library lacks ML-KEM, a hybrid recipient is wrapped for with X25519 alone."""
    recipient, own = keypair("AAAA", SUITE_CLASSIC)
    hybrid = Recipient("AAAA", SUITE_HYBRID, recipient.x25519_public, None)
    monkeypatch.setattr(bundle_crypto, "hybrid_available", lambda: False)
    assert usable_suite(hybrid) == SUITE_CLASSIC
    key = os.urandom(32)
    enc = wrap_content_key(key, hybrid, BUNDLE_ID)
    assert unwrap_content_key(enc, SUITE_CLASSIC, own, BUNDLE_ID) == key
    assert SUITE_CLASSIC in SUITES


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 7])
def test_payload_round_trip_and_length(size: int) -> None:
    """Every size opens to itself; the sealed size is the plaintext plus one tag per chunk."""
    key, plain = os.urandom(32), os.urandom(size)
    sealed = seal(plain, key, pieces=3)
    chunks = max(1, -(-size // CHUNK))
    assert len(sealed) == size + TAG_BYTES * chunks
    assert unseal(sealed, key) == plain
    assert unseal(sealed, key, block=1) == plain


def test_nonce_is_the_chunk_index_and_the_last_flag() -> None:
    """Chunk i opens with nonce i (11 bytes) + flag (1 = last) and the bundle id as data."""
    key, plain = os.urandom(32), os.urandom(CHUNK + 10)
    chunks = sealed_chunks(seal(plain, key))
    aead = AESGCM(payload_key(key))
    first = aead.decrypt(bytes(11) + b"\x00", chunks[0], BUNDLE_ID.encode())
    last = aead.decrypt((1).to_bytes(11, "big") + b"\x01", chunks[1], BUNDLE_ID.encode())
    assert first + last == plain


def damaged(sealed: bytes, key: bytes, bundle_id: str = BUNDLE_ID) -> None:
    with pytest.raises(BundleRejected) as caught:
        unseal(sealed, key, bundle_id)
    assert caught.value.message == CONTENTS_DAMAGED


def test_truncated_reordered_or_extended_streams_are_refused() -> None:
    key = os.urandom(32)
    sealed = seal(os.urandom(3 * CHUNK + 100), key)
    chunks = sealed_chunks(sealed)
    assert len(chunks) == 4
    damaged(b"".join(chunks[:3]), key)  # the last chunk is missing (cut on a boundary)
    damaged(sealed[:-1], key)  # cut inside the last chunk
    damaged(sealed[: CHUNK + 5], key)  # cut inside a middle chunk
    damaged(sealed[:10], key)  # shorter than a tag
    damaged(b"", key)
    damaged(b"".join([chunks[1], chunks[0], *chunks[2:]]), key)  # reordered
    damaged(b"".join([*chunks[:2], chunks[1], *chunks[2:]]), key)  # a chunk repeated
    damaged(sealed + b"\x00", key)  # extra bytes after the last chunk
    damaged(sealed + chunks[-1], key)  # the last chunk twice
    damaged(sealed, key, "f" * 32)  # another bundle's id
    damaged(sealed, os.urandom(32))  # another key
    flipped = bytearray(sealed)
    flipped[CHUNK + 20] ^= 0x40
    damaged(bytes(flipped), key)


def test_an_empty_plaintext_still_has_one_last_chunk() -> None:
    key = os.urandom(32)
    sealed = seal(b"", key)
    assert len(sealed) == TAG_BYTES
    assert unseal(sealed, key) == b""
    # a full non-last chunk with nothing after it is a truncation, not an ending
    damaged(sealed_chunks(seal(os.urandom(2 * CHUNK), key))[0], key)


def test_sealer_and_opener_refuse_use_after_finish() -> None:
    key = os.urandom(32)
    sealer = PayloadSealer(key, BUNDLE_ID, CHUNK)
    sealed = sealer.finish()
    with pytest.raises(RuntimeError):
        sealer.update(b"x")
    opener = PayloadOpener(key, BUNDLE_ID, CHUNK)
    assert opener.update(sealed) == []
    assert opener.finish() == b""
    with pytest.raises(RuntimeError):
        opener.finish()
    with pytest.raises(ValueError):
        PayloadSealer(key, BUNDLE_ID, 1024)


@settings(max_examples=100, deadline=None)
@given(
    plain=st.binary(max_size=3 * CHUNK + 50),
    cuts=st.lists(st.integers(min_value=0, max_value=4 * CHUNK), max_size=6),
)
def test_any_feed_pattern_round_trips(plain: bytes, cuts: list[int]) -> None:
    """However the plaintext is fed in, the sealed stream is the same and opens to it."""
    key = b"k" * 32
    sealer = PayloadSealer(key, BUNDLE_ID, CHUNK)
    points = sorted({0, len(plain), *(c for c in cuts if c <= len(plain))})
    pieces = [sealer.update(plain[a:b]) for a, b in pairwise(points)]
    sealed = b"".join(pieces) + sealer.finish()
    assert sealed == seal(plain, key)
    assert unseal(sealed, key, block=777) == plain
