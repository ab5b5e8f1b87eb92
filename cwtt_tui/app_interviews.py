"""The app's interview flows: child, respondent, questions, then the mandatory-report check.

A mixin of `CwttApp` (the composition root), kept apart so that app.py stays readable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from cwtt_tui.errors import CwttError

if TYPE_CHECKING:
    from cwtt_tui.config import Settings
    from cwtt_tui.interviewing import InterviewSession
    from cwtt_tui.store.store import Store
    from screens.interview_start import StartChoice

RESUME_WITHIN = timedelta(days=1)  # a stopped interview younger than this is offered at unlock


class InterviewFlows:
    """Screens chained for an interview; expects the App's store, settings, clock and screens."""

    store: Store | None
    settings: Settings
    clock: Callable[[], datetime]
    save_settings: Callable[[Settings], None]

    def _child_chosen(self, child_id: str | None, language: str | None = None) -> None:
        """Ask whom to interview about the child; `language`: the one chosen there last time."""
        if not child_id or self.store is None:
            return
        from cwtt_tui.interviewing import ensure_round
        from screens.interview_start import InterviewStartScreen

        try:
            round_id = ensure_round(self.store)
        except CwttError as exc:
            self.notify(exc.message, severity="error")
            return
        started = self.store.interviews.list(child_id=child_id, round_id=round_id)
        kept = {interview.id: interview.language for interview in started}
        self.push_screen(
            InterviewStartScreen(
                self.store, child_id, round_id, language or self.settings.language, kept
            ),
            lambda chosen: self._respondent_chosen(child_id, round_id, chosen),
        )

    def _respondent_chosen(self, child_id: str, round_id: str, chosen: StartChoice | None) -> None:
        if self.store is None:
            return
        if chosen is None:  # Escape: back to the list of children
            self.open_choice("interview")
            return
        from cwtt_tui.interviewing import InterviewSession

        try:
            if chosen.interview_id:  # a started interview keeps its own language
                session = InterviewSession.resume(self.store, chosen.interview_id)
            else:
                child = self.store.children.get(child_id)
                session = InterviewSession.start(
                    self.store, child, chosen.respondent, round_id, chosen.language
                )
        except CwttError as exc:
            self.notify(exc.message, severity="error")
            return
        self._run_interview(session, lambda: self._child_chosen(child_id, chosen.language))

    def _continue_draft(self, interview_id: str | None) -> None:
        if not interview_id or self.store is None:
            return
        from cwtt_tui.interviewing import InterviewSession

        try:
            session = InterviewSession.resume(self.store, interview_id)
        except CwttError as exc:
            self.notify(exc.message, severity="error")
            return
        self._run_interview(session, lambda: self._child_chosen(session.child.id))

    def _run_interview(self, session: InterviewSession, then: Callable[[], None]) -> None:
        from screens.interview import LargeText, QuestionScreen

        large = LargeText(self.settings.large_text, self._keep_large_text)
        self.push_screen(
            QuestionScreen(session, self.speak, large),
            lambda _: self._after_interview(session, then),
        )

    def _keep_large_text(self, on: bool) -> str | None:
        """Save the large-text setting; returns why it could not be saved, or None."""
        try:
            self.save_settings(replace(self.settings, large_text=on))
        except CwttError as exc:
            return exc.message
        return None

    def _after_interview(self, session: InterviewSession, then: Callable[[], None]) -> None:
        """A finished interview that makes a report due opens the report panel first."""
        if self.store is None or session.interview.status != "complete":
            then()
            return
        self.ask_for_report(session.child.id, session.interview.round_id, then)

    def ask_for_report(self, child_id: str, round_id: str, then: Callable[[], None]) -> None:
        """Show the mandatory-report panel when a report is due and not yet recorded."""
        from cwtt_tui.reporting import report_due

        assert self.store is not None
        due = report_due(self.store, child_id, round_id)
        if due is None:
            then()
            return
        from screens.mandatory_report import MandatoryReportScreen

        name = self.store.children.get(child_id).details.full_name
        self.push_screen(MandatoryReportScreen(self.store, due, name), lambda _: then())

    def speak(self, text: str, language: str) -> str:
        """Read text aloud with the system's voice; returns a sentence saying what happened."""
        from cwtt_tui import speech

        result = speech.speak(text, language)
        return result.message or "Reading aloud…"

    def _offer_resume(self) -> None:
        """After unlocking: offer to continue the most recent stopped interview."""
        if self.store is None or self.store.is_locked:
            return
        user = self.store.user
        since = (self.clock() - RESUME_WITHIN).strftime("%Y-%m-%dT%H:%M:%SZ")
        drafts = [
            d
            for d in self.store.interviews.drafts()
            if user is not None
            and d.interviewer_id == user.id
            and d.meta
            and d.meta.updated_at >= since
        ]
        if not drafts:
            return
        from cwtt_tui.interviewing import InterviewSession
        from screens.resume_offer import ResumeOfferScreen

        try:
            session = InterviewSession.resume(self.store, drafts[0].id)
        except CwttError:
            return
        if session.current is None:
            return
        progress = session.progress()
        where = f"question {progress.index}" if progress else "the review page"
        who = session.interview.respondent
        question = f"Continue {session.child.details.first_name}'s {who} interview at {where}?"

        def answered(yes: bool | None) -> None:
            if yes:
                self._run_interview(session, lambda: self._child_chosen(session.child.id))

        self.push_screen(ResumeOfferScreen(question), answered)
