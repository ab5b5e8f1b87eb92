"""Actions on the case screen by keyboard: plan one from a suggestion, follow it to done, and
see what is refused, what is overdue, and what the home screen counts."""

from __future__ import annotations

from pathlib import Path

from textual.content import Content
from textual.widgets import Static

from cwtt_tui.models import ActionDetails
from cwtt_tui.planning import suggestions
from cwtt_tui.store.peek import DEMO_PASSPHRASE
from cwtt_tui.store.store import unlock_store
from screens.action_status import ActionStatusScreen
from screens.board import BoardScreen
from screens.case import CaseScreen
from screens.home import HomeScreen
from screens.plan_action import PlanActionScreen
from screens.widgets.action_list import ActionList

PRACTITIONER = "quiet garden blue kettle"


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()


async def to_board(app, pilot, passphrase: str = DEMO_PASSPHRASE):  # type: ignore[no-untyped-def]
    await pilot.press(*passphrase, "enter")
    await settle(app, pilot)
    await pilot.press("4")
    await settle(app, pilot)
    assert isinstance(app.screen, BoardScreen)
    return app.screen.query_one("#board-table")


async def open_case(app, pilot, child_id: str) -> CaseScreen:  # type: ignore[no-untyped-def]
    """Move the board's cursor to the child and press Enter."""
    table = app.screen.query_one("#board-table")
    index = next(i for i in table.shown if table.rows[i].child_id == child_id)
    table.cursor = table.shown.index(index)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, CaseScreen)
    return app.screen


def texts(screen) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(w.render()) for w in screen.query(Static))


def prompts(case: CaseScreen) -> list[str]:
    listed = case.query_one(ActionList)
    options = (listed.get_option_at_index(i) for i in range(listed.option_count))
    return [Content.from_markup(str(option.prompt)).plain for option in options]


def plan_by_hand(path: Path, *, due_on: str, practitioner: bool = False) -> tuple[str, str]:
    """Plan an action for the first child with a HIGH flag; return (child id, action id)."""
    with unlock_store(path, DEMO_PASSPHRASE) as store:
        round_id = store.rounds.current().id
        line = next(s for s in store.assessments.summaries(round_id) if "H" in s.levels)
        details = ActionDetails("Visit the family", "Ms Dube", "Social Development", due_on)
        action = store.actions.plan(line.child_id, round_id, "protection", details)
        if practitioner:
            store.users.add("Thabo", "practitioner", PRACTITIONER)
        return line.child_id, action.id


