"""Actions as a report: rows, then a plain table, CSV or JSON."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from cwtt_tui.planning import STATUS_LABELS, is_overdue
from exports.board_report import DOMAIN_TITLES
from exports.spreadsheet import csv_text

if TYPE_CHECKING:
    from cwtt_tui.models import Action, StatusChange
    from cwtt_tui.store.store import Store

__all__ = ["COLUMNS", "NO_ROWS", "action_rows", "to_csv", "to_json", "to_table"]

#: The keys of every row, in column order (the CSV header).
COLUMNS = (
    "action_id", "child_id", "name", "grade", "class", "school", "round", "domain", "what",
    "responsible", "department", "due_on", "status", "overdue", "notes", "updated_at",
)  # fmt: skip
NO_ROWS = "No actions here."
OVERDUE = "OVERDUE"
SHORT_ID = 8
WHAT_WIDTH = 48


def action_rows(store: Store, actions: list[Action], on: date) -> list[dict[str, Any]]:
    """One dict per action, in the order given; `overdue` is judged on `on` (today)."""
    children = {c.id: c for c in store.children.list(include_withdrawn=True, include_merged=True)}
    schools = {s.id: s.name for s in store.schools.list()}
    rounds = {r.id: r.name for r in store.rounds.list()}
    rows = []
    for action in actions:
        child = children.get(action.child_id)
        details = child.details if child else None
        rows.append(
            {
                "action_id": action.id,
                "child_id": action.child_id,
                "name": f"{details.last_name}, {details.first_name}" if details else "",
                "grade": details.grade if details else "",
                "class": details.class_name if details else "",
                "school": schools.get(child.school_id, "") if child else "",
                "round": rounds.get(action.round_id, ""),
                "domain": action.domain,
                "what": action.details.what,
                "responsible": action.details.responsible,
                "department": action.details.department,
                "due_on": action.details.due_on,
                "status": action.status,
                "overdue": is_overdue(action, on),
                "notes": action.details.notes,
                "updated_at": action.meta.updated_at,
                "suggestion_id": action.suggestion_id,
                "history": [_change(h) for h in action.history],
            }
        )
    return rows


def _change(change: StatusChange) -> dict[str, str]:
    by = change.by_name or change.by
    return {"at": change.at, "by": by, "from": change.from_status, "to": change.to,
            "note": change.note}  # fmt: skip


def to_csv(rows: list[dict[str, Any]]) -> str:
    """A header row, then one row per action; starts with a BOM and uses CRLF, as Excel expects."""
    return csv_text(COLUMNS, ([row[column] for column in COLUMNS] for row in rows))


def to_json(rows: list[dict[str, Any]]) -> str:
    """A JSON list of actions, each with its history of status changes."""
    keys = (*COLUMNS, "suggestion_id", "history")
    document = [{key: row[key] for key in keys} for row in rows]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def to_table(rows: list[dict[str, Any]]) -> str:
    """Aligned columns for a terminal: the action's short id, the child, what, who, when, status."""
    if not rows:
        return NO_ROWS + "\n"
    heads = ("ID", "Child", "Gr/Class", "Domain", "What", "Responsible", "Department", "Due",
             "Status", "")  # fmt: skip
    lines = [
        (
            row["action_id"][:SHORT_ID],
            row["name"],
            f"{row['grade']} {row['class']}".strip(),
            DOMAIN_TITLES.get(row["domain"], row["domain"]),
            _short(row["what"], WHAT_WIDTH),
            row["responsible"] or "-",
            row["department"] or "-",
            row["due_on"] or "-",
            STATUS_LABELS.get(row["status"], row["status"]),
            OVERDUE if row["overdue"] else "",
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in (heads, *lines)) for i in range(len(heads))]
    text = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in (heads, *lines)
    ]
    return "\n".join(text) + "\n"
