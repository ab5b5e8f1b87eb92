"""Intervention plans: suggestions follow the flags, the lifecycle and its rules, overdue actions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from cwtt_tui import planning
from cwtt_tui.assessing import summarise
from cwtt_tui.board import LEVEL_NAMES
from cwtt_tui.crypto.kdf import TEST_KDF
from cwtt_tui.errors import BadInstrument, NotAllowed, RecordNotFound, UsageError
from cwtt_tui.models import DOMAINS, Action, ActionDetails, Child, ChildDetails, Consent
from cwtt_tui.reporting import WHAT_TO_DO_TODAY, record_report, report_due
from cwtt_tui.store.store import Store, create_store

START = datetime(2026, 11, 20, 9, tzinfo=UTC)
TODAY = date(2026, 11, 20)


class Clock:
    """A fixed clock that a test moves on by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[Store]:
    made, _ = create_store(
        tmp_path / "s.db", school_emis="500123456", school_name="Thembeka Primary",
        laptop_name="Laptop A", user_name="Nomsa", role="team_lead",
        passphrase="planning test words", kdf=TEST_KDF, clock=clock,
    )  # fmt: skip
    yield made
    made.close()


def add_child(store: Store, name: str = "Zanele", school_id: str = "") -> Child:
    details = ChildDetails(
        name, "Dlamini", "2", "2B", date(2019, 3, 4), "female",
        consent=Consent(True, True, "mother", "Nomsa", "2026-11-01", "written"),
    )  # fmt: skip
    return store.children.add(school_id or store.home_school_id, details)


def score(store: Store, child: Child, round_id: str, levels: str, report: bool = False) -> None:
    """Save an assessment with these board codes (H, M, L, -) in DOMAINS order."""
    domains = {
        d: {"level": LEVEL_NAMES[c], "reasons": []} for d, c in zip(DOMAINS, levels, strict=True)
    }
    if report:
        domains["protection"]["reasons"] = [{"text": "Disclosed harm", "level": "high"}]
    result = {"domains": domains, "flags": {"mandatory_report": report}}
    store.assessments.save(child.id, round_id, result, summarise(child, result, ["2026-11-19"]))


@pytest.fixture
def case(store: Store) -> tuple[Child, str]:
    """Zanele: health medium, nutrition low, protection high (a report is due), rest low."""
    child = add_child(store)
    round_id = store.rounds.open("Baseline 2026", "2026-11-01").id
    score(store, child, round_id, "MLLHLL", report=True)
    return child, round_id


def ids(found: list[planning.Suggestion]) -> list[str]:
    return [s.id for s in found]


def practitioner(store: Store) -> None:
    """Sign in as Thabo, a practitioner (the team lead adds him first)."""
    store.ctx.user = store.users.add("Thabo", "practitioner", "kettle lamp river stone")


def planned(store: Store, child: Child, round_id: str, due_on: str = "") -> Action:
    return planning.plan_action(
        store, child.id, round_id, "health", "Clinic: eye test", responsible="Sister Mokoena",
        department="Health", due_on=due_on,
    )  # fmt: skip


# suggestions


def test_suggestions_follow_the_flags(store: Store, case: tuple[Child, str]) -> None:
    """Protection high comes first; health medium gets its medium suggestions; low gets none."""
    child, round_id = case
    found = ids(planning.suggestions(store, child.id, round_id))
    assert found == [
        "protection_report_s110",
        "protection_police_fcs",
        "health_clinic_vision_hearing",
        "health_immunisation_catch_up",
        "health_road_to_health_check",
    ]
    assert "health_school_nurse" not in found, "a high-only suggestion for a medium domain"


def test_a_child_not_scored_yet_gets_no_suggestions(store: Store) -> None:
    child = add_child(store)
    round_id = store.rounds.open("Baseline 2026", "2026-11-01").id
    assert planning.suggestions(store, child.id, round_id) == []
    score(store, child, round_id, "------")
    assert planning.suggestions(store, child.id, round_id) == []


def test_the_s110_suggestion_carries_what_to_do_today(
    store: Store, case: tuple[Child, str]
) -> None:
    """The report's wording is the mandatory-report prompt's, not a copy of it."""
    child, round_id = case
    report = planning.suggestions(store, child.id, round_id)[0]
    assert report.mandatory_report and report.today is not None
    assert report.today.get() == WHAT_TO_DO_TODAY


