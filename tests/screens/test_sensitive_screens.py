"""Sensitive questions on screen: left for trained staff, hidden on the review page, and the
users screen's switch."""

from __future__ import annotations

from pathlib import Path

from demo_steps import register_sipho, unlock
from textual.widgets import OptionList, Static

from cwtt_tui.interviewing import SENSITIVE_HIDDEN, SENSITIVE_QUESTION, InterviewSession
from cwtt_tui.store.peek import DEMO_PASSPHRASE
from cwtt_tui.store.store import unlock_store
from screens.interview import DisclosureScreen, QuestionScreen
from screens.interview_start import InterviewStartScreen
from screens.review import ReviewScreen
from screens.users import UsersScreen

THABO_PASSPHRASE = "kettle lamp river stone"
CHILD_SENSITIVE = {"hurt_self_thoughts", "hurt_at_home", "touched_unsafe"}
LEFT = {"skipped": "trained_staff"}


def add_thabo(path: Path) -> None:
    """A practitioner, not trained for sensitive questions, in the demo store."""
    with unlock_store(path, DEMO_PASSPHRASE) as store:
        store.users.add("Thabo", "practitioner", THABO_PASSPHRASE)


def text(widget: Static) -> str:
    return str(widget.render())


async def child_interview(app, pilot) -> tuple[InterviewSession, list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Run the child interview by keyboard, answering 1 (or the first choice) every time.

    Returns the session, the ids of the questions shown and the progress lines shown.
    """
    await register_sipho(app, pilot)
    assert isinstance(app.screen, InterviewStartScreen)
    await pilot.press("1")
    screen = app.screen
    assert isinstance(screen, QuestionScreen)
    session = screen.session
    shown, progress = [], []
    while session.current is not None:
        question = session.current
        shown.append(question.id)
        progress.append(text(screen.query_one("#q-progress", Static)))
        assert text(screen.query_one("#q-text", Static)) == session.text(question)
        await pilot.press("1")
        if isinstance(app.screen, DisclosureScreen):  # after a disclosure: read it, go on
            await pilot.press("enter")
        if question.type == "multiple":
            await pilot.press("enter")
        await pilot.pause()
        assert session.current is not question, question.id
    return session, shown, progress


async def test_an_untrained_practitioner_never_sees_a_sensitive_question(
    demo_path: Path, make_app
) -> None:
    """Thabo's child interview passes over every sensitive question; each is saved as left
    for trained staff; the progress line counts them; the review hides them."""
    add_thabo(demo_path)
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot, THABO_PASSPHRASE)
        session, shown, progress = await child_interview(app, pilot)
        assert not CHILD_SENSITIVE & set(shown)
        assert "left for trained staff" not in progress[0]
        assert progress[-1].endswith(" · 3 left for trained staff")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        listing = review.query_one("#review-list", OptionList)
        prompts = {
            str(listing.get_option_at_index(i).id): str(listing.get_option_at_index(i).prompt)
            for i in range(listing.option_count)
        }
        for qid in CHILD_SENSITIVE:
            assert prompts[qid].startswith(SENSITIVE_QUESTION[:40])
            assert "(left for trained staff)" in prompts[qid]
        assert "3 questions are left for trained staff" in text(
            review.query_one("#review-status", Static)
        )
        await pilot.press("ctrl+f")
        await pilot.pause()
        interview_id = session.interview.id
        app.store.close()
    with unlock_store(demo_path, DEMO_PASSPHRASE) as store:
        saved = store.interviews.get(interview_id)
        assert saved.status == "complete"
        assert {q: saved.values()[q] for q in CHILD_SENSITIVE} == dict.fromkeys(
            CHILD_SENSITIVE, LEFT
        )


async def test_a_trained_user_is_asked_every_sensitive_question(demo_path: Path, make_app) -> None:
    """The demo coordinator (trained by default) sees each one, and nothing is left."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot, DEMO_PASSPHRASE)
        session, shown, progress = await child_interview(app, pilot)
        assert set(shown) >= CHILD_SENSITIVE
        assert not any("trained staff" in line for line in progress)
        assert session.left_for_trained_staff() == ()


async def test_the_review_hides_a_trained_colleagues_answers(demo_path: Path, make_app) -> None:
    """A child interview the coordinator finished: Thabo sees '(sensitive: hidden)', and Enter
    on one says who may see it instead of opening the question."""
    add_thabo(demo_path)
    with unlock_store(demo_path, DEMO_PASSPHRASE) as store:
        child = store.children.list()[0]
        round_ = store.rounds.current()
        assert round_ is not None
        session = InterviewSession.start(store, child, "child", round_.id)
        while session.current is not None:
            question = session.current
            assert session.answer(question.choices[-1].code if question.choices else "1") is None
        session.finish()
        interview_id = session.interview.id
        hurt = session.instrument.question("hurt_at_home").choices[-1].label.get()
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot, THABO_PASSPHRASE)
        review = ReviewScreen(InterviewSession.resume(app.store, interview_id))
        app.push_screen(review)
        await pilot.pause()
        listing = review.query_one("#review-list", OptionList)
        ids = [str(listing.get_option_at_index(i).id) for i in range(listing.option_count)]
        index = ids.index("hurt_at_home")
        prompt = str(listing.get_option_at_index(index).prompt)
        assert SENSITIVE_HIDDEN in prompt and hurt not in prompt
        assert "hit you or hurt you" not in prompt
        listing.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is review
        message = text(review.query_one("#review-message", Static))
        assert message.startswith("Only staff trained for sensitive questions")
        app.store.close()


