"""The interview flow engine: which questions show, in what order, progress, and answer checks.

Every function is pure: it takes the instrument, the registration :class:`Facts` and the answers
dict as saved so far (see :mod:`questionnaires.answers` for the representation) and computes its
result afresh, so a screen can call it after every keypress and a resumed draft behaves exactly
like an uninterrupted one.

Skip logic runs in the instrument's order: a question shows when its ``relevant`` condition holds
over the facts, the derived values and the answers of the questions shown before it (the loader
refuses a condition that reads a later question). An answer to a question that is not shown is
kept in the dict but ignored everywhere; :func:`ignored_answers` lists them for the review page.

A question marked ``sensitive`` is asked only by an interviewer trained for it. The functions
that move through an interview take ``sensitive=False`` for one who is not: they pass over such
questions, which the caller records as skipped for ``trained_staff``
(:func:`left_for_trained_staff` lists them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from questionnaires.answers import (
    CHOSEN_SKIP_REASONS,
    TRAINED_STAFF,
    Accepted,
    Rejected,
    coerce,
    is_answered,
    skip_reason,
    skipped,
)
from questionnaires.model import Instrument, Question, Text

__all__ = [
    "DOMAIN_LABELS",
    "Facts",
    "Progress",
    "derived_values",
    "disclosure_script",
    "effective_answers",
    "ignored_answers",
    "left_for_trained_staff",
    "left_text",
    "missing_required",
    "next_question",
    "previous_question",
    "progress",
    "question_text",
    "resume_question",
    "skip_answer",
    "validate_answer",
    "visible_questions",
    "withheld",
]

Answers = Mapping[str, object]

DOMAIN_LABELS = {
    "health": "Health",
    "nutrition": "Nutrition",
    "economic": "Economic & material",
    "protection": "Protection & care",
    "education": "Education",
    "psychosocial": "Psychosocial",
}


@dataclass(frozen=True)
class Facts:
    """What registration knows about the child, plus the interview date.

    ``sex`` is ``"male"`` or ``"female"``; conditions read ``sex``, ``date_of_birth`` and
    ``interview_date`` (and the derived ``age_months``). ``child_name`` only fills "(name)" in
    question text; it is never read by a condition.
    """

    interview_date: dt.date
    sex: str | None = None
    date_of_birth: dt.date | None = None
    child_name: str | None = None


@dataclass(frozen=True)
class Progress:
    """Where the interview stands: "Caregiver · Nutrition · question 5 of 31" as data.

    ``index`` is 1-based among the visible questions that take an answer (notes are not
    counted; on a note, ``index`` is that of the next question, or ``total`` after the last);
    ``total`` follows skip logic, so it changes when an answer shows or hides questions.
    ``left`` counts the questions left for trained staff so far (not in ``total`` for an
    interviewer who may not ask them).
    """

    respondent: str
    section: str
    section_title: Text
    domain: str
    index: int
    total: int
    left: int = 0

    def text(self) -> str:
        """The English progress line."""
        domain = DOMAIN_LABELS.get(self.domain, self.domain)
        line = f"{self.respondent.capitalize()} · {domain} · question {self.index} of {self.total}"
        return line + left_text(self.left)


def left_text(left: int) -> str:
    """' · 3 left for trained staff' for the progress line ('' when none is)."""
    return f" · {left} left for trained staff" if left else ""


class _Scope:
    """Name lookup for conditions: facts, answers shown so far, and derived values on demand."""

    def __init__(self, instrument: Instrument, facts: Facts) -> None:
        self.values: dict[str, object] = {
            "sex": facts.sex,
            "date_of_birth": facts.date_of_birth,
            "interview_date": facts.interview_date,
        }
        self.derived = {d.name: d.expression for d in instrument.derived}
        self.cache: dict[str, object] = {}
        self.active: set[str] = set()

    def set(self, question: Question, value: object) -> None:
        self.values[question.id] = _condition_value(question, value)
        self.cache.clear()

    def get(self, name: str) -> object:
        expression = self.derived.get(name)
        if expression is None:
            return self.values.get(name)
        if name not in self.cache:
            if name in self.active:  # the loader refuses cycles; this only guards
                return None
            self.active.add(name)
            try:
                self.cache[name] = expression.evaluate(self.get)
            finally:
                self.active.discard(name)
        return self.cache[name]


def _condition_value(question: Question, value: object) -> object:
    """An answer as conditions see it: skips and blanks are ``None``, dates are dates."""
    if not is_answered(value):
        return None
    if question.type == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value


@dataclass(frozen=True)
class _Walk:
    visible: tuple[Question, ...]
    ignored: tuple[str, ...]
    scope: _Scope


def _walk(instrument: Instrument, facts: Facts, answers: Answers) -> _Walk:
    scope = _Scope(instrument, facts)
    visible: list[Question] = []
    ignored: list[str] = []
    for question in instrument.questions:
        shown = question.relevant is None or question.relevant.test(scope.get)
        if shown:
            visible.append(question)
            if question.id in answers:
                scope.set(question, answers[question.id])
        elif question.id in answers:
            ignored.append(question.id)
    return _Walk(tuple(visible), tuple(ignored), scope)


def _question(instrument: Instrument, question: Question | str) -> Question:
    return instrument.question(question) if isinstance(question, str) else question


def visible_questions(
    instrument: Instrument, facts: Facts, answers: Answers
) -> tuple[Question, ...]:
    """Every question (and note) that applies, in order, given the answers so far."""
    return _walk(instrument, facts, answers).visible


def withheld(question: Question, sensitive: bool) -> bool:
    """Whether ``question`` is kept from an interviewer (``sensitive``: trained for it)."""
    return question.sensitive and not sensitive


def _askable(
    instrument: Instrument, facts: Facts, answers: Answers, sensitive: bool
) -> list[Question]:
    return [q for q in visible_questions(instrument, facts, answers) if not withheld(q, sensitive)]


def next_question(
    instrument: Instrument,
    facts: Facts,
    answers: Answers,
    current: Question | str | None = None,
    *,
    sensitive: bool = True,
) -> Question | None:
    """The first visible question after ``current`` (the very first when ``None``); ``None``
    at the end, when the review page comes next. ``current`` may itself be hidden now.
    ``sensitive=False`` passes over sensitive questions."""
    visible = _askable(instrument, facts, answers, sensitive)
    if current is None:
        return visible[0] if visible else None
    here = instrument.position(_question(instrument, current).id)
    return next((q for q in visible if instrument.position(q.id) > here), None)


def previous_question(
    instrument: Instrument,
    facts: Facts,
    answers: Answers,
    current: Question | str | None,
    *,
    sensitive: bool = True,
) -> Question | None:
    """The last visible question before ``current`` (the last one overall when ``current`` is
    ``None``, i.e. going back from the review page); ``None`` at the start.
    ``sensitive=False`` passes over sensitive questions."""
    visible = _askable(instrument, facts, answers, sensitive)
    if current is None:
        return visible[-1] if visible else None
    here = instrument.position(_question(instrument, current).id)
    earlier = [q for q in visible if instrument.position(q.id) < here]
    return earlier[-1] if earlier else None


def resume_question(
    instrument: Instrument, facts: Facts, answers: Answers, *, sensitive: bool = True
) -> Question | None:
    """Where a saved draft continues: the first visible question with neither an answer nor a
    skip; ``None`` when every visible question has one (go to the review page).
    ``sensitive=False`` passes over sensitive questions."""
    for question in _askable(instrument, facts, answers, sensitive):
        if not question.is_note and question.id not in answers:
            return question
    return None


def left_for_trained_staff(
    instrument: Instrument, facts: Facts, answers: Answers
) -> tuple[Question, ...]:
    """Visible questions recorded as left for trained staff, in order."""
    return tuple(
        q
        for q in visible_questions(instrument, facts, answers)
        if skip_reason(answers.get(q.id)) == TRAINED_STAFF
    )


def progress(
    instrument: Instrument,
    facts: Facts,
    answers: Answers,
    current: Question | str,
    *,
    sensitive: bool = True,
) -> Progress:
    """The progress line for ``current``, counting only the questions skip logic shows (and,
    with ``sensitive=False``, leaving out the sensitive ones)."""
    question = _question(instrument, current)
    here = instrument.position(question.id)
    countable = [q for q in _askable(instrument, facts, answers, sensitive) if not q.is_note]
    before = sum(1 for q in countable if instrument.position(q.id) < here)
    index = min(before + 1, len(countable)) if countable else 0
    section = instrument.section(question.section)
    return Progress(
        respondent=instrument.respondent,
        section=section.id,
        section_title=section.title,
        domain=section.domain,
        index=index,
        total=len(countable),
        left=len(left_for_trained_staff(instrument, facts, answers)),
    )


def validate_answer(
    instrument: Instrument,
    facts: Facts,
    answers: Answers,
    question: Question | str,
    raw: object,
    lang: str = "en",
) -> Accepted | Rejected:
    """Check input for ``question``: its type, choice codes, min/max, then its constraint over
    the other answers. ``Accepted.value`` is what to save; ``Rejected.message`` goes beside the
    field, and the interview does not move on. Never raises for any ``raw``.

    Our own messages are English; a constraint's message comes from the file in ``lang``.

    Raises:
        KeyError: ``question`` is an id this instrument does not have.
    """
    question = _question(instrument, question)
    result = coerce(question, raw)
    if isinstance(result, Rejected) or question.constraint is None:
        return result
    others = {k: v for k, v in answers.items() if k != question.id}
    scope = _walk(instrument, facts, others).scope
    scope.set(question, result.value)
    if question.constraint.test(scope.get):
        return result
    message = question.constraint_message
    return Rejected(message.get(lang) if message else "This answer is not possible here.")


def skip_answer(question: Question, reason: str) -> Accepted | Rejected:
    """Record that ``question`` was skipped for ``reason`` (``refused``, ``dont_know`` or
    ``not_applicable``); a required question cannot be skipped. ``trained_staff`` is not a
    reason an interviewer chooses: the caller records it for a sensitive question."""
    if question.is_note:
        return Rejected("This is a note to read out; there is nothing to skip.")
    if question.required:
        return Rejected("This question is required and cannot be skipped.")
    if reason not in CHOSEN_SKIP_REASONS:
        return Rejected(
            "Choose why the question is skipped: refused, don't know, or not applicable."
        )
    return Accepted(skipped(reason))


def effective_answers(instrument: Instrument, facts: Facts, answers: Answers) -> dict[str, object]:
    """The answers that count: those of visible questions, skips included, in question order."""
    visible = visible_questions(instrument, facts, answers)
    return {q.id: answers[q.id] for q in visible if q.id in answers}


def ignored_answers(instrument: Instrument, facts: Facts, answers: Answers) -> tuple[str, ...]:
    """Ids of answers kept in the draft for questions skip logic now hides (they do not count)."""
    return _walk(instrument, facts, answers).ignored


def missing_required(
    instrument: Instrument, facts: Facts, answers: Answers
) -> tuple[Question, ...]:
    """Visible required questions without an answer: the interview cannot be finished yet."""
    return tuple(
        q
        for q in visible_questions(instrument, facts, answers)
        if q.required and not is_answered(answers.get(q.id))
    )


def derived_values(instrument: Instrument, facts: Facts, answers: Answers) -> dict[str, object]:
    """Every derived value (``age_months``, scale totals...) over the answers that count;
    ``None`` where an input is missing."""
    scope = _walk(instrument, facts, answers).scope
    return {d.name: scope.get(d.name) for d in instrument.derived}


def question_text(
    instrument: Instrument,
    facts: Facts,
    answers: Answers,
    question: Question | str,
    lang: str = "en",
) -> str:
    """The question as shown: the first variant whose condition holds (else the label), in
    ``lang`` (English when missing), with "(name)" replaced by the child's name if known."""
    question = _question(instrument, question)
    label = question.label
    if question.variants:
        scope = _walk(instrument, facts, answers).scope
        label = next((v.label for v in question.variants if v.when.test(scope.get)), label)
    return _with_name(label.get(lang), facts)


def disclosure_script(
    instrument: Instrument,
    facts: Facts,
    answers: Answers,
    question: Question | str,
    lang: str = "en",
) -> str | None:
    """What the interviewer says and does after a disclosure, when the saved answer to
    ``question`` is one (its ``disclosure_if`` holds); otherwise ``None``."""
    question = _question(instrument, question)
    if question.disclosure is None or question.disclosure_if is None:
        return None
    if skip_reason(answers.get(question.id)) is not None:
        return None
    scope = _walk(instrument, facts, answers).scope
    if not question.disclosure_if.test(scope.get):
        return None
    return _with_name(question.disclosure.get(lang), facts)


def _with_name(text: str, facts: Facts) -> str:
    return text.replace("(name)", facts.child_name) if facts.child_name else text