def test_a_planned_suggestion_vanishes_and_is_not_planned_twice(
    store: Store, case: tuple[Child, str]
) -> None:
    """The suggestion's text, department and due days fill the action; its id is stored."""
    child, round_id = case
    clinic = planning.catalogue().get("health_clinic_vision_hearing")
    assert clinic is not None
    action = planning.plan_suggestion(store, child.id, round_id, clinic, "Sister Mokoena")
    assert action.suggestion_id == clinic.id and action.status == "planned"
    assert action.domain == "health" and action.details.what == clinic.what.get()
    assert action.details.department == "Health"
    assert action.details.due_on == (TODAY + timedelta(days=clinic.due_days)).isoformat()
    assert store.actions.get(action.id).suggestion_id == clinic.id
    assert clinic.id not in ids(planning.suggestions(store, child.id, round_id))
    with pytest.raises(UsageError, match="is planned already for this child"):
        planning.plan_suggestion(store, child.id, round_id, clinic)
    # Another round starts afresh.
    later = store.rounds.open("Follow-up", "2027-02-01").id
    score(store, child, later, "MLLLLL")
    assert clinic.id in ids(planning.suggestions(store, child.id, later))


def test_given_values_win_over_the_suggestions(store: Store, case: tuple[Child, str]) -> None:
    child, round_id = case
    clinic = planning.catalogue().get("health_clinic_vision_hearing")
    assert clinic is not None
    action = planning.plan_suggestion(
        store, child.id, round_id, clinic, "Ms Naidoo", "ngo", "27/11/2026", "Bring the letter"
    )
    details = action.details
    assert (details.responsible, details.department, details.due_on, details.notes) == (
        "Ms Naidoo", "NGO", "2026-11-27", "Bring the letter",
    )  # fmt: skip


def test_a_recorded_s110_report_hides_the_report_suggestion(
    store: Store, case: tuple[Child, str]
) -> None:
    child, round_id = case
    due = report_due(store, child.id, round_id)
    assert due is not None
    record_report(
        store, due, recipient="social_development", person="Nomsa", reference="DSD-1",
        reported_on="2026-11-20",
    )  # fmt: skip
    assert "protection_report_s110" not in ids(planning.suggestions(store, child.id, round_id))
    assert "protection_police_fcs" in ids(planning.suggestions(store, child.id, round_id))


def test_planning_checks_its_values(store: Store, case: tuple[Child, str]) -> None:
    child, round_id = case
    with pytest.raises(UsageError, match="That due date has passed"):
        planned(store, child, round_id, due_on="2026-11-19")
    with pytest.raises(UsageError, match="'next week' is not a date"):
        planned(store, child, round_id, due_on="next week")
    with pytest.raises(UsageError, match="There is no department 'Police'"):
        planning.plan_action(store, child.id, round_id, "health", "x", department="Police")
    with pytest.raises(UsageError, match="Say what the action is"):
        planning.plan_action(store, child.id, round_id, "health", "   ")
    with pytest.raises(RecordNotFound):
        planning.plan_action(store, "0" * 32, round_id, "health", "Clinic")
    assert planned(store, child, round_id, due_on="2026-11-20").details.due_on == "2026-11-20"


# the lifecycle


def test_the_whole_lifecycle_is_dated_and_attributed(
    store: Store, case: tuple[Child, str], clock: Clock
) -> None:
    """planned → referred → in progress → done: each step has its time, who, and the note."""
    child, round_id = case
    action = planned(store, child, round_id, due_on="2026-11-27")
    clock.advance(days=1)
    planning.change_status(store, action.id, "referred", "Referral letter given to the mother")
    practitioner(store)
    clock.advance(days=2)
    planning.change_status(store, action.id, "in progress", "Appointment on 1 December")
    clock.advance(days=10)
    done = planning.change_status(store, action.id, "done", "  Glasses   prescribed ")
    assert done.status == "done"
    steps = [(h.at, h.by_name, h.from_status, h.to, h.note) for h in done.history]
    assert steps == [
        ("2026-11-21T09:00:00Z", "Nomsa", "planned", "referred", "Referral letter given to the mother"),
        ("2026-11-23T09:00:00Z", "Thabo", "referred", "in_progress", "Appointment on 1 December"),
        ("2026-12-03T09:00:00Z", "Thabo", "in_progress", "done", "Glasses prescribed"),
    ]  # fmt: skip
    assert done.history[-1].by == store.user.id
    kinds = [e.action for e in store.audit.entries() if e.target == action.id]
    assert kinds == ["action.plan", "action.status", "action.status", "action.status"]


