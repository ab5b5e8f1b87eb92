"""The risk board by keyboard: filters on single keys, search, and a child's case."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from cwtt_tui.store.peek import DEMO_PASSPHRASE
from screens.board import BoardScreen
from screens.case import CaseScreen
from screens.widgets.risk_table import RiskTable


async def open_board(app, pilot) -> RiskTable:  # type: ignore[no-untyped-def]
    await pilot.press(*DEMO_PASSPHRASE, "enter")
    await app.workers.wait_for_complete()
    await pilot.press("4")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, BoardScreen)
    return app.screen.query_one(RiskTable)


async def test_board_filters_by_keys_and_opens_a_case(demo_path: Path, make_app) -> None:
    """D and L narrow to protection HIGH; Enter opens that child's case with its reasons."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        table = await open_board(app, pilot)
        total = len(table.shown)
        assert total == 30
        highs = [r.highs for r in (table.rows[i] for i in table.shown)]
        assert highs == sorted(highs, reverse=True)
        await pilot.press("d", "d", "d", "d", "l")  # protection, then HIGH
        status = str(app.screen.query_one("#board-status", Static).render())
        assert "protection: high" in status
        assert all(table.rows[i].levels[3] == "H" for i in table.shown)
        await pilot.press("x")
        assert len(table.shown) == total
        first = table.highlighted
        await pilot.press("enter")
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.child.id == first.child_id
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)


async def test_search_box_narrows_by_name(demo_path: Path, make_app) -> None:
    """/ opens the search; typing a surname keeps only matching children."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        table = await open_board(app, pilot)
        surname = table.rows[0].name.split(",")[0]
        await pilot.press("slash", *surname.lower(), "enter")
        assert table.shown and all(surname in table.rows[i].name for i in table.shown)
