"""The risk board's data: load a round's summaries, sort them, filter them (no UI here).

A loaded board keeps its rows as columns of plain values (`BoardRows`) and makes a
`BoardSummary` only for a row that is read; filters return index lists, so a screen redraws
without rebuilding anything. Loading, sorting and filtering use C-level operations over whole
columns (`map`, `compress`, one sort with a precomputed key), not Python code per row.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from itertools import compress, repeat
from operator import attrgetter, contains, eq, itemgetter, not_
from typing import TYPE_CHECKING, Any, overload

from cwtt_tui.models import DOMAINS, BoardSummary

if TYPE_CHECKING:
    from cwtt_tui.models import Round
    from cwtt_tui.store.assessments import SummaryColumns
    from cwtt_tui.store.store import Store

#: Given row indexes, whether each of those rows passes one filter.
RowTest = Callable[[Sequence[int]], Iterator[bool]]
SUMMARY_FIELDS = tuple(f.name for f in fields(BoardSummary))
#: Between a folded name and a child id in the sort key: it sorts before any character of a
#: name, so "ann" still comes before "anna".
NAME_THEN_ID = "\x00"
FOLD_SEPARATOR = "\x1f"  # never in a name: it separates a board summary's fields
LEVEL_NAMES = {"H": "high", "M": "medium", "L": "low", "-": "incomplete"}
LEVEL_ORDER = ("H", "M", "L", "-")
#: One letter per change since the previous round (see cwtt_tui.rounds), six per row.
CHANGE_CODES = {"worse": "w", "better": "b", "same": "s", "unknown": "u"}


def initials(name: str) -> str:
    """The initials of a board name, first names first: 'Nkosi, Sipho Lwazi' -> 'S. L. N.'."""
    surname, _, first = name.partition(",")
    words = [*first.split(), *surname.split()]
    return " ".join(f"{word[0].upper()}." for word in words) or "?"


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


class BoardRows(Sequence[BoardSummary]):
    """A loaded board's rows: the store's columns, and the order to show them in.

    Reading a row makes its `BoardSummary`; the board itself holds strings and numbers only, so
    100,000 children cost a few lists, not 100,000 objects.
    """

    __slots__ = ("columns", "order")

    def __init__(self, columns: SummaryColumns, order: list[int]) -> None:
        self.columns = columns
        self.order = order  # per row shown: its index in the columns

    def __len__(self) -> int:
        return len(self.order)

    @overload
    def __getitem__(self, index: int) -> BoardSummary: ...

    @overload
    def __getitem__(self, index: slice) -> list[BoardSummary]: ...

    def __getitem__(self, index: int | slice) -> BoardSummary | list[BoardSummary]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        at, c = self.order[index], self.columns
        return BoardSummary(
            c.child_id[at], c.name[at], c.school_id[at], c.grade[at], c.class_name[at],
            c.levels[at], c.highs[at], c.last_interview[at], c.mandatory_report[at],
        )  # fmt: skip

    def __iter__(self) -> Iterator[BoardSummary]:
        return map(BoardSummary, *(self.values(name) for name in SUMMARY_FIELDS))

    def values(self, name: str, at: Iterable[int] | None = None) -> Iterator[Any]:
        """Field `name` of the rows at `at` (all rows when None), in the board's order."""
        column = getattr(self.columns, name)
        where = self.order if at is None else map(self.order.__getitem__, at)
        return map(column.__getitem__, where)


