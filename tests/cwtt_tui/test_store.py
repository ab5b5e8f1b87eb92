"""The encrypted store: what is sealed, who may do what, the audit chain, migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cwtt_tui.crypto.kdf import TEST_KDF
from cwtt_tui.errors import (
    ConflictError,
    NotAllowed,
    StoreDamaged,
    StoreExists,
    StoreLocked,
    UsageError,
    WrongPassphrase,
)
from cwtt_tui.models import Answer, ChildDetails, Consent
from cwtt_tui.store.peek import peek_store
from cwtt_tui.store.schema import LATEST_VERSION
from cwtt_tui.store.store import Store, create_store, unlock_store

PASSPHRASE = "correct horse battery staple"
SECRET_NAME = "Nonhlanhla"
SECRET_SURNAME = "Xabanisa"
SECRET_DOB = date(2018, 7, 29)
SECRET_ANSWER = "sometimes-UNIQUE-ANSWER"


def fixed_clock() -> datetime:
    return datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def consent() -> Consent:
    return Consent(True, True, "mother", "tester", "2026-11-01", "written")


def details(**changes: object) -> ChildDetails:
    base = ChildDetails(
        SECRET_NAME, SECRET_SURNAME, "2", "2B", SECRET_DOB, "female", consent=consent()
    )
    return ChildDetails(**{**base.__dict__, **changes})  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made, _ = create_store(
        tmp_path / "store.db", school_emis="500123456", school_name="Thembeka Primary",
        laptop_name="Laptop A", user_name="Nomsa", role="team_lead", passphrase=PASSPHRASE,
        kdf=TEST_KDF, clock=fixed_clock,
    )  # fmt: skip
    yield made
    made.close()


def add_child(store: Store) -> str:
    return store.children.add(store.home_school_id, details()).id


def test_nothing_sensitive_appears_in_the_raw_database_or_its_wal(store: Store) -> None:
    """Names, date of birth and answers are sealed, in the main file and in the WAL."""
    child_id = add_child(store)
    round_ = store.rounds.open("Baseline 2026", "2026-11-01")
    interview = store.interviews.start(
        child_id, round_.id, "caregiver", instrument_id="caregiver", instrument_version="1"
    )
    store.interviews.save_answer(interview.id, "hhs_1_freq", Answer(SECRET_ANSWER))
    wal = Path(f"{store.path}-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the test must see WAL content too"
    raw = store.path.read_bytes() + wal.read_bytes()
    for secret in (SECRET_NAME, SECRET_SURNAME, SECRET_DOB.isoformat(), "2018-07-29", SECRET_ANSWER,
                   "Thembeka", "Nomsa", "500123456"):  # fmt: skip
        assert secret.encode() not in raw, secret
        assert secret.encode("utf-16-le") not in raw, secret
    store.close()
    assert SECRET_NAME.encode() not in store.path.read_bytes()


def test_a_store_unlocks_with_its_passphrase_and_its_recovery_key(tmp_path: Path) -> None:
    """Both kinds of slot open the same data key; the recovery unlock has no user yet."""
    path = tmp_path / "s.db"
    made, recovery_key = create_store(
        path, school_emis="1234567", school_name="S", laptop_name="L", user_name="U",
        role="coordinator", passphrase=PASSPHRASE, kdf=TEST_KDF,
    )  # fmt: skip
    child_id = add_child(made)
    made.close()
    with unlock_store(path, PASSPHRASE) as again:
        assert again.user is not None and again.user.name == "U"
        assert again.children.get(child_id).details.first_name == SECRET_NAME
    with unlock_store(path, recovery_key.lower().replace("-", " "), recovery=True) as rescued:
        assert rescued.user is None and rescued.opened_with_recovery_key
        assert rescued.children.get(child_id).details.last_name == SECRET_SURNAME


def test_wrong_passphrase_says_so_plainly(store: Store) -> None:
    """The message is one plain sentence, and the store stays usable."""
    path = store.path
    store.close()
    with pytest.raises(WrongPassphrase, match="That passphrase is not right for this store"):
        unlock_store(path, "not the passphrase")
    unlock_store(path, PASSPHRASE).close()


def test_a_store_is_never_overwritten_by_create(store: Store) -> None:
    """Creating over an existing store is refused."""
    with pytest.raises(StoreExists):
        create_store(
            store.path, school_emis="1", school_name="x", laptop_name="x", user_name="x",
            role="coordinator", passphrase=PASSPHRASE, kdf=TEST_KDF,
        )  # fmt: skip


def test_only_one_process_holds_a_store(store: Store) -> None:
    """A second unlock while the store is held says it is in use."""
    with pytest.raises(StoreLocked, match="open in another cwtt window"):
        unlock_store(store.path, PASSPHRASE)


def test_schema_is_at_the_latest_version_and_readable_without_keys(store: Store) -> None:
    """Migrations ran on create; the clear facts need no passphrase."""
    info = peek_store(store.path)
    assert info.schema_version == LATEST_VERSION
    assert info.laptop_name == "Laptop A"
    assert not info.is_demo and info.last_backup_at is None


def test_children_round_trip_and_updates_bump_the_version(store: Store) -> None:
    """A child's details come back equal; an update on a stale copy is a conflict."""
    child = store.children.get(add_child(store))
    assert child.details == details()
    assert child.meta.version == 1 and child.meta.created_at == "2026-11-02T09:30:00Z"
    updated = store.children.update(child, details(class_name="2C"))
    assert updated.meta.version == 2 and updated.details.class_name == "2C"
    with pytest.raises(ConflictError):
        store.children.update(child, details(class_name="2A"))


