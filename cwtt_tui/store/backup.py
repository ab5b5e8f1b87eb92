"""Backups: a consistent copy of the (already encrypted) store, safe to take while the app runs."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path

from cwtt_tui.errors import (
    DiskFull,
    StoreDamaged,
    StoreExists,
    StoreLocked,
    StoreNotFound,
    UsageError,
)
from cwtt_tui.store.context import Clock, iso, utc_now
from cwtt_tui.store.database import translate_errors
from cwtt_tui.store.keyslots import open_slot
from cwtt_tui.store.lockfile import StoreLock
from cwtt_tui.store.peek import peek_store
from cwtt_tui.store.store import Store


def backup_name(laptop_name: str, moment: datetime) -> str:
    """`cwtt-backup-Laptop-A-20261123-091500.db`: the laptop and the time, safe on any file system."""
    safe = re.sub(r"[^A-Za-z0-9]+", "-", laptop_name).strip("-") or "laptop"
    return f"cwtt-backup-{safe}-{moment.strftime('%Y%m%d-%H%M%S')}.db"


def backup_store(store: Store, folder: Path, *, clock: Clock = utc_now) -> Path:
    """Copy the store into `folder` with SQLite's online backup, check the copy, and record it.

    Raises DiskFull when the folder (often a USB stick) runs out of space; the partial file is removed.
    """
    folder = Path(folder)
    info = store.info()
    moment = clock()
    target = folder / backup_name(info.laptop_name, moment)
    partial = target.with_name(target.name + ".partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(str(partial))
        try:
            store.db.conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        check_backup(partial)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        # Only SQLite's own text is searched for "full": an OSError's text holds the path.
        no_space = exc.errno == 28 if isinstance(exc, OSError) else "full" in str(exc).lower()
        if no_space:
            raise DiskFull(
                f"The backup folder {folder} is full; use a stick with more space."
            ) from exc
        if isinstance(exc, sqlite3.Error):
            raise StoreDamaged(f"The backup could not be written to {folder} ({exc}).") from exc
        raise UsageError(
            f"The backup could not be written to {folder} ({exc.strerror}); check the folder or stick."
        ) from exc
    try:
        with store.transaction():
            store.set_meta("last_backup_at", iso(moment))
            store.set_meta("last_backup_path", str(target))
            store.audit.record("store.backup", info.store_id, file=target.name)
    except StoreLocked:
        # The copy is safe on disk; only the note of it waits for a busy writer. Nothing is lost:
        # the next backup (or the offer on quitting) simply comes a day sooner.
        pass
    return target


def check_backup(path: Path) -> None:
    """A backup is good when SQLite finds it sound and it still holds its key slots."""
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        ok = conn.execute("PRAGMA quick_check").fetchone()[0]
        slots = conn.execute("select count(*) from key_slots").fetchone()[0]
    finally:
        conn.close()
    if ok != "ok" or slots == 0:
        raise sqlite3.DatabaseError(f"backup check failed: {ok}")


def restore_store(
    backup: Path,
    target: Path,
    secret: str,
    *,
    recovery: bool = False,
    force: bool = False,
    clock: Clock = utc_now,
) -> Path | None:
    """Restore `backup` into `target` after proving it opens with `secret`.

    An existing target is refused unless `force`; then it is kept beside as
    `<name>.before-restore-<time>.db`, whose path is returned, so nothing is lost.
    """
    backup, target = Path(backup), Path(target)
    if not backup.is_file():
        raise StoreNotFound(f"The backup file {backup} does not exist.")
    try:
        peek_store(backup)
    except StoreNotFound:
        raise
    except StoreDamaged as exc:
        raise StoreDamaged(
            f"The file {backup} is not a cwtt backup or is damaged; check you chose the right "
            "file, or try an older backup."
        ) from exc
    with translate_errors(backup):
        conn = sqlite3.connect(f"file:{backup.as_posix()}?mode=ro", uri=True)
        try:
            import sqlite_utils

            open_slot(sqlite_utils.Database(conn), secret, recovery=recovery)
        finally:
            conn.close()
    if target.exists() and not force:
        raise StoreExists(
            f"A store already exists at {target}; add --force to replace it "
            "(the current store is kept beside it)."
        )
    kept: Path | None = None
    stamp = clock().strftime("%Y%m%d-%H%M%S")
    with StoreLock(target), translate_errors(target):
        incoming = target.with_name(target.name + ".restoring")
        incoming.unlink(missing_ok=True)
        _copy_database(backup, incoming)
        if target.exists():
            kept = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
            _copy_database(target, kept)
            for extra in (Path(f"{target}-wal"), Path(f"{target}-shm")):
                extra.unlink(missing_ok=True)
        os.replace(incoming, target)
    return kept


def _copy_database(source: Path, dest: Path) -> None:
    src = sqlite3.connect(str(source))
    out = sqlite3.connect(str(dest))
    try:
        src.backup(out)
        out.execute("PRAGMA journal_mode = DELETE")
    finally:
        out.close()
        src.close()
    with open(dest, "rb") as handle:
        os.fsync(handle.fileno())