@pytest.mark.parametrize(
    ("path", "to", "message"),
    [
        ((), "planned", "This action is planned already."),
        (("in_progress",), "referred", "An action that is in progress cannot become referred; "
         "choose: done, declined, could not reach."),
        (("referred",), "planned", "An action that is referred cannot become planned; choose: "
         "in progress, done, declined, could not reach."),
        (("done",), "referred", "This action is done; it can only be reopened as in progress, "
         "with a note."),
        ((), "lost", "There is no status 'lost'; use one of: planned, referred, in progress, done, "
         "declined, could not reach."),
    ],
)  # fmt: skip
def test_refused_transitions(
    store: Store, case: tuple[Child, str], path: tuple[str, ...], to: str, message: str
) -> None:
    child, round_id = case
    action = planned(store, child, round_id)
    for step in path:
        planning.change_status(store, action.id, step, "outcome")
    with pytest.raises(UsageError) as refused:
        planning.change_status(store, action.id, to, "note")
    assert refused.value.message == message
    assert store.actions.get(action.id).status == (path[-1] if path else "planned")


@pytest.mark.parametrize("to", ["done", "declined", "could_not_reach"])
def test_a_final_status_needs_an_outcome_note(
    store: Store, case: tuple[Child, str], to: str
) -> None:
    child, round_id = case
    action = planned(store, child, round_id)
    with pytest.raises(UsageError, match="Write what happened \\(the outcome\\)"):
        planning.change_status(store, action.id, to, "  ")
    assert planning.change_status(store, action.id, to, "Family moved away").status == to


def test_skipping_ahead_is_allowed(store: Store, case: tuple[Child, str]) -> None:
    """planned → done directly, e.g. the caregiver went to the clinic on their own."""
    child, round_id = case
    action = planned(store, child, round_id)
    assert planning.change_status(store, action.id, "done", "Went on her own").status == "done"


def test_reopening_goes_to_in_progress_with_a_note(store: Store, case: tuple[Child, str]) -> None:
    child, round_id = case
    action = planned(store, child, round_id)
    planning.change_status(store, action.id, "could_not_reach", "Phone off for two weeks")
    with pytest.raises(UsageError, match="Write why the action is reopened"):
        planning.change_status(store, action.id, "in_progress")
    practitioner(store)
    again = planning.change_status(store, action.id, "in-progress", "Mother came to school")
    assert again.status == "in_progress"
    assert [h.to for h in again.history] == ["could_not_reach", "in_progress"]


def test_practitioners_record_outcomes_but_never_plan_or_decline(
    store: Store, case: tuple[Child, str]
) -> None:
    child, round_id = case
    action = planned(store, child, round_id)
    declined = planned(store, child, round_id)
    planning.change_status(store, declined.id, "declined", "Caregiver refused the referral")
    practitioner(store)
    with pytest.raises(NotAllowed, match="Only a team lead or coordinator may plan actions"):
        planned(store, child, round_id)
    clinic = planning.catalogue().get("health_clinic_vision_hearing")
    assert clinic is not None
    with pytest.raises(NotAllowed):
        planning.plan_suggestion(store, child.id, round_id, clinic)
    with pytest.raises(NotAllowed, match="Only a team lead or coordinator may decline an action"):
        planning.change_status(store, action.id, "declined", "Not needed")
    with pytest.raises(NotAllowed, match="may reopen a declined action"):
        planning.change_status(store, declined.id, "in_progress", "She agreed after all")
    assert planning.change_status(store, action.id, "referred", "Letter given").status == "referred"


def test_nobody_signed_in_changes_nothing(store: Store, case: tuple[Child, str]) -> None:
    child, round_id = case
    action = planned(store, child, round_id)
    store.ctx.user = None
    with pytest.raises(NotAllowed, match="Sign in with your own passphrase"):
        planning.change_status(store, action.id, "referred", "x")
    with pytest.raises(NotAllowed):
        planned(store, child, round_id)


