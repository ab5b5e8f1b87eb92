"""The loader's error: a list of ``file:line: what is wrong`` problems."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["InstrumentError", "Problem"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an instrument file, at a line (1-based)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class InstrumentError(Exception):
    """One or more instrument files are invalid; ``problems`` lists each ``file:line`` problem."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{count} problem(s) in instrument files:\n{lines}")
