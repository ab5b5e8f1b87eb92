"""The rounds screen by keyboard: open a round, close one, and plain refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from screens.confirm import ConfirmScreen
from screens.rounds import RoundsScreen
from tests.cwtt_tui.rounds_world import PASSPHRASE, PRACTITIONER_PASSPHRASE, build


@pytest.fixture
def world(tmp_path: Path) -> Path:
    path = tmp_path / "rounds.db"
    build(path)
    return path


async def open_rounds(app, pilot, passphrase: str = PASSPHRASE) -> RoundsScreen:  # type: ignore[no-untyped-def]
    """Unlock, then Reports (7) and Rounds (3)."""
    await pilot.press(*passphrase, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("7", "3")
    await pilot.pause()
    assert isinstance(app.screen, RoundsScreen)
    return app.screen


def said(screen: RoundsScreen) -> str:
    return str(screen.query_one("#rounds-message", Static).render())


async def test_a_team_lead_opens_a_round(world: Path, make_app) -> None:
    """N, a name, Enter, the first day (today unless typed), Enter: round 3 is open and new
    interviews go to it."""
    app = make_app(world)
    async with app.run_test() as pilot:
        screen = await open_rounds(app, pilot)
        listing = screen.query_one("#rounds-list", OptionList)
        assert str(listing.get_option_at_index(0).prompt).startswith("  1  Baseline 2026")
        await pilot.press("n", *"Follow-up 2027-T1", "enter", "enter")
        rounds = app.store.rounds.list()
        assert [(r.number, r.name, r.starts_on) for r in rounds][-1] == (
            3, "Follow-up 2027-T1", "2026-11-02",
        )  # fmt: skip
        assert "Opened round 3 (Follow-up 2027-T1); new interviews go to it." in said(screen)
        current = str(screen.query_one("#rounds-current", Static).render())
        assert current == "New interviews go to round 3 (Follow-up 2027-T1)."
        assert not screen.query_one("#rounds-form").display


async def test_a_name_already_used_is_refused_in_plain_words(world: Path, make_app) -> None:
    """The service's sentence is shown and the form stays for another name."""
    app = make_app(world)
    async with app.run_test() as pilot:
        screen = await open_rounds(app, pilot)
        await pilot.press("n", *"baseline 2026", "enter", "enter")
        assert "There is already a round called 'Baseline 2026' (round 1)" in said(screen)
        assert screen.query_one("#rounds-form").display
        assert len(app.store.rounds.list()) == 2


async def test_c_closes_the_highlighted_round_after_yes(world: Path, make_app) -> None:
    """C asks first; Y closes round 2, and new interviews go to round 1 (still open)."""
    app = make_app(world)
    async with app.run_test() as pilot:
        screen = await open_rounds(app, pilot)
        await pilot.press("c")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert app.store.rounds.list()[1].status == "closed"
        assert "Closed round 2 (Follow-up 2026-T3)." in said(screen)
        current = str(screen.query_one("#rounds-current", Static).render())
        assert current == "New interviews go to round 1 (Baseline 2026)."


async def test_a_practitioner_may_neither_open_nor_close_a_round(world: Path, make_app) -> None:
    """Thabo sees the rounds but N and C say plainly who may; nothing changes."""
    app = make_app(world)
    async with app.run_test() as pilot:
        screen = await open_rounds(app, pilot, PRACTITIONER_PASSPHRASE)
        await pilot.press("n")
        assert said(screen) == "Only a team lead or coordinator may open a round."
        assert not screen.query_one("#rounds-form").display
        await pilot.press("c")
        assert said(screen) == "Only a team lead or coordinator may close a round."
        assert isinstance(app.screen, RoundsScreen)
        assert [r.status for r in app.store.rounds.list()] == ["open", "open"]
