"""Rounds as a team uses them: open and close a round, and compare a child's levels between rounds.

A change is read from the child's point of view: `worse` means a higher risk level than in the
previous round (shown ↑), `better` a lower one (↓), `same` the same (=). A level that is
incomplete or missing in either round cannot be compared: `unknown` (—).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

from cwtt_tui.dates import parse_date
from cwtt_tui.errors import NotAllowed, UsageError
from cwtt_tui.models import DOMAINS, BoardSummary, Round

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

__all__ = [
    "CHANGE_COLOURS", "CHANGE_KINDS", "CHANGE_LABELS", "CHANGE_SYMBOLS", "LEVEL_ORDER",
    "ROUND_ROLES", "Change", "ChildChanges", "TimelinePoint", "change", "child_timeline",
    "close_round", "compare_rounds", "next_round", "open_round", "previous_round", "round_changes",
]  # fmt: skip

ChangeKind = Literal["worse", "better", "same", "unknown"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("worse", "better", "same", "unknown")
#: Risk levels from lowest to highest; "incomplete" is not on the scale.
LEVEL_ORDER = ("low", "medium", "high")
CHANGE_SYMBOLS: dict[str, str] = {"worse": "↑", "better": "↓", "same": "=", "unknown": "—"}
CHANGE_LABELS: dict[str, str] = {
    "worse": "worse",
    "better": "better",
    "same": "same",
    "unknown": "—",
}
#: Colour-blind-safe (Okabe–Ito) colours for screens; the symbol and label always go with them.
CHANGE_COLOURS: dict[str, str] = {
    "worse": "#D55E00",
    "better": "#009E73",
    "same": "#999999",
    "unknown": "#BBBBBB",
}
ROUND_ROLES = ("team_lead", "coordinator")

_RANK = {level: rank for rank, level in enumerate(LEVEL_ORDER)}
_CODES = {"H": "high", "M": "medium", "L": "low", "-": "incomplete"}


def _level(value: str | None) -> str | None:
    """A level name from a name or a board code (H, M, L, -); None stays None."""
    return None if value is None else _CODES.get(value, value)


def change(before_level: str | None, after_level: str | None) -> ChangeKind:
    """How a level moved: `worse`, `better`, `same`, or `unknown` when either is not a risk level.

    Levels are names (high, medium, low, incomplete) or board codes (H, M, L, -); None is missing.
    """
    before = _RANK.get(_level(before_level) or "")
    after = _RANK.get(_level(after_level) or "")
    if before is None or after is None:
        return "unknown"
    if after > before:
        return "worse"
    return "better" if after < before else "same"


@dataclass(frozen=True)
class Change:
    """One domain's levels in the previous round and this one (None: not scored there)."""

    before: str | None
    after: str | None
    kind: ChangeKind

    @property
    def symbol(self) -> str:
        return CHANGE_SYMBOLS[self.kind]

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self.kind]

    @property
    def colour(self) -> str:
        return CHANGE_COLOURS[self.kind]


_BOARD_CODES = (*_CODES, None)
# Only 25 pairs of codes exist, so every Change is made once and shared (fast for big rounds).
_SHARED = {
    (b, a): Change(_level(b), _level(a), change(b, a)) for b in _BOARD_CODES for a in _BOARD_CODES
}


def _check_role(store: Store, what: str) -> None:
    user = store.user
    if user is None or user.role not in ROUND_ROLES:
        raise NotAllowed(f"Only a team lead or coordinator may {what}.")


def _check_date(text: str, what: str) -> str:
    parsed = parse_date(text)
    if parsed is None:
        raise UsageError(f"The {what} date '{text[:20]}' is not a date; write it as YYYY-MM-DD.")
    return parsed.isoformat()


