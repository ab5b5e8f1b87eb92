"""What every repository shares once a store is unlocked: the database, the sealer, clock and user."""

from __future__ import annotations

import json
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlite_utils

from cwtt_tui.crypto.sealing import RowSealer, SealError
from cwtt_tui.errors import ConflictError, RecordNotFound, StoreDamaged, StoreLocked
from cwtt_tui.models import RecordMeta, User
from cwtt_tui.store import version_vectors as vv

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Timestamps are stored as UTC ISO 8601 with seconds, so they sort as text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    """A random id that is never reused (122 random bits)."""
    return uuid.uuid4().hex


COMPRESS_ABOVE = 200  # bytes of JSON; smaller payloads gain nothing from zlib
#: Level 1 writes interviews and results 5% larger than level 6, in a sixth less time (measured
#: on the benchmark's records); any level reads back alike.
ZLIB_LEVEL = 1


def compact_json(data: Any) -> bytes:
    """Compact UTF-8 JSON with sorted keys.

    orjson writes it three times faster than the standard library (a fifth of a large
    import's time); what orjson refuses (integers beyond 64 bits, keys that are not text)
    goes through the standard library, which reads back to the same values.
    """
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


def encode_payload(data: Any, *, compress: bool = True) -> bytes:
    """Compact JSON, zlib-compressed when large (marked by a leading `z`; JSON never starts so)."""
    raw = compact_json(data)
    return b"z" + zlib.compress(raw, ZLIB_LEVEL) if compress and len(raw) > COMPRESS_ABOVE else raw


def decode_payload(plain: bytes) -> Any:
    return json.loads(zlib.decompress(plain[1:]) if plain[:1] == b"z" else plain)


@dataclass
class StoreContext:
    db: sqlite_utils.Database
    data_key: bytes
    device_id: str
    clock: Clock
    user: User | None = None

    def __post_init__(self) -> None:
        self._sealer: RowSealer | None = RowSealer(self.data_key) if self.data_key else None

    @property
    def sealer(self) -> RowSealer:
        if self._sealer is None:
            raise StoreLocked("The store is locked; unlock it with your passphrase first.")
        return self._sealer

    def forget_keys(self) -> None:
        """Drop every key held in memory (on lock, idle time-out or close)."""
        self.data_key = b""
        self._sealer = None

    def remember_key(self, data_key: bytes) -> None:
        self.data_key = data_key
        self._sealer = RowSealer(data_key)

    def now(self) -> str:
        return iso(self.clock())

    def seal_json(self, table: str, row_id: str, data: Any, *, compress: bool = True) -> bytes:
        return self.sealer.seal(table, row_id, encode_payload(data, compress=compress))

    def open_json(self, table: str, row_id: str, sealed: bytes) -> Any:
        try:
            return decode_payload(self.sealer.open(table, row_id, sealed))
        except (SealError, ValueError, zlib.error) as exc:
            raise StoreDamaged(
                f"Record {row_id} in {table} is damaged or was moved from another row; "
                "restore the latest backup with `cwtt restore FILE`."
            ) from exc

    def open_json_many(self, table: str, row_ids: list[str], sealed: list[bytes]) -> list[Any]:
        """`open_json` for many rows of one table (one call into the cipher for all)."""
        try:
            return [decode_payload(p) for p in self.sealer.open_many(table, row_ids, sealed)]
        except (SealError, ValueError, zlib.error):
            for row_id, value in zip(row_ids, sealed, strict=True):
                self.open_json(table, row_id, value)  # StoreDamaged names the damaged one
            raise


def next_change_seq(db: sqlite_utils.Database, table: str) -> int:
    """The table's next change number: delta bundles send rows changed after a number."""
    row = db.execute(f"select max(change_seq) from [{table}]").fetchone()
    return (row[0] or 0) + 1


def insert_row(db: sqlite_utils.Database, table: str, row: dict[str, Any]) -> None:
    """A plain INSERT: sqlite-utils' insert() inspects the schema on every call, too slow in bulk."""
    columns = ", ".join(f"[{c}]" for c in row)
    marks = ", ".join("?" for _ in row)
    db.execute(f"insert into [{table}] ({columns}) values ({marks})", list(row.values()))


class SealedTable:
    """Shared create/update/read of a record table with sealed payloads and version counters."""

    table: str = ""
    noun: str = "record"

    def __init__(self, ctx: StoreContext) -> None:
        self.ctx = ctx

    @property
    def db(self) -> sqlite_utils.Database:
        return self.ctx.db

    def _meta(self, row: dict[str, Any]) -> RecordMeta:
        return RecordMeta(
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            updated_by_device=row["updated_by_device"] or "",
            version=row["version"],
            via_bundle=row.get("via_bundle"),
        )

    def _insert(self, row_id: str, clear: dict[str, Any], data: Any) -> dict[str, Any]:
        now = self.ctx.now()
        row = {
            "id": row_id,
            **clear,
            "created_at": now,
            "updated_at": now,
            "updated_by_device": self.ctx.device_id,
            "version": 1,
            "payload": self.ctx.seal_json(self.table, row_id, data),
            "vv": vv.dump({self.ctx.device_id: 1}),
            "change_seq": next_change_seq(self.db, self.table),
            "via_bundle": None,
        }
        insert_row(self.db, self.table, row)
        return row

    def _update(
        self, row_id: str, clear: dict[str, Any], data: Any, expected_version: int | None = None
    ) -> dict[str, Any]:
        current = self._row(row_id)
        if expected_version is not None and current["version"] != expected_version:
            raise ConflictError(
                f"{self.noun.capitalize()} {row_id} was changed elsewhere since you opened it; "
                "open it again to see the latest version."
            )
        vector = vv.bump(
            vv.parse(
                current["vv"], device=current["updated_by_device"], version=current["version"]
            ),
            self.ctx.device_id,
        )
        changes = {
            **clear,
            "updated_at": self.ctx.now(),
            "updated_by_device": self.ctx.device_id,
            "version": vv.total(vector),
            "payload": self.ctx.seal_json(self.table, row_id, data),
            "vv": vv.dump(vector),
            "change_seq": next_change_seq(self.db, self.table),
            "via_bundle": None,
        }
        assignments = ", ".join(f"[{column}] = ?" for column in changes)
        self.db.execute(
            f"update [{self.table}] set {assignments} where id = ?", [*changes.values(), row_id]
        )
        return {**current, **changes}

    def _row(self, row_id: str) -> dict[str, Any]:
        rows = list(self.db.query(f"select * from [{self.table}] where id = ?", [row_id]))
        if not rows:
            raise RecordNotFound(f"There is no {self.noun} with id {row_id} in this store.")
        return rows[0]

    def _rows(self, where: str = "1 = 1", params: list[Any] | None = None) -> Iterator[dict]:
        yield from self.db.query(
            f"select * from [{self.table}] where {where} order by created_at, id", params or []
        )

    def _data(self, row: dict[str, Any]) -> Any:
        return self.ctx.open_json(self.table, row["id"], row["payload"])

    def move_to_child(self, row_id: str, child_id: str) -> None:
        """Link a record to another child (merging duplicates, or undoing that); a real change."""
        row = self._row(row_id)
        with self.db.atomic():
            self._update(row_id, {"child_id": child_id}, self._data(row))

    def count(self) -> int:
        return self.db[self.table].count