def test_actions_stored_before_suggestions_and_names_still_read(
    store: Store, case: tuple[Child, str]
) -> None:
    """An older payload (no suggestion id, history without `by_name`) reads with blanks."""
    child, round_id = case
    action = store.actions.plan(child.id, round_id, "health", ActionDetails("Clinic"))
    old = {
        "domain": "health", "details": {"what": "Clinic"},
        "history": [{"at": "2026-11-20T09:00:00Z", "by": "u1", "from": "planned",
                     "to": "referred", "note": "sent"}],
    }  # fmt: skip
    store.actions._update(action.id, {"status": "referred"}, old)
    read = store.actions.get(action.id)
    assert read.suggestion_id == "" and read.history[0].by_name == ""
    assert (read.history[0].by, read.history[0].to, read.history[0].note) == (
        "u1",
        "referred",
        "sent",
    )


# overdue


def test_overdue_starts_the_day_after_the_due_date(store: Store, case: tuple[Child, str]) -> None:
    """Due today is not overdue; due yesterday is; a finished action never is."""
    child, round_id = case
    action = planned(store, child, round_id, due_on="2026-11-20")
    assert not planning.is_overdue(action, date(2026, 11, 20))
    assert planning.is_overdue(action, date(2026, 11, 21))
    assert not planning.is_overdue(action, date(2026, 11, 19))
    referred = planning.change_status(store, action.id, "referred", "")
    assert planning.is_overdue(referred, date(2026, 11, 21))
    done = planning.change_status(store, action.id, "done", "Seen at the clinic")
    assert not planning.is_overdue(done, date(2027, 1, 1))
    undated = planned(store, child, round_id)
    assert not planning.is_overdue(undated, date(2030, 1, 1))


def test_overdue_actions_by_school_and_open_counts(
    store: Store, case: tuple[Child, str], clock: Clock
) -> None:
    child, round_id = case
    other_school = store.schools.add("500777888", "Kgotso Primary").id
    sipho = add_child(store, "Sipho", other_school)
    late = planned(store, child, round_id, due_on="2026-11-20")
    later = planned(store, sipho, round_id, due_on="2026-11-22")
    planned(store, child, round_id, due_on="2026-11-30")
    finished = planned(store, child, round_id, due_on="2026-11-20")
    planning.change_status(store, finished.id, "done", "Seen")
    on = date(2026, 11, 25)
    assert [a.id for a in planning.overdue_actions(store, on)] == [late.id, later.id]
    assert [a.id for a in planning.overdue_actions(store, on, other_school)] == [later.id]
    assert planning.overdue_actions(store, date(2026, 11, 20)) == []
    counts = planning.open_actions_count(store, on)
    assert counts == {
        child.id: planning.ActionCounts(open=2, overdue=1),
        sipho.id: planning.ActionCounts(open=1, overdue=1),
    }
    clock.advance(days=1)  # today on the store's clock: 21 November
    assert planning.open_actions_count(store)[child.id] == planning.ActionCounts(2, 1)
    store.children.withdraw(sipho.id, "moved school")
    assert [a.id for a in planning.overdue_actions(store, on)] == [late.id]


# the catalogue in use


def test_a_coordinator_copy_replaces_the_catalogue(
    store: Store, case: tuple[Child, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    child, round_id = case
    copy = tmp_path / "our-actions.toml"
    copy.write_text(
        'version = "2"\n\n[[suggestions]]\nid = "district_eye_camp"\ndomain = "health"\n'
        'levels = ["medium"]\ndepartment = "NGO"\ndue_days = 5\n'
        'title.en = "Eye camp"\nwhat.en = "Book the child for the district eye camp."\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(planning.CATALOGUE_ENV, str(copy))
    assert ids(planning.suggestions(store, child.id, round_id)) == ["district_eye_camp"]
    copy.write_text("version = 3\n", encoding="utf-8")
    with pytest.raises(BadInstrument) as broken:
        planning.catalogue()
    assert f"{copy}:1: give the version as text" in broken.value.message
    assert "`cwtt actions catalogue`" in broken.value.message
