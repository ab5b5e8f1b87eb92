"""Reliability: a killed writer loses no committed answer; damage gives a clear message."""

from __future__ import annotations

import os
import random
import re
import selectors
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from cwtt_tui.__main__ import main
from cwtt_tui.errors import StoreDamaged, StoreLocked, WrongPassphrase
from cwtt_tui.models import ChildDetails, Consent
from cwtt_tui.recovery_key import new_recovery_key
from cwtt_tui.store.store import unlock_store

REPO = Path(__file__).resolve().parents[2]
COMMITS_BEFORE_KILL = 40
WAIT_SECONDS = 60  # generous bound for a slow CI disk; the loop ends as soon as enough arrive

WRITER = """
import sys
from pathlib import Path

from cwtt_tui.models import Answer
from cwtt_tui.store.store import unlock_store

path, passphrase, interview_id = sys.argv[1:4]
store = unlock_store(Path(path), passphrase)
for n in range(1, 5001):
    store.interviews.save_answer(interview_id, f"q{n}", Answer(value=n))
    print(f"committed {n}", flush=True)
"""


def damaged_sentence(path: Path) -> str:
    return (
        f"The store {path} is damaged and cannot be read; restore the latest backup with "
        "`cwtt restore FILE`."
    )


def start_interview(path: Path, passphrase: str) -> str:
    """Register a child, open a round and start a draft interview; return its id."""
    with unlock_store(path, passphrase) as store:
        today = store.ctx.clock().date()
        details = ChildDetails(
            first_name="Lerato", last_name="Mokoena", grade="1", class_name="1A",
            date_of_birth=today - timedelta(days=int(6.5 * 365.25)), sex="female",
            consent=Consent(True, True, "caregiver", "test", today.isoformat(), "written"),
        )  # fmt: skip
        school = store.home_school()
        assert school is not None
        child = store.children.add(school.id, details)
        round_ = store.rounds.open("Baseline 2026", date(2026, 1, 12).isoformat())
        interview = store.interviews.start(
            child.id, round_.id, "child", instrument_id="child", instrument_version="1"
        )
        return interview.id


def committed_numbers(data: bytes) -> list[int]:
    """The N of every complete `committed N` line."""
    complete = data[: data.rfind(b"\n") + 1].decode()
    return [int(n) for n in re.findall(r"^committed (\d+)$", complete, re.M)]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and select() on pipes are POSIX")
def test_sigkill_mid_writes_loses_no_committed_answer(
    made_store: tuple[Path, str, str], tmp_path: Path
) -> None:
    """A writer killed with SIGKILL loses no reported commit, and the store opens sound."""
    path, passphrase, _ = made_store
    interview_id = start_interview(path, passphrase)
    child_stderr = tmp_path / "writer-stderr.txt"
    with open(child_stderr, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), passphrase, interview_id],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=err,
        )
    assert proc.stdout is not None
    received = b""
    deadline = time.monotonic() + WAIT_SECONDS
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            while len(committed_numbers(received)) < COMMITS_BEFORE_KILL:
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"too few commits: {child_stderr.read_text()}"
                if not selector.select(timeout=remaining):
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                assert chunk, f"the writer stopped early: {child_stderr.read_text()}"
                received += chunk
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=WAIT_SECONDS) == -signal.SIGKILL
        received += proc.stdout.read()  # lines printed before the kill count as reported too
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()

    reported = committed_numbers(received)
    assert reported == list(range(1, len(reported) + 1))
    with unlock_store(path, passphrase) as store:  # raises StoreLocked if the lock outlived it
        answers = store.interviews.get(interview_id).answers
        for n in reported:
            assert answers[f"q{n}"].value == n
        assert set(answers) == {f"q{n}" for n in range(1, len(answers) + 1)}
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        report = store.audit.verify()
        assert report.first_broken is None, report.reason


# damage


