"""Assessments: each child's risk per round, full result and board summary both sealed."""

from __future__ import annotations

from itertools import compress, repeat
from operator import itemgetter
from typing import Any, NamedTuple

from cwtt_tui.crypto.sealing import SealError
from cwtt_tui.errors import StoreDamaged
from cwtt_tui.models import BoardSummary
from cwtt_tui.store import version_vectors as vv
from cwtt_tui.store.context import StoreContext, insert_row, new_id, next_change_seq

#: Rows decrypted and split at a time when the board loads: bounds the memory of one pass.
CHUNK_ROWS = 2000
FIELDS = 8  # of a summary's text: BoardSummary's fields but the child id
SEPARATOR = BoardSummary.FIELD_SEPARATOR.encode()


class Assessments:
    """Save and read assessments; the board loads `summary_columns()` (small values only)."""

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
        """Every child's board line for a round, by child id: one small decryption each."""
        columns = self.summary_columns(round_id)
        by_child = sorted(range(len(columns.child_id)), key=columns.child_id.__getitem__)
        fields = [list(map(column.__getitem__, by_child)) for column in columns[:-1]]
        return list(map(BoardSummary, *fields))

    def summary_columns(self, round_id: str) -> SummaryColumns:
        """Every child's board line for a round as columns of plain values, in no set order.

        Children withdrawn or merged into another are left out. The summaries are read from
        the board's covering index alone (migration 0005), then decrypted and split in bulk, a
        chunk at a time; repeated values (school, class, levels, date, laptop) are shared
        between rows.
        """
        cursor = self.ctx.db.execute(
            "select id, child_id, summary from assessments indexed by idx_assessments_board "
            "where round_id = ?",
            [round_id],
        )
        kept = self._kept_children()  # while the cursor is open: the same snapshot
        columns = SummaryColumns(*([] for _ in SummaryColumns._fields))
        shared: dict[str, str] = {}
        while chunk := cursor.fetchmany(CHUNK_ROWS):
            self._add_chunk(columns, chunk, kept, shared)
        laptops = set(kept.values())
        if len(laptops) == 1:  # every child from one laptop: no lookup per row
            columns.source.extend(repeat(laptops.pop(), len(columns.child_id)))
        else:
            columns.source.extend(map(kept.__getitem__, columns.child_id))
        return columns

    def _kept_children(self) -> dict[str, str]:
        """The children the board shows (not withdrawn, not merged), each with the laptop that
        last changed their record ('' when unknown). Ids are hex: a space separates them."""
        kept: dict[str, str] = {}
        for device, ids in self.ctx.db.execute(
            "select coalesce(updated_by_device, ''), group_concat(id, ' ') from children "
            "where withdrawn = 0 and merged_into is null group by 1"
        ):
            kept.update(dict.fromkeys(ids.split(" "), device))
        return kept

    def _add_chunk(
        self,
        columns: SummaryColumns,
        chunk: list[tuple[str, str, bytes]],
        kept: dict[str, str],
        shared: dict[str, str],
    ) -> None:
        """Decrypt and split one chunk of rows onto the ends of `columns`; rows of children not
        in `kept` are left out."""
        child_ids = list(map(itemgetter(1), chunk))
        if not all(map(kept.__contains__, child_ids)):  # withdrawn, merged or not held
            chunk = list(compress(chunk, map(kept.__contains__, child_ids)))
            child_ids = list(map(itemgetter(1), chunk))
        texts = self._open_summaries(chunk)
        flat = SEPARATOR.join(texts).decode("utf-8").split(BoardSummary.FIELD_SEPARATOR)
        if len(flat) != FIELDS * len(texts):  # a summary has a separator too many
            for child_id, text in zip(child_ids, texts, strict=True):
                BoardSummary.decode(child_id, text.decode("utf-8"))  # raises for that one
        columns.child_id.extend(child_ids)
        columns.name.extend(flat[0::FIELDS])
        for column, at in ((columns.school_id, 1), (columns.grade, 2), (columns.class_name, 3),
                           (columns.levels, 4), (columns.last_interview, 6)):  # fmt: skip
            values = flat[at::FIELDS]
            column.extend(map(shared.setdefault, values, values))
        columns.highs.extend(map(int, flat[5::FIELDS]))
        columns.mandatory_report.extend(map("1".__eq__, flat[7::FIELDS]))

    def _open_summaries(self, chunk: list[tuple[str, str, bytes]]) -> list[bytes]:
        """The chunk's summaries decrypted; StoreDamaged names the first one that does not open."""
        try:
            return self.ctx.sealer.open_many(
                "assessment_summaries",
                list(map(itemgetter(0), chunk)),
                list(map(itemgetter(2), chunk)),
            )
        except SealError:
            for row_id, _, sealed in chunk:
                self._open_summary(row_id, sealed)  # raises StoreDamaged for the damaged one
            raise


class SummaryColumns(NamedTuple):
    """A round's board lines as columns: one list per `BoardSummary` field, then `source`."""

    child_id: list[str]
    name: list[str]
    school_id: list[str]
    grade: list[str]
    class_name: list[str]
    levels: list[str]
    highs: list[int]
    last_interview: list[str]
    mandatory_report: list[bool]
    source: list[str]  # the laptop that last changed the child's record; '' when unknown
