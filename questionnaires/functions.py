"""The functions an expression may call (``answered``, ``sum_of``, ``days_between``...)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["FUNCTIONS", "Function"]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float)


def _numbers(values: Iterable[object]) -> list[int | float] | None:
    out: list[int | float] = []
    for value in values:
        if not _is_number(value):
            return None
        out.append(value)  # type: ignore[arg-type]
    return out


def _answered_numbers(values: Iterable[object]) -> list[int | float]:
    return [v for v in values if _is_number(v)]  # type: ignore[misc]


def _fn_answered(value: object) -> bool:
    return value is not None and value != () and value != ""


def _fn_count_selected(value: object) -> int:
    return len(value) if isinstance(value, tuple | list) else 0


def _fn_sum_of(*values: object) -> int | float | None:
    numbers = _numbers(values)
    return None if numbers is None else sum(numbers)


def _fn_sum_answered(*values: object) -> int | float:
    return sum(_answered_numbers(values))


def _fn_count_answered(*values: object) -> int:
    return sum(1 for v in values if _fn_answered(v))


def _fn_max_of(*values: object) -> int | float | None:
    numbers = _answered_numbers(values)
    return max(numbers) if numbers else None


def _fn_min_of(*values: object) -> int | float | None:
    numbers = _answered_numbers(values)
    return min(numbers) if numbers else None


def _fn_days_between(start: object, end: object) -> int | None:
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        return (end - start).days
    return None


@dataclass(frozen=True)
class Function:
    """A function callable from expressions: its arity and whether arguments must be names."""

    impl: Callable[..., object]
    min_args: int
    max_args: int | None
    names_only: bool
    doc: str


#: Every function an expression may call. Each takes the *values* of its arguments (``None`` when
#: missing); ``names_only`` functions must be given bare question names.
FUNCTIONS: dict[str, Function] = {
    "answered": Function(
        _fn_answered, 1, 1, True, "true when the question has an answer (not skipped, not hidden)"
    ),
    "count_selected": Function(
        _fn_count_selected, 1, 1, True, "how many options of a multiple-choice answer are chosen"
    ),
    "sum_of": Function(_fn_sum_of, 1, None, False, "the sum, or None if any value is missing"),
    "sum_answered": Function(
        _fn_sum_answered, 1, None, False, "the sum of the values present (missing count 0)"
    ),
    "count_answered": Function(
        _fn_count_answered, 1, None, False, "how many of the values are present"
    ),
    "max_of": Function(_fn_max_of, 1, None, False, "the largest value present, or None"),
    "min_of": Function(_fn_min_of, 1, None, False, "the smallest value present, or None"),
    "days_between": Function(
        _fn_days_between, 2, 2, False, "whole days from the first date to the second, or None"
    ),
}