def test_registration_needs_consent_and_a_possible_child(store: Store) -> None:
    """No consent, a future birth date or a wrong grade are refused in plain words."""
    with pytest.raises(NotAllowed, match="consent"):
        store.children.add(store.home_school_id, details(consent=None))
    with pytest.raises(UsageError, match="future"):
        store.children.add(store.home_school_id, details(date_of_birth=date(2027, 1, 1)))
    with pytest.raises(UsageError, match="grade"):
        store.children.add(store.home_school_id, details(grade="7"))


def test_withdrawn_children_are_kept_but_not_listed(store: Store) -> None:
    """Withdrawal keeps the data and hides the child from lists."""
    child_id = add_child(store)
    store.children.withdraw(child_id, "moved school")
    assert store.children.list() == []
    assert [c.id for c in store.children.list(include_withdrawn=True)] == [child_id]


def test_counts_for_the_home_screen_match_the_lists_without_decrypting(store: Store) -> None:
    """The home screen counts children and drafts on every return to it: by clear columns."""
    kept, gone, merged = add_child(store), add_child(store), add_child(store)
    store.children.withdraw(gone, "moved school")
    store.children.set_merged_into(merged, kept)
    round_ = store.rounds.open("Baseline", "2026-11-01")
    store.interviews.start(kept, round_.id, "teacher", instrument_id="teacher",
                           instrument_version="1")  # fmt: skip
    assert store.children.shown_count() == len(store.children.list()) == 1
    assert store.interviews.draft_count() == len(store.interviews.drafts()) == 1


def test_every_answer_is_saved_with_the_position(store: Store) -> None:
    """save_answer keeps earlier answers, skips with reasons, and where the interview stands."""
    round_ = store.rounds.open("Baseline", "2026-11-01")
    interview = store.interviews.start(
        add_child(store), round_.id, "caregiver", instrument_id="caregiver", instrument_version="1"
    )
    store.interviews.save_answer(interview.id, "hhs_1", Answer("yes"))
    saved = store.interviews.save_answer(interview.id, "hhs_1_freq", Answer(skipped="refused"))
    assert saved.answers["hhs_1"].value == "yes"
    assert saved.answers["hhs_1_freq"].skipped == "refused"
    assert saved.position == "hhs_1_freq" and saved.status == "draft"
    assert [d.id for d in store.interviews.drafts()] == [interview.id]
    done = store.interviews.complete(interview.id)
    assert done.status == "complete" and done.completed_at
    with pytest.raises(UsageError):
        store.interviews.save_answer(interview.id, "x", Answer(skipped="bored"))


