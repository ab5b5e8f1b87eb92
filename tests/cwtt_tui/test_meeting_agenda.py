"""Meeting mode's core and the board's extras on the hand-made two-round store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cwtt_tui.board import Board, load_extras
from cwtt_tui.errors import NotAllowed
from cwtt_tui.meeting import record_decision, start_meeting
from cwtt_tui.store.store import unlock_store
from exports.minutes import to_markdown
from exports.report_files import free_names
from tests.cwtt_tui.rounds_world import PASSPHRASE, PRACTITIONER_PASSPHRASE, build
from tests.screens.meeting_world import build_meeting_world

COORDINATOR_PASSPHRASE = "district office lamp river"


def on_the_day() -> datetime:
    return datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def test_a_team_lead_meets_on_their_school_a_coordinator_on_all(tmp_path: Path) -> None:
    """Round 1: Nkosi (school B, HIGH health, its action declined) is on the coordinator's
    agenda only; children with an open action in every HIGH domain are left out."""
    path = tmp_path / "world.db"
    build(path)
    with unlock_store(path, PASSPHRASE, clock=on_the_day) as store:
        store.users.add("Zanele", "coordinator", COORDINATOR_PASSPHRASE)
        first = store.rounds.list()[0].id
        lead = start_meeting(store, "", round_id=first)
    assert lead.school == "Thembeka Primary"
    # Ayanda: health planned (open), nutrition uncovered; Botha: protection referred, health
    # uncovered; Dlamini: health uncovered (done is not open). Zulu's protection is covered by
    # the action planned in round 2: an open action counts whichever round it belongs to.
    assert [i.name for i in lead.agenda] == ["Ayanda, Ayanda", "Botha, Botha", "Dlamini, Dlamini"]
    assert lead.agenda[0].uncovered == ("nutrition",)
    with unlock_store(path, COORDINATOR_PASSPHRASE, clock=on_the_day) as store:
        everyone = start_meeting(store, " Zanele ,, Nomsa", round_id=store.rounds.list()[0].id)
    assert everyone.school == "All schools" and everyone.attendees == ("Zanele", "Nomsa")
    assert "Nkosi, Nkosi" in [i.name for i in everyone.agenda]


def test_a_practitioner_may_not_lead_a_meeting(tmp_path: Path) -> None:
    path = tmp_path / "world.db"
    build(path)
    with unlock_store(path, PRACTITIONER_PASSPHRASE) as store, pytest.raises(NotAllowed):
        start_meeting(store)


def test_minutes_escape_markdown_and_count_what_was_not_reached(tmp_path: Path) -> None:
    path = tmp_path / "meeting.db"
    build_meeting_world(path)
    with unlock_store(path, PASSPHRASE, clock=on_the_day) as store:
        meeting = start_meeting(store, "Nomsa")
        record_decision(store, meeting, "Ask *the* principal | today")
        text = to_markdown(meeting, {})
    assert meeting.held_on == date(2026, 11, 2)
    assert "- Ask \\*the\\* principal \\| today" in text
    assert "3 children and 2 overdue actions on the agenda were not discussed." in text


def test_free_names_never_overwrite(tmp_path: Path) -> None:
    (tmp_path / "cwtt-minutes-2026-11-02.html").write_text("old")
    md, page = free_names(tmp_path, "cwtt-minutes-2026-11-02", (".md", ".html"))
    assert (md.name, page.name) == (
        "cwtt-minutes-2026-11-02-2.md",
        "cwtt-minutes-2026-11-02-2.html",
    )


def test_board_extras_pack_each_rows_change_and_overdue_count(tmp_path: Path) -> None:
    """Per row of round 2: w worse, b better, s same, u unknown; and the overdue actions."""
    path = tmp_path / "meeting.db"
    build_meeting_world(path)
    with unlock_store(path, PASSPHRASE, clock=on_the_day) as store:
        board = Board.load(store, store.rounds.list()[1].id)
        extras = load_extras(store, board)
        first = load_extras(store, Board.load(store, store.rounds.list()[0].id))
    assert extras.previous is not None and extras.previous.number == 1
    assert extras.changes is not None
    by_name = {r.name.split(", ")[1]: i for i, r in enumerate(board.rows)}
    assert extras.changes[by_name["Ayanda"]] == "bsssss"
    assert extras.changes[by_name["Cele"]] == "wsssss"
    assert extras.changes[by_name["Dlamini"]] == "busssw"
    assert extras.changes[by_name["Mokoena"]] == "uuuuuu"
    assert extras.late[by_name["Dlamini"]] == 1 and extras.late[by_name["Ayanda"]] == 0
    assert first.previous is None and first.changes is None
