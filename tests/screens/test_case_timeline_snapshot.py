"""How a case looks at 80×24 with two rounds behind it: the timeline, the actions (one overdue
on the fixed clock's 2026-11-02), the plan form and the status form."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from cwtt_tui.models import ActionDetails
from cwtt_tui.store.store import unlock_store
from tests.cwtt_tui.rounds_world import PASSPHRASE, ROUND_2, build, clock

CHILD = "Dlamini"  # H-LLLM in round 1, LMLLLH in round 2: better, unknown and worse


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, str]:
    """The two-round store, with two actions for the child in round 2; (path, child id)."""
    path = tmp_path / "rounds.db"
    child_id = build(path)[CHILD]
    with unlock_store(path, PASSPHRASE, clock=clock) as store:
        round_id = next(r.id for r in store.rounds.list() if r.name == ROUND_2)
        late = ActionDetails("Refer to the School-Based Support Team", "Mrs Khoza", "School",
                             "2026-11-01")  # fmt: skip
        store.actions.plan(child_id, round_id, "psychosocial", late)
        meal = ActionDetails("School meal every day", "Mr Zulu", "School", "2026-11-30")
        action = store.actions.plan(child_id, round_id, "nutrition", meal)
        store.actions.set_status(action.id, "referred", "Food handlers told")
    return path, child_id


async def steady(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish, drop toasts and stop cursors blinking, so every run looks the same."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.clear_notifications()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def to_case(child_id: str, *keys: str):  # type: ignore[no-untyped-def]
    """Unlock, open the board, move to the child, Enter, then press `keys`."""

    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*PASSPHRASE, "enter")
        await steady(pilot)
        await pilot.press("4")
        await steady(pilot)
        table = pilot.app.screen.query_one("#board-table")
        index = next(i for i in table.shown if table.rows[i].child_id == child_id)
        table.cursor = table.shown.index(index)
        await pilot.press("enter")
        await steady(pilot)
        for key in keys:
            await pilot.press(key)
            await steady(pilot)

    return run


class TestCaseTimeline:
    def test_two_rounds_at_the_top(self, snap_compare, world, make_app) -> None:
        """Levels per domain in R1 and R2 with the change in symbol and word; actions counted."""
        path, child_id = world
        assert snap_compare(make_app(path), run_before=to_case(child_id))

    def test_actions_list_with_overdue(self, snap_compare, world, make_app) -> None:
        """U moves to the actions: OVERDUE in words beside the due date; suggestions below."""
        path, child_id = world
        assert snap_compare(make_app(path), run_before=to_case(child_id, "u"))


class TestCaseForms:
    def test_plan_form(self, snap_compare, world, make_app) -> None:
        """A: suggestions numbered, HIGH first; the first one's text, department and due date."""
        path, child_id = world
        assert snap_compare(make_app(path), run_before=to_case(child_id, "a"))

    def test_status_form(self, snap_compare, world, make_app) -> None:
        """U twice: the overdue action's next statuses, numbered, and its history."""
        path, child_id = world
        assert snap_compare(make_app(path), run_before=to_case(child_id, "u", "u"))
