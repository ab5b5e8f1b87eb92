"""An interview in progress: the flow engine over the store, one saved answer at a time.

Screens drive an `InterviewSession`; it decides which question comes next, checks each answer,
saves it at once (one transaction) and knows where a resumed draft continues.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from cwtt_tui.errors import BadInstrument, UsageError
from cwtt_tui.models import Answer, Child, Interview
from questionnaires import flow
from questionnaires.answers import Rejected, skip_reason
from questionnaires.flow import Facts, Progress
from questionnaires.loader import InstrumentError, load_all
from questionnaires.model import Instrument, Question

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

RESPONDENT_LABELS = {
    "child": "Child",
    "caregiver": "Caregiver",
    "teacher": "Teacher",
    "health": "Health",
}
SKIP_LABELS = {"refused": "refused", "dont_know": "don't know", "not_applicable": "not applicable"}


@cache
def instruments() -> dict[str, Instrument]:
    """Every shipped instrument, validated once; a broken file stops interviews, not the app."""
    try:
        return load_all()
    except InstrumentError as exc:
        problems = "; ".join(str(p) for p in exc.problems[:3])
        raise BadInstrument(
            f"A questionnaire file does not validate ({problems}); run `cwtt questionnaires check`."
        ) from exc


def instrument_for(respondent: str) -> Instrument:
    for instrument in instruments().values():
        if instrument.respondent == respondent:
            return instrument
    raise BadInstrument(f"No questionnaire for the {respondent} is installed.")


@dataclass(frozen=True)
class ReviewLine:
    """One answer on the review page."""

    question: Question
    text: str
    shown: str
    ignored: bool


def display_value(question: Question, value: Any, lang: str = "en") -> str:
    """An answer in words: the choice label, the number with its unit, or the skip reason."""
    reason = skip_reason(value)
    if reason:
        return f"(skipped: {SKIP_LABELS.get(reason, reason)})"
    if value is None:
        return "(not answered)"
    if question.choices:
        codes = value if isinstance(value, list) else [value]
        labels = []
        for code in codes:
            choice = question.choice(code)
            labels.append(choice.label.get(lang) if choice else str(code))
        return ", ".join(labels) if labels else "(none)"
    if question.unit:
        return f"{value} {question.unit}"
    return str(value)


class InterviewSession:
    """One respondent's interview about one child: current question, answers, progress."""

    def __init__(
        self, store: Store, interview: Interview, child: Child, instrument: Instrument, today: date
    ) -> None:
        self.store = store
        self.interview = interview
        self.child = child
        self.instrument = instrument
        self.facts = Facts(
            interview_date=today,
            sex=child.details.sex,
            date_of_birth=child.details.date_of_birth,
            child_name=child.details.first_name,
        )
        self.answers: dict[str, Any] = interview.values()
        self.current: Question | None = (
            instrument.question(interview.position)
            if interview.position and instrument.has_question(interview.position)
            else None
        )
        if self.current is None or self.current.id in self.answers:
            self.current = flow.resume_question(instrument, self.facts, self.answers)

    # -- starting ------------------------------------------------------------------------------
    @classmethod
    def start(
        cls, store: Store, child: Child, respondent: str, round_id: str, language: str = "en"
    ) -> InterviewSession:
        instrument = instrument_for(respondent)
        interview = store.interviews.start(
            child.id, round_id, respondent, instrument_id=instrument.id,
            instrument_version=instrument.version, language=language,
        )  # fmt: skip
        return cls(store, interview, child, instrument, store.ctx.clock().date())

    @classmethod
    def resume(cls, store: Store, interview_id: str) -> InterviewSession:
        interview = store.interviews.get(interview_id)
        child = store.children.get(interview.child_id, viewed=True)
        instrument = instrument_for(interview.respondent)
        return cls(store, interview, child, instrument, store.ctx.clock().date())

    # -- where we are -------------------------------------------------------------------------
    @property
    def language(self) -> str:
        return self.interview.language

    @property
    def finished_asking(self) -> bool:
        """True when every visible question has an answer or a skip: the review page is next."""
        return self.current is None

    def progress(self) -> Progress | None:
        if self.current is None:
            return None
        return flow.progress(self.instrument, self.facts, self.answers, self.current)

    def progress_text(self) -> str:
        """'Caregiver · Nutrition · question 5 of 31'."""
        progress = self.progress()
        who = RESPONDENT_LABELS.get(self.interview.respondent, self.interview.respondent)
        if progress is None:
            return f"{who} · review"
        domain = flow.DOMAIN_LABELS.get(progress.domain, progress.domain)
        return f"{who} · {domain} · question {progress.index} of {progress.total}"

    def text(self, question: Question | None = None) -> str:
        question = question or self.current
        assert question is not None
        return flow.question_text(
            self.instrument, self.facts, self.answers, question, self.language
        )

    def say(self, question: Question | None = None) -> str:
        """What the interviewer says aloud, with "(name)" replaced by the child's name."""
        question = question or self.current
        if question is None or question.say is None:
            return ""
        return question.say.get(self.language).replace("(name)", self.child.details.first_name)

    def current_value(self) -> Any:
        return self.answers.get(self.current.id) if self.current else None

    def disclosure_for(self, question: Question) -> str | None:
        """What to say and do now, when the answer just given to `question` is a disclosure."""
        return flow.disclosure_script(
            self.instrument, self.facts, self.answers, question, self.language
        )

    def read_aloud_text(self) -> str:
        """The current question and its options, as a speech engine should read them."""
        question = self._require_current()
        parts = [self.text()]
        if question.say:
            parts.append(self.say())
        for n, choice in enumerate(question.choices, 1):
            parts.append(f"{n}: {choice.label.get(self.language)}.")
        return " ".join(parts)

    # -- answering ----------------------------------------------------------------------------
    def answer(self, raw: object) -> str | None:
        """Check and save an answer to the current question, then move on.

        Returns the plain message of a rejected answer (nothing saved, no move), else None.
        """
        question = self._require_current()
        if question.is_note:
            self.current = flow.next_question(self.instrument, self.facts, self.answers, question)
            return None
        result = flow.validate_answer(
            self.instrument, self.facts, self.answers, question, raw, self.language
        )
        if isinstance(result, Rejected):
            return result.message
        self._save(question, Answer(value=result.value))
        self.answers[question.id] = result.value
        self.current = flow.next_question(self.instrument, self.facts, self.answers, question)
        return None

    def skip(self, reason: str) -> str | None:
        """Skip the current question with a reason; a required one cannot be skipped."""
        question = self._require_current()
        result = flow.skip_answer(question, reason)
        if isinstance(result, Rejected):
            return result.message
        self._save(question, Answer(skipped=reason))
        self.answers[question.id] = result.value
        self.current = flow.next_question(self.instrument, self.facts, self.answers, question)
        return None

    def back(self) -> bool:
        """Go to the previous visible question; False at the first."""
        previous = flow.previous_question(self.instrument, self.facts, self.answers, self.current)
        if previous is None:
            return False
        self.current = previous
        return True

    def go_to(self, question_id: str) -> None:
        """Jump to a question (from the review page) to change its answer."""
        self.current = self.instrument.question(question_id)

    def _require_current(self) -> Question:
        if self.current is None:
            raise UsageError("Every question is answered; review the answers or finish.")
        return self.current

    def _save(self, question: Question, answer: Answer) -> None:
        if self.interview.status == "complete":  # a correction: the interview is a draft again
            self.store.interviews.reopen(self.interview.id)
        self.interview = self.store.interviews.save_answer(
            self.interview.id, question.id, answer, position=question.id
        )

    # -- review and finish --------------------------------------------------------------------
    def review(self) -> list[tuple[str, list[ReviewLine]]]:
        """Every section's questions with their answers; hidden answers marked as ignored."""
        visible = {q.id for q in flow.visible_questions(self.instrument, self.facts, self.answers)}
        pages: list[tuple[str, list[ReviewLine]]] = []
        for section in self.instrument.sections:
            lines = []
            for question in section.questions:
                if question.is_note:
                    continue
                is_visible = question.id in visible
                if not is_visible and question.id not in self.answers:
                    continue
                lines.append(
                    ReviewLine(
                        question,
                        self.text(question),
                        display_value(question, self.answers.get(question.id), self.language),
                        ignored=not is_visible,
                    )
                )
            if lines:
                pages.append((section.title.get(self.language), lines))
        return pages

    def missing_required(self) -> tuple[str, ...]:
        return tuple(q.id for q in flow.missing_required(self.instrument, self.facts, self.answers))

    def finish(self) -> Interview:
        """Mark the interview complete; refused while a required question has no answer."""
        missing = flow.missing_required(self.instrument, self.facts, self.answers)
        if missing:
            raise UsageError(
                f"{len(missing)} required question(s) still need an answer, first {missing[0].id}."
            )
        unanswered = [
            q.id
            for q in flow.visible_questions(self.instrument, self.facts, self.answers)
            if not q.is_note and q.id not in self.answers
        ]
        if unanswered:
            raise UsageError(
                f"{len(unanswered)} question(s) have no answer yet, first {unanswered[0]}; "
                "answer or skip them."
            )
        from cwtt_tui.assessing import assess_child

        with self.store.transaction():
            self.interview = self.store.interviews.complete(self.interview.id)
            assess_child(self.store, self.child, self.interview.round_id)
        return self.interview


def ensure_round(store: Store) -> str:
    """The open round new interviews belong to; the first interview of all opens 'Baseline YEAR'."""
    current = store.rounds.current()
    if current is not None:
        return current.id
    today = store.ctx.clock().date()
    return store.rounds.open(f"Baseline {today.year}", today.isoformat()).id


@dataclass(frozen=True)
class RespondentStatus:
    """Where one respondent's interview about a child stands in the current round."""

    respondent: str
    interview_id: str | None
    status: str  # "not started", "draft", "complete"
    answered: int


def respondent_statuses(store: Store, child_id: str, round_id: str) -> list[RespondentStatus]:
    latest: dict[str, Interview] = {}
    for interview in store.interviews.list(child_id=child_id, round_id=round_id):
        latest[interview.respondent] = interview
    statuses = []
    for respondent in RESPONDENT_LABELS:
        found = latest.get(respondent)
        if found is None:
            statuses.append(RespondentStatus(respondent, None, "not started", 0))
        else:
            statuses.append(
                RespondentStatus(respondent, found.id, found.status, len(found.answers))
            )
    return statuses
