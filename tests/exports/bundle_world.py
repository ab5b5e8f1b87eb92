"""Two school laptops and a coordinator, all enrolled with each other, for bundle tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from cwtt_tui.__main__ import main
from cwtt_tui.crypto.kdf import TEST_KDF
from cwtt_tui.demo import fill_demo
from cwtt_tui.store.store import create_store, unlock_store

PASS = "exchange pass phrase"


def make_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Laptop A and B (one school, demo children each) and a coordinator C, all enrolled."""
    monkeypatch.setenv("CWTT_PASSPHRASE", PASS)
    monkeypatch.setenv("CWTT_TEST_KDF", "1")
    monkeypatch.setenv("CWTT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CWTT_CONFIG_DIR", str(tmp_path / "config"))
    stores = {}
    for name, role, children in (
        ("A", "team_lead", 6),
        ("B", "team_lead", 4),
        ("C", "coordinator", 0),
    ):
        path = tmp_path / f"{name}.db"
        store, _ = create_store(
            path, school_emis="500123456" if name != "C" else "999000111",
            school_name="Thembeka Primary" if name != "C" else "District office",
            laptop_name=f"Laptop {name}", user_name=f"User {name}", role=role, passphrase=PASS,
            kdf=TEST_KDF,
        )  # fmt: skip
        if children:
            fill_demo(store, children=children, seed=ord(name))
        store.close()
        stores[name] = path
    keys = tmp_path / "keys"
    keys.mkdir()
    for name, path in stores.items():
        assert main(["keys", "--store", str(path), "--out", str(keys / f"{name}.json")]) == 0
    for a, b in (("A", "C"), ("B", "C"), ("C", "A"), ("C", "B"), ("A", "B"), ("B", "A")):
        assert main(["peers", "add", str(keys / f"{b}.json"), "--store", str(stores[a])]) == 0
    out = tmp_path / "usb"
    out.mkdir()
    stores["usb"] = out
    return stores


def children_of(path: Path) -> set[str]:
    with unlock_store(path, PASS) as store:
        return {c.id for c in store.children.list()}


def export(world: dict[str, Path], source: str, to: str, *extra: str) -> list[Path]:
    before = set(world["usb"].iterdir())
    code = main(["export", "--to", f"Laptop {to}", "--out", str(world["usb"]),
                 "--store", str(world[source]), *extra])  # fmt: skip
    assert code == 0
    return sorted(set(world["usb"].iterdir()) - before)
