"""How incoming records are merged row by row: actions changed on two laptops, and new rows
gathered for one `executemany` (no SQL here beyond turning a refused row into a plain error)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any

from cwtt_tui.errors import BundleRejected


def merge_actions(mine: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """An action changed on two laptops: every status change of both is kept, the later one
    decides the status, and both sides' notes are kept."""

    def key(entry: dict[str, Any]) -> tuple:
        return (
            entry.get("at", ""),
            entry.get("to", ""),
            entry.get("by", ""),
            entry.get("note", ""),
        )

    entries = {
        key(e): e for e in [*mine["data"].get("history", []), *theirs["data"].get("history", [])]
    }
    history = [entries[k] for k in sorted(entries)]
    newer, older = (theirs, mine) if theirs["updated_at"] > mine["updated_at"] else (mine, theirs)
    details = dict(newer["data"]["details"])
    notes = [n for n in (newer["data"]["details"].get("notes", ""),
                         older["data"]["details"].get("notes", "")) if n]  # fmt: skip
    details["notes"] = "\n".join(dict.fromkeys(notes))
    clear = dict(newer["clear"])
    if history:
        clear["status"] = history[-1]["to"]
    return {
        **newer,
        "id": mine["id"],
        "clear": clear,
        "data": {**newer["data"], "details": details, "history": history},
    }


#: Ids per `where id in (...)` query, well below SQLite's limit of bound parameters.
QUERY_IDS = 500


class PendingRows:
    """New rows of one kind waiting for one `executemany`, with the keys that make a later
    record of the same batch depend on them (its id; a round's number; an assessment's case)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.rows: list[dict[str, Any]] = []
        self._keys: set[object] = set()

    def _keys_of(self, record: dict[str, Any], clear: dict[str, Any]) -> list[object]:
        keys: list[object] = [record["id"]]
        if self.kind == "round":
            keys.append(("number", clear["number"]))
        elif self.kind == "assessment":
            keys.append(("case", clear["child_id"], clear["round_id"]))
        elif self.kind == "school":
            keys.append(("emis", record["data"].get("emis")))
        return keys

    def holds(self, record: dict[str, Any], clear: dict[str, Any]) -> bool:
        return any(key in self._keys for key in self._keys_of(record, clear))

    def add(self, record: dict[str, Any], clear: dict[str, Any], row: dict[str, Any]) -> None:
        self.rows.append(row)
        self._keys.update(self._keys_of(record, clear))

    def clear(self) -> None:
        self.rows.clear()
        self._keys.clear()


@contextlib.contextmanager
def unknown_parent(kind: str) -> Iterator[None]:
    """A row whose child, school or round this store never received: refuse the bundle."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        raise BundleRejected(
            f"This bundle refers to records this laptop has never received (a {kind} of a "
            "child, school or round it does not hold); nothing was imported. Ask the sender "
            "for an export with --full."
        ) from exc
