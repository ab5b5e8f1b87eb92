"""Row sealing, key slots, device keys and recovery keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cwtt_tui.crypto.device_keys import DeviceKeys, fingerprint, public_pem
from cwtt_tui.crypto.kdf import TEST_KDF, KdfParams
from cwtt_tui.crypto.sealing import RowSealer, SealError, new_data_key
from cwtt_tui.crypto.slots import SlotMismatch, unwrap_data_key, wrap_data_key
from cwtt_tui.recovery_key import ALPHABET, new_recovery_key, normalise_recovery_key


@settings(derandomize=True, max_examples=100)
@given(st.binary(max_size=2048), st.text(min_size=1, max_size=20))
def test_sealed_rows_open_to_what_was_sealed(payload: bytes, row_id: str) -> None:
    """Any payload sealed for a row opens again for that row."""
    sealer = RowSealer(b"k" * 32)
    assert sealer.open("children", row_id, sealer.seal("children", row_id, payload)) == payload


def test_a_sealed_value_cannot_move_to_another_row_or_table() -> None:
    """The associated data binds a ciphertext to its table and row id."""
    sealer = RowSealer(new_data_key())
    sealed = sealer.seal("children", "a", b"Zanele")
    with pytest.raises(SealError):
        sealer.open("children", "b", sealed)
    with pytest.raises(SealError):
        sealer.open("interviews", "a", sealed)


def test_a_flipped_bit_or_another_key_is_refused() -> None:
    """Tampering and the wrong data key both fail authentication."""
    key = new_data_key()
    sealed = bytearray(RowSealer(key).seal("t", "1", b"answer"))
    sealed[-1] ^= 1
    with pytest.raises(SealError):
        RowSealer(key).open("t", "1", bytes(sealed))
    with pytest.raises(SealError):
        RowSealer(new_data_key()).open("t", "1", RowSealer(key).seal("t", "1", b"x"))
    with pytest.raises(SealError):
        RowSealer(key).open("t", "1", b"")


def test_sealing_twice_gives_different_bytes() -> None:
    """A fresh nonce per seal: equal answers do not look equal on disk."""
    sealer = RowSealer(new_data_key())
    assert sealer.seal("t", "1", b"yes") != sealer.seal("t", "1", b"yes")


def test_key_slot_opens_only_with_its_secret_and_slot_id() -> None:
    """A wrapped data key comes back with the right passphrase and slot id only."""
    data_key = new_data_key()
    params = TEST_KDF.with_new_salt()
    wrapped = wrap_data_key(data_key, "correct horse battery", params, "slot-1")
    assert unwrap_data_key(wrapped, "correct horse battery", params, "slot-1") == data_key
    with pytest.raises(SlotMismatch):
        unwrap_data_key(wrapped, "wrong horse battery", params, "slot-1")
    with pytest.raises(SlotMismatch):
        unwrap_data_key(wrapped, "correct horse battery", params, "slot-2")
    with pytest.raises(SlotMismatch):
        unwrap_data_key(wrapped[:20], "correct horse battery", params, "slot-1")


def test_passphrases_are_compared_after_unicode_normalisation() -> None:
    """An accented passphrase typed composed or decomposed opens the same slot."""
    data_key = new_data_key()
    wrapped = wrap_data_key(data_key, "caf\u00e9 lekker baie", TEST_KDF, "s")
    assert unwrap_data_key(wrapped, "cafe\u0301 lekker baie", TEST_KDF, "s") == data_key


def test_kdf_parameters_survive_json() -> None:
    """Slot parameters are stored as JSON and read back unchanged."""
    params = KdfParams(salt=b"\x01" * 16, iterations=4, memory_kib=65536, lanes=1)
    assert KdfParams.from_json(params.to_json()) == params


def test_device_fingerprint_is_short_groups_and_stable() -> None:
    """Five groups of four characters, the same for the same keys."""
    keys = DeviceKeys.generate()
    first = fingerprint(keys.ed25519_public, keys.x25519_public)
    assert first == fingerprint(keys.ed25519_public, keys.x25519_public)
    groups = first.split("-")
    assert len(groups) == 5 and all(len(g) == 4 for g in groups)
    other = DeviceKeys.generate()
    assert fingerprint(other.ed25519_public, other.x25519_public) != first


def test_device_signature_verifies_with_the_pem_public_key() -> None:
    """The PEM export is the key that verifies this laptop's signatures."""
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    keys = DeviceKeys.generate()
    public = load_pem_public_key(public_pem(keys.ed25519_public).encode())
    public.verify(keys.sign(b"manifest"), b"manifest")  # type: ignore[union-attr]


def test_recovery_key_is_six_groups_from_an_unambiguous_alphabet() -> None:
    """No I, L, O or U: handwriting cannot be misread."""
    key = new_recovery_key()
    groups = key.split("-")
    assert [len(g) for g in groups] == [5] * 6
    assert set("".join(groups)) <= set(ALPHABET)


@settings(derandomize=True, max_examples=100)
@given(st.text(alphabet=ALPHABET, min_size=30, max_size=30), st.sampled_from([" ", "-", "  ", ""]))
def test_recovery_key_typed_loosely_normalises_to_the_same(raw: str, sep: str) -> None:
    """Lower case, spaces, dashes and O/I/L for 0/1 are forgiven."""
    loose = sep.join(raw[i : i + 5] for i in range(0, 30, 5)).lower()
    loose = loose.replace("0", "o").replace("1", "l")
    assert normalise_recovery_key(loose) == raw


def test_open_many_opens_what_open_opens_and_names_a_damaged_row() -> None:
    sealer = RowSealer(new_data_key())
    ids = [f"{n:032x}" for n in range(3)]
    sealed = [sealer.seal("t", row_id, f"text {row_id}".encode()) for row_id in ids]
    assert sealer.open_many("t", ids, sealed) == [
        sealer.open("t", i, s) for i, s in zip(ids, sealed, strict=True)
    ]
    swapped = [sealed[1], sealed[0], sealed[2]]  # moved to another row: does not open
    with pytest.raises(SealError, match=ids[0]):
        sealer.open_many("t", ids, swapped)
    with pytest.raises(SealError, match="not a sealed value"):
        sealer.open_many("t", ids, [b"", *sealed[1:]])
