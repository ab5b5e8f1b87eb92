"""Scores from stored interviews: saved per child per round, board lines, re-scoring reports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cwtt_tui.assessing import assess_child, rescore
from cwtt_tui.crypto.kdf import TEST_KDF
from cwtt_tui.models import Answer, ChildDetails, Consent
from cwtt_tui.store.store import Store, create_store


def clock() -> datetime:
    return datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made, _ = create_store(
        tmp_path / "s.db", school_emis="500123456", school_name="Thembeka", laptop_name="A",
        user_name="Nomsa", role="team_lead", passphrase="assessing test words", kdf=TEST_KDF,
        clock=clock,
    )  # fmt: skip
    yield made
    made.close()


def child(store: Store, first: str = "Zanele") -> object:
    details = ChildDetails(
        first, "Dlamini", "2", "2B", date(2019, 3, 4), "female",
        consent=Consent(True, True, "mother", "Nomsa", "2026-11-01", "written"),
    )  # fmt: skip
    return store.children.add(store.home_school_id, details)


TEACHER = {
    "days_absent_term": 15,
    "home_language_expectations": "not_meeting",
    "maths_expectations": "meeting",
    "grade_repeated": "no",
    "sbst_referral": "no",
    "behaviour_concern": "no",
    "attention_concern": "no",
    "concern_harm_to_self": "no",
    "hungry_at_school": "never",
    "unkempt": "never",
    "injuries_seen": "no",
    "neglect_concern": "no",
    "concern_about_harm": "no",
}


def record_teacher(store: Store, child_id: str, round_id: str, answers: dict) -> None:
    store.interviews.record(
        child_id, round_id, "teacher", {k: Answer(v) for k, v in answers.items()},
        instrument_id="teacher", instrument_version="1.0.0",
    )  # fmt: skip


def test_a_finished_teacher_interview_scores_education(store: Store) -> None:
    """Absent 15 days and not meeting expectations: education high, saved with its board line."""
    kid = child(store)
    round_ = store.rounds.open("Baseline", "2026-11-01")
    record_teacher(store, kid.id, round_.id, TEACHER)
    result, changes = assess_child(store, kid, round_.id)
    education = result.to_dict()["domains"]["education"]
    assert education["level"] == "high" and changes == ()
    saved = store.assessments.get(kid.id, round_.id)
    assert saved["domains"]["education"]["level"] == "high"
    (line,) = store.assessments.summaries(round_.id)
    assert line.name == "Dlamini, Zanele" and line.levels[4] == "H" and line.highs == 1
    assert line.levels[0] == "-", "health has no interview yet: incomplete, never low"


def test_rescoring_with_another_absence_limit_reports_the_change(store: Store) -> None:
    """Raising N above the days absent turns education high into medium, and says so."""
    kid = child(store)
    round_ = store.rounds.open("Baseline", "2026-11-01")
    record_teacher(store, kid.id, round_.id, TEACHER)
    rescore(store, round_.id)
    report = rescore(store, round_.id, params={"absence_days": 20})
    assert report.children == 1
    assert [(c.domain, c.old, c.new) for c in report.changes] == [("education", "high", "medium")]


def test_withdrawn_children_leave_the_board(store: Store) -> None:
    """A withdrawn child's assessment is kept but not on the board."""
    kid, other = child(store), child(store, "Lerato")
    round_ = store.rounds.open("Baseline", "2026-11-01")
    for c in (kid, other):
        record_teacher(store, c.id, round_.id, TEACHER)
    rescore(store, round_.id)
    store.children.withdraw(kid.id, "moved")
    assert [s.name for s in store.assessments.summaries(round_.id)] == ["Dlamini, Lerato"]
    assert store.assessments.get(kid.id, round_.id) is not None


def test_summaries_are_sealed(store: Store) -> None:
    """The board line is sealed like everything else about a child."""
    kid = child(store, "Nonhlanhla")
    round_ = store.rounds.open("Baseline", "2026-11-01")
    record_teacher(store, kid.id, round_.id, TEACHER)
    rescore(store, round_.id)
    store.close()
    raw = (
        store.path.read_bytes() + Path(f"{store.path}-wal").read_bytes()
        if Path(f"{store.path}-wal").exists()
        else store.path.read_bytes()
    )
    assert b"Nonhlanhla" not in raw


def test_a_changed_rules_file_rescores_the_round_once(store: Store) -> None:
    """A stored digest from other rules triggers one re-score, then the new digest is kept."""
    from cwtt_tui.assessing import rescore_if_rules_changed, rules_changed

    kid = child(store)
    round_ = store.rounds.open("Baseline", "2026-11-01")
    record_teacher(store, kid.id, round_.id, TEACHER)
    assert rescore_if_rules_changed(store) is None  # first time: remember the digest only
    store.set_info_value("rules_digest", "digest-of-older-rules")
    assert rules_changed(store)
    report = rescore_if_rules_changed(store)
    assert report is not None and report.children == 1
    assert not rules_changed(store) and rescore_if_rules_changed(store) is None


HARM = {
    **TEACHER,
    "days_absent_term": 0,
    "home_language_expectations": "meeting",
    "concern_about_harm": "yes",
}


def test_a_protection_high_is_lowered_only_by_name_and_reason(store: Store) -> None:
    """Team lead lowers HIGH to MEDIUM with a reason; it stays through a re-score; audit kept."""
    from cwtt_tui.assessing import lower_protection
    from cwtt_tui.errors import UsageError

    kid = child(store)
    round_ = store.rounds.open("Baseline", "2026-11-01")
    record_teacher(store, kid.id, round_.id, HARM)
    rescore(store, round_.id)
    assert store.assessments.get(kid.id, round_.id)["domains"]["protection"]["level"] == "high"
    with pytest.raises(UsageError, match="why"):
        lower_protection(store, kid, round_.id, "medium", "ok")
    with pytest.raises(UsageError, match="education|medium or low"):
        lower_protection(
            store, kid, round_.id, "incomplete", "social worker visited, child is safe"
        )
    lower_protection(store, kid, round_.id, "medium", "Social worker visited; the child is safe.")
    saved = store.assessments.get(kid.id, round_.id)["domains"]["protection"]
    assert saved["level"] == "medium" and saved["computed_level"] == "high"
    assert saved["override"]["by"] == "Nomsa"
    assert store.assessments.summaries(round_.id)[0].levels[3] == "M"
    rescore(store, round_.id)
    assert store.assessments.get(kid.id, round_.id)["domains"]["protection"]["level"] == "medium"
    assert "assessment.lower" in [e.action for e in store.audit.entries()]


def test_a_practitioner_may_not_lower_a_protection_high(tmp_path: Path) -> None:
    """Only team leads and coordinators may lower the level."""
    from cwtt_tui.assessing import lower_protection
    from cwtt_tui.errors import NotAllowed

    made, _ = create_store(
        tmp_path / "p.db", school_emis="500123456", school_name="T", laptop_name="A",
        user_name="Thabo", role="practitioner", passphrase="practitioner words here", kdf=TEST_KDF,
        clock=clock,
    )  # fmt: skip
    with made:
        kid = child(made)
        round_ = made.rounds.open("Baseline", "2026-11-01")
        record_teacher(made, kid.id, round_.id, HARM)
        rescore(made, round_.id)
        with pytest.raises(NotAllowed):
            lower_protection(made, kid, round_.id, "low", "I think the child is fine now really.")
