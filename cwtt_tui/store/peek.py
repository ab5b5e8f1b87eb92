"""What a store says about itself without a passphrase (laptop name, fingerprint, last backup).

Uses only the standard library's sqlite3, so that the unlock screen appears fast.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cwtt_tui.errors import StoreDamaged, StoreNotFound
from cwtt_tui.models import StoreInfo

DEMO_PASSPHRASE = "demo children only"


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("select key, value from meta").fetchall())


def peek_store(path: Path) -> StoreInfo:
    """Read the clear facts of a store; raise StoreNotFound or StoreDamaged plainly."""
    if not path.exists():
        raise StoreNotFound(f"There is no cwtt store at {path}; run `cwtt init` to make one.")
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            meta = read_meta(conn)
            applied = conn.execute("select count(*) from _sqlite_migrations").fetchone()[0]
            local = conn.execute("select fingerprint from devices where is_local = 1").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreDamaged(
            f"The file {path} is not a cwtt store or is damaged; restore the latest backup "
            "with `cwtt restore FILE`."
        ) from exc
    if "store_id" not in meta or local is None:
        raise StoreDamaged(f"The file {path} is not a complete cwtt store.")
    is_demo = meta.get("is_demo") == "1"
    return StoreInfo(
        path=str(path),
        store_id=meta["store_id"],
        laptop_name=meta.get("laptop_name", ""),
        device_id=meta.get("device_id", ""),
        fingerprint=local[0],
        schema_version=applied,
        created_at=meta.get("created_at", ""),
        last_backup_at=meta.get("last_backup_at") or None,
        is_demo=is_demo,
        demo_passphrase=DEMO_PASSPHRASE if is_demo else None,
    )


def local_public_keys(path: Path) -> tuple[bytes, bytes]:
    """This laptop's Ed25519 and X25519 public keys (kept in clear: they are public)."""
    peek_store(path)
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "select ed25519_public, x25519_public from devices where is_local = 1"
        ).fetchone()
    finally:
        conn.close()
    return bytes(row[0]), bytes(row[1])
