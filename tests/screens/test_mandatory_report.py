"""The mandatory-report panel: opened from a flagged case, it records the report as an action."""

from __future__ import annotations

from pathlib import Path

from cwtt_tui.reporting import report_due
from cwtt_tui.store.peek import DEMO_PASSPHRASE
from cwtt_tui.store.store import unlock_store
from screens.case import CaseScreen
from screens.mandatory_report import MandatoryReportScreen


async def test_report_is_recorded_from_the_case_screen(demo_path: Path, make_app) -> None:
    """Board, protection HIGH, Enter, M: choose Social Development, fill, Ctrl+S records it."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await pilot.press(*DEMO_PASSPHRASE, "enter")
        await app.workers.wait_for_complete()
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#board-table")
        flagged = [table.rows[i] for i in range(len(table.rows)) if table.rows[i].mandatory_report]
        assert flagged, "the demo store has children who need a report"
        index = table.rows.index(flagged[0])
        table.cursor = table.shown.index(index)
        await pilot.press("enter")
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("m")
        panel = app.screen
        assert isinstance(panel, MandatoryReportScreen)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, MandatoryReportScreen), "no recipient chosen: stays open"
        await pilot.press("2", "enter", *"Ms Khumalo", "enter", *"SD-2026-114", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        child_id, round_id = panel.due.child_id, panel.due.round_id
        app.store.close()
    with unlock_store(demo_path, DEMO_PASSPHRASE) as store:
        assert report_due(store, child_id, round_id) is None
        (action,) = [a for a in store.actions.list(child_id=child_id) if a.round_id == round_id]
        assert action.status == "referred" and action.details.department == "Social Development"
        assert "SD-2026-114" in action.details.notes and action.details.responsible == "Ms Khumalo"
        assert "report.made" in [e.action for e in store.audit.entries()]


async def test_a_team_lead_lowers_protection_from_the_case(demo_path: Path, make_app) -> None:
    """O on a protection HIGH: 1 for MEDIUM, a reason, Enter; the case shows who and why."""
    from textual.widgets import Static

    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await pilot.press(*DEMO_PASSPHRASE, "enter")
        await app.workers.wait_for_complete()
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#board-table")
        index = next(i for i in table.shown if table.rows[i].levels[3] == "H")
        table.cursor = table.shown.index(index)
        await pilot.press("enter", "o")
        await pilot.pause()
        await pilot.press("1", *"Visited by the social worker today.", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "Lowered from HIGH by Demo Coordinator" in shown
        assert "Visited by the social worker today." in shown
