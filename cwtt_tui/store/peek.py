"""What a store says about itself without a passphrase (laptop name, fingerprint, last backup).

Uses only the standard library's sqlite3, so that the unlock screen appears fast.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cwtt_tui.errors import StoreDamaged, StoreNotFound
from cwtt_tui.store_info import StoreInfo

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


def local_public_keys(path: Path) -> tuple[bytes, bytes, bytes | None, bytes | None]:
    """This laptop's Ed25519, X25519 and ML-KEM-768 public keys, and the signature binding the
    last to the first (kept in clear: they are public)."""
    peek_store(path)
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        columns = {r[1] for r in conn.execute("pragma table_info(devices)")}
        mlkem = "mlkem768_public" if "mlkem768_public" in columns else "null"
        row = conn.execute(
            f"select ed25519_public, x25519_public, {mlkem} from devices where is_local = 1"
        ).fetchone()
        found = conn.execute("select value from meta where key = 'mlkem768_binding'").fetchone()
        binding = bytes.fromhex(found[0]) if found and found[0] else None
    finally:
        conn.close()
    return bytes(row[0]), bytes(row[1]), bytes(row[2]) if row[2] else None, binding


def trusted_devices(path: Path) -> list[tuple[bytes, str, bool, bool]]:
    """Every device the store knows, without the passphrase: (Ed25519 public key, fingerprint,
    is this laptop, revoked). Names stay sealed."""
    peek_store(path)
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "select ed25519_public, fingerprint, is_local, revoked from devices"
        ).fetchall()
    finally:
        conn.close()
    return [(bytes(r[0]), r[1], bool(r[2]), bool(r[3])) for r in rows]
