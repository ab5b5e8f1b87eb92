"""Needs versus services at 80×24: the table and bars, school and round keys, CSV export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from screens.needs import NeedsScreen
from tests.cwtt_tui.rounds_world import PASSPHRASE, build


@pytest.fixture
def world(tmp_path: Path) -> Path:
    path = tmp_path / "rounds.db"
    build(path)
    return path


async def to_needs(pilot) -> None:  # type: ignore[no-untyped-def]
    """Unlock, then Reports (7) and Needs versus services (2); no blinking cursor."""
    app = pilot.app
    await pilot.press(*PASSPHRASE, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("7", "2")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, NeedsScreen)


def text(app, widget_id: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(widget_id, Static).render())


class TestNeeds:
    def test_baseline_against_the_follow_up(self, snap_compare, world: Path, make_app) -> None:
        """Round 1, all schools: HIGH, with an action, the gap, done, improved by round 2; bars."""

        async def baseline(pilot) -> None:  # type: ignore[no-untyped-def]
            await to_needs(pilot)
            await pilot.press("r")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            pilot.app.clear_notifications()

        assert snap_compare(make_app(world), run_before=baseline)


async def test_s_and_r_change_the_school_and_the_round(world: Path, make_app) -> None:
    """The latest round first, all schools; S goes school by school; R to the baseline."""
    app = make_app(world)
    async with app.run_test() as pilot:
        await to_needs(pilot)
        assert text(app, "#needs-title") == "Follow-up 2026-T3 (round 2) · All schools"
        assert "latest round" in text(app, "#needs-note")
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert text(app, "#needs-title") == "Follow-up 2026-T3 (round 2) · Kgotso"
        await pilot.press("s", "s", "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert text(app, "#needs-title") == "Baseline 2026 (round 1) · All schools"
        table = text(app, "#needs-table").splitlines()
        assert table[1].split() == ["Health", "4", "1", "2", "2", "2", "3", "2"]
        assert "Health" in text(app, "#needs-bars") and "2 of 4" in text(app, "#needs-bars")


async def test_e_exports_the_table_as_csv_and_logs_it(
    world: Path, make_app, tmp_path: Path
) -> None:
    """E, a folder, Enter: a dated CSV file with the total row; the export is audit-logged."""
    app = make_app(world)
    async with app.run_test() as pilot:
        await to_needs(pilot)
        await pilot.press("e")
        box = app.screen.query_one("#needs-folder", Input)
        assert box.has_focus
        await pilot.press("ctrl+u", *str(tmp_path / "out"), "enter")
        written = tmp_path / "out" / "cwtt-needs-round2-all-schools-2026-11-02.csv"
        assert text(app, "#needs-message") == f"Wrote {written}"
        logged = [e for e in app.store.audit.entries() if e.action == "needs.export"]
        assert logged and logged[0].detail == {"format": "csv", "school": "all", "to": "file"}
    rows = list(csv.reader(io.StringIO(written.read_text("utf-8-sig"))))
    assert rows[0][:3] == ["domain", "high", "medium"]
    assert rows[-1][0] == "total"
