"""An interview session over a real store: answers saved one by one, skips, back, resume, finish."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cwtt_tui.crypto.kdf import TEST_KDF
from cwtt_tui.demo import _Child, demo_answers
from cwtt_tui.errors import UsageError
from cwtt_tui.interviewing import InterviewSession, display_value, instruments
from cwtt_tui.models import ChildDetails, Consent
from cwtt_tui.store.store import Store, create_store, unlock_store

PASSPHRASE = "interview test passphrase"


def clock() -> datetime:
    return datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made, _ = create_store(
        tmp_path / "s.db", school_emis="500123456", school_name="Thembeka", laptop_name="A",
        user_name="Nomsa", role="practitioner", passphrase=PASSPHRASE, kdf=TEST_KDF, clock=clock,
    )  # fmt: skip
    yield made
    made.close()


def new_session(store: Store, respondent: str = "caregiver") -> InterviewSession:
    details = ChildDetails(
        "Zanele", "Dlamini", "2", "2B", date(2019, 3, 4), "female",
        consent=Consent(True, True, "mother", "Nomsa", "2026-11-01", "written"),
    )  # fmt: skip
    child = store.children.add(store.home_school_id, details)
    round_ = store.rounds.open("Baseline 2026", "2026-11-01")
    return InterviewSession.start(store, child, respondent, round_.id)


def test_first_question_and_progress_line(store: Store) -> None:
    """The caregiver interview starts at its first question with a progress line."""
    session = new_session(store)
    assert session.current is not None
    assert session.progress_text().startswith("Caregiver · ")
    assert " · question 1 of " in session.progress_text()


def test_a_rejected_answer_saves_nothing_and_does_not_move(store: Store) -> None:
    """An impossible answer returns its plain message; the question stays."""
    session = new_session(store)
    while session.current is not None and session.current.type != "integer":
        assert (
            session.skip("dont_know") is None
            or session.answer(session.current.choices[0].code if session.current.choices else "1")
            is None
        )
    question = session.current
    assert question is not None
    message = session.answer("-5")
    assert message and session.current is question
    assert question.id not in store.interviews.get(session.interview.id).answers


def test_skip_logic_hides_the_follow_up_and_back_returns(store: Store) -> None:
    """hhs_1 = no hides hhs_1_freq; going back lands on hhs_1 again."""
    session = new_session(store)
    session.go_to("hhs_1")
    assert session.answer("no") is None
    assert session.current is not None and session.current.id == "hhs_2"
    assert session.back() and session.current.id == "hhs_1"
    assert session.answer("yes") is None
    assert session.current.id == "hhs_1_freq"


def test_every_answer_is_in_the_store_at_once_and_a_draft_resumes(store: Store) -> None:
    """Answers are saved as given; a new session continues at the first unanswered question."""
    session = new_session(store)
    for _ in range(5):
        question = session.current
        assert question is not None
        value = question.choices[0].code if question.choices else 3
        assert session.answer(value) is None, question.id
    saved = store.interviews.get(session.interview.id)
    assert len(saved.answers) == 5 and saved.position is not None
    resumed = InterviewSession.resume(store, session.interview.id)
    assert resumed.current == session.current
    assert resumed.answers == session.answers


def test_a_full_interview_finishes_and_reviews(store: Store) -> None:
    """Answering every visible question lets the interview finish; review lists each answer."""
    session = new_session(store)
    rng = random.Random(3)
    planned = demo_answers(
        rng, session.instrument, _Child(rng, session.child.details, date(2026, 11, 2))
    )
    with pytest.raises(UsageError):
        session.finish()
    while session.current is not None:
        question = session.current
        value = planned.get(question.id, {"skipped": "dont_know"})
        if isinstance(value, dict):
            message = session.skip(value["skipped"])
        else:
            message = session.answer(value)
        assert message is None, (question.id, value, message)
    done = session.finish()
    assert done.status == "complete"
    sections = session.review()
    assert sum(len(lines) for _, lines in sections) == len(done.answers)
    path = store.path
    store.close()
    with unlock_store(path, PASSPHRASE) as again:
        assert again.interviews.get(done.id).status == "complete"


def test_answers_read_in_words() -> None:
    """Choice codes show their labels; skips show their reason."""
    caregiver = instruments()["caregiver"]
    hhs = caregiver.question("hhs_1_freq")
    assert display_value(hhs, "often").lower().startswith("often")
    assert display_value(hhs, {"skipped": "dont_know"}) == "(skipped: don't know)"
