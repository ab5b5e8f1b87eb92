"""Assessments: each child's risk per round, full result and board summary both sealed."""

from __future__ import annotations

from typing import Any

from cwtt_tui.crypto.sealing import SealError
from cwtt_tui.errors import StoreDamaged
from cwtt_tui.models import BoardSummary
from cwtt_tui.store import version_vectors as vv
from cwtt_tui.store.context import StoreContext, insert_row, new_id, next_change_seq


class Assessments:
    """Save and read assessments; `summaries()` is what the board loads (small values only)."""

    table = "assessments"

    def __init__(self, ctx: StoreContext) -> None:
        self.ctx = ctx

    def save(
        self, child_id: str, round_id: str, result: dict[str, Any], summary: BoardSummary
    ) -> None:
        """Insert or replace the assessment of one child in one round (one transaction)."""
        db = self.ctx.db
        now = self.ctx.now()
        with db.atomic():
            rows = list(
                db.query(
                    "select id, version, created_at, vv, updated_by_device from assessments where round_id = ? and child_id = ?",
                    [round_id, child_id],
                )
            )
            row_id = rows[0]["id"] if rows else new_id()
            payload = self.ctx.seal_json(self.table, row_id, result)
            sealed_summary = self.ctx.sealer.seal(
                "assessment_summaries", row_id, summary.encode().encode("utf-8")
            )
            change_seq = next_change_seq(db, self.table)
            if rows:
                old = rows[0]
                vector = vv.bump(
                    vv.parse(old["vv"], device=old["updated_by_device"], version=old["version"]),
                    self.ctx.device_id,
                )
                db.execute(
                    "update assessments set payload = ?, summary = ?, updated_at = ?, "
                    "updated_by_device = ?, version = ?, vv = ?, change_seq = ?, "
                    "via_bundle = null where id = ?",
                    [payload, sealed_summary, now, self.ctx.device_id, vv.total(vector),
                     vv.dump(vector), change_seq, row_id],
                )  # fmt: skip
            else:
                insert_row(
                    db,
                    self.table,
                    {
                        "id": row_id, "child_id": child_id, "round_id": round_id,
                        "created_at": now, "updated_at": now,
                        "updated_by_device": self.ctx.device_id, "version": 1,
                        "payload": payload, "summary": sealed_summary,
                        "vv": vv.dump({self.ctx.device_id: 1}), "change_seq": change_seq,
                    },
                )  # fmt: skip

    def cases(self) -> set[tuple[str, str]]:
        """Every (child, round) pair that has a result."""
        rows = self.ctx.db.execute("select child_id, round_id from assessments").fetchall()
        return {(child_id, round_id) for child_id, round_id in rows}

    def exists(self, child_id: str, round_id: str) -> bool:
        row = self.ctx.db.execute(
            "select 1 from assessments where round_id = ? and child_id = ?", [round_id, child_id]
        ).fetchone()
        return row is not None

    def get(self, child_id: str, round_id: str) -> dict[str, Any] | None:
        rows = list(
            self.ctx.db.query(
                "select id, payload from assessments where round_id = ? and child_id = ?",
                [round_id, child_id],
            )
        )
        if not rows:
            return None
        return self.ctx.open_json(self.table, rows[0]["id"], rows[0]["payload"])

    def child_summaries(self, child_id: str) -> dict[str, BoardSummary]:
        """One child's board line in every round that scored them, by round id."""
        out = {}
        for row_id, round_id, sealed in self.ctx.db.execute(
            "select id, round_id, summary from assessments where child_id = ?", [child_id]
        ).fetchall():
            out[round_id] = BoardSummary.decode(child_id, self._open_summary(row_id, sealed))
        return out

    def _open_summary(self, row_id: str, sealed: bytes) -> str:
        try:
            return self.ctx.sealer.open("assessment_summaries", row_id, sealed).decode("utf-8")
        except SealError as exc:
            raise StoreDamaged(
                f"The risk summary {row_id} is damaged; re-score the round "
                "or restore the latest backup."
            ) from exc

    def summaries(self, round_id: str) -> list[BoardSummary]:
        """Every child's board line for a round: one small decryption each, no JSON parsing."""
        sealer = self.ctx.sealer
        out = []
        for row_id, child_id, sealed in self.ctx.db.execute(
            "select a.id, a.child_id, a.summary from assessments a join children c "
            "on c.id = a.child_id where a.round_id = ? and c.withdrawn = 0 "
            "and c.merged_into is null",
            [round_id],
        ).fetchall():
            try:
                text = sealer.open("assessment_summaries", row_id, sealed).decode("utf-8")
            except SealError as exc:
                raise StoreDamaged(
                    f"The risk summary {row_id} is damaged; re-score the round "
                    "or restore the latest backup."
                ) from exc
            out.append(BoardSummary.decode(child_id, text))
        return out
