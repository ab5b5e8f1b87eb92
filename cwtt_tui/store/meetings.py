"""Meetings in progress: the agenda, where the team is on it, and what it recorded, sealed and
saved after every step so that a power cut in a meeting loses nothing (this laptop only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from cwtt_tui.store.context import StoreContext

Status = Literal["open", "finished", "abandoned"]


@dataclass(frozen=True)
class SavedMeeting:
    id: str
    round_id: str
    started_at: str
    updated_at: str
    status: Status
    progress: dict[str, Any]  # what `cwtt_tui.meeting` wrote: agenda, position, records


class Meetings:
    table = "meetings"

    def __init__(self, ctx: StoreContext) -> None:
        self.ctx = ctx

    def save(self, meeting_id: str, round_id: str, progress: dict[str, Any]) -> None:
        """Write a meeting's progress (a new meeting, or one step further)."""
        now = self.ctx.now()
        sealed = self.ctx.seal_json(self.table, meeting_id, progress)
        with self.ctx.db.atomic():
            self.ctx.db.execute(
                "insert into meetings (id, round_id, started_at, updated_at, status, payload) "
                "values (?, ?, ?, ?, 'open', ?) on conflict (id) do update set "
                "updated_at = excluded.updated_at, payload = excluded.payload",
                [meeting_id, round_id, now, now, sealed],
            )

    def close(self, meeting_id: str, status: Status) -> None:
        """Mark a meeting finished (its minutes are written) or abandoned (a new one began)."""
        with self.ctx.db.atomic():
            self.ctx.db.execute(
                "update meetings set status = ?, updated_at = ? where id = ?",
                [status, self.ctx.now(), meeting_id],
            )

    def unfinished(self) -> SavedMeeting | None:
        """The latest meeting still open (the laptop was switched off, or the team left)."""
        rows = list(
            self.ctx.db.query(
                "select * from meetings where status = 'open' order by updated_at desc, id limit 1"
            )
        )
        if not rows:
            return None
        row = rows[0]
        return SavedMeeting(
            row["id"], row["round_id"], row["started_at"], row["updated_at"], row["status"],
            self.ctx.open_json(self.table, row["id"], row["payload"]),
        )  # fmt: skip
