"""Shared fixtures for core tests: an isolated environment and a ready-made store."""

from __future__ import annotations

from pathlib import Path

import pytest

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def cwtt_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap key derivation, data and config folders in tmp_path, no secrets from the caller."""
    monkeypatch.setenv("CWTT_TEST_KDF", "1")
    monkeypatch.setenv("CWTT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CWTT_CONFIG_DIR", str(tmp_path / "config"))
    for name in ("CWTT_STORE", "CWTT_PASSPHRASE", "CWTT_NEW_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where a test's store goes (nothing is there yet)."""
    return tmp_path / "stores" / "cwtt-store.db"


@pytest.fixture
def made_store(store_path: Path) -> tuple[Path, str, str]:
    """A closed store made with test KDF parameters: (path, passphrase, recovery key)."""
    from cwtt_tui.crypto.kdf import TEST_KDF
    from cwtt_tui.store.store import create_store

    store, recovery_key = create_store(
        store_path,
        school_emis="500123456",
        school_name="Thembeka Primary",
        laptop_name="Laptop A",
        user_name="Nomsa Dlamini",
        role="team_lead",
        passphrase=PASSPHRASE,
        kdf=TEST_KDF,
    )
    store.close()
    return store_path, PASSPHRASE, recovery_key
