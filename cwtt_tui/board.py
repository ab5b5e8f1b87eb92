"""The risk board's data: load a round's summaries, sort them, filter them (no UI here).

Rows are `BoardSummary` values; filters return index lists, so a screen redraws without
rebuilding anything. Sorting uses C-level keys only (a cached name order, then one stable sort).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from cwtt_tui.models import DOMAINS, BoardSummary

if TYPE_CHECKING:
    from cwtt_tui.models import Round
    from cwtt_tui.store.store import Store

LEVEL_NAMES = {"H": "high", "M": "medium", "L": "low", "-": "incomplete"}
LEVEL_ORDER = ("H", "M", "L", "-")
#: One letter per change since the previous round (see cwtt_tui.rounds), six per row.
CHANGE_CODES = {"worse": "w", "better": "b", "same": "s", "unknown": "u"}


@dataclass(frozen=True)
class BoardFilter:
    """What the board shows; empty fields mean 'all'."""

    school_id: str = ""
    grade: str = ""
    class_name: str = ""
    domain: str = ""
    level: str = ""  # H, M, L or -
    text: str = ""
    laptop: str = ""  # the device the child's record came from

    def describe(
        self, school_names: dict[str, str], laptop_names: dict[str, str] | None = None
    ) -> str:
        parts = [
            f"school {school_names.get(self.school_id, '?')}" if self.school_id else "all schools",
            f"grade {self.grade}" if self.grade else "all grades",
        ]
        if self.class_name:
            parts.append(f"class {self.class_name}")
        if self.domain or self.level:
            level = LEVEL_NAMES.get(self.level, "any level")
            parts.append(f"{self.domain or 'any domain'}: {level}")
        if self.text:
            parts.append(f"name has '{self.text}'")
        if self.laptop:
            parts.append(f"from {(laptop_names or {}).get(self.laptop, 'another laptop')}")
        return " · ".join(parts)


@dataclass
class Board:
    """A round's rows in their default order (most high flags first, then by name)."""

    rows: list[BoardSummary]
    round_id: str
    folded: list[str] = field(default_factory=list)  # names folded once, for the search
    sources: list[str] = field(default_factory=list)  # per row: the laptop its record came from

    def __post_init__(self) -> None:
        if len(self.folded) != len(self.rows):
            self.folded = [fold(r.name) for r in self.rows]
        if len(self.sources) != len(self.rows):
            self.sources = [""] * len(self.rows)

    @classmethod
    def load(cls, store: Store, round_id: str) -> Board:
        rows = store.assessments.summaries(round_id)
        by_name = sorted(range(len(rows)), key=lambda i: fold(rows[i].name))
        ordered = [rows[i] for i in by_name]
        ordered.sort(key=lambda r: -r.highs)  # stable: names stay in order within a count
        origin = store.sync.child_sources()
        return cls(ordered, round_id, sources=[origin.get(r.child_id, "") for r in ordered])

    def filter(self, wanted: BoardFilter) -> list[int]:
        """Indexes of the rows that pass every filter."""
        domain_at = DOMAINS.index(wanted.domain) if wanted.domain else -1
        text = fold(wanted.text)
        shown = []
        for i, row in enumerate(self.rows):
            if wanted.school_id and row.school_id != wanted.school_id:
                continue
            if wanted.grade and row.grade != wanted.grade:
                continue
            if wanted.class_name and row.class_name != wanted.class_name:
                continue
            if wanted.level:
                if domain_at >= 0:
                    if row.levels[domain_at] != wanted.level:
                        continue
                elif wanted.level not in row.levels:
                    continue
            if text and text not in self.folded[i]:
                continue
            if wanted.laptop and self.sources[i] != wanted.laptop:
                continue
            shown.append(i)
        return shown

    def values(self, field: str) -> list[str]:
        """The distinct values of a field, sorted, for cycling a filter."""
        return sorted({getattr(r, field) for r in self.rows})


@dataclass(frozen=True)
class BoardExtras:
    """What the board shows beside the levels, per row of a loaded board (same order)."""

    previous: Round | None  # the round before the board's; None for the first round
    changes: list[str] | None  # six CHANGE_CODES per row; None without a previous round
    late: list[int]  # the row's child's overdue actions


def load_extras(store: Store, board: Board) -> BoardExtras:
    """The change since the previous round and the overdue actions, for every row of `board`.

    Decrypts the previous round's summaries and the actions; the board's rows are reused.
    """
    from cwtt_tui.planning import open_actions_count
    from cwtt_tui.rounds import previous_round, round_changes

    previous = previous_round(store, board.round_id)
    changes = None
    if previous is not None:
        found = round_changes(store, board.round_id, lines=board.rows)
        unknown = CHANGE_CODES["unknown"] * len(DOMAINS)
        changes = [
            "".join(CHANGE_CODES[c.kind] for c in found[r.child_id].values())
            if r.child_id in found
            else unknown
            for r in board.rows
        ]
    counts = open_actions_count(store)
    late = [counts[r.child_id].overdue if r.child_id in counts else 0 for r in board.rows]
    return BoardExtras(previous, changes, late)


def cycle(options: list[str], current: str) -> str:
    """The next option after `current`, with '' (all) between the last and the first."""
    ring = ["", *options]
    return ring[(ring.index(current) + 1) % len(ring)] if current in ring else ""


def next_filter(board: Board, wanted: BoardFilter, key: str) -> BoardFilter:
    """The filter after pressing a filter key: s school, g grade, c class, d domain, l level,
    o the laptop a child's record came from."""
    if key == "s":
        return replace(
            wanted, school_id=cycle(board.values("school_id"), wanted.school_id), class_name=""
        )
    if key == "g":
        return replace(wanted, grade=cycle(board.values("grade"), wanted.grade), class_name="")
    if key == "c":
        classes = sorted(
            {r.class_name for r in board.rows
             if (not wanted.grade or r.grade == wanted.grade)
             and (not wanted.school_id or r.school_id == wanted.school_id)}
        )  # fmt: skip
        return replace(wanted, class_name=cycle(classes, wanted.class_name))
    if key == "d":
        return replace(wanted, domain=cycle(list(DOMAINS), wanted.domain))
    if key == "l":
        return replace(wanted, level=cycle(list(LEVEL_ORDER), wanted.level))
    if key == "o":
        return replace(wanted, laptop=cycle(sorted(set(board.sources) - {""}), wanted.laptop))
    return wanted


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
