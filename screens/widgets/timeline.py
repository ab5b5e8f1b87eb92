"""A child's levels across rounds: one line per domain, rounds as columns, then the change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cwtt_tui.models import DOMAINS
from cwtt_tui.rounds import Change, TimelinePoint, change

#: The most rounds shown side by side (80 columns); earlier ones are left out.
MAX_ROUNDS = 6
NAME_WIDTH = 21
CELL_WIDTH = 6
CELLS = {"high": "HIGH", "medium": "MED", "low": "LOW", "incomplete": "--"}
COLOURS = {
    "high": "$risk-high",
    "medium": "$risk-medium",
    "low": "$risk-low",
    "incomplete": "$risk-none",
}
NOT_SCORED = "·"
FIRST_ROUND = "First round: no history yet."


def _cell(level: str | None) -> str:
    if level is None:
        return f"[$text-muted]{NOT_SCORED:<{CELL_WIDTH}}[/]"
    return f"[{COLOURS[level]}]{CELLS[level]:<{CELL_WIDTH}}[/]"


def _change(moved: Change) -> str:
    if moved.kind == "unknown":  # a level missing or incomplete in either round
        return f"[$text-muted]{moved.symbol} unknown[/]"
    return f"[{moved.colour}]{moved.symbol} {moved.label}[/]"


def timeline_markup(
    points: Sequence[TimelinePoint], round_id: str, titles: Mapping[str, str]
) -> str:
    """The grid as content markup: rounds the child was scored in (and the case's round), with
    the change from the round before the case's round; one line when there is no history."""
    shown = [p for p in points if p.levels is not None or p.round.id == round_id]
    if len(shown) <= 1:
        return FIRST_ROUND
    here = next(i for i, p in enumerate(shown) if p.round.id == round_id)
    start = max(0, min(here, len(shown) - MAX_ROUNDS))
    window = shown[start : start + MAX_ROUNDS]
    at = next(i for i, p in enumerate(points) if p.round.id == round_id)
    before = points[at - 1] if at > 0 else None
    head = "Across rounds" + (" (…)" if start else "")
    header = f"[b]{head:<{NAME_WIDTH}}[/]"
    for point in window:
        label = f"R{point.round.number}"
        pad = " " * (CELL_WIDTH - len(label))
        header += f"[b u]{label}[/]{pad}" if point.round.id == round_id else f"[b]{label}[/]{pad}"
    if before is not None:
        header += f"[b]since R{before.round.number}[/]"
    lines = [header]
    for domain in DOMAINS:
        line = f"{titles[domain]:<{NAME_WIDTH}}"
        line += "".join(_cell(p.levels[domain] if p.levels else None) for p in window)
        if before is not None:
            line += _change(_moved(before, points[at], domain))
        lines.append(line)
    return "\n".join(lines)


def _moved(before: TimelinePoint, after: TimelinePoint, domain: str) -> Change:
    was = before.levels[domain] if before.levels else None
    now = after.levels[domain] if after.levels else None
    return Change(was, now, change(was, now))
