"""The audit log: append-only, hash-chained, details sealed; the chain's head is sealed too."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from cwtt_tui.errors import StoreDamaged
from cwtt_tui.models import AuditEntry, AuditReport
from cwtt_tui.store.context import StoreContext, insert_row

GENESIS = "0" * 64
HEAD_KEY = "audit_head"


def link_hash(
    seq: int, at: str, user_id: str, device_id: str, action: str, target: str, payload: bytes,
    prev_hash: str,
) -> str:  # fmt: skip
    """SHA-256 over an entry's fields and the previous entry's hash."""
    fields = [seq, at, user_id, device_id, action, target, payload.hex(), prev_hash]
    return hashlib.sha256(json.dumps(fields, separators=(",", ":")).encode()).hexdigest()


class AuditLog:
    """Who did what, when: `record()` appends, `verify()` finds the first broken link."""

    table = "audit"

    def __init__(self, ctx: StoreContext) -> None:
        self.ctx = ctx

    def record(self, action: str, target: str = "", **detail: Any) -> AuditEntry:
        """Append one entry (inside the caller's transaction, if any)."""
        db = self.ctx.db
        with db.atomic():
            # The sealed head, not the table, says where the chain ends: entries deleted from
            # the end stay visible as a gap instead of being papered over by the next entry.
            seq, prev = self._head()
            seq += 1
            at = self.ctx.now()
            user_id = self.ctx.user.id if self.ctx.user else ""
            payload = self.ctx.seal_json(self.table, str(seq), detail)
            digest = link_hash(seq, at, user_id, self.ctx.device_id, action, target, payload, prev)
            insert_row(
                db,
                "audit",
                {
                    "seq": seq,
                    "at": at,
                    "user_id": user_id,
                    "device_id": self.ctx.device_id,
                    "action": action,
                    "target": target,
                    "payload": payload,
                    "prev_hash": prev,
                    "hash": digest,
                },
            )
            head = self.ctx.seal_json("secrets", HEAD_KEY, {"seq": seq, "hash": digest})
            db.execute(
                "insert or replace into secrets (key, payload) values (?, ?)", [HEAD_KEY, head]
            )
        return AuditEntry(
            seq, at, user_id, self.ctx.device_id, action, target, detail, prev, digest
        )

    def _head(self) -> tuple[int, str]:
        rows = list(self.ctx.db.query("select payload from secrets where key = ?", [HEAD_KEY]))
        if not rows:
            return 0, GENESIS
        head = self.ctx.open_json("secrets", HEAD_KEY, rows[0]["payload"])
        return int(head["seq"]), str(head["hash"])

    def entries(self, *, since: int = 0, limit: int | None = None) -> Iterator[AuditEntry]:
        sql = "select * from audit where seq > ? order by seq"
        params: list[Any] = [since]
        if limit is not None:
            sql += " limit ?"
            params.append(limit)
        for row in self.ctx.db.query(sql, params):
            detail = self.ctx.open_json(self.table, str(row["seq"]), row["payload"])
            yield AuditEntry(
                row["seq"], row["at"], row["user_id"], row["device_id"], row["action"],
                row["target"], detail, row["prev_hash"], row["hash"],
            )  # fmt: skip

    def verify(self) -> AuditReport:
        """Check every link, every sealed detail and the sealed head; report the first break."""
        prev = GENESIS
        count = 0
        expected_seq = 1
        for row in self.ctx.db.query("select * from audit order by seq"):
            seq = row["seq"]
            if seq != expected_seq:
                return AuditReport(count, expected_seq, f"entry {expected_seq} is missing")
            if row["prev_hash"] != prev:
                return AuditReport(count, seq, f"entry {seq} does not follow entry {seq - 1}")
            digest = link_hash(
                seq, row["at"], row["user_id"], row["device_id"], row["action"], row["target"],
                row["payload"], row["prev_hash"],
            )  # fmt: skip
            if digest != row["hash"]:
                return AuditReport(count, seq, f"entry {seq} was changed after it was written")
            try:
                self.ctx.open_json(self.table, str(seq), row["payload"])
            except StoreDamaged:
                return AuditReport(count, seq, f"the details of entry {seq} do not open")
            prev = digest
            count += 1
            expected_seq += 1
        head_rows = list(self.ctx.db.query("select payload from secrets where key = ?", [HEAD_KEY]))
        if head_rows:
            try:
                head = self.ctx.open_json("secrets", HEAD_KEY, head_rows[0]["payload"])
            except StoreDamaged:
                return AuditReport(count, count + 1, "the sealed end of the log does not open")
            if head["seq"] != count or head["hash"] != prev:
                return AuditReport(
                    count,
                    count + 1,
                    f"entries after {count} were removed (log ended at {head['seq']})",
                )
        elif count:
            return AuditReport(count, count + 1, "the sealed end of the log is missing")
        return AuditReport(count, None)
