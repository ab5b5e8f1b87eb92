"""An interview in progress: the flow engine over the store, one saved answer at a time.

Screens drive an `InterviewSession`; it decides which question comes next, checks each answer,
saves it at once (one transaction) and knows where a resumed draft continues. An interviewer not
trained for sensitive questions never sees one: it is saved as left for trained staff, and a
trained interviewer who opens the draft later continues at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from cwtt_tui.errors import BadInstrument, NotAllowed, UsageError
from cwtt_tui.models import Answer, Child, Interview
from questionnaires import flow
from questionnaires.answers import TRAINED_STAFF, Rejected, skip_reason, skipped
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
SKIP_LABELS = {
    "refused": "refused",
    "dont_know": "don't know",
    "not_applicable": "not applicable",
    TRAINED_STAFF: "left for trained staff",
}
SENSITIVE_HIDDEN = "(sensitive: hidden)"
SENSITIVE_QUESTION = "(a sensitive question: trained staff only)"
NOT_TRAINED = "Only staff trained for sensitive questions may ask this question or see its answer."


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
    """One answer on the review page; `hidden`: a sensitive one this user may not see."""

    question: Question
    text: str
    shown: str
    ignored: bool
    hidden: bool = False


def display_value(question: Question, value: Any, lang: str = "en") -> str:
    """An answer in words: the choice label, the number with its unit, or the skip reason."""
    reason = skip_reason(value)
    if reason == TRAINED_STAFF:
        return f"({SKIP_LABELS[reason]})"
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
        current: Question | None = (
            instrument.question(interview.position)
            if interview.position and instrument.has_question(interview.position)
            else None
        )
        if current is None or current.id in self.answers or self._withheld(current):
            current = self._resume()
        self._move_to(current)

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
    def sensitive(self) -> bool:
        """Whether the signed-in user is trained for sensitive questions (may ask and see them)."""
        user = self.store.user
        return user is not None and user.sensitive

    def _withheld(self, question: Question) -> bool:
        return flow.withheld(question, self.sensitive)

    def left_for_trained_staff(self) -> tuple[str, ...]:
        """Ids of the questions recorded as left for trained staff, in order."""
        found = flow.left_for_trained_staff(self.instrument, self.facts, self.answers)
        return tuple(q.id for q in found)

    @property
    def finished_asking(self) -> bool:
        """True when every visible question has an answer or a skip: the review page is next."""
        return self.current is None

    def progress(self) -> Progress | None:
        if self.current is None:
            return None
        return flow.progress(
            self.instrument, self.facts, self.answers, self.current, sensitive=self.sensitive
        )

    def progress_text(self) -> str:
        """'Caregiver · Nutrition · question 5 of 31', then how many wait for trained staff."""
        progress = self.progress()
        who = RESPONDENT_LABELS.get(self.interview.respondent, self.interview.respondent)
        if progress is None:
            return f"{who} · review" + flow.left_text(len(self.left_for_trained_staff()))
        domain = flow.DOMAIN_LABELS.get(progress.domain, progress.domain)
        line = f"{who} · {domain} · question {progress.index} of {progress.total}"
        return line + flow.left_text(progress.left)

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
            self._move_to(self._next(question))
            return None
        result = flow.validate_answer(
            self.instrument, self.facts, self.answers, question, raw, self.language
        )
        if isinstance(result, Rejected):
            return result.message
        self._record(question, Answer(value=result.value), result.value)
        return None

    def skip(self, reason: str) -> str | None:
        """Skip the current question with a reason; a required one cannot be skipped."""
        question = self._require_current()
        result = flow.skip_answer(question, reason)
        if isinstance(result, Rejected):
            return result.message
        self._record(question, Answer(skipped=reason), result.value)
        return None

    def back(self) -> bool:
        """Go to the previous question this user may ask; False at the first."""
        previous = flow.previous_question(
            self.instrument, self.facts, self.answers, self.current, sensitive=self.sensitive
        )
        if previous is None:
            return False
        self.current = previous
        return True

    def go_to(self, question_id: str) -> None:
        """Jump to a question (from the review page) to change its answer.

        Raises NotAllowed for a sensitive question when the user is not trained for it.
        """
        question = self.instrument.question(question_id)
        if self._withheld(question):
            raise NotAllowed(NOT_TRAINED)
        self._move_to(question)

    def _record(self, question: Question, answer: Answer, value: Any) -> None:
        """Save an answer or a chosen skip and move on; a question that waited for trained
        staff leads to the next one still waiting (or the review page)."""
        was_left = skip_reason(self.answers.get(question.id)) == TRAINED_STAFF
        self._save(question, answer)
        self.answers[question.id] = value
        self._move_to(self._resume() if was_left else self._next(question))

    def _next(self, question: Question) -> Question | None:
        return flow.next_question(
            self.instrument, self.facts, self.answers, question, sensitive=self.sensitive
        )

    def _resume(self) -> Question | None:
        """Where to continue: the first question with no answer; for a trained user of a draft,
        a question left for trained staff before it comes first."""
        first = flow.resume_question(
            self.instrument, self.facts, self.answers, sensitive=self.sensitive
        )
        left = self.left_for_trained_staff()
        if self.sensitive and left and self.interview.status == "draft":
            waiting = self.instrument.question(left[0])
            if first is None or self._at(waiting) < self._at(first):
                return waiting
        return first

    def _at(self, question: Question) -> int:
        return self.instrument.position(question.id)

    def _move_to(self, question: Question | None) -> None:
        """Make `question` current (None: the review page); a user not trained for sensitive
        questions leaves every one before it for trained staff."""
        if not self.sensitive:
            end = self._at(question) if question else len(self.instrument.questions)
            self._leave_withheld(end)
        self.current = question

    def _leave_withheld(self, end: int) -> None:
        """Record each unanswered sensitive question before position `end` as left."""
        for question in flow.visible_questions(self.instrument, self.facts, self.answers):
            if self._at(question) >= end:
                break
            if (
                self._withheld(question)
                and not question.is_note
                and question.id not in self.answers
            ):
                self._save(question, Answer(skipped=TRAINED_STAFF))
                self.answers[question.id] = skipped(TRAINED_STAFF)

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
        """Every section's questions with their answers; answers skip logic hides are marked
        ignored; a sensitive question shows neither its text nor its answer to a user who is
        not trained for it."""
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
                value = self.answers.get(question.id)
                if self._withheld(question):
                    left = skip_reason(value) == TRAINED_STAFF
                    shown = display_value(question, value) if left else SENSITIVE_HIDDEN
                    line = ReviewLine(question, SENSITIVE_QUESTION, shown, not is_visible, True)
                else:
                    line = ReviewLine(
                        question,
                        self.text(question),
                        display_value(question, value, self.language),
                        ignored=not is_visible,
                    )
                lines.append(line)
            if lines:
                pages.append((section.title.get(self.language), lines))
        return pages

    def missing_required(self) -> tuple[str, ...]:
        return tuple(q.id for q in flow.missing_required(self.instrument, self.facts, self.answers))

    def finish(self) -> Interview:
        """Mark the interview complete; refused while a required question has no answer."""
        if not self.sensitive:
            self._leave_withheld(len(self.instrument.questions))
        missing = flow.missing_required(self.instrument, self.facts, self.answers)
        if missing and all(self._withheld(q) for q in missing):
            raise UsageError(
                f"{len(missing)} required question(s) are for trained staff; ask a colleague "
                "trained for sensitive questions to finish this interview."
            )
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
    left: int = 0  # questions left for trained staff


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
            left = sum(a.skipped == TRAINED_STAFF for a in found.answers.values())
            statuses.append(
                RespondentStatus(respondent, found.id, found.status, len(found.answers), left)
            )
    return statuses
