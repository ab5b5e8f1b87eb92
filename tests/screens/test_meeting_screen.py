"""Meeting mode by keyboard: the agenda's order, planning, deciding, updating, and the minutes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from cwtt_tui.store.store import unlock_store
from screens.meeting import MeetingScreen
from screens.widgets.agenda_card import AgendaCard
from tests.screens.meeting_world import (
    PASSPHRASE,
    PRACTITIONER_PASSPHRASE,
    REASONS,
    build_meeting_world,
)

AGENDA = [
    ("child", "Mokoena, Mokoena"),
    ("child", "Ayanda, Ayanda"),
    ("child", "Cele, Cele"),
    ("child", "Dlamini, Dlamini"),
    ("overdue", "Dlamini, Dlamini"),
    ("overdue", "Cele, Cele"),
]


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "meeting.db"
    return path, build_meeting_world(path)


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_meeting(app, pilot, passphrase: str = PASSPHRASE) -> MeetingScreen:  # type: ignore[no-untyped-def]
    """Unlock, then Reports (7) and Meeting mode (1)."""
    await pilot.press(*passphrase, "enter")
    await settle(app, pilot)
    await pilot.press("7", "1")
    await settle(app, pilot)
    assert isinstance(app.screen, MeetingScreen)
    return app.screen


async def start(app, pilot, attendees: str = "Nomsa, Thabo") -> MeetingScreen:  # type: ignore[no-untyped-def]
    screen = await open_meeting(app, pilot)
    await pilot.press(*attendees, "enter")
    await settle(app, pilot)
    assert screen.meeting is not None
    return screen


def card_text(screen: MeetingScreen) -> str:
    return "\n".join(str(s.render()) for s in screen.query_one(AgendaCard).query(Static))


def message(screen: MeetingScreen) -> str:
    return str(screen.query_one("#meeting-message", Static).render())


async def test_agenda_puts_high_children_without_action_first_then_overdue(
    world: tuple[Path, dict[str, str]], make_app
) -> None:
    """Most HIGH flags first, Botha (HIGH covered by an open action) left out, overdue after,
    the oldest due first; each item shows who, the class, HIGH domains and their reasons."""
    app = make_app(world[0])
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        assert screen.meeting is not None
        assert [(i.kind, i.name) for i in screen.meeting.agenda] == AGENDA
        assert screen.meeting.agenda[4].action.details.due_on == "2026-09-30"
        text = card_text(screen)
        assert "Mokoena, Mokoena" in text and "Grade 2 · class 2B · Thembeka Primary" in text
        assert all(reason in text for reason in REASONS.values())
        assert "1  Health       Clinic: vision and hearing test" in text
        assert "4 children with HIGH and no action, 2 overdue actions" in message(screen)
        await pilot.press("s", "s", "s", "s")
        text = card_text(screen)
        assert "Overdue action 1 of 2" in text
        assert "Overdue action: due 2026-09-30 · 33 days overdue" in text
        assert "Social worker home visit" in text and "Mr Khumalo" in text
        await pilot.press("b")
        assert "Child 4 of 4" in card_text(screen)


async def test_plan_a_suggested_action_from_the_agenda(
    world: tuple[Path, dict[str, str]], make_app
) -> None:
    """1 opens the quick form with the department and due date filled in; Enter saves it."""
    path, ids = world
    app = make_app(path)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        await pilot.press("1")
        assert screen.query_one("#plan-department", Input).value == "Health"
        assert screen.query_one("#plan-due", Input).value == "2026-11-16"
        await pilot.press(*"Sister Dube", "enter", "enter", "enter")
        await settle(app, pilot)
        planned = "Planned and saved: Clinic: vision and hearing test · Sister Dube"
        assert planned in message(screen)
        assert "✓ Planned: Health: Clinic: vision and hearing test · Sister Dube" in card_text(
            screen
        )
        assert "Clinic: vision and hearing test" not in card_text(screen).split("plan one")[-1]
        app.store.close()
    with unlock_store(path, PASSPHRASE) as store:
        planned = [a for a in store.actions.list(child_id=ids["Mokoena"])]
    assert len(planned) == 1
    action = planned[0]
    assert (action.status, action.domain, action.suggestion_id) == (
        "planned", "health", "health_clinic_vision_hearing",
    )  # fmt: skip
    assert (action.details.responsible, action.details.department, action.details.due_on) == (
        "Sister Dube", "Health", "2026-11-16",
    )  # fmt: skip


async def test_a_wrong_due_date_is_said_plainly_and_keeps_the_form(
    world: tuple[Path, dict[str, str]], make_app
) -> None:
    """A date that has passed is refused with the planning service's sentence."""
    app = make_app(world[0])
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        await pilot.press("1", *"Sister Dube", "enter", "enter")
        screen.query_one("#plan-due", Input).value = ""
        await pilot.press(*"2026-10-01", "enter")
        assert "That due date has passed" in message(screen)
        assert screen.form == "plan"
        await pilot.press("escape")
        assert screen.form == "" and screen.meeting.records == {}


async def test_a_decision_is_saved_in_the_audit_log_at_once(
    world: tuple[Path, dict[str, str]], make_app
) -> None:
    """D, the words, Enter, who sees to it, Enter: sealed in the audit log before the minutes."""
    path, ids = world
    app = make_app(path)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        await pilot.press("d", *"Discuss with the principal", "enter", *"Nomsa", "enter")
        await settle(app, pilot)
        assert "✓ Discuss with the principal (who: Nomsa)" in card_text(screen)
        entries = [e for e in app.store.audit.entries() if e.action == "meeting.decision"]
        assert len(entries) == 1
        assert entries[0].target == ids["Mokoena"]
        assert entries[0].detail["text"] == "Discuss with the principal"
        assert entries[0].detail["owner"] == "Nomsa"