def page_size(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()


def overwrite_pages(path: Path, first_page: int, last_page: int) -> None:
    """Fill pages first..last (1-based) with a byte that is no valid SQLite page type."""
    size = page_size(path)
    with open(path, "r+b") as handle:
        handle.seek((first_page - 1) * size)
        handle.write(b"\xa5" * size * (last_page - first_page + 1))


def test_damaged_middle_of_file(made_store: tuple[Path, str, str]) -> None:
    """Pages overwritten in the middle of the file: StoreDamaged pointing to `cwtt restore`."""
    path, passphrase, _ = made_store
    pages = path.stat().st_size // page_size(path)
    overwrite_pages(path, pages // 4, 3 * pages // 4)
    with pytest.raises(StoreDamaged) as raised:
        unlock_store(path, passphrase)
    assert raised.value.message == damaged_sentence(path)


def test_damaged_key_slot_page(made_store: tuple[Path, str, str]) -> None:
    """The page holding the key slots overwritten: StoreDamaged, never a wrong-passphrase hint."""
    path, passphrase, _ = made_store
    conn = sqlite3.connect(path)
    root = conn.execute("select rootpage from sqlite_master where name = 'key_slots'").fetchone()
    conn.close()
    overwrite_pages(path, root[0], root[0])
    with pytest.raises(StoreDamaged) as raised:
        unlock_store(path, passphrase)
    assert raised.value.message == damaged_sentence(path)


def test_garbage_copy_of_store(
    made_store: tuple[Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy whose bytes are garbage after the first page: StoreDamaged, and the CLI exits 13."""
    path, passphrase, _ = made_store
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    size = copy.stat().st_size
    junk = random.Random(3).randbytes(size - page_size(copy))
    with open(copy, "r+b") as handle:
        handle.seek(page_size(copy))
        handle.write(junk)
    with pytest.raises(StoreDamaged) as raised:
        unlock_store(copy, passphrase)
    assert "`cwtt restore FILE`" in raised.value.message
    assert main(["--store", str(copy), "keys", "--out", str(tmp_path / "k.json")]) == 13
    assert capsys.readouterr().err == (
        f"cwtt: The file {copy} is not a cwtt store or is damaged; restore the latest backup "
        "with `cwtt restore FILE`.\n"
    )


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    """A file of random bytes named like a store: StoreDamaged with the restore sentence."""
    path = tmp_path / "cwtt-store.db"
    path.write_bytes(random.Random(5).randbytes(20_000))
    with pytest.raises(StoreDamaged) as raised:
        unlock_store(path, "correct horse battery staple")
    assert raised.value.message == damaged_sentence(path)


def truncate_slots(path: Path, kind: str | None = None) -> None:
    conn = sqlite3.connect(path)
    with conn:
        where = "" if kind is None else f" where kind = '{kind}'"
        conn.execute(f"update key_slots set wrapped = substr(wrapped, 1, 10){where}")
    conn.close()


@pytest.mark.parametrize(("recovery", "kind"), [(False, "passphrase"), (True, "recovery")])
def test_truncated_key_slots(made_store: tuple[Path, str, str], recovery: bool, kind: str) -> None:
    """Key slots cut short in the raw file: StoreDamaged, not 'wrong passphrase'."""
    path, passphrase, recovery_key = made_store
    truncate_slots(path)
    with pytest.raises(StoreDamaged) as raised:
        unlock_store(path, recovery_key if recovery else passphrase, recovery=recovery)
    assert raised.value.message == (
        f"The {kind} key slots of this store are damaged; restore the latest backup "
        "with `cwtt restore FILE`."
    )


def test_recovery_key_opens_when_passphrase_slot_truncated(
    made_store: tuple[Path, str, str],
) -> None:
    """Only the passphrase slot damaged: the recovery key still opens the store."""
    path, passphrase, recovery_key = made_store
    truncate_slots(path, "passphrase")
    with pytest.raises(StoreDamaged):
        unlock_store(path, passphrase)
    with unlock_store(path, recovery_key, recovery=True) as store:
        assert store.opened_with_recovery_key


def test_key_slot_without_its_user(made_store: tuple[Path, str, str]) -> None:
    """A passphrase slot whose user row was lost is damage, reported as StoreDamaged."""
    path, passphrase, _ = made_store
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("delete from users")
    conn.close()
    with pytest.raises(StoreDamaged):
        unlock_store(path, passphrase)


def test_wrong_recovery_key(made_store: tuple[Path, str, str]) -> None:
    """A well-formed recovery key of another store: WrongPassphrase with the recovery sentence."""
    path, _, recovery_key = made_store
    other = new_recovery_key()
    assert other != recovery_key
    with pytest.raises(WrongPassphrase) as raised:
        unlock_store(path, other, recovery=True)
    assert raised.value.message == "That recovery key does not open this store; check each group."
    assert raised.value.exit_code == 12


def test_second_unlock_is_refused_while_held(made_store: tuple[Path, str, str]) -> None:
    """While one unlock holds the store, a second gets StoreLocked; after close it opens."""
    path, passphrase, _ = made_store
    first = unlock_store(path, passphrase)
    try:
        with pytest.raises(StoreLocked) as raised:
            unlock_store(path, passphrase)
        assert raised.value.message == (
            f"The store {path} is open in another cwtt window or command; close it and try again."
        )
        assert raised.value.exit_code == 11
    finally:
        first.close()
    unlock_store(path, passphrase).close()
