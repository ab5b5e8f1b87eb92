"""The bundle log: every bundle this store wrote or took in, with its sequence and counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from cwtt_tui.store.context import StoreContext

Direction = Literal["out", "in"]


@dataclass(frozen=True)
class BundleLogEntry:
    direction: Direction
    bundle_id: str
    peer_id: str
    sequence: int
    delta_after: int
    full: bool
    at: str
    result: str
    details: dict[str, Any]  # counts, file names, high-water marks, the import summary


class BundleLog:
    table = "bundle_log"

    def __init__(self, ctx: StoreContext) -> None:
        self.ctx = ctx

    def record(
        self, direction: Direction, bundle_id: str, peer_id: str, sequence: int, *,
        delta_after: int, full: bool, result: str, details: dict[str, Any],
    ) -> None:  # fmt: skip
        """Write one entry (inside the caller's transaction)."""
        entry_id = f"{direction}:{bundle_id}"
        self.ctx.db.execute(
            "insert or replace into bundle_log (id, direction, bundle_id, peer_id, sequence, "
            "delta_after, full, at, result, payload) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [entry_id, direction, bundle_id, peer_id, sequence, delta_after, int(full),
             self.ctx.now(), result, self.ctx.seal_json(self.table, entry_id, details)],
        )  # fmt: skip

    def _entries(self, where: str, params: list[Any]) -> list[BundleLogEntry]:
        rows = self.ctx.db.query(
            f"select * from bundle_log where {where} order by at, sequence", params
        )
        return [
            BundleLogEntry(
                direction=row["direction"],
                bundle_id=row["bundle_id"],
                peer_id=row["peer_id"],
                sequence=row["sequence"],
                delta_after=row["delta_after"],
                full=bool(row["full"]),
                at=row["at"],
                result=row["result"],
                details=self.ctx.open_json(self.table, row["id"], row["payload"]),
            )  # fmt: skip
            for row in rows
        ]

    def entries(self, *, peer_id: str | None = None) -> list[BundleLogEntry]:
        if peer_id is None:
            return self._entries("1 = 1", [])
        return self._entries("peer_id = ?", [peer_id])

    def last_export(self, peer_id: str) -> BundleLogEntry | None:
        found = self._entries("direction = 'out' and peer_id = ?", [peer_id])
        return max(found, key=lambda e: e.sequence) if found else None

    def imported(self, bundle_id: str) -> BundleLogEntry | None:
        found = self._entries("direction = 'in' and bundle_id = ?", [bundle_id])
        return found[0] if found else None

    def imported_sequence(self, peer_id: str, sequence: int) -> BundleLogEntry | None:
        found = self._entries(
            "direction = 'in' and peer_id = ? and sequence = ?", [peer_id, sequence]
        )
        return found[-1] if found else None  # the latest, after a restored laptop's restart

    def bundles_from(self, peer_id: str) -> tuple[str, ...]:
        rows = self.ctx.db.execute(
            "select bundle_id from bundle_log where direction = 'in' and peer_id = ?", [peer_id]
        ).fetchall()
        return tuple(r[0] for r in rows)

    def missing_from(self, peer_id: str) -> list[int]:
        """Sequence numbers from a peer never received and not covered by a later full bundle."""
        rows = self.ctx.db.execute(
            "select sequence, full from bundle_log where direction = 'in' and peer_id = ?",
            [peer_id],
        ).fetchall()
        if not rows:
            return []
        seen = {seq for seq, _ in rows}
        covered_to = max((seq for seq, full in rows if full), default=0)
        return [n for n in range(covered_to + 1, max(seen)) if n not in seen]