async def test_the_users_screen_shows_and_switches_the_permission(
    demo_path: Path, make_app
) -> None:
    """S on the highlighted user turns it on (a coordinator may); the list says so."""
    add_thabo(demo_path)
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot, DEMO_PASSPHRASE)
        await pilot.press("8", "ctrl+u")
        screen = app.screen
        assert isinstance(screen, UsersScreen)
        assert "social workers, nurses, psychologists" in text(screen.query_one("#users-note"))
        listing = screen.query_one("#users-list", OptionList)
        labels = [str(listing.get_option_at_index(i).prompt) for i in range(2)]
        assert "sensitive: yes" in labels[0] and "sensitive: no" in labels[1]
        await pilot.press("down", "s")
        await pilot.pause()
        message = text(screen.query_one("#users-message", Static))
        assert message == "Thabo may now ask and see sensitive questions."
        assert "sensitive: yes" in str(listing.get_option_at_index(1).prompt)
        assert listing.highlighted == 1
        app.store.close()
    with unlock_store(demo_path, THABO_PASSPHRASE) as store:
        assert store.user is not None and store.user.sensitive


async def test_the_report_panel_hides_a_sensitive_reason(demo_path: Path, make_app) -> None:
    """The mandatory report still opens for Thabo, but its sensitive reason is hidden."""
    from cwtt_tui.reporting import ReportDue
    from cwtt_tui.sensitivity import HIDDEN_REASON
    from screens.mandatory_report import MandatoryReportScreen

    add_thabo(demo_path)
    disclosure = "Disclosure: the child says someone at home hits or hurts them (a_lot)"
    due = ReportDue("child", "round", (disclosure, "Teacher saw injuries"), (True, False))
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot, THABO_PASSPHRASE)
        panel = MandatoryReportScreen(app.store, due, "Sipho Nkosi")
        app.push_screen(panel)
        await pilot.pause()
        shown = "\n".join(text(s) for s in panel.query(Static))
        assert HIDDEN_REASON in shown and "Teacher saw injuries" in shown
        assert "hits or hurts" not in shown
        app.store.close()


async def test_the_case_screen_hides_sensitive_reasons_from_the_untrained(
    demo_path: Path, make_app
) -> None:
    """A child whose protection HIGH comes from a disclosure: Thabo sees the level, not the words."""
    from screens.case import CaseScreen

    with unlock_store(demo_path, DEMO_PASSPHRASE) as store:
        round_id = store.rounds.list()[0].id
        found = None
        for child in store.children.list():
            result = store.assessments.get(child.id, round_id) or {}
            reasons = result.get("domains", {}).get("protection", {}).get("reasons", [])
            if any("hurt_at_home" in str(r.get("answers", {})) for r in reasons):
                found = child.id
                break
    assert found is not None, "the demo store has a disclosure"
    add_thabo(demo_path)
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot, THABO_PASSPHRASE)
        case = CaseScreen(app.store, found, round_id)
        app.push_screen(case)
        await pilot.pause()
        shown = "\n".join(text(s) for s in case.query(Static))
        assert "Protection & care" in shown and "hits or hurts" not in shown
        assert "hurt_at_home = (sensitive: hidden)" in shown
        app.store.close()
