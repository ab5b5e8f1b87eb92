"""Interviews by keyboard: pick a child, register one with consent, answer, go back, skip, finish."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from demo_steps import register_sipho, unlock
from textual.widgets import Static

from cwtt_tui.demo import _Child, demo_answers
from cwtt_tui.store.peek import DEMO_PASSPHRASE
from cwtt_tui.store.store import unlock_store
from screens.children import ChildrenScreen
from screens.interview import QuestionScreen, SkipScreen
from screens.interview_start import InterviewStartScreen
from screens.review import ReviewScreen
from screens.widgets.child_list import ChildList


async def keys_for(pilot, question, value) -> None:  # type: ignore[no-untyped-def]
    """Answer one question as a person would: number keys, or typing and Enter, or Tab to skip."""
    if isinstance(value, dict):
        reason = {"refused": "1", "dont_know": "2", "not_applicable": "3"}[value["skipped"]]
        await pilot.press("tab", reason)
    elif question.type == "multiple":
        codes = [c.code for c in question.choices]
        await pilot.press(*(str(codes.index(v) + 1) for v in value), "enter")
    elif question.choices:
        index = [c.code for c in question.choices].index(value)
        if index < 9:
            await pilot.press(str(index + 1))
        else:
            await pilot.press("home", *["down"] * index, "enter")
    else:
        await pilot.press(*str(value), "enter")
    await pilot.pause()


async def test_register_a_child_with_consent_then_a_full_caregiver_interview(
    demo_path: Path, make_app
) -> None:
    """Keyboard only: register Sipho, answer every caregiver question, review, finish."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        await register_sipho(app, pilot)
        assert isinstance(app.screen, InterviewStartScreen)
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        session = screen.session
        rng = random.Random(5)
        plan = demo_answers(
            rng, session.instrument, _Child(rng, session.child.details, date(2026, 11, 2))
        )
        asked = 0
        while session.current is not None:
            question = session.current
            await keys_for(pilot, question, plan.get(question.id, {"skipped": "dont_know"}))
            assert session.current is not question, question.id
            asked += 1
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, InterviewStartScreen)
        interview_id = session.interview.id
        app.store.close()
    with unlock_store(demo_path, DEMO_PASSPHRASE) as store:
        saved = store.interviews.get(interview_id)
        assert saved.status == "complete" and len(saved.answers) == asked


async def test_back_skip_and_a_rejected_number(demo_path: Path, make_app) -> None:
    """Left goes back, Tab asks why and skips, an impossible number is refused beside the field."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        await register_sipho(app, pilot)
        await pilot.press("2", "1")  # caregiver; first question: mother
        session = app.screen.session
        assert session.current.id == "household_size"
        await pilot.press("0", "enter")
        message = str(app.screen.query_one("#q-message", Static).render())
        assert "1 to 40" in message and session.current.id == "household_size"
        await pilot.press("backspace", "left")
        assert session.current.id == "caregiver_relationship"
        await pilot.press("1", "tab")
        assert isinstance(app.screen, SkipScreen)
        await pilot.press("1")
        assert session.answers["household_size"] == {"skipped": "refused"}
        await pilot.press("escape")
        assert isinstance(app.screen, InterviewStartScreen)


async def test_search_narrows_the_children_list(demo_path: Path, make_app) -> None:
    """Typing a name keeps only the matching children; Escape leaves."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        await pilot.press("3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChildrenScreen)
        listing = screen.query_one(ChildList)
        assert listing.shown_count == 30
        first = listing._rows[0]
        surname = first.line.split(",")[0].strip()
        await pilot.press(*surname.lower())
        assert 1 <= listing.shown_count < 30
        assert all(surname.lower() in listing._rows[i].haystack for i in listing._shown)
        await pilot.press(*"zzzz")
        assert listing.shown_count == 0