async def test_finish_writes_both_minutes_files_with_decisions_and_owners(
    world: tuple[Path, dict[str, str]], make_app, tmp_path: Path
) -> None:
    """Plan, decide, update an overdue action, then F and Enter: Markdown and HTML minutes in
    the data folder, named by the date, listing who attended, decisions, owners and due dates."""
    path, ids = world
    app = make_app(path)
    async with app.run_test() as pilot:
        screen = await start(app, pilot, "Nomsa, Thabo, Sister Dube")
        await pilot.press("1", *"Sister Dube", "enter", "enter", "enter")
        await pilot.press("d", *"Discuss with the principal", "enter", *"Nomsa", "enter")
        await pilot.press("s", "s", "s", "s", "u", "1", *"Called the social worker", "enter")
        await settle(app, pilot)
        assert "Saved: the action is now referred." in message(screen)
        await pilot.press("f")
        folder = screen.query_one("#finish-folder", Input).value
        assert folder == str(tmp_path / "data" / "minutes")
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.finished and "Minutes written." in message(screen)
        exports = [e for e in app.store.audit.entries() if e.action == "minutes.export"]
        assert exports and exports[0].detail["children"] == 1
        assert app.store.actions.get(ids["overdue:Dlamini"]).status == "referred"
    markdown = (tmp_path / "data" / "minutes" / "cwtt-minutes-2026-11-02.md").read_text("utf-8")
    page = (tmp_path / "data" / "minutes" / "cwtt-minutes-2026-11-02.html").read_text("utf-8")
    for expected in (
        "- Date: 2026-11-02",
        "- Round: Follow-up 2026-T3 (round 2)",
        "- Led by: Nomsa",
        "- Present: Nomsa, Thabo, Sister Dube",
        "## Children discussed (1)",
        "### 1. Mokoena, Mokoena: Grade 2, class 2B, Thembeka Primary",
        "HIGH: Health, Nutrition, Economic",
        "- Discuss with the principal (who: Nomsa)",
        "  - Responsible: Sister Dube (Health); due 2026-11-16",
        "## Overdue actions reviewed (1)",
        "- Action (Protection): Social worker home visit",
        "- Responsible: Mr Khumalo (Social Development); was due 2026-09-30",
        "- Status: planned → referred: Called the social worker",
        "3 children and 1 overdue action on the agenda were not discussed.",
    ):
        assert expected in markdown
    assert "@page { size: A4; margin" in page
    assert 'style="background:#D55E00">HIGH</span>Health' in page
    assert "<td>Sister Dube</td><td>Health</td><td>2026-11-16</td>" in page
    assert "<dt>Present</dt><dd>Nomsa, Thabo, Sister Dube</dd>" in page
    assert "<strong>referred</strong>: Called the social worker" in page


async def test_leaving_before_the_minutes_asks_first(
    world: tuple[Path, dict[str, str]], make_app
) -> None:
    """Escape after a decision asks whether to leave without minutes; N stays."""
    app = make_app(world[0])
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        await pilot.press("d", *"Call the caregiver", "enter", "enter", "escape")
        assert app.screen is not screen
        await pilot.press("n")
        assert app.screen is screen


async def test_a_practitioner_is_told_plainly_who_may_lead_a_meeting(
    world: tuple[Path, dict[str, str]], make_app
) -> None:
    """Thabo (practitioner) sees the refusal, and no agenda is made."""
    app = make_app(world[0])
    async with app.run_test() as pilot:
        screen = await open_meeting(app, pilot, PRACTITIONER_PASSPHRASE)
        assert "Only a team lead or coordinator may lead a meeting." in message(screen)
        assert not screen.query_one("#meeting-new").display
        assert screen.meeting is None


async def test_a_meeting_cut_short_goes_on_where_it_stopped(
    world: tuple[Path, dict[str, str]], make_app
) -> None:
    """A decision, then S to the next child; the app stops (a power cut). Next time Meeting
    mode offers 1 to go on (the same item, the decision kept) or 2 to start anew."""
    path, _ = world
    app = make_app(path)
    async with app.run_test() as pilot:
        screen = await start(app, pilot)
        await pilot.press("d", *"Call the caregiver", "enter", "enter", "s")
        await settle(app, pilot)
        assert screen.meeting is not None and screen.meeting.position == 1
        app.store.close()  # the power goes: the process dies and its lock goes with it
    app = make_app(path)
    async with app.run_test() as pilot:
        screen = await open_meeting(app, pilot)
        offer = str(screen.query_one("#meeting-resume-text", Static).render())
        assert "was not finished" in offer and "item 2 of 6" in offer and "1 item recorded" in offer
        assert not screen.query_one("#meeting-new").display
        await pilot.press("1")
        await settle(app, pilot)
        assert screen.meeting is not None and screen.meeting.position == 1
        assert screen.meeting.attendees == ("Nomsa", "Thabo")
        assert "item 2" in message(screen)
        await pilot.press("b")
        await settle(app, pilot)
        assert "Call the caregiver" in card_text(screen)
        app.store.close()
    app = make_app(path)
    async with app.run_test() as pilot:
        screen = await open_meeting(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert screen.query_one("#meeting-new").display and screen.meeting is None
        await pilot.press(*"Sipho", "enter")
        await settle(app, pilot)
        assert screen.meeting is not None and screen.meeting.position == 0
        assert not any(not r.empty for r in screen.meeting.records.values())
