"""Answer values as stored and exchanged, skip markers, and turning typed input into a value.

An interview's answers are a plain dict ``{question_id: value}`` that JSON can hold as it is:

- ``single`` and ``yes_no``: the choice code (``"yes"``, ``"often"``, or a number such as ``2``
  for PSC-17 and PHQ-9 items);
- ``multiple``: a list of codes in the order of the choice list;
- ``integer``: an ``int``; ``decimal``: a ``float`` in the question's unit;
- ``date``: an ISO date string ``"YYYY-MM-DD"``; ``text``: a stripped string;
- a skipped question: ``{"skipped": reason}`` with reason ``refused``, ``dont_know`` or
  ``not_applicable`` (chosen by the interviewer), or ``trained_staff`` (a sensitive question
  left for an interviewer trained for it); the same form ``scoring`` reads;
- a question never reached has no key at all. Notes hold no answer.

An answer kept for a question that skip logic now hides stays in the dict (nothing typed is
thrown away) but is ignored by the flow, by derived values and by :func:`flow.effective_answers`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from questionnaires.model import Choice, Question

__all__ = [
    "CHOSEN_SKIP_REASONS",
    "SKIP_REASONS",
    "TRAINED_STAFF",
    "Accepted",
    "Rejected",
    "coerce",
    "is_answered",
    "is_skipped",
    "skip_reason",
    "skipped",
]

#: Reasons an interviewer chooses when skipping a question.
CHOSEN_SKIP_REASONS = ("refused", "dont_know", "not_applicable")
#: Recorded, never chosen, when a sensitive question is left for an interviewer trained for it.
TRAINED_STAFF = "trained_staff"
SKIP_REASONS = (*CHOSEN_SKIP_REASONS, TRAINED_STAFF)
#: Longest text answer accepted, in characters.
MAX_TEXT = 1000

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_ISO_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_DMY_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


@dataclass(frozen=True)
class Accepted:
    """The input is a valid answer; ``value`` is what to store."""

    value: object


@dataclass(frozen=True)
class Rejected:
    """The input is not a valid answer; ``message`` says what to do, in plain words."""

    message: str


def skipped(reason: str) -> dict[str, str]:
    """The stored form of a skipped question.

    Raises:
        ValueError: ``reason`` is not one of :data:`SKIP_REASONS`.
    """
    if reason not in SKIP_REASONS:
        raise ValueError(f"a skip reason is one of {', '.join(SKIP_REASONS)}")
    return {"skipped": reason}


def skip_reason(value: object) -> str | None:
    """The reason if ``value`` is a skip marker, else ``None``."""
    if isinstance(value, Mapping) and set(value) == {"skipped"}:
        reason = value["skipped"]
        return reason if reason in SKIP_REASONS else None
    return None


def is_skipped(value: object) -> bool:
    """Whether ``value`` is a skip marker."""
    return skip_reason(value) is not None


def is_answered(value: object) -> bool:
    """Whether ``value`` is a real answer: present, not a skip, not empty."""
    if value is None or is_skipped(value) or isinstance(value, Mapping):
        return False
    return not (isinstance(value, str | list | tuple) and len(value) == 0)


def coerce(question: Question, raw: object) -> Accepted | Rejected:
    """Turn typed or chosen input into the stored value of ``question``, checking its type,
    choices and min/max (not its constraint, which needs the other answers: see
    :func:`questionnaires.flow.validate_answer`). Never raises."""
    if question.is_note:
        return Rejected("This is a note to read out; there is nothing to answer.")
    if (
        raw is None
        or (isinstance(raw, str | list | tuple | set | frozenset) and not raw)
        or (isinstance(raw, str) and not raw.strip())
    ):
        if question.required:
            return Rejected("This question needs an answer.")
        return Rejected("Give an answer, or skip the question with a reason.")
    handler = _HANDLERS[question.type]
    return handler(question, raw)


def _match(question: Question, raw: object) -> Choice | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return question.choice(raw)
    if isinstance(raw, str):
        text = raw.strip()
        return next((c for c in question.choices if str(c.code) == text), None)
    return None


def _single(question: Question, raw: object) -> Accepted | Rejected:
    choice = _match(question, raw)
    if choice is None:
        return Rejected("Choose one of the answers listed.")
    return Accepted(choice.code)


def _multiple(question: Question, raw: object) -> Accepted | Rejected:
    if isinstance(raw, str):
        items: list[object] = [part for part in re.split(r"[,\s]+", raw) if part]
    elif isinstance(raw, list | tuple | set | frozenset):
        items = list(raw)
    else:
        items = [raw]
    chosen: list[Choice] = []
    for item in items:
        choice = _match(question, item)
        if choice is None:
            return Rejected("Choose only answers from the list.")
        if choice not in chosen:
            chosen.append(choice)
    if not chosen:
        return Rejected("Choose at least one answer.")
    exclusive = next((c for c in chosen if c.exclusive), None)
    if exclusive is not None and len(chosen) > 1:
        return Rejected(f'"{exclusive.label.get()}" cannot be chosen together with other answers.')
    order = {c.code: n for n, c in enumerate(question.choices)}
    return Accepted([c.code for c in sorted(chosen, key=lambda c: order[c.code])])


def _fmt(number: int | float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _in_range(question: Question, value: int | float) -> Accepted | Rejected:
    low, high = question.minimum, question.maximum
    unit = f" {question.unit}" if question.unit else ""
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            return Rejected(f"Enter a number from {_fmt(low)} to {_fmt(high)}{unit}.")
        if low is not None:
            return Rejected(f"Enter a number of at least {_fmt(low)}{unit}.")
        return Rejected(f"Enter a number of at most {_fmt(high)}{unit}.")  # type: ignore[arg-type]
    return Accepted(value)


def _integer(question: Question, raw: object) -> Accepted | Rejected:
    value: int | None = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str):
        text = re.sub(r"\s+", "", raw)
        if _INTEGER.match(text) and len(text) <= 12:
            value = int(text)
    if value is None:
        return Rejected("Enter a whole number, such as 12.")
    return _in_range(question, value)


def _decimal(question: Question, raw: object) -> Accepted | Rejected:
    value: float | None = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace(",", ".")
        if _DECIMAL.match(text) and len(text) <= 20:
            value = float(text)
    if value is None or not math.isfinite(value):
        return Rejected("Enter a number, such as 120.5.")
    return _in_range(question, value)


def _date(question: Question, raw: object) -> Accepted | Rejected:
    if isinstance(raw, dt.datetime):
        return Accepted(raw.date().isoformat())
    if isinstance(raw, dt.date):
        return Accepted(raw.isoformat())
    if isinstance(raw, str):
        text = raw.strip()
        parts: tuple[str, str, str] | None = None
        if match := _ISO_DATE.match(text):
            parts = match.group(1), match.group(2), match.group(3)
        elif match := _DMY_DATE.match(text):
            parts = match.group(3), match.group(2), match.group(1)
        if parts is not None:
            try:
                return Accepted(dt.date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat())
            except ValueError:
                return Rejected("That date does not exist; check the day and the month.")
    return Rejected("Enter a date as YYYY-MM-DD, for example 2025-03-14.")


def _text(question: Question, raw: object) -> Accepted | Rejected:
    if not isinstance(raw, str):
        return Rejected("Type the answer as text.")
    text = raw.strip()
    if len(text) > MAX_TEXT:
        return Rejected(f"Keep the answer under {MAX_TEXT} characters.")
    return Accepted(text)


_HANDLERS = {
    "single": _single,
    "yes_no": _single,
    "multiple": _multiple,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "text": _text,
}
