"""The first-run wizard, driven by keys only: school, laptop, user, passphrase, recovery key."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from cwtt_tui.store.peek import peek_store
from cwtt_tui.store.store import unlock_store
from screens.home import HomeScreen
from screens.setup_wizard import SetupScreen

PASSPHRASE = "sunrise over the drakensberg"


def message(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#setup-message", Static).render())


async def fill_to_passphrase(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*"500123456", "enter", *"Thembeka Primary", "enter")
    await pilot.press(*"Laptop A", "enter")
    await pilot.press(*"Nomsa Dlamini", "enter", "2")


async def test_setup_makes_a_store_and_checks_the_recovery_key(tmp_path: Path, make_app) -> None:
    """Every step by keyboard; the recovery key must be typed back before the home screen."""
    path = tmp_path / "new.db"
    app = make_app(path)
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        await fill_to_passphrase(pilot)
        assert screen.step == "passphrase"
        await pilot.press(*PASSPHRASE, "enter", *PASSPHRASE, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.step == "recovery"
        key = screen._recovery_key
        shown = str(screen.query_one("#recovery-key", Static).render())
        assert all(group in shown for group in key.split("-"))
        await pilot.press("enter")
        assert screen.step == "confirm"
        a, b = screen._asked_groups
        groups = key.split("-")
        await pilot.press(*"WRONG", "enter", *"WRONG", "enter")
        assert "does not match" in message(app)
        await pilot.press(*groups[a].lower(), "enter", *groups[b], "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.store is not None and app.store.user.role == "team_lead"  # type: ignore[union-attr]
        app.store.close()
    info = peek_store(path)
    assert info.laptop_name == "Laptop A"
    with unlock_store(path, key, recovery=True) as store:
        assert [s.emis for s in store.schools.list()] == ["500123456"]


async def test_setup_refuses_bad_input_in_plain_words(tmp_path: Path, make_app) -> None:
    """Short EMIS, weak passphrase and mismatched passphrases each say what to do."""
    app = make_app(tmp_path / "new.db")
    async with app.run_test() as pilot:
        await pilot.press(*"123", "enter", *"School", "enter")
        assert "6 to 12 digits" in message(app)
        await pilot.press("backspace", "backspace", "backspace", *"500123456", "enter", "enter")
        await pilot.press(*"Laptop A", "enter", *"Nomsa", "enter", "1")
        assert app.screen.step == "passphrase"
        await pilot.press(*"short", "enter")
        assert "too weak" in message(app)
        await pilot.press(*"er and longer words", "enter", *"something else entirely", "enter")
        assert "not the same" in message(app)
        await pilot.press("escape")
        assert app.screen.step == "user"
    assert not (tmp_path / "new.db").exists()
