"""Unlocking by keyboard: wrong passphrase, growing wait, recovery key and a new passphrase."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from cwtt_tui.store.peek import DEMO_PASSPHRASE
from cwtt_tui.store.store import unlock_store
from screens.home import HomeScreen
from screens.recovery_reset import RecoveryResetScreen
from screens.unlock import UnlockScreen, wait_after


async def test_wrong_passphrase_then_right_one_reaches_home(demo_path: Path, make_app) -> None:
    """A wrong passphrase is named plainly; the right one opens the home screen."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*"not it", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        message = app.screen.query_one("#unlock-message", Static)
        assert "That passphrase is not right" in str(message.render())
        await pilot.press(*DEMO_PASSPHRASE, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.store is not None and app.store.user is not None


async def test_after_three_wrong_tries_the_field_waits(demo_path: Path, make_app) -> None:
    """The fourth try must wait: the field is disabled and the wait is shown."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        for _ in range(3):
            await pilot.press(*"wrong", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        field = app.screen.query_one(Input)
        assert field.disabled
        assert "Wait 2 s" in str(app.screen.query_one("#unlock-message", Static).render())


def test_the_wait_grows_and_is_capped() -> None:
    """No wait for three tries, then 2, 4, 8 … seconds, never more than a minute."""
    assert [wait_after(n) for n in range(1, 8)] == [0, 0, 2, 4, 8, 16, 32]
    assert wait_after(30) == 60


async def test_recovery_key_unlocks_and_sets_a_new_passphrase(tmp_path: Path, make_app) -> None:
    """F2, the recovery key, a user and a new passphrase: the new one then opens the store."""
    from cwtt_tui.crypto.kdf import TEST_KDF
    from cwtt_tui.store.store import create_store

    path = tmp_path / "s.db"
    store, recovery_key = create_store(
        path, school_emis="500123456", school_name="Kgotso Primary", laptop_name="Laptop B",
        user_name="Lerato", role="team_lead", passphrase="forgotten long passphrase", kdf=TEST_KDF,
    )  # fmt: skip
    store.close()
    app = make_app(path)
    async with app.run_test() as pilot:
        await pilot.press("f2", *recovery_key.replace("-", " ").lower(), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, RecoveryResetScreen)
        await pilot.press("enter")  # the only user, highlighted
        await pilot.press(*"brand new long passphrase", "enter")
        await pilot.press(*"brand new long passphrase", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+q", "ctrl+n")
    unlock_store(path, "brand new long passphrase").close()
