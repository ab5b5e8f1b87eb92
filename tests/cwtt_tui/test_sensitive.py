"""Sensitive questions: who is trained for them, interviews that leave them, and hiding answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cwtt_tui.crypto.kdf import TEST_KDF
from cwtt_tui.errors import NotAllowed, UsageError
from cwtt_tui.interviewing import SENSITIVE_HIDDEN, SENSITIVE_QUESTION, InterviewSession
from cwtt_tui.models import Answer, ChildDetails, Consent
from cwtt_tui.reporting import report_due
from cwtt_tui.sensitivity import (
    HIDDEN_REASON,
    is_sensitive,
    may_see,
    redact_answers,
    redact_reason,
    sensitive_ids,
)
from cwtt_tui.store.store import Store, create_store, unlock_store

LEAD_PASSPHRASE = "team lead passphrase here"
THABO_PASSPHRASE = "kettle lamp river stone"
LEFT = {"skipped": "trained_staff"}
CHILD_SENSITIVE = ("hurt_self_thoughts", "hurt_at_home", "touched_unsafe")


def clock() -> datetime:
    return datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Iterator[Path]:
    """A store with a team lead (Nomsa), a practitioner (Thabo), a child and an open round."""
    made, _ = create_store(
        tmp_path / "s.db", school_emis="500123456", school_name="Thembeka", laptop_name="A",
        user_name="Nomsa", role="team_lead", passphrase=LEAD_PASSPHRASE, kdf=TEST_KDF, clock=clock,
    )  # fmt: skip
    with made:
        made.users.add("Thabo", "practitioner", THABO_PASSPHRASE)
        details = ChildDetails(
            "Zanele", "Dlamini", "2", "2B", date(2019, 3, 4), "female",
            consent=Consent(True, True, "mother", "Nomsa", "2026-11-01", "written"),
        )  # fmt: skip
        made.children.add(made.home_school_id, details)
        made.rounds.open("Baseline 2026", "2026-11-01")
    yield tmp_path / "s.db"


def open_as(path: Path, passphrase: str) -> Store:
    return unlock_store(path, passphrase, clock=clock)


def start(store: Store, respondent: str = "child") -> InterviewSession:
    child = store.children.list()[0]
    round_ = store.rounds.current()
    assert round_ is not None
    return InterviewSession.start(store, child, respondent, round_.id)


def step(session: InterviewSession) -> str:
    """Answer the current question with its first choice (or 1); return its id."""
    question = session.current
    assert question is not None
    assert session.answer(question.choices[0].code if question.choices else "1") is None
    return question.id


def answer_until(session: InterviewSession, stop: str | None = None) -> list[str]:
    """Answer every question shown until `stop` (or the end); return the ids shown."""
    shown = []
    while session.current is not None and session.current.id != stop:
        shown.append(step(session))
    return shown


# -- the permission -------------------------------------------------------------------------


def test_the_permission_follows_the_role_unless_said(path: Path) -> None:
    """Team leads and coordinators are trained by default, practitioners not; add() can say."""
    with open_as(path, LEAD_PASSPHRASE) as store:
        assert store.user is not None and store.user.sensitive
        assert store.users.find("Thabo").sensitive is False
        nurse = store.users.add(
            "Sister Dube", "practitioner", "nurse long passphrase", sensitive=True
        )
        lead = store.users.add("Lerato", "team_lead", "lerato long passphrase", sensitive=False)
        assert (nurse.sensitive, lead.sensitive) == (True, False)
        assert list(store.audit.entries())[-1].detail == {"role": "team_lead", "sensitive": False}
    with open_as(path, LEAD_PASSPHRASE) as store:
        trained = {u.name: u.sensitive for u in store.users.list()}
    assert trained == {"Nomsa": True, "Thabo": False, "Sister Dube": True, "Lerato": False}


def test_users_made_before_the_permission_follow_their_role(path: Path) -> None:
    """A sealed user payload without the field reads as trained for managers only."""
    with open_as(path, LEAD_PASSPHRASE) as store:
        for user in store.users.list():
            old = {"name": user.name, "role": user.role}
            sealed = store.ctx.seal_json("users", user.id, old)
            store.ctx.db["users"].update(user.id, {"payload": sealed})
    with open_as(path, LEAD_PASSPHRASE) as store:
        assert {u.name: u.sensitive for u in store.users.list()} == {"Nomsa": True, "Thabo": False}
        assert store.user is not None and store.user.sensitive


def test_a_manager_sets_it_audited_and_a_practitioner_may_not(path: Path) -> None:
    with open_as(path, LEAD_PASSPHRASE) as store:
        thabo = store.users.find("Thabo")
        assert store.users.set_sensitive(thabo.id, True).sensitive
        entry = list(store.audit.entries())[-1]
        assert (entry.action, entry.target, entry.detail) == (
            "user.sensitive",
            thabo.id,
            {"allowed": True},
        )
        me = store.user
        assert me is not None
        store.users.set_sensitive(me.id, False)
        assert store.user is not None and not store.user.sensitive
    with open_as(path, THABO_PASSPHRASE) as store:
        assert store.user is not None and store.user.sensitive
        with pytest.raises(NotAllowed, match="Only a team lead or coordinator"):
            store.users.set_sensitive(store.user.id, False)
        assert store.users.find("Thabo").sensitive
        assert store.audit.verify().first_broken is None


# -- asking ---------------------------------------------------------------------------------


def test_an_untrained_interviewer_never_sees_a_sensitive_question(path: Path) -> None:
    """Each is saved as left for trained staff; the progress line counts them."""
    with open_as(path, THABO_PASSPHRASE) as store:
        session = start(store)
        first_total = session.progress()
        assert first_total is not None
        lines = []
        shown = []
        while session.current is not None:
            shown.append(session.current.id)
            lines.append(session.progress_text())
            question = session.current
            assert session.answer(question.choices[0].code if question.choices else "1") is None
        assert not set(shown) & set(CHILD_SENSITIVE)
        assert not any(session.instrument.question(q).sensitive for q in shown)
        saved = store.interviews.get(session.interview.id).values()
        assert {q: saved[q] for q in CHILD_SENSITIVE} == dict.fromkeys(CHILD_SENSITIVE, LEFT)
        assert session.left_for_trained_staff() == CHILD_SENSITIVE
        assert lines[0].endswith(f"question 1 of {first_total.total}")
        assert lines[-1].endswith(" · 3 left for trained staff")
        assert "question" in lines[-1] and f"of {len(shown) - 1}" in lines[-1]  # the note uncounted
        assert session.finish().status == "complete"


def test_back_passes_over_them_and_go_to_refuses(path: Path) -> None:
    with open_as(path, THABO_PASSPHRASE) as store:
        session = start(store)
        answer_until(session, "bed_hungry")
        assert session.answers["hurt_self_thoughts"] == LEFT
        assert session.back() and session.current is not None
        assert session.current.id == "bullied"
        with pytest.raises(NotAllowed, match="trained for sensitive questions"):
            session.go_to("hurt_at_home")


def test_the_review_hides_sensitive_questions_from_the_untrained(path: Path) -> None:
    """Untrained: neither the question nor a trained colleague's answer; trained: both."""
    with open_as(path, LEAD_PASSPHRASE) as store:
        session = start(store)
        answer_until(session)
        session.finish()
        interview_id = session.interview.id
    with open_as(path, THABO_PASSPHRASE) as store:
        lines = {
            line.question.id: line
            for _, page in InterviewSession.resume(store, interview_id).review()
            for line in page
        }
        for qid in CHILD_SENSITIVE:
            assert (lines[qid].text, lines[qid].shown, lines[qid].hidden) == (
                SENSITIVE_QUESTION,
                SENSITIVE_HIDDEN,
                True,
            )
        assert lines["feel_sad"].shown == "No" and not lines["feel_sad"].hidden
        assert store.interviews.get(interview_id).status == "complete"  # looking changes nothing


