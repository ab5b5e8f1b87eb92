"""A meeting cut short (a power cut, or the team left without minutes) goes on where it stopped."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cwtt_tui import meeting as service
from cwtt_tui.store.store import unlock_store
from exports.minutes import to_markdown
from tests.cwtt_tui.rounds_world import PASSPHRASE, PRACTITIONER_PASSPHRASE
from tests.screens.meeting_world import build_meeting_world


def on_the_day() -> datetime:
    return datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def test_progress_survives_closing_the_store_without_minutes(tmp_path: Path) -> None:
    path = tmp_path / "meeting.db"
    ids = build_meeting_world(path)
    with unlock_store(path, PASSPHRASE, clock=on_the_day) as store:
        meeting = service.start_meeting(store, "Nomsa, Thabo")
        service.record_decision(store, meeting, "Discuss with the principal", "Nomsa")
        service.step(store, meeting, 1)
        while meeting.current is not None and meeting.current.kind != "overdue":
            service.step(store, meeting, 1)
        overdue_at = meeting.position
        service.review_action(store, meeting, "in_progress", "The social worker phoned")
        agenda = [(i.kind, i.name) for i in meeting.agenda]
    # The laptop goes off here: nothing else was called.
    with unlock_store(path, PASSPHRASE, clock=on_the_day) as store:
        again = service.unfinished_meeting(store)
        assert again is not None and again.id == meeting.id
        assert [(i.kind, i.name) for i in again.agenda] == agenda
        assert again.position == overdue_at and again.attendees == ("Nomsa", "Thabo")
        assert again.held_on == meeting.held_on and again.round.id == meeting.round.id
        first = again.records[0]
        assert [(d.text, d.owner) for d in first.decisions] == [
            ("Discuss with the principal", "Nomsa")
        ]
        review = again.records[overdue_at].reviews[0]
        assert (review.before, review.action.status, review.note) == (
            "planned", "in_progress", "The social worker phoned",
        )  # fmt: skip
        assert again.current is not None and again.current.action is not None
        assert again.current.action.id == ids["overdue:Dlamini"]
        # The minutes of the meeting that went on are those of the meeting before the cut.
        assert to_markdown(again, {}) == to_markdown(meeting, {})
        # It goes on: one more step, then the minutes finish it for good.
        service.step(store, again, 1)
        service.finish_meeting(store, again)
        assert service.unfinished_meeting(store) is None


def test_a_new_meeting_leaves_the_unfinished_one_behind(tmp_path: Path) -> None:
    path = tmp_path / "meeting.db"
    build_meeting_world(path)
    with unlock_store(path, PASSPHRASE, clock=on_the_day) as store:
        first = service.start_meeting(store, "Nomsa")
        second = service.start_meeting(store, "Thabo")
        found = service.unfinished_meeting(store)
        assert found is not None and found.id == second.id != first.id
        assert found.attendees == ("Thabo",)


def test_the_progress_is_sealed_and_only_leaders_are_offered_it(tmp_path: Path) -> None:
    path = tmp_path / "meeting.db"
    build_meeting_world(path)
    with unlock_store(path, PASSPHRASE, clock=on_the_day) as store:
        meeting = service.start_meeting(store, "Nomsa Dlamini")
        row = store.db.execute("select payload from meetings").fetchone()
        assert b"Nomsa" not in row[0] and b"Mokoena" not in row[0]
    with unlock_store(path, PRACTITIONER_PASSPHRASE, clock=on_the_day) as store:
        assert service.unfinished_meeting(store) is None
    with unlock_store(path, PASSPHRASE, clock=on_the_day) as store:
        assert service.unfinished_meeting(store) is not None
        store.meetings.save(meeting.id, meeting.round.id, {"agenda": "not a list"})
        assert service.unfinished_meeting(store) is None  # unreadable: not offered again
        assert store.meetings.unfinished() is None
