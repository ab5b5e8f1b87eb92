"""Keystrokes the interview tests share on the demo store: unlock, register Sipho."""

from __future__ import annotations

from cwtt_tui.store.peek import DEMO_PASSPHRASE


async def unlock(app, pilot, passphrase: str = DEMO_PASSPHRASE) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*passphrase, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def register_sipho(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Home choice 1, Ctrl+N, consent and details typed in, Ctrl+S: the respondent screen."""
    await pilot.press("1")
    await app.workers.wait_for_complete()
    await pilot.press("ctrl+n")
    for value in ("y", "mother", "1", "y", "Sipho", "Nkosi", "m", "04/03/2019", "2", "2B"):
        await pilot.press(*value, "enter")
    await pilot.press("ctrl+s")
    await pilot.pause()
