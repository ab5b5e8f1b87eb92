"""The home screen and what hangs off it: numbers, help, settings, lock, quitting with a backup."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

from textual.widgets import Input, Select, Static

from cwtt_tui.store.peek import DEMO_PASSPHRASE, peek_store
from screens.backup_offer import BackupOfferScreen
from screens.board import BoardScreen
from screens.help import HelpScreen
from screens.home import HomeScreen
from screens.import_bundle import ImportScreen
from screens.lock import LockScreen
from screens.reports import ReportsScreen
from screens.settings import SettingsScreen


async def unlock(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*DEMO_PASSPHRASE, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, HomeScreen)


async def test_number_keys_open_each_choice(demo_path: Path, make_app) -> None:
    """4 opens the board, 8 settings, Escape comes back; arrows reach Import and Reports."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        status = str(app.screen.query_one("#home-status", Static).render())
        assert "Demo Coordinator (Coordinator) · 30 children" in status
        assert "backup: never" in status
        await pilot.press("4")
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("escape", "8")
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape", "down", "down", "right", "enter")
        assert isinstance(app.screen, ImportScreen)
        await pilot.press("escape", "down", "left", "enter")
        assert isinstance(app.screen, ReportsScreen)


async def test_question_mark_shows_this_screens_help_and_keys(demo_path: Path, make_app) -> None:
    """Help names the screen's purpose and its keys; Escape closes it."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys", Static).render())
        assert "Settings" in keys and "Lock" in keys
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_lock_keeps_the_screen_and_forgets_the_keys(demo_path: Path, make_app) -> None:
    """Ctrl+L covers settings; the passphrase brings back the same settings screen."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        await pilot.press("8")
        settings_screen = app.screen
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, LockScreen) and app.store.is_locked
        await pilot.press(*"wrong one", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await pilot.pause(0.05)
        await pilot.press(*DEMO_PASSPHRASE, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is settings_screen and not app.store.is_locked


async def test_idle_time_locks_the_app(demo_path: Path, make_app) -> None:
    """With no key pressed for longer than the setting, the lock screen appears."""
    app = make_app(demo_path, idle_lock_minutes=1)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        app._last_activity = time.monotonic() - 61
        app._check_idle()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen) and app.store.is_locked


async def test_settings_are_saved_as_toml(demo_path: Path, make_app, tmp_path: Path) -> None:
    """Theme, idle minutes and backup folder are written to the settings file."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        await pilot.press("8")
        screen = app.screen
        screen.query_one("#theme", Select).value = "cwtt-high-contrast"
        screen.query_one("#idle", Input).value = "12"
        screen.query_one("#backup-folder", Input).value = str(tmp_path / "usb")
        await pilot.press("ctrl+s")
        assert "Settings saved" in str(screen.query_one("#settings-message", Static).render())
        assert app.theme == "cwtt-high-contrast"
        await pilot.press("ctrl+b")
        await app.workers.wait_for_complete()
    saved = tomllib.loads((tmp_path / "config" / "settings.toml").read_text())
    assert saved["theme"] == "cwtt-high-contrast" and saved["idle_lock_minutes"] == 12
    assert len(list((tmp_path / "usb").glob("cwtt-backup-Demo-laptop-*.db"))) == 1


async def test_quitting_offers_a_backup_and_makes_it(
    demo_path: Path, make_app, tmp_path: Path
) -> None:
    """Ctrl+Q with no recent backup asks for a folder; Enter backs up, then cwtt quits."""
    usb = tmp_path / "usb"
    app = make_app(demo_path, backup_folder=str(usb))
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, BackupOfferScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+q", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 0
    assert len(list(usb.glob("*.db"))) == 1
    assert peek_store(demo_path).last_backup_at == "2026-11-02T09:30:00Z"


async def test_a_crash_shows_no_local_variables(demo_path: Path, make_app) -> None:
    """The crash screen leaves out locals, which may hold a passphrase or a child's name."""
    app = make_app(demo_path)
    async with app.run_test():
        try:
            secret = "-".join(["SENTINEL", "PASSPHRASE"])  # built at run time, not in the source
            raise RuntimeError(f"boom {len(secret)}")
        except RuntimeError:
            app._fatal_error()
        rendered = "".join(
            segment.text for block in app._exit_renderables for segment in block.segments
        )
    assert "RuntimeError" in rendered and "boom 19" in rendered
    assert "SENTINEL-PASSPHRASE" not in rendered
