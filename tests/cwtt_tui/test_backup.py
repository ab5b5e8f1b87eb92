"""Backups as a service: naming, a sound copy, online copying and a full disk."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cwtt_tui.errors import DiskFull, UsageError
from cwtt_tui.store import backup as backup_module
from cwtt_tui.store.backup import backup_store
from cwtt_tui.store.peek import peek_store
from cwtt_tui.store.store import Store, unlock_store

MOMENT = datetime(2026, 11, 23, 9, 15, 42, tzinfo=UTC)


def fixed_clock() -> datetime:
    return MOMENT


@pytest.fixture
def store(made_store: tuple[Path, str, str]) -> Iterator[Store]:
    """The made store, unlocked (and closed after the test)."""
    path, passphrase, _ = made_store
    with unlock_store(path, passphrase) as opened:
        yield opened


def meta_value(path: Path, key: str) -> str | None:
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        row = conn.execute("select value from meta where key = ?", [key]).fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def test_backup_named_checked_and_recorded(store: Store, tmp_path: Path) -> None:
    """The copy is named by laptop and time, passes quick_check, and is recorded and audited."""
    folder = tmp_path / "usb" / "cwtt"
    target = backup_store(store, folder, clock=fixed_clock)
    assert target == folder / "cwtt-backup-Laptop-A-20261123-091542.db"
    assert sorted(p.name for p in folder.iterdir()) == [target.name]
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert peek_store(store.path).last_backup_at == "2026-11-23T09:15:42Z"
    last = list(store.audit.entries())[-1]
    assert (last.action, last.target, dict(last.detail)) == (
        "store.backup",
        peek_store(store.path).store_id,
        {"file": target.name},
    )
    assert store.audit.verify().first_broken is None


def test_backup_opens_with_same_passphrase(
    store: Store, made_store: tuple[Path, str, str], tmp_path: Path
) -> None:
    """The backup is a whole store: it unlocks with the passphrase and the recovery key."""
    _, passphrase, recovery_key = made_store
    target = backup_store(store, tmp_path / "usb", clock=fixed_clock)
    with unlock_store(target, passphrase) as copy:
        assert [u.name for u in copy.users.list()] == ["Nomsa Dlamini"]
    unlock_store(target, recovery_key, recovery=True).close()


def test_backup_during_open_write_transaction(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With another connection mid-transaction the copy still completes, holding only commits."""
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("insert into meta (key, value) values ('probe_committed', 'yes')")
    other.execute("BEGIN IMMEDIATE")
    other.execute("insert into meta (key, value) values ('probe_uncommitted', 'yes')")
    copied: list[Path] = []
    real_check = backup_module.check_backup

    def check_then_let_writer_finish(path: Path) -> None:
        # The copy is taken while the writer still holds its transaction; it commits only now,
        # so that recording the backup in the store can take the write lock.
        real_check(path)
        copied.append(path)
        other.execute("COMMIT")

    monkeypatch.setattr(backup_module, "check_backup", check_then_let_writer_finish)
    target = backup_store(store, tmp_path / "usb", clock=fixed_clock)
    other.close()
    assert copied, "the copy was checked while the writer held its transaction"
    assert meta_value(target, "probe_committed") == "yes"
    assert meta_value(target, "probe_uncommitted") is None
    assert meta_value(store.path, "probe_uncommitted") == "yes"
    assert peek_store(store.path).last_backup_at == "2026-11-23T09:15:42Z"


class ConnectionOnFullDisk:
    """Wraps the store's connection; its `backup` writes a little, then the disk is full."""

    def __init__(self, real: sqlite3.Connection, error: Exception) -> None:
        self._real = real
        self._error = error

    def backup(self, target: sqlite3.Connection, **_: Any) -> None:
        target.execute("create table half_written (x)")
        raise self._error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def store_state(store: Store) -> tuple[str, int, str | None]:
    return (
        hashlib.sha256(store.path.read_bytes()).hexdigest(),
        len(list(store.audit.entries())),
        peek_store(store.path).last_backup_at,
    )


@pytest.mark.parametrize(
    "error",
    [
        OSError(28, "No space left on device"),
        sqlite3.OperationalError("database or disk is full"),
    ],
    ids=["oserror-enospc", "sqlite-disk-is-full"],
)
def test_backup_on_a_stick_without_space(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    """No space left: DiskFull with a plain sentence, no `.partial` file, the store untouched."""
    folder = tmp_path / "usb"
    before = store_state(store)
    monkeypatch.setattr(store.db, "conn", ConnectionOnFullDisk(store.db.conn, error))
    with pytest.raises(DiskFull) as raised:
        backup_store(store, folder, clock=fixed_clock)
    assert (
        raised.value.message == f"The backup folder {folder} is full; use a stick with more space."
    )
    assert raised.value.exit_code == 14
    assert list(folder.iterdir()) == []
    monkeypatch.undo()
    assert store_state(store) == before
    assert store.audit.verify().first_broken is None


def test_backup_folder_that_cannot_be_made(store: Store, tmp_path: Path) -> None:
    """A folder under a plain file: the sentence names the real cause, not a full disk."""
    blocker = tmp_path / "stick"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    folder = blocker / "full-backups"
    with pytest.raises(UsageError) as raised:
        backup_store(store, folder, clock=fixed_clock)
    assert raised.value.exit_code == 2
    message = raised.value.message
    assert message.startswith(f"The backup could not be written to {folder} (")
    assert message.endswith("); check the folder or stick.")
    assert "is full" not in message
    assert peek_store(store.path).last_backup_at is None