async def test_plan_an_action_and_follow_it_to_done(demo_path: Path, make_app) -> None:
    """Board, Enter, A, 1, responsible, department, due, notes; U three times to done."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        table = await to_board(app, pilot)
        round_id = app.screen.round.id
        child_id = next(
            row.child_id
            for row in (table.rows[i] for i in table.shown)
            if "H" in row.levels
            and not suggestions(app.store, row.child_id, round_id)[0].mandatory_report
        )
        first = suggestions(app.store, child_id, round_id)[0]
        case = await open_case(app, pilot, child_id)
        assert "none planned yet" in texts(case)
        await pilot.press("a")
        assert isinstance(app.screen, PlanActionScreen)
        await pilot.press("1", *"Ms Dube", "enter")  # the first suggestion, then who
        await pilot.press("enter", "end", "enter")  # department: the list's last, School
        await pilot.press(*"2026-11-20", "enter", *"Letter given to the mother", "enter")
        await settle(app, pilot)
        assert app.screen is case
        (action,) = [a for a in app.store.actions.list(child_id=child_id)]
        assert action.suggestion_id == first.id and action.status == "planned"
        details = action.details
        assert (details.responsible, details.department) == ("Ms Dube", "School")
        assert (details.due_on, details.notes) == ("2026-11-20", "Letter given to the mother")
        assert first.title.get() in prompts(case)[0] and "PLANNED" in prompts(case)[0]
        assert app.focused is case.query_one(ActionList)

        for number, status in (("1", "referred"), ("1", "in_progress")):
            await pilot.press("u")
            assert isinstance(app.screen, ActionStatusScreen)
            await pilot.press(number, "enter")
            await settle(app, pilot)
            assert app.screen is case
            assert app.store.actions.get(action.id).status == status

        await pilot.press("u", "1", "enter")  # done, but no outcome written
        assert isinstance(app.screen, ActionStatusScreen)
        assert "Write what happened (the outcome)" in texts(app.screen)
        assert app.store.actions.get(action.id).status == "in_progress"
        await pilot.press(*"Seen by the nurse; glasses ordered", "enter")
        await settle(app, pilot)
        assert app.screen is case
        assert "DONE" in prompts(case)[0] and "OVERDUE" not in prompts(case)[0]

        await pilot.press("u")  # the finished action shows its history, dated and attributed
        shown = texts(app.screen)
        assert "PLANNED → REFERRED" in shown and "IN PROGRESS → DONE" in shown
        assert "Demo Coordinator" in shown and "Seen by the nurse; glasses ordered" in shown
        await pilot.press("escape")
        assert app.screen is case
        app.store.close()
    with unlock_store(demo_path, DEMO_PASSPHRASE) as store:
        done = store.actions.get(action.id)
        assert done.status == "done"
        assert [(s.from_status, s.to) for s in done.history] == [
            ("planned", "referred"),
            ("referred", "in_progress"),
            ("in_progress", "done"),
        ]
        assert {s.by_name for s in done.history} == {"Demo Coordinator"}
        assert done.history[-1].note == "Seen by the nurse; glasses ordered"


async def test_refused_changes_say_why_and_change_nothing(demo_path: Path, make_app) -> None:
    """A practitioner may not plan or decline; done needs an outcome; nothing is saved."""
    child_id, action_id = plan_by_hand(demo_path, due_on="2026-11-20", practitioner=True)
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await to_board(app, pilot, PRACTITIONER)
        case = await open_case(app, pilot, child_id)
        assert "Only a team lead or coordinator may plan actions." in texts(case)
        await pilot.press("a")
        assert app.screen is case, "a practitioner gets a note, not the form"
        await pilot.press("u")
        assert isinstance(app.screen, ActionStatusScreen)
        await pilot.press("4", *"not needed", "enter")  # declined
        assert "Only a team lead or coordinator may decline an action." in texts(app.screen)
        await pilot.press("escape", "u", "3", "enter")  # done, with no outcome
        assert "Write what happened (the outcome)" in texts(app.screen)
        await pilot.press("escape")
        assert app.screen is case
        assert app.store.actions.get(action_id).status == "planned"
        assert app.store.actions.get(action_id).history == ()


async def test_plan_form_keeps_what_was_typed_when_the_date_is_wrong(
    demo_path: Path, make_app
) -> None:
    """A past due date is refused beside the field; the other fields keep their text."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        table = await to_board(app, pilot)
        case = await open_case(app, pilot, table.rows[table.shown[0]].child_id)
        await pilot.press("a", "0", "enter", "enter")  # something else: keep the domain
        await pilot.press(*"Call the grandmother", "enter", *"Mr Zulu", "enter")
        await pilot.press("tab", *"2026-10-01", "enter", "enter")
        form = app.screen
        assert isinstance(form, PlanActionScreen)
        assert "That due date has passed" in texts(form)
        assert form.query_one("#plan-responsible").value == "Mr Zulu"
        assert form.query_one("#plan-what").value == "Call the grandmother"
        assert app.focused is form.query_one("#plan-due")
        await pilot.press(*"2026-11-09", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is case
        (action,) = app.store.actions.list(child_id=case.child.id)
        assert (action.details.what, action.details.due_on) == (
            "Call the grandmother",
            "2026-11-09",
        )
        assert action.suggestion_id == ""


async def test_overdue_shows_on_the_case_and_is_counted_at_home(demo_path: Path, make_app) -> None:
    """Due yesterday (the fixed clock says 2026-11-02): OVERDUE on the case, counted at home."""
    child_id, _ = plan_by_hand(demo_path, due_on="2026-11-01")
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await pilot.press(*DEMO_PASSPHRASE, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        overdue = str(app.screen.query_one("#home-overdue", Static).render())
        assert overdue == "1 action overdue — open the board: press 4"
        await pilot.press("4")
        await settle(app, pilot)
        case = await open_case(app, pilot, child_id)
        (line,) = prompts(case)
        assert " ".join(line.split()).endswith(
            "due 2026-11-01 OVERDUE · Ms Dube, Social Development"
        )
        assert "1 OVERDUE" in str(case.query_one("#case-actions-line", Static).render())


async def test_home_says_nothing_when_no_action_is_overdue(demo_path: Path, make_app) -> None:
    """An action due later is not counted; the overdue line is hidden."""
    plan_by_hand(demo_path, due_on="2026-11-02")  # due today: not overdue yet
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await pilot.press(*DEMO_PASSPHRASE, "enter")
        await settle(app, pilot)
        assert not app.screen.query_one("#home-overdue", Static).display


async def test_report_suggestion_opens_the_report_panel(demo_path: Path, make_app) -> None:
    """The s110 suggestion is not planned as a plain action: it opens the report panel."""
    from screens.mandatory_report import MandatoryReportScreen

    app = make_app(demo_path)
    async with app.run_test() as pilot:
        table = await to_board(app, pilot)
        round_id = app.screen.round.id
        row = next(table.rows[i] for i in table.shown if table.rows[i].mandatory_report)
        offered = [s.id for s in suggestions(app.store, row.child_id, round_id)]
        number = offered.index("protection_report_s110") + 1
        case = await open_case(app, pilot, row.child_id)
        await pilot.press("a", str(number))
        await settle(app, pilot)
        assert isinstance(app.screen, MandatoryReportScreen)
        await pilot.press("2", "enter", *"Ms Khumalo", "enter", *"SD-2026-114", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is case
        (line,) = prompts(case)
        assert "Mandatory report (s110)" in line and "REFERRED" in line
        assert "protection_report_s110" not in [
            s.id for s in suggestions(app.store, row.child_id, round_id)
        ]
        assert "Report to a social worker" not in str(
            case.query_one("#case-suggestions", Static).render()
        )