def test_a_trained_colleague_answers_what_was_left(path: Path) -> None:
    """The draft resumes at the first question left; answering one leads to the next left."""
    with open_as(path, THABO_PASSPHRASE) as store:
        session = start(store)
        answer_until(session, "like_reading")
        interview_id = session.interview.id
    with open_as(path, LEAD_PASSPHRASE) as store:
        session = InterviewSession.resume(store, interview_id)
        assert session.current is not None and session.current.id == "hurt_self_thoughts"
        assert "3 left for trained staff" in session.progress_text()
        assert session.answer("no") is None
        assert session.current.id == "hurt_at_home"
        assert session.skip("refused") is None
        assert session.current.id == "touched_unsafe"
        assert session.answer("no") is None
        assert session.current.id == "like_reading"  # the first question not yet asked
        assert session.left_for_trained_staff() == ()
        saved = store.interviews.get(interview_id).values()
        assert saved["hurt_at_home"] == {"skipped": "refused"}


def test_a_finished_interview_opens_on_its_review_for_a_trained_colleague(path: Path) -> None:
    """The review lists what was left; Enter (go_to) on one asks it, and the next left follows."""
    with open_as(path, THABO_PASSPHRASE) as store:
        session = start(store)
        answer_until(session)
        session.finish()
        interview_id = session.interview.id
    with open_as(path, LEAD_PASSPHRASE) as store:
        session = InterviewSession.resume(store, interview_id)
        assert session.current is None
        lines = {line.question.id: line for _, page in session.review() for line in page}
        assert lines["hurt_at_home"].shown == "(left for trained staff)"
        assert lines["hurt_at_home"].text.startswith("Does anyone at home")
        session.go_to("hurt_at_home")
        assert session.answer("a_lot") is None
        assert session.current is not None and session.current.id == "hurt_self_thoughts"
        assert session.answer("no") is None and session.answer("no") is None
        assert session.current is None
        assert session.finish().status == "complete"
        result = store.assessments.get(session.child.id, session.interview.round_id)
        assert result is not None and result["domains"]["protection"]["level"] == "high"
        due = report_due(store, session.child.id, session.interview.round_id)
        assert due is not None and due.sensitive == (True,)
        assert due.shown_reasons(True) == due.reasons
        assert due.reasons[0].startswith("Disclosure: the child says someone at home hits")
        assert due.shown_reasons(False) == (HIDDEN_REASON,)


