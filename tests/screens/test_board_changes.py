"""The board's change view (V) since the previous round, the round switch (R), and the Late
column, on the hand-made store of tests/cwtt_tui/rounds_world.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from screens.board import BoardScreen
from screens.widgets.risk_table import RiskTable
from tests.cwtt_tui.rounds_world import PASSPHRASE, build
from tests.screens.meeting_world import build_meeting_world

# Round 1 → round 2 (rounds_world.py), in DOMAINS order.
EXPECTED = {
    "Ayanda": ["M↓better", "H=same", "L=same", "L=same", "L=same", "L=same"],  # HHLLLL → MHLLLL
    "Cele": ["H↑worse", "L=same", "L=same", "L=same", "L=same", "L=same"],  # LLLLLL → HLLLLL
    "Dlamini": ["L↓better", "M—", "L=same", "L=same", "L=same", "H↑worse"],  # H-LLLM → LMLLLH
    "Nkosi": ["-—", "L=same", "L=same", "L=same", "L=same", "L=same"],  # HLLLLL → -LLLLL
    "Mokoena": ["L—", "L—", "H—", "L—", "L—", "L—"],  # not scored in round 1
}


async def open_board(app, pilot) -> RiskTable:  # type: ignore[no-untyped-def]
    await pilot.press(*PASSPHRASE, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("4")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, BoardScreen)
    return app.screen.query_one(RiskTable)


def row_of(table: RiskTable, first_name: str) -> int:
    return next(i for i, r in enumerate(table.rows) if r.name.endswith(f", {first_name}"))


def status(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#board-status", Static).render())


@pytest.fixture
def world(tmp_path: Path) -> Path:
    path = tmp_path / "rounds.db"
    build(path)
    return path


async def test_v_shows_each_domains_change_with_symbol_and_word(world: Path, make_app) -> None:
    """Round 2 against round 1: every cell has the level, ↑ ↓ = or —, and the word."""
    app = make_app(world)
    async with app.run_test() as pilot:
        table = await open_board(app, pilot)
        assert table.cells(row_of(table, "Ayanda"))[0] == "MED"
        await pilot.press("v")
        assert table.change_view
        for name, cells in EXPECTED.items():
            assert table.cells(row_of(table, name)) == cells, name
        assert (
            "Follow-up 2026-T3 since Baseline 2026: ↑ worse ↓ better = same — cannot say\n"
            in status(app)
        )
        cele = table.shown.index(row_of(table, "Cele"))
        table.cursor = cele
        line = table.render_line(cele + 1).text
        assert "Cele, Cele" in line and "H↑worse" in line and "L=same" in line
        assert "HEAL" in table.render_line(0).text
        await pilot.press("v")
        assert not table.change_view


async def test_r_to_the_first_round_leaves_the_change_view(world: Path, make_app) -> None:
    """R goes round 2 → round 1, which has nothing before it: the levels alone, and V says so."""
    app = make_app(world)
    async with app.run_test() as pilot:
        table = await open_board(app, pilot)
        await pilot.press("v", "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert status(app).startswith("Baseline 2026 · all schools")
        assert not table.change_view and table.changes is None
        await pilot.press("v")
        assert not table.change_view
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("v")
        assert table.change_view
        assert table.cells(row_of(table, "Cele"))[0] == "H↑worse"


async def test_late_column_counts_overdue_actions(tmp_path: Path, make_app) -> None:
    """Dlamini and Cele each have one overdue action; the column appears with them."""
    path = tmp_path / "meeting.db"
    build_meeting_world(path)
    app = make_app(path)
    async with app.run_test() as pilot:
        table = await open_board(app, pilot)
        assert table.late is not None
        late = {r.name.split(", ")[1]: table.late[i] for i, r in enumerate(table.rows)}
        assert late == {"Mokoena": 0, "Ayanda": 0, "Botha": 0, "Cele": 1, "Dlamini": 1, "Nkosi": 0}
        assert "#H Late Last" in table.render_line(0).text
