"""Managing users from Settings: add with a role and passphrase, remove with a second press."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from cwtt_tui.store.peek import DEMO_PASSPHRASE
from cwtt_tui.store.store import unlock_store
from screens.users import UsersScreen


async def test_add_and_remove_a_user_by_keyboard(demo_path: Path, make_app) -> None:
    """A, name, 2 for team lead, passphrase twice; then R twice removes them."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await pilot.press(*DEMO_PASSPHRASE, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("8", "ctrl+u")
        assert isinstance(app.screen, UsersScreen)
        await pilot.press("a", *"Lerato Mokoena", "enter", "2")
        await pilot.press(*"lerato chooses long words", "enter")
        await pilot.press(*"lerato chooses long words", "enter")
        await pilot.pause()
        message = str(app.screen.query_one("#users-message", Static).render())
        assert message == "Added Lerato Mokoena as Team lead."
        listing = app.screen.query_one("#users-list", OptionList)
        assert listing.option_count == 2
        await pilot.press("down", "r")
        assert "Press R again" in str(app.screen.query_one("#users-message", Static).render())
        await pilot.press("r")
        await pilot.pause()
        assert listing.option_count == 1
        app.store.close()
    with unlock_store(demo_path, DEMO_PASSPHRASE) as store:
        assert [u.name for u in store.users.list()] == ["Demo Coordinator"]
        assert [e.action for e in store.audit.entries()][-3:] == [
            "user.add",
            "user.remove",
            "store.unlock",
        ]