def test_left_questions_score_as_missing(path: Path) -> None:
    """Finishing with questions left scores protection incomplete, naming why."""
    with open_as(path, THABO_PASSPHRASE) as store:
        session = start(store)
        answer_until(session)
        session.finish()
        result = store.assessments.get(session.child.id, session.interview.round_id)
        assert result is not None
        protection = result["domains"]["protection"]
        assert protection["level"] == "incomplete"
        assert protection["why_missing"]["child_self.hurt_at_home"] == (
            "child_self.hurt_at_home was skipped (left for trained staff)"
        )


def test_a_chosen_skip_cannot_claim_trained_staff(path: Path) -> None:
    """Only the session records trained_staff; the store takes it like any other reason."""
    with open_as(path, THABO_PASSPHRASE) as store:
        session = start(store)
        assert session.skip("trained_staff") == (
            "Choose why the question is skipped: refused, don't know, or not applicable."
        )
        saved = store.interviews.save_answer(
            session.interview.id, "feel_sad", Answer(skipped="trained_staff")
        )
        assert saved.values()["feel_sad"] == LEFT
        with pytest.raises(UsageError):
            store.interviews.save_answer(session.interview.id, "feel_sad", Answer(skipped="bored"))


# -- seeing ---------------------------------------------------------------------------------


def test_sensitive_ids_name_answers_as_scoring_does() -> None:
    ids = sensitive_ids()
    assert {"child_self.hurt_at_home", "caregiver.phq_9", "teacher.injuries_seen"} <= ids
    assert {"health.chronic_illness", "phq9.item9"} <= ids
    assert "child_self.feel_sad" not in ids and "phq9.total" not in ids
    assert is_sensitive("touched_unsafe", "child") and not is_sensitive("feel_sad", "child")


def test_redact_answers_and_reasons() -> None:
    answers = {"child_self.hurt_at_home": "a_lot", "child_self.feel_safe_home": "no"}
    assert redact_answers(answers, True) == answers
    assert redact_answers(answers, False) == {
        "child_self.hurt_at_home": SENSITIVE_HIDDEN,
        "child_self.feel_safe_home": "no",
    }
    assert redact_answers({"hurt_at_home": "a_lot"}, False, "child") == {
        "hurt_at_home": SENSITIVE_HIDDEN
    }
    reason = {
        "rule": "protection.child_hurt_at_home",
        "text": "Disclosure: the child says someone at home hits or hurts them (a_lot)",
        "answers": {"child_self.hurt_at_home": "a_lot"},
        "level": "high",
    }
    hidden = redact_reason(reason, False)
    assert hidden == {
        "rule": "protection.child_hurt_at_home",
        "text": HIDDEN_REASON,
        "answers": {"child_self.hurt_at_home": SENSITIVE_HIDDEN},
        "level": "high",
    }
    assert redact_reason(reason, True) == reason
    plain = {"rule": "x", "text": "Hungry", "answers": {"child_self.bed_hungry": "a_lot"}}
    assert redact_reason(plain, False) == plain
    assert may_see(None) is False
