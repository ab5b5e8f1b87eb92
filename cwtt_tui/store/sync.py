"""Records in and out of bundles: delta export by change number, merge by version vector.

A record travels as a plain dict (`kind`, `id`, timestamps, `vv`, the clear columns and the
decrypted `data`), so the bundle format and the merge rules do not depend on SQLite or on
this store's keys. Applying one never commits: the caller holds the transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

import sqlite_utils

from cwtt_tui.errors import RecordNotFound
from cwtt_tui.store import version_vectors as vv
from cwtt_tui.store.context import StoreContext, new_id, next_change_seq
from cwtt_tui.store.merge_rows import QUERY_IDS, PendingRows, merge_actions, unknown_parent

KIND_TABLES: dict[str, str] = {
    "school": "schools",
    "round": "rounds",
    "child": "children",
    "interview": "interviews",
    "action": "actions",
    "assessment": "assessments",
}
CLEAR_COLUMNS: dict[str, tuple[str, ...]] = {
    "school": (),
    "round": ("number", "status"),
    "child": ("school_id", "withdrawn", "merged_into"),
    "interview": ("child_id", "round_id", "respondent", "status"),
    "action": ("child_id", "round_id", "status"),
    "assessment": ("child_id", "round_id"),
}
Outcome = Literal["new", "updated", "same", "older", "conflict", "alias", "merged"]
HighWater = dict[str, int]
CURRENT_COLUMNS = ("id", "vv", "updated_by_device", "version", "updated_at")


class Sync:
    """What export and import need from the store; see the module docstring."""

    def __init__(self, ctx: StoreContext) -> None:
        self.ctx = ctx
        self._forget()

    def _forget(self) -> None:
        self._next_seq: dict[str, int] = {}
        self._aliases: dict[tuple[str, str], str] = {}
        self._merged: dict[str, str] | None = None

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Apply many records: lookups and change numbers are remembered until the end (the
        caller's transaction writes nothing else meanwhile)."""
        self._forget()
        try:
            yield
        finally:
            self._forget()

    @property
    def db(self) -> sqlite_utils.Database:
        return self.ctx.db

    # ----- out -----

    def high_water(self) -> HighWater:
        """The latest change number of each table (what a delta bundle starts after next time)."""
        marks = {}
        for table in (*KIND_TABLES.values(),):
            marks[table] = (
                self.db.execute(f"select max(change_seq) from [{table}]").fetchone()[0] or 0
            )
        marks["audit"] = self.db.execute("select max(seq) from audit").fetchone()[0] or 0
        return marks

    def _changed_after(
        self, kind: str, since: Mapping[str, int], skip: list[str], include_drafts: bool
    ) -> tuple[str, list[Any]]:
        """The `where` clause and its values for one kind's rows a bundle sends."""
        skip_sql = (
            f" and coalesce(via_bundle, '') not in ({', '.join('?' for _ in skip)})" if skip else ""
        )
        where = f"coalesce(change_seq, 0) > ?{skip_sql}"
        if kind == "interview" and not include_drafts:
            where += " and status = 'complete'"
        return where, [since.get(KIND_TABLES[kind], 0), *skip]

    def count_outgoing(
        self, since: Mapping[str, int] | None, *, skip_bundles: tuple[str, ...] = (),
        include_drafts: bool = False,
    ) -> int:  # fmt: skip
        """How many records `outgoing` would yield (for a progress bar)."""
        since, skip, total = since or {}, list(skip_bundles), 0
        for kind, table in KIND_TABLES.items():
            where, values = self._changed_after(kind, since, skip, include_drafts)
            total += self.db.execute(
                f"select count(*) from [{table}] where {where}", values
            ).fetchone()[0]
        audit = self.db.execute("select count(*) from audit where seq > ?", [since.get("audit", 0)])
        return total + audit.fetchone()[0]

    def outgoing(
        self, since: Mapping[str, int] | None, *, skip_bundles: tuple[str, ...] = (),
        include_drafts: bool = False,
    ) -> Iterator[dict[str, Any]]:  # fmt: skip
        """Every record changed after `since` (all with None), parents before children.

        Records last changed by one of `skip_bundles` (what the peer itself sent) are left out.
        """
        since, skip = since or {}, list(skip_bundles)
        for kind, table in KIND_TABLES.items():
            where, values = self._changed_after(kind, since, skip, include_drafts)
            rows = self.db.execute(
                f"select * from [{table}] where {where} order by change_seq", values
            )
            names = [d[0] for d in rows.description]
            for values in rows:
                yield self._record(kind, table, dict(zip(names, values, strict=True)))
        for row in self.db.query(
            "select * from audit where seq > ? order by seq", [since.get("audit", 0)]
        ):
            yield {
                "kind": "audit", "device_id": row["device_id"], "seq": row["seq"],
                "at": row["at"], "user_id": row["user_id"], "action": row["action"],
                "target": row["target"], "hash": row["hash"], "prev_hash": row["prev_hash"],
                "data": self.ctx.open_json("audit", str(row["seq"]), row["payload"]),
            }  # fmt: skip

    def _record(self, kind: str, table: str, row: dict[str, Any]) -> dict[str, Any]:
        record = {
            "kind": kind,
            "id": row["id"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "updated_by_device": row["updated_by_device"] or "",
            "vv": vv.parse(row["vv"], device=row["updated_by_device"], version=row["version"]),
            "clear": {c: row[c] for c in CLEAR_COLUMNS[kind]},
            "data": self.ctx.open_json(table, row["id"], row["payload"]),
        }
        if kind == "assessment":
            record["summary"] = self.ctx.sealer.open(
                "assessment_summaries", row["id"], row["summary"]
            ).decode()
        return record

    # ----- in -----

    def local_id(self, kind: str, foreign_id: str) -> str:
        """Our id for a school or round another laptop knows under its own id."""
        found = self._aliases.get((kind, foreign_id))
        if found is None:
            row = self.db.conn.execute(
                "select local_id from id_aliases where kind = ? and foreign_id = ?",
                [kind, foreign_id],
            ).fetchone()
            found = self._aliases[(kind, foreign_id)] = row[0] if row else foreign_id
        return found

    def apply(self, record: dict[str, Any], bundle_id: str) -> Outcome:
        """Merge one validated record (inside the caller's transaction)."""
        return self.apply_many([record], bundle_id)[0]

    def apply_many(self, records: Sequence[dict[str, Any]], bundle_id: str) -> list[Outcome]:
        """Merge validated records of one kind, in order (inside the caller's transaction).

        Our copies are read with one query per call and new rows are written with one
        `executemany`, which is most of what makes a large import fast.
        """
        if not records:
            return []
        kind = records[0]["kind"]
        if kind == "audit":
            return self._apply_audits(records)
        table = KIND_TABLES[kind]
        pending = PendingRows(kind)
        clears = [self._map_ids(kind, dict(r["clear"])) for r in records]
        found = self._current_rows(table, [r["id"] for r in records])
        cases = self._same_cases(
            [c for r, c in zip(records, clears, strict=True) if r["id"] not in found]
        ) if kind == "assessment" else None  # fmt: skip
        outcomes: list[Outcome] = []
        for record, clear in zip(records, clears, strict=True):
            if pending.holds(record, clear):  # the same record twice: let the query see it
                self._flush(table, kind, pending)
                found.update(self._current_rows(table, [record["id"]]))
                cases = None
            current = found.get(record["id"])
            if current is None and cases is not None:
                current = cases.get((clear["child_id"], clear["round_id"]))
            elif current is None:
                current = self._twin(table, kind, record, clear)
            if isinstance(current, str):
                outcomes.append("alias")
            elif current is None:
                pending.add(record, clear, self._row(table, kind, record, clear, record["vv"],
                                                     bundle_id))  # fmt: skip
                outcomes.append("new")
            else:
                outcomes.append(self._merge(table, kind, record, clear, current, bundle_id))
        self._flush(table, kind, pending)
        return outcomes

    def _merge(
        self, table: str, kind: str, record: dict[str, Any], clear: dict[str, Any],
        current: dict[str, Any], bundle_id: str,
    ) -> Outcome:  # fmt: skip
        """An incoming record we already hold a copy of: newer replaces, apart is kept aside."""
        incoming = record["vv"]
        local = vv.parse(
            current["vv"], device=current["updated_by_device"], version=current["version"]
        )
        order = vv.compare(incoming, local)
        if order in ("same", "older"):
            return order
        if order == "conflict" and kind == "action":
            mine = next(self.db.query("select * from actions where id = ?", [current["id"]]))
            merged = merge_actions(self._record(kind, table, mine), {**record, "clear": clear})
            merged.update(updated_at=self.ctx.now(), updated_by_device=self.ctx.device_id)
            vector = vv.bump(vv.merged(incoming, local), self.ctx.device_id)
            self._write(table, kind, merged, merged["clear"], vector, bundle_id, insert=False)
            return "merged"
        if order == "conflict" and kind != "assessment":
            self._keep_conflict(kind, record, clear, bundle_id)
            return "conflict"
        if order == "conflict":  # derived: the newer computation wins, then both are rescored
            if record["updated_at"] <= current["updated_at"]:
                return "older"
            incoming = vv.merged(incoming, local)
        record = {**record, "id": current["id"]}
        self._write(table, kind, record, clear, incoming, bundle_id, insert=False)
        return "updated"

    def _map_ids(self, kind: str, clear: dict[str, Any]) -> dict[str, Any]:
        if "school_id" in clear:
            clear["school_id"] = self.local_id("school", clear["school_id"])
        if "round_id" in clear:
            clear["round_id"] = self.local_id("round", clear["round_id"])
        if "child_id" in clear:
            if self._merged is None:
                self._merged = dict(
                    self.db.conn.execute(
                        "select id, merged_into from children where merged_into is not null"
                    ).fetchall()
                )
            clear["child_id"] = self._merged.get(clear["child_id"], clear["child_id"])
        return clear

    def _rows_in(self, query: str, fixed: list[Any], values: Sequence[Any]) -> Iterator[tuple]:
        """The rows of `query`, whose `{marks}` stands for `values` in an `in (...)` list,
        asked a chunk at a time (well below SQLite's limit of bound parameters)."""
        for start in range(0, len(values), QUERY_IDS):
            chunk = list(values[start : start + QUERY_IDS])
            marks = ", ".join("?" for _ in chunk)
            yield from self.db.conn.execute(query.format(marks=marks), [*fixed, *chunk])

    def _current_rows(self, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Our copies of the records with these ids (the columns a merge compares)."""
        rows = self._rows_in(
            f"select {', '.join(CURRENT_COLUMNS)} from [{table}] where id in ({{marks}})", [], ids
        )
        return {row[0]: dict(zip(CURRENT_COLUMNS, row, strict=True)) for row in rows}

    def _same_cases(self, clears: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
        """Our results for these (child, round) cases, whatever their ids: another laptop's
        result of a case we scored replaces ours rather than standing beside it."""
        found: dict[tuple[str, str], dict[str, Any]] = {}
        by_round: dict[str, set[str]] = {}
        for clear in clears:
            by_round.setdefault(clear["round_id"], set()).add(clear["child_id"])
        for round_id, child_ids in by_round.items():  # (round_id, child_id) is indexed
            rows = self._rows_in(
                f"select child_id, {', '.join(CURRENT_COLUMNS)} from assessments "
                "where round_id = ? and child_id in ({marks})",
                [round_id], sorted(child_ids),
            )  # fmt: skip
            for child_id, *current in rows:
                found[(child_id, round_id)] = dict(zip(CURRENT_COLUMNS, current, strict=True))
        return found

    def _twin(
        self, table: str, kind: str, record: dict[str, Any], clear: dict[str, Any]
    ) -> dict[str, Any] | str | None:
        """A record we do not hold by its id: the same case's result under another id (an
        assessment), or a school or round we hold under another id (same EMIS number, same
        round number), which is then known by our id (a str)."""
        twin: str | None = None
        if kind == "school":
            emis = record["data"].get("emis")
            for row in self.db.query("select id, payload from schools"):
                if self.ctx.open_json("schools", row["id"], row["payload"]).get("emis") == emis:
                    twin = row["id"]
        elif kind == "round":
            found = self.db.execute(
                "select id from rounds where number = ?", [clear["number"]]
            ).fetchone()
            twin = found[0] if found else None
        elif kind == "assessment":
            same_case = self.db.conn.execute(
                "select id, vv, updated_by_device, version, updated_at from assessments "
                "where child_id = ? and round_id = ?",
                [clear["child_id"], clear["round_id"]],
            ).fetchone()
            return dict(zip(CURRENT_COLUMNS, same_case, strict=True)) if same_case else None
        if twin is None:
            return None
        self.db.execute(
            "insert or replace into id_aliases (kind, foreign_id, local_id) values (?, ?, ?)",
            [kind, record["id"], twin],
        )
        self._aliases[(kind, record["id"])] = twin
        return twin

    def _row(
        self, table: str, kind: str, record: dict[str, Any], clear: dict[str, Any],
        vector: vv.Vector, bundle_id: str | None,
    ) -> dict[str, Any]:  # fmt: skip
        """The stored row of a record: clear columns as they are, the data sealed."""
        row_id = record["id"]
        row: dict[str, Any] = {
            "id": row_id,
            **clear,
            "created_at": record["created_at"],
            "updated_at": record["updated_at"],
            "updated_by_device": record["updated_by_device"],
            "version": vv.total(vector),
            "payload": self.ctx.seal_json(table, row_id, record["data"]),
            "vv": vv.dump(vector),
            "change_seq": self._change_seq(table),
            "via_bundle": bundle_id,
        }
        if kind == "assessment":
            row["summary"] = self.ctx.sealer.seal(
                "assessment_summaries", row_id, record["summary"].encode("utf-8")
            )
        return row

    def _write(
        self, table: str, kind: str, record: dict[str, Any], clear: dict[str, Any],
        vector: vv.Vector, bundle_id: str | None, *, insert: bool,
    ) -> None:  # fmt: skip
        row = self._row(table, kind, record, clear, vector, bundle_id)
        if insert:
            pending = PendingRows(kind)
            pending.add(record, clear, row)
            self._flush(table, kind, pending)
            return
        row_id = row.pop("id")
        sets = ", ".join(f"[{c}] = ?" for c in row)
        with unknown_parent(kind):
            self.db.conn.execute(
                f"update [{table}] set {sets} where id = ?", [*row.values(), row_id]
            )

    def _flush(self, table: str, kind: str, pending: PendingRows) -> None:
        """Write the new rows gathered so far in one statement."""
        if not pending.rows:
            return
        columns = list(pending.rows[0])
        names = ", ".join(f"[{c}]" for c in columns)
        marks = ", ".join("?" for _ in columns)
        with unknown_parent(kind):
            self.db.conn.executemany(
                f"insert into [{table}] ({names}) values ({marks})",
                [tuple(row[c] for c in columns) for row in pending.rows],
            )
        pending.clear()

    def _change_seq(self, table: str) -> int:
        """The next change number; remembered within a batch, read from the table otherwise."""
        seq = self._next_seq.get(table) or next_change_seq(self.db, table)
        self._next_seq[table] = seq + 1
        return seq

    def child_sources(self) -> dict[str, str]:
        """Each child's record: the laptop that last changed it (a clear column, no decryption)."""
        return dict(
            self.db.execute("select id, coalesce(updated_by_device, '') from children").fetchall()
        )

    def shared_cases(self) -> set[tuple[str, str]]:
        """(child, round) pairs whose complete interviews were last changed on several laptops."""
        rows = self.db.execute(
            "select child_id, round_id from interviews where status = 'complete' "
            "group by child_id, round_id having count(distinct updated_by_device) > 1"
        ).fetchall()
        return {(child_id, round_id) for child_id, round_id in rows}

    def cases_to_rescore(self, bundle_id: str) -> list[tuple[str, str]]:
        """(child, round) cases a bundle brought interviews or a result to that must be scored
        here: their complete interviews now come from several laptops, or no result came with
        them (a single laptop's result arrives computed). Found by SQL, so an import keeps no
        set of every case it touched."""
        rows = self.db.execute(
            "with touched as ("
            " select child_id, round_id from interviews where via_bundle = ?"
            " union select child_id, round_id from assessments where via_bundle = ?) "
            "select t.child_id, t.round_id from touched t where not exists "
            " (select 1 from assessments a where a.round_id = t.round_id"
            "  and a.child_id = t.child_id) "
            "or (select count(distinct i.updated_by_device) from interviews i"
            " where i.child_id = t.child_id and i.round_id = t.round_id"
            " and i.status = 'complete') > 1 "
            "order by t.child_id, t.round_id",
            [bundle_id, bundle_id],
        )
        return [(child_id, round_id) for child_id, round_id in rows]

    def _apply_audits(self, records: Sequence[dict[str, Any]]) -> list[Outcome]:
        """Another laptop's audit entries, kept as they came (ours come back as "same")."""
        held: set[tuple[str, int]] = set()
        for device in {r["device_id"] for r in records}:
            seqs = [r["seq"] for r in records if r["device_id"] == device]
            rows = self._rows_in(
                "select seq from peer_audit where device_id = ? and seq in ({marks})",
                [device], seqs,
            )  # fmt: skip
            held.update((device, row[0]) for row in rows)
        outcomes: list[Outcome] = []
        rows: list[tuple[Any, ...]] = []
        for record in records:
            key = (record["device_id"], record["seq"])
            if record["device_id"] == self.ctx.device_id or key in held:
                outcomes.append("same")
                continue
            held.add(key)
            # Not compressed: half of an entry is its two hashes, so zlib saved only a third
            # of its 430 bytes, and took a tenth of a large import's time.
            sealed = self.ctx.seal_json("peer_audit", f"{key[0]}:{key[1]}", record, compress=False)
            rows.append((*key, record["at"], record["hash"], sealed))
            outcomes.append("new")
        self.db.conn.executemany(
            "insert into peer_audit (device_id, seq, at, hash, payload) values (?, ?, ?, ?, ?)",
            rows,
        )
        return outcomes

    # ----- conflicts -----

    def _keep_conflict(
        self, kind: str, record: dict[str, Any], clear: dict[str, Any], bundle_id: str
    ) -> None:
        vector = vv.dump(record["vv"])
        exists = self.db.execute(
            "select 1 from conflicts where kind = ? and record_id = ? and vv = ?",
            [kind, record["id"], vector],
        ).fetchone()
        if exists:
            return
        conflict_id = new_id()
        self.db.execute(
            "insert into conflicts (id, kind, record_id, status, detected_at, bundle_id, vv, payload) "
            "values (?, ?, ?, 'open', ?, ?, ?, ?)",
            [conflict_id, kind, record["id"], self.ctx.now(), bundle_id, vector,
             self.ctx.seal_json("conflicts", conflict_id, {**record, "clear": clear})],
        )  # fmt: skip

    def conflicts(self, *, status: str = "open") -> list[dict[str, Any]]:
        """Records changed on two laptops apart: ours and theirs, for a person to choose."""
        out = []
        for row in self.db.query(
            "select * from conflicts where status = ? order by detected_at, id", [status]
        ):
            theirs = self.ctx.open_json("conflicts", row["id"], row["payload"])
            table = KIND_TABLES[row["kind"]]
            mine_rows = list(
                self.db.query(f"select * from [{table}] where id = ?", [row["record_id"]])
            )
            mine = self._record(row["kind"], table, mine_rows[0]) if mine_rows else None
            out.append({"id": row["id"], "kind": row["kind"], "record_id": row["record_id"],
                        "detected_at": row["detected_at"], "bundle_id": row["bundle_id"],
                        "mine": mine, "theirs": theirs})  # fmt: skip
        return out

    def resolve(self, conflict_id: str, keep: Literal["mine", "theirs"]) -> None:
        """Keep one version; the result counts as a new change here, so it wins everywhere."""
        found = [c for c in self.conflicts() if c["id"] == conflict_id]
        if not found:
            raise RecordNotFound(f"There is no open conflict {conflict_id}; see `cwtt conflicts`.")
        conflict = found[0]
        mine, theirs = conflict["mine"], conflict["theirs"]
        chosen = theirs if keep == "theirs" or mine is None else mine
        vector = vv.bump(vv.merged(theirs["vv"], mine["vv"] if mine else {}), self.ctx.device_id)
        record = {**chosen, "updated_at": self.ctx.now(), "updated_by_device": self.ctx.device_id}
        table = KIND_TABLES[conflict["kind"]]
        self._write(table, conflict["kind"], record, dict(chosen["clear"]), vector, None,
                    insert=mine is None)  # fmt: skip
        self.db.execute("update conflicts set status = 'resolved' where id = ?", [conflict_id])