def test_roles_limit_who_manages_users(store: Store) -> None:
    """A practitioner cannot add users; a team lead can, and cannot remove themself."""
    practitioner = store.users.add("Thabo", "practitioner", "thabo has a long passphrase")
    with pytest.raises(UsageError, match="yourself"):
        store.users.remove(store.user.id)  # type: ignore[union-attr]
    path = store.path
    store.close()
    with unlock_store(path, "thabo has a long passphrase") as as_thabo:
        assert as_thabo.user == practitioner
        with pytest.raises(NotAllowed):
            as_thabo.users.add("Sipho", "practitioner", "another long passphrase")


def test_changing_a_passphrase_rewrites_one_slot(store: Store) -> None:
    """The old passphrase stops working, the new one works, the recovery slot is untouched."""
    store.users.set_passphrase(store.user.id, "a brand new passphrase")  # type: ignore[union-attr]
    slots = store.db.execute("select kind, count(*) from key_slots group by kind").fetchall()
    assert dict(slots) == {"passphrase": 1, "recovery": 1}
    path = store.path
    store.close()
    with pytest.raises(WrongPassphrase):
        unlock_store(path, PASSPHRASE)
    unlock_store(path, "a brand new passphrase").close()


def test_removed_users_cannot_unlock(store: Store) -> None:
    """Removing a user deletes their key slot; their records stay."""
    thabo = store.users.add("Thabo", "practitioner", "thabo has a long passphrase")
    store.users.remove(thabo.id)
    path = store.path
    store.close()
    with pytest.raises(WrongPassphrase):
        unlock_store(path, "thabo has a long passphrase")


def test_lock_forgets_keys_and_only_the_same_user_unlocks(store: Store) -> None:
    """After lock() nothing decrypts; unlock() with the user's passphrase brings it back."""
    child_id = add_child(store)
    store.users.add("Thabo", "practitioner", "thabo has a long passphrase")
    store.lock()
    with pytest.raises(StoreLocked):
        store.children.get(child_id)
    with pytest.raises(WrongPassphrase, match="another user's"):
        store.unlock("thabo has a long passphrase")
    store.unlock(PASSPHRASE)
    assert store.children.get(child_id).details.first_name == SECRET_NAME


def test_audit_chain_holds_and_views_are_recorded(store: Store) -> None:
    """Opening a case is audited; the chain verifies."""
    child_id = add_child(store)
    store.children.get(child_id, viewed=True)
    actions = [e.action for e in store.audit.entries()]
    assert "child.view" in actions and actions[0] == "user.add" or "store.create" in actions
    report = store.audit.verify()
    assert report.first_broken is None and report.entries == len(actions)


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("drop trigger audit_no_update")
    conn.execute("drop trigger audit_no_delete")
    return conn


def test_the_database_refuses_edits_to_the_audit_log(store: Store) -> None:
    """Triggers make the log append-only."""
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("update audit set action = 'x' where seq = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("delete from audit where seq = 1")


@pytest.mark.parametrize(
    ("tamper", "broken_at", "reason"),
    [
        ("update audit set action = 'child.add' where seq = 2", 2, "changed"),
        ("update audit set prev_hash = hash where seq = 3", 3, "does not follow"),
        ("delete from audit where seq = 2", 2, "missing"),
        ("delete from audit where seq = (select max(seq) from audit)", None, "missing"),
    ],
)
def test_audit_verify_reports_the_first_broken_link(
    store: Store, tamper: str, broken_at: int | None, reason: str
) -> None:
    """Edited, re-linked, deleted and truncated entries are each found."""
    for _ in range(3):
        store.children.get(add_child(store), viewed=True)
    total = store.audit.verify().entries
    path = store.path
    store.close()
    conn = _raw(path)
    conn.execute(tamper)
    conn.commit()
    conn.close()
    with unlock_store(path, PASSPHRASE) as again:
        report = again.audit.verify()
    assert report.first_broken == (broken_at if broken_at is not None else total)
    assert reason in report.reason


def test_a_row_payload_swapped_into_another_row_is_detected(store: Store) -> None:
    """Sealed payloads are bound to their row: swapping two children is caught."""
    first, second = add_child(store), add_child(store)
    store.db.execute(
        "update children set payload = (select payload from children where id = ?) where id = ?",
        [first, second],
    )
    with pytest.raises(StoreDamaged, match=second):
        store.children.get(second)
