"""Opening the SQLite file with the settings cwtt relies on, and turning its errors into plain ones."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from cwtt_tui.errors import CwttError, DiskFull, StoreDamaged, StoreLocked, StoreNotFound

BUSY_TIMEOUT_MS = 5000


def connect(path: Path, *, must_exist: bool = True) -> sqlite_utils.Database:
    """Open the store's database in WAL mode with `synchronous=FULL` (every commit reaches disk)."""
    if must_exist and not path.exists():
        raise StoreNotFound(f"There is no cwtt store at {path}; run `cwtt init` to make one.")
    with translate_errors(path):
        if not must_exist:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        return sqlite_utils.Database(conn)


@contextlib.contextmanager
def translate_errors(path: Path | str, backup_hint: str = "") -> Iterator[None]:
    """Map SQLite and OS errors to CwttErrors with one plain sentence each."""
    try:
        yield
    except CwttError:
        raise
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise StoreLocked(
                f"The store {path} is in use by another cwtt window or command; close it and try again."
            ) from exc
        if "full" in text:
            raise DiskFull(
                f"The disk holding {path} is full; free some space and try again."
            ) from exc
        if "unable to open" in text:
            raise StoreNotFound(
                f"The store {path} cannot be opened (check the folder exists)."
            ) from exc
        raise StoreDamaged(damaged_message(path, backup_hint)) from exc
    except sqlite3.DatabaseError as exc:
        if "full" in str(exc).lower():
            raise DiskFull(
                f"The disk holding {path} is full; free some space and try again."
            ) from exc
        raise StoreDamaged(damaged_message(path, backup_hint)) from exc
    except OSError as exc:
        if exc.errno == 28:
            raise DiskFull(
                f"The disk holding {path} is full; free some space and try again."
            ) from exc
        raise


def damaged_message(path: Path | str, backup_hint: str = "") -> str:
    hint = f" The latest backup is {backup_hint}." if backup_hint else ""
    return (
        f"The store {path} is damaged and cannot be read; restore the latest backup with "
        f"`cwtt restore FILE`.{hint}"
    )