@dataclass
class Board:
    """A round's rows in their default order (most high flags first, then by name)."""

    rows: Sequence[BoardSummary]  # a BoardRows when loaded from a store
    round_id: str
    folded: list[str] = field(default_factory=list)  # per row: the name folded, for the search
    sources: list[str] = field(default_factory=list)  # per row: the laptop its record came from

    def __post_init__(self) -> None:
        if len(self.folded) != len(self.rows):
            self.folded = fold_all(list(self.column("name")))
        if len(self.sources) != len(self.rows):
            self.sources = [""] * len(self.rows)

    @classmethod
    def load(cls, store: Store, round_id: str) -> Board:
        columns = store.assessments.summary_columns(round_id)
        folded = fold_all(columns.name)
        order = default_order(folded, columns.child_id, columns.highs)
        rows = BoardRows(columns, order)
        return cls(rows, round_id, folded=in_order(folded, order),
                   sources=in_order(columns.source, order))  # fmt: skip

    def column(self, name: str, at: Iterable[int] | None = None) -> Iterator[Any]:
        """Field `name` of the rows at `at` (all rows when None), in the board's order."""
        if isinstance(self.rows, BoardRows):
            return self.rows.values(name, at)
        rows = self.rows if at is None else map(self.rows.__getitem__, at)
        return map(attrgetter(name), rows)

    def filter(self, wanted: BoardFilter) -> list[int]:
        """Indexes of the rows that pass every filter."""
        shown: Sequence[int] = range(len(self.rows))
        for passes in self._tests(wanted):
            shown = list(compress(shown, passes(shown)))
        return list(shown)

    def _tests(self, wanted: BoardFilter) -> list[RowTest]:
        """One test per filter that is set."""
        tests = [
            self._field_is(name, value)
            for name, value in (("school_id", wanted.school_id), ("grade", wanted.grade),
                                ("class_name", wanted.class_name))
            if value
        ]  # fmt: skip
        if wanted.level:
            tests.append(self._level_is(wanted.domain, wanted.level))
        text = fold(wanted.text)
        if text:
            tests.append(lambda at: map(contains, map(self.folded.__getitem__, at), repeat(text)))
        if wanted.laptop:
            laptop = wanted.laptop
            tests.append(lambda at: map(eq, map(self.sources.__getitem__, at), repeat(laptop)))
        return tests

    def _field_is(self, name: str, value: str) -> RowTest:
        return lambda at: map(eq, self.column(name, at), repeat(value))

    def _level_is(self, domain: str, level: str) -> RowTest:
        """The domain's level is `level`; with no domain, any domain's level is."""
        if not domain:
            return lambda at: map(contains, self.column("levels", at), repeat(level))
        pick = itemgetter(DOMAINS.index(domain))
        return lambda at: map(eq, map(pick, self.column("levels", at)), repeat(level))

    def values(self, field: str) -> list[str]:
        """The distinct values of a field, sorted, for cycling a filter."""
        if isinstance(self.rows, BoardRows):
            return sorted(set(getattr(self.rows.columns, field)))
        return sorted(set(self.column(field)))


def in_order(values: list[Any], order: list[int]) -> list[Any]:
    """`values` rearranged as `order` says; a column of one repeated value is copied as is."""
    if values and values.count(values[0]) == len(values):
        return [values[0]] * len(order)
    return list(map(values.__getitem__, order))


def default_order(folded: list[str], child_ids: list[str], highs: list[int]) -> list[int]:
    """Row indexes in the board's order: most high flags first, then by folded name, then by
    child id (the order the store used to return rows in, so equal names keep their places)."""
    keys = list(map(NAME_THEN_ID.join, zip(folded, child_ids, strict=True)))
    order = sorted(range(len(keys)), key=keys.__getitem__)
    order.sort(key=highs.__getitem__, reverse=True)  # stable: names stay in order within a count
    return order


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
            "".join(CHANGE_CODES[c.kind] for c in found[child_id].values())
            if child_id in found
            else unknown
            for child_id in board.column("child_id")
        ]
    counts = open_actions_count(store)
    if not counts:
        return BoardExtras(previous, changes, [0] * len(board.rows))
    late = [counts[c].overdue if c in counts else 0 for c in board.column("child_id")]
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
        return replace(wanted, class_name=cycle(_classes(board, wanted), wanted.class_name))
    if key == "d":
        return replace(wanted, domain=cycle(list(DOMAINS), wanted.domain))
    if key == "l":
        return replace(wanted, level=cycle(list(LEVEL_ORDER), wanted.level))
    if key == "o":
        return replace(wanted, laptop=cycle(sorted(set(board.sources) - {""}), wanted.laptop))
    return wanted


def _classes(board: Board, wanted: BoardFilter) -> list[str]:
    """The classes of the filter's grade and school (all when unset), sorted."""
    shown = board.filter(BoardFilter(school_id=wanted.school_id, grade=wanted.grade))
    return sorted(set(board.column("class_name", shown)))


def fold_all(texts: list[str]) -> list[str]:
    """`fold` of each text, case folded in one pass; only texts left with accents go one by one."""
    folded = FOLD_SEPARATOR.join(texts).casefold().split(FOLD_SEPARATOR)
    if len(folded) != len(texts):  # a text holds the separator
        return list(map(fold, texts))
    for at in compress(range(len(folded)), map(not_, map(str.isascii, folded))):
        folded[at] = fold(texts[at])
    return folded


def fold(text: str) -> str:
    """`text` for matching and sorting: case folded, accents taken off."""
    if text.isascii():  # nothing to decompose: the common case, 10 times faster
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
