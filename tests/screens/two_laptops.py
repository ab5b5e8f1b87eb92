"""Two laptops for the exchange screens: A (team lead, five demo children) and C (coordinator)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cwtt_tui.crypto.kdf import TEST_KDF
from cwtt_tui.demo import fill_demo
from cwtt_tui.peers import enrol_peer, write_key_file
from cwtt_tui.store.store import Store, create_store, unlock_store
from screens import export_bundle, import_bundle, peers

PASSPHRASE = "two laptops share bundles"


def fixed_clock() -> datetime:
    return datetime(2026, 11, 2, 9, 30, tzinfo=UTC)  # the app's clock in these tests, too


@dataclass(frozen=True)
class Laptops:
    a: Path
    c: Path
    usb: Path  # stands in for a USB stick: the screens find it as the only removable drive
    keys: Path

    def open(self, which: str) -> Store:
        return unlock_store(getattr(self, which), PASSPHRASE, clock=fixed_clock)


def make_laptops(tmp_path: Path, *, enrol: bool = True) -> Laptops:
    """A and C with each other's key files on the stick; enrolled both ways unless told not."""
    paths = {}
    for name, laptop, user, role in (
        ("a", "Laptop A", "Nomsa Dlamini", "team_lead"),
        ("c", "Coordinator", "Thabo Nkosi", "coordinator"),
    ):
        paths[name] = tmp_path / f"{name}.db"
        store, _ = create_store(
            paths[name], school_emis="500123456", school_name="Thembeka Primary",
            laptop_name=laptop, user_name=user, role=role, passphrase=PASSPHRASE, kdf=TEST_KDF,
            clock=fixed_clock,
        )  # fmt: skip
        with store:
            if name == "a":
                fill_demo(store, children=5, seed=3)
    usb = tmp_path / "usb"
    usb.mkdir()
    laptops = Laptops(paths["a"], paths["c"], usb, usb)
    key_a = write_key_file(laptops.a, usb)[1]
    key_c = write_key_file(laptops.c, usb)[1]
    if enrol:
        with laptops.open("a") as a:
            enrol_peer(a, key_c)
        with laptops.open("c") as c:
            enrol_peer(c, key_a)
    return laptops


def stick_only(laptops: Laptops, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Laptops:
    """The screens see only the stick as a removable drive, and a fixed Documents folder."""
    documents = tmp_path / "Documents"
    documents.mkdir(exist_ok=True)
    for module in (export_bundle, import_bundle, peers):
        monkeypatch.setattr(module, "removable_drives", lambda: [laptops.usb])
        monkeypatch.setattr(module, "default_folder", lambda: documents)
    return laptops


async def unlock(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*PASSPHRASE, "enter")
    await settle(pilot)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    """The plain text a Static shows."""
    return str(screen.query_one(selector).render())


async def steady(pilot) -> None:  # type: ignore[no-untyped-def]
    """Workers done, no toasts, no blinking cursor: the same picture every run."""
    from textual.widgets import Input

    await settle(pilot)
    pilot.app.clear_notifications()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()
