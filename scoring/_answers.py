"""Reading coded answers out of an answers dict: blanks, skips, and codes checked."""

from __future__ import annotations

from collections.abc import Mapping

from scoring.errors import ScoringError

Answers = Mapping[str, object]

#: Reasons recorded instead of an answer, as in ``questionnaires.answers.SKIP_REASONS`` (kept
#: apart: this module imports the standard library only); each counts as missing (or blank).
SKIP_REASONS = frozenset({"refused", "dont_know", "not_applicable", "trained_staff"})


def raw_answer(answers: Answers, qid: str) -> object | None:
    """The answer to ``qid``, or ``None`` when it is absent, null, empty or skipped.

    Raises:
        ScoringError: the value is a dict that is not ``{"skipped": <known reason>}``.
    """
    value = answers.get(qid)
    if value is None:
        return None
    if isinstance(value, Mapping):
        if value.get("skipped") in SKIP_REASONS:
            return None
        raise ScoringError(
            f"The answer to {qid} is neither a code nor a skip (refused, dont_know, "
            "not_applicable or trained_staff); correct the answers file."
        )
    if isinstance(value, str) and not value.strip():
        return None
    return value


def int_code(answers: Answers, qid: str, highest: int) -> int | None:
    """An integer code ``0..highest`` (``2`` and ``"2"`` alike), or ``None`` when missing.

    Raises:
        ScoringError: the answer is not one of the codes.
    """
    value = raw_answer(answers, qid)
    if value is None:
        return None
    code: int | None = None
    if isinstance(value, bool):
        code = None
    elif isinstance(value, int):
        code = value
    elif isinstance(value, float) and value.is_integer():
        code = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        code = int(value.strip())
    if code is None or not 0 <= code <= highest:
        codes = ", ".join(str(c) for c in range(highest + 1))
        raise ScoringError(
            f"The answer to {qid} is not one of its codes ({codes}); correct the answer."
        )
    return code


def choice_code(answers: Answers, qid: str, allowed: tuple[str, ...]) -> str | None:
    """A text code from ``allowed`` (case and surrounding spaces ignored), or ``None``.

    Raises:
        ScoringError: the answer is not one of ``allowed``.
    """
    value = raw_answer(answers, qid)
    if value is None:
        return None
    code = value.strip().lower() if isinstance(value, str) else None
    if code not in allowed:
        raise ScoringError(
            f"The answer to {qid} is not one of its codes ({', '.join(allowed)}); "
            "correct the answer."
        )
    return code
