"""The store's schema, as migrations that run when a store is opened.

Only ids, foreign keys, round numbers, status and timestamps are columns; everything about a
child lives in the sealed `payload` column.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("cwtt")

RECORD_COLUMNS = {
    "id": str,
    "created_at": str,
    "updated_at": str,
    "updated_by_device": str,
    "version": int,
    "payload": bytes,
}


def _record_table(db: sqlite_utils.Database, name: str, extra: dict[str, type]) -> None:
    columns: dict[str, type] = {"id": str, **extra}
    columns.update({k: v for k, v in RECORD_COLUMNS.items() if k != "id"})
    db[name].create(columns, pk="id", not_null={"created_at", "updated_at", "version", "payload"})


@migrations(name="0001_initial")
def m0001_initial(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["secrets"].create({"key": str, "payload": bytes}, pk="key")
    db["key_slots"].create(
        {
            "id": str,
            "kind": str,
            "user_id": str,
            "kdf": str,
            "wrapped": bytes,
            "created_at": str,
            "last_used_at": str,
        },
        pk="id",
    )
    db["users"].create(
        {"id": str, "active": int, "created_at": str, "updated_at": str, "payload": bytes},
        pk="id",
    )
    _record_table(db, "schools", {})
    _record_table(db, "children", {"school_id": str, "withdrawn": int})
    _record_table(db, "rounds", {"number": int, "status": str})
    _record_table(
        db,
        "interviews",
        {"child_id": str, "round_id": str, "respondent": str, "status": str},
    )
    _record_table(db, "actions", {"child_id": str, "round_id": str, "status": str})
    db["devices"].create(
        {
            "id": str,
            "ed25519_public": bytes,
            "x25519_public": bytes,
            "fingerprint": str,
            "trusted_since": str,
            "is_local": int,
            "revoked": int,
            "payload": bytes,
        },
        pk="id",
    )
    db["audit"].create(
        {
            "seq": int,
            "at": str,
            "user_id": str,
            "device_id": str,
            "action": str,
            "target": str,
            "payload": bytes,
            "prev_hash": str,
            "hash": str,
        },
        pk="seq",
    )
    db["children"].add_foreign_key("school_id", "schools", "id")
    db["interviews"].add_foreign_key("child_id", "children", "id")
    db["interviews"].add_foreign_key("round_id", "rounds", "id")
    db["actions"].add_foreign_key("child_id", "children", "id")
    db["children"].create_index(["school_id"])
    db["interviews"].create_index(["child_id", "round_id"])
    db["interviews"].create_index(["status"])
    db["actions"].create_index(["child_id"])
    db["rounds"].create_index(["number"], unique=True)
    # The audit log is append-only: the database itself refuses edits and deletions.
    db.execute(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
    )


def migrate(db: sqlite_utils.Database) -> int:
    """Apply pending migrations (each in its own transaction); return the schema version."""
    migrations.apply(db)
    return schema_version(db)


def schema_version(db: sqlite_utils.Database) -> int:
    return len(migrations.applied(db))


@migrations(name="0002_assessments")
def m0002_assessments(db: sqlite_utils.Database) -> None:
    """Risk per child per round: the full result sealed in `payload`, and a small sealed
    `summary` that is all the board needs to decrypt (name, class, the six levels, counts)."""
    db["assessments"].create(
        {
            "id": str,
            "child_id": str,
            "round_id": str,
            "created_at": str,
            "updated_at": str,
            "updated_by_device": str,
            "version": int,
            "payload": bytes,
            "summary": bytes,
        },
        pk="id",
        not_null={"child_id", "round_id", "payload", "summary"},
    )
    db["assessments"].create_index(["round_id", "child_id"], unique=True)


SYNCED_TABLES = ("schools", "rounds", "children", "interviews", "actions", "assessments")


@migrations(name="0003_bundles")
def m0003_bundles(db: sqlite_utils.Database) -> None:
    """What exchanging bundles needs: a version vector and a change counter on every record
    (merge and delta export), peers' extra key, the bundle log, conflicts to review, peers'
    audit entries, ids of the same school or round on other laptops, and child merges."""
    for table in SYNCED_TABLES:
        db[table].add_column("vv", str)
        db[table].add_column("change_seq", int)
        db[table].add_column("via_bundle", str)
        db.execute(
            f"update [{table}] set vv = json_object(coalesce(updated_by_device, ''), version), "
            "change_seq = rowid"
        )
        db[table].create_index(["change_seq"])
    db["children"].add_column("merged_into", str)
    db["devices"].add_column("mlkem768_public", bytes)
    db["devices"].add_column("suite", str)
    db["bundle_log"].create(
        {
            "id": str, "direction": str, "bundle_id": str, "peer_id": str, "sequence": int,
            "delta_after": int, "full": int, "at": str, "result": str, "payload": bytes,
        },
        pk="id",
    )  # fmt: skip
    db["bundle_log"].create_index(["peer_id", "direction", "sequence"])
    db["conflicts"].create(
        {
            "id": str, "kind": str, "record_id": str, "status": str, "detected_at": str,
            "bundle_id": str, "vv": str, "payload": bytes,
        },
        pk="id",
    )  # fmt: skip
    db["conflicts"].create_index(["kind", "record_id", "vv"], unique=True)
    db["peer_audit"].create(
        {"device_id": str, "seq": int, "at": str, "hash": str, "payload": bytes},
        pk=("device_id", "seq"),
    )
    db["id_aliases"].create(
        {"kind": str, "foreign_id": str, "local_id": str}, pk=("kind", "foreign_id")
    )
    db["child_merges"].create(
        {
            "id": str, "kept_id": str, "merged_id": str, "status": str, "created_at": str,
            "payload": bytes,
        },
        pk="id",
    )  # fmt: skip
    db["duplicate_dismissals"].create({"pair": str, "at": str}, pk="pair")


@migrations(name="0004_case_index")
def m0004_case_index(db: sqlite_utils.Database) -> None:
    """One child's interviews of one round with a given status, by index: without it SQLite
    scanned every interview through the status index (15 ms a case at 10,000 children)."""
    db.execute("drop index if exists idx_interviews_child_id_round_id")
    db["interviews"].create_index(["child_id", "round_id", "status"])


@migrations(name="0005_board_index")
def m0005_board_index(db: sqlite_utils.Database) -> None:
    """The board reads a round's sealed summaries from this index alone, without visiting the
    table's pages (half the read at 100,000 children, for about 200 bytes a child)."""
    db.execute(
        "create index if not exists idx_assessments_board "
        "on assessments (round_id, child_id, id, summary)"
    )


@migrations(name="0006_meetings")
def m0006_meetings(db: sqlite_utils.Database) -> None:
    """A meeting's progress, saved after every step so that it can go on after a power cut;
    kept on this laptop only (what the meeting decided travels as actions and audit entries)."""
    db["meetings"].create(
        {"id": str, "round_id": str, "started_at": str, "updated_at": str, "status": str,
         "payload": bytes},
        pk="id",
    )  # fmt: skip
    db["meetings"].create_index(["status", "updated_at"])


LATEST_VERSION = len(migrations._migrations)