def open_round(store: Store, name: str, starts_on: str, ends_on: str = "") -> Round:
    """Open the next round (team lead or coordinator); new interviews go to it from now on.

    Raises:
        NotAllowed: the signed-in user is a practitioner, or nobody is signed in.
        UsageError: the name is empty, only a number, or already used; a date is not a date,
            or the round ends before it starts.
    """
    _check_role(store, "open a round")
    clean = name.strip()
    if not clean:
        raise UsageError("A round needs a name, e.g. 'Follow-up 2026-T3'.")
    if clean.isdigit():
        raise UsageError("A round's name cannot be only a number; cwtt numbers rounds itself.")
    for round_ in store.rounds.list():
        if round_.name.casefold() == clean.casefold():
            raise UsageError(
                f"There is already a round called '{round_.name}' (round {round_.number}); "
                "choose another name."
            )
    starts = _check_date(starts_on, "start")
    ends = _check_date(ends_on, "end") if ends_on.strip() else ""
    if ends and ends < starts:
        raise UsageError("The round ends before it starts; check the dates.")
    return store.rounds.open(clean, starts, ends)


def close_round(store: Store, round_id: str) -> Round:
    """Close a round (team lead or coordinator): interviews then go to the latest open round.

    Raises:
        NotAllowed: the signed-in user may not close rounds.
        UsageError: the round is already closed.
    """
    _check_role(store, "close a round")
    round_ = store.rounds.get(round_id)
    if round_.status == "closed":
        raise UsageError(f"Round {round_.number} ({round_.name}) is already closed.")
    return store.rounds.close(round_id)


def previous_round(store: Store, round_id: str) -> Round | None:
    """The round numbered just below this one; None for the first round."""
    number = store.rounds.get(round_id).number
    earlier = [r for r in store.rounds.list() if r.number < number]
    return earlier[-1] if earlier else None


def next_round(store: Store, round_id: str) -> Round | None:
    """The round numbered just above this one; None for the latest round."""
    number = store.rounds.get(round_id).number
    later = [r for r in store.rounds.list() if r.number > number]
    return later[0] if later else None


@dataclass(frozen=True)
class ChildChanges:
    """One child's board line in a round, with each domain's change since the previous round."""

    line: BoardSummary
    changes: dict[str, Change]

    @property
    def worse(self) -> tuple[str, ...]:
        """The domains that got worse, in DOMAINS order."""
        return tuple(d for d in DOMAINS if self.changes[d].kind == "worse")


def _changes(before: str | None, after: str) -> dict[str, Change]:
    if before is None:
        return {d: _SHARED[None, a] for d, a in zip(DOMAINS, after, strict=True)}
    return {d: _SHARED[b, a] for d, b, a in zip(DOMAINS, before, after, strict=True)}


def compare_rounds(
    store: Store,
    round_id: str,
    school_id: str | None = None,
    lines: list[BoardSummary] | None = None,
) -> tuple[Round | None, list[ChildChanges]]:
    """The previous round, and every child scored in this round with their changes since it.

    A child not scored in the previous round (or no previous round at all) has `unknown` in
    every domain. Withdrawn and merged children are left out, as on the board. Only the small
    board summaries of the two rounds are decrypted; pass `lines` (the board's rows of this
    round, already loaded) and only the previous round's are.
    """
    previous = previous_round(store, round_id)
    before = (
        {s.child_id: s.levels for s in store.assessments.summaries(previous.id)} if previous else {}
    )
    rows = [
        ChildChanges(line, _changes(before.get(line.child_id), line.levels))
        for line in (store.assessments.summaries(round_id) if lines is None else lines)
        if school_id is None or line.school_id == school_id
    ]
    return previous, rows


def round_changes(
    store: Store, round_id: str, lines: list[BoardSummary] | None = None
) -> dict[str, dict[str, Change]]:
    """Per child scored in this round, per domain: the change since the previous round.

    `lines`: this round's board rows when the caller has them already (see compare_rounds).
    """
    rows = compare_rounds(store, round_id, lines=lines)[1]
    return {row.line.child_id: row.changes for row in rows}


class TimelinePoint(NamedTuple):
    """A round, and the child's level per domain in it (None: not scored in that round)."""

    round: Round
    levels: dict[str, str] | None


def child_timeline(store: Store, child_id: str) -> list[TimelinePoint]:
    """A child's levels in every round of the store, oldest first (one small decryption each)."""
    lines = store.assessments.child_summaries(child_id)
    points = []
    for round_ in store.rounds.list():
        line = lines.get(round_.id)
        levels = {d: _CODES[c] for d, c in zip(DOMAINS, line.levels, strict=True)} if line else None
        points.append(TimelinePoint(round_, levels))
    return points
