"""Needs versus services as a report: CSV, JSON, and a text table with a bar chart for a terminal."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from typing import Any

from cwtt_tui.models import Round
from cwtt_tui.needs import DomainNeeds, total
from exports.board_report import DOMAIN_TITLES
from exports.spreadsheet import csv_text

__all__ = [
    "COLUMNS", "FULL", "SHADE", "NeedsMeta", "bar_lines", "table_lines", "to_csv", "to_json",
    "to_text",
]  # fmt: skip

#: The CSV header, one column per field of a row.
COLUMNS = (
    "domain", "high", "medium", "with_action", "gap", "actions_done", "reassessed", "improved",
)  # fmt: skip
JSON_FORMAT = "cwtt-needs/1"
FULL = "█"  # a HIGH child with an action
SHADE = "░"  # a HIGH child without one (the gap)
LABEL_WIDTH = 14
NONE = "—"


@dataclass(frozen=True)
class NeedsMeta:
    """What a report says about itself: the round, the next round (if any), the school, the day."""

    round: Round
    next_round: Round | None
    school: str  # a school's name, or "All schools"
    made_on: str  # ISO date


def _values(row: DomainNeeds) -> dict[str, Any]:
    return {
        "domain": row.domain,
        "high": row.flagged,
        "medium": row.flagged_medium,
        "with_action": row.with_action,
        "gap": row.gap,
        "actions_done": row.actions_done,
        "reassessed": row.reassessed,
        "improved": row.improved,
    }


def to_csv(rows: list[DomainNeeds]) -> str:
    """A header row, one row per domain, then a total row; BOM and CRLF, as Excel expects.

    A cell is empty where there is no next round to say who improved.
    """
    return csv_text(COLUMNS, ([_values(row)[c] for c in COLUMNS] for row in [*rows, total(rows)]))


def _round(round_: Round | None) -> dict[str, Any] | None:
    return {"name": round_.name, "number": round_.number} if round_ else None


def to_json(rows: list[DomainNeeds], meta: NeedsMeta) -> str:
    """`{"format", "round", "next_round", "school", "made_on", "domains": [...], "total"}`."""
    document = {
        "format": JSON_FORMAT,
        "round": _round(meta.round),
        "next_round": _round(meta.next_round),
        "school": meta.school,
        "made_on": meta.made_on,
        "domains": [_values(row) for row in rows],
        "total": _values(total(rows)),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _title(domain: str) -> str:
    return DOMAIN_TITLES.get(domain, domain.capitalize())


def _number(value: int | None) -> str:
    return NONE if value is None else str(value)


HEADINGS = ("Domain", "HIGH", "MEDIUM", "Action", "Gap", "Done", "Reassessed", "Improved")


def table_lines(rows: list[DomainNeeds]) -> list[str]:
    """The table as lines of at most 80 characters: a heading, one line per domain, a total."""
    widths = (LABEL_WIDTH - 1, 6, 8, 8, 6, 6, 12, 10)
    lines = []
    for row in (None, *rows, total(rows)):
        if row is None:
            cells = HEADINGS
        else:
            cells = (
                _title(row.domain), str(row.flagged), str(row.flagged_medium),
                str(row.with_action), str(row.gap), str(row.actions_done),
                _number(row.reassessed), _number(row.improved),
            )  # fmt: skip
        first = cells[0].ljust(widths[0])
        rest = "".join(cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        lines.append(first + rest)
    return lines


def _cells(rows: list[DomainNeeds], room: int) -> list[tuple[int, int]]:
    """(cells with an action, cells without) per row; the largest row fills `room`.

    Any non-zero part shows as at least one cell, so a small gap is never hidden.
    """
    largest = max((row.flagged for row in rows), default=0)
    scale = room / largest if largest else 0.0
    out = []
    for row in rows:
        cells = max(round(row.flagged * scale), bool(row.with_action) + bool(row.gap))
        acted = max(round(row.with_action * scale), 1 if row.with_action else 0)
        if row.gap:
            acted = min(acted, cells - 1)
        out.append((acted, cells - acted))
    return out


def bar_lines(rows: list[DomainNeeds], width: int = 80) -> list[str]:
    """One bar per domain: █ for HIGH children with an action, ░ for those without; ≤ width."""
    if not any(row.flagged for row in rows):
        return ["No child is HIGH in any domain in this round."]
    counts = [f"{row.with_action} of {row.flagged}" if row.flagged else "none" for row in rows]
    count_width = max(len(c) for c in counts)
    room = max(10, width - LABEL_WIDTH - count_width - 1)
    key = f"HIGH children: {FULL} with an action, {SHADE} without one (the gap)"
    lines = textwrap.wrap(key, width=max(20, width))
    for row, count, (acted, gap) in zip(rows, counts, _cells(rows, room), strict=True):
        bar = (FULL * acted + SHADE * gap).ljust(room)
        lines.append(f"{_title(row.domain).ljust(LABEL_WIDTH)}{bar} {count.rjust(count_width)}")
    return lines


def to_text(rows: list[DomainNeeds], meta: NeedsMeta, width: int = 80) -> str:
    """The heading, the table, a short key and the bar chart, for a terminal of `width` columns.

    The table itself is 69 columns wide; the words and the bars follow `width`.
    """
    later = meta.next_round
    key = (
        "HIGH and MEDIUM: children at that level. Action: HIGH children with at least one "
        "action in this round. Gap: HIGH children without one. Done: actions done."
    )
    improved = (
        f"Reassessed: HIGH children with a level in round {later.number} ({later.name}). "
        "Improved: those at MEDIUM or LOW there."
        if later
        else "Reassessed and Improved need a later round; this is the latest one."
    )
    lines = [
        *textwrap.wrap(
            f"Needs versus services: {meta.round.name} (round {meta.round.number}), "
            f"{meta.school}, made on {meta.made_on}",
            width=max(40, width),
        ),
        "",
        *table_lines(rows),
        "",
        *textwrap.wrap(key, width=max(40, width)),
        *textwrap.wrap(improved, width=max(40, width)),
        "",
        *bar_lines(rows, width),
    ]
    return "\n".join(lines) + "\n"
