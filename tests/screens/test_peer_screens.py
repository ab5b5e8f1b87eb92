"""Trusted laptops by keyboard: add with the fingerprint check, revoke, write the key file."""

from __future__ import annotations

from pathlib import Path

import pytest
from two_laptops import Laptops, make_laptops, settle, stick_only, text, unlock

from screens.confirm import ConfirmScreen
from screens.export_bundle import ExportScreen
from screens.peers import PeersScreen
from screens.widgets.fingerprint import FingerprintBox, spaced


@pytest.fixture
def strangers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Laptops:
    """A and C with their key files on the stick, not yet trusting each other."""
    return stick_only(make_laptops(tmp_path, enrol=False), tmp_path, monkeypatch)


def fingerprints(laptops: Laptops) -> tuple[str, str]:
    with laptops.open("a") as a, laptops.open("c") as c:
        return a.devices.local().fingerprint, c.devices.local().fingerprint


async def open_peers_from_export(pilot) -> PeersScreen:  # type: ignore[no-untyped-def]
    await unlock(pilot)
    await pilot.press("5")
    screen = pilot.app.screen
    assert isinstance(screen, ExportScreen)
    assert "No other laptop is trusted yet" in text(screen, "#export-no-peers")
    await pilot.press("p")
    assert isinstance(pilot.app.screen, PeersScreen)
    return pilot.app.screen


async def test_add_check_both_fingerprints_then_revoke(strangers: Laptops, make_app) -> None:
    """A fills in the stick's key file; both fingerprints are shown; Y trusts; V Y revokes."""
    mine, theirs = fingerprints(strangers)
    app = make_app(strangers.a)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_peers_from_export(pilot)
        assert text(screen, "#peers-local") == spaced(mine)
        await pilot.press("a")
        field = screen.query_one("#peers-input")
        assert field.value == str(strangers.usb / "cwtt-keys-Coordinator.json")
        await pilot.press("enter")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        shown = [str(box.render()) for box in question.query(FingerprintBox)]
        assert shown == [spaced(theirs), spaced(mine)]
        assert "they must match exactly" in text(question, "#confirm-detail")
        await pilot.press("escape")  # the question must be answered
        assert app.screen is question
        await pilot.press("y")
        assert app.screen is screen
        assert text(screen, "#peers-message").startswith("Coordinator is trusted.")
        await pilot.press("v")
        assert "Stop trusting Coordinator?" in text(app.screen, "#confirm-question")
        await pilot.press("y")
        await settle(pilot)
        assert "no longer trusted" in text(screen, "#peers-message")
        listing = screen.query_one("#peers-list")
        assert "REVOKED" in str(listing.get_option_at_index(0).prompt)
        [peer] = [d for d in app.store.devices.list(include_revoked=True) if not d.is_local]
        assert (peer.name, peer.fingerprint, peer.revoked) == ("Coordinator", theirs, True)
        await pilot.press("escape")
        assert isinstance(app.screen, ExportScreen)
        app.store.close()


async def test_fingerprints_that_do_not_match_revoke_at_once(strangers: Laptops, make_app) -> None:
    """N on the fingerprint question: the laptop is not trusted."""
    app = make_app(strangers.a)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_peers_from_export(pilot)
        await pilot.press("a", "enter", "n")
        assert "the fingerprints did not match" in text(screen, "#peers-message")
        [peer] = [d for d in app.store.devices.list(include_revoked=True) if not d.is_local]
        assert peer.revoked
        app.store.close()


async def test_write_key_file_and_a_practitioner_sees_only_the_list(
    strangers: Laptops, make_app
) -> None:
    """W writes the key file onto the stick; a practitioner has no A, R or V."""
    with strangers.open("a") as a:
        a.users.add("Sipho Mthembu", "practitioner", "sipho reads long stories")
    (strangers.usb / "cwtt-keys-Laptop-A.json").unlink()
    app = make_app(strangers.a)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"sipho reads long stories", "enter")
        await settle(pilot)
        app.open_choice("peers")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PeersScreen)
        assert screen.query_one("#peers-note").display
        await pilot.press("a")
        assert screen.query_one("#peers-form").has_class("-hidden")
        await pilot.press("w", "enter")
        written = strangers.usb / "cwtt-keys-Laptop-A.json"
        assert text(screen, "#peers-message").startswith(f"Key file written to {written}.")
        assert written.is_file()
        app.store.close()


async def test_the_command_palette_opens_trusted_laptops_and_review(
    strangers: Laptops, make_app
) -> None:
    """Ctrl+P, a few letters, Enter: the screens are one search away from anywhere."""
    from screens.conflicts import ConflictsScreen

    app = make_app(strangers.c)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        for words, wanted in (("Trusted laptops", PeersScreen), ("Needs review", ConflictsScreen)):
            await pilot.press("ctrl+p", *words)
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, wanted)
            await pilot.press("escape")
        assert text(app.screen, "#home-status").startswith("Thabo Nkosi")
        app.store.close()
