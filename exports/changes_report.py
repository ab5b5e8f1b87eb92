"""Change since the previous round as a report: counts per domain, and who got worse.

Formats: CSV (one row per child, each domain's change as a word), JSON, and a text table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cwtt_tui.models import DOMAINS, Round
from cwtt_tui.rounds import CHANGE_KINDS, CHANGE_SYMBOLS, ChildChanges
from exports.board_report import DOMAIN_TITLES
from exports.spreadsheet import csv_text

__all__ = ["COLUMNS", "ChangesMeta", "counts", "to_csv", "to_json", "to_text"]

COLUMNS = ("child_id", "name", "grade", "class", "school", *DOMAINS, "worse")
JSON_FORMAT = "cwtt-changes/1"


@dataclass(frozen=True)
class ChangesMeta:
    """The round compared, the one before it, the school (or all) and the day the report was made."""

    round: Round
    previous: Round
    school: str
    made_on: str


def counts(rows: list[ChildChanges]) -> dict[str, dict[str, int]]:
    """Per domain, how many children got worse, better, stayed the same, or cannot be compared."""
    out = {d: dict.fromkeys(CHANGE_KINDS, 0) for d in DOMAINS}
    for row in rows:
        for domain, change in row.changes.items():
            out[domain][change.kind] += 1
    return out


def to_csv(rows: list[ChildChanges], school_names: dict[str, str]) -> str:
    """A header row, then one row per child: worse, better, same or unknown per domain."""
    return csv_text(
        COLUMNS,
        (
            [
                row.line.child_id, row.line.name, row.line.grade, row.line.class_name,
                school_names.get(row.line.school_id, ""),
                *(row.changes[d].kind for d in DOMAINS), len(row.worse),
            ]
            for row in rows
        ),
    )  # fmt: skip


def _round(round_: Round) -> dict[str, Any]:
    return {"name": round_.name, "number": round_.number}


def to_json(rows: list[ChildChanges], meta: ChangesMeta, school_names: dict[str, str]) -> str:
    """`{"format", "round", "previous_round", "school", "made_on", "counts", "children"}`."""
    document = {
        "format": JSON_FORMAT,
        "round": _round(meta.round),
        "previous_round": _round(meta.previous),
        "school": meta.school,
        "made_on": meta.made_on,
        "counts": counts(rows),
        "children": [
            {
                "child_id": row.line.child_id,
                "name": row.line.name,
                "school": school_names.get(row.line.school_id, ""),
                "changes": {
                    d: {"before": c.before, "after": c.after, "change": c.kind}
                    for d, c in row.changes.items()
                },
            }
            for row in rows
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_text(rows: list[ChildChanges], meta: ChangesMeta) -> str:
    """Counts per domain (↑ worse, ↓ better, = same, — cannot compare), then who got worse."""
    heads = [f"{CHANGE_SYMBOLS[k]} {k}" for k in CHANGE_KINDS]
    lines = [
        f"Change since round {meta.previous.number} ({meta.previous.name}): "
        f"round {meta.round.number} ({meta.round.name}), {meta.school}, {len(rows)} children",
        "",
        "Domain".ljust(14) + "".join(h.rjust(11) for h in heads),
    ]
    for domain, per_kind in counts(rows).items():
        cells = "".join(str(per_kind[k]).rjust(11) for k in CHANGE_KINDS)
        lines.append(DOMAIN_TITLES[domain].ljust(14) + cells)
    lines += ["", "unknown: incomplete or not scored in one of the two rounds.", ""]
    worse = [row for row in rows if row.worse]
    if not worse:
        lines.append("No child got worse in any domain.")
    else:
        lines.append(f"Children who got worse ({len(worse)}):")
        for row in sorted(worse, key=lambda r: (-len(r.worse), r.line.name.casefold())):
            what = ", ".join(
                f"{d} {row.changes[d].before} → {row.changes[d].after}" for d in row.worse
            )
            lines.append(
                f"  {row.line.name} (grade {row.line.grade}, {row.line.class_name}): {what}"
            )
    return "\n".join(lines) + "\n"
