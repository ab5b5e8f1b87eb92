"""Version vectors and the store's record exchange (no bundle file involved)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cwtt_tui.crypto.kdf import TEST_KDF
from cwtt_tui.errors import BundleRejected
from cwtt_tui.models import Answer, ChildDetails, Consent
from cwtt_tui.store import version_vectors as vv
from cwtt_tui.store.store import Store, create_store

vectors = st.dictionaries(st.sampled_from("abc"), st.integers(1, 5), min_size=1)


@given(vectors, vectors)
def test_compare_is_antisymmetric(a: dict[str, int], b: dict[str, int]) -> None:
    flipped = {"newer": "older", "older": "newer", "same": "same", "conflict": "conflict"}
    assert vv.compare(b, a) == flipped[vv.compare(a, b)]


@given(vectors, vectors)
def test_merged_then_bumped_dominates_both(a: dict[str, int], b: dict[str, int]) -> None:
    winner = vv.bump(vv.merged(a, b), "c")
    assert vv.compare(winner, a) == "newer" and vv.compare(winner, b) == "newer"


def test_compare_examples() -> None:
    assert vv.compare({"a": 2}, {"a": 1}) == "newer"
    assert vv.compare({"a": 1}, {"a": 1}) == "same"
    assert vv.compare({"a": 2}, {"a": 1, "b": 1}) == "conflict"
    assert vv.total({"a": 2, "b": 3}) == 5


def make(tmp_path: Path, name: str) -> Store:
    store, _ = create_store(
        tmp_path / f"{name}.db", school_emis="500123456", school_name="Thembeka Primary",
        laptop_name=name, user_name=f"Lead {name}", role="team_lead", passphrase="pass phrase one",
        kdf=TEST_KDF,
    )  # fmt: skip
    return store


def child_details(first: str = "Zanele", last: str = "Mokoena") -> ChildDetails:
    consent = Consent(
        caregiver_consent=True, child_assent=True, given_by="M. Mokoena", recorded_by="Lead",
        recorded_on="2026-11-20", method="written",
    )  # fmt: skip
    return ChildDetails(
        first_name=first, last_name=last, grade="1", class_name="1A",
        date_of_birth=date(2019, 3, 4), sex="female", consent=consent,
    )  # fmt: skip


def send(source: Store, target: Store, bundle_id: str = "b" * 32) -> list[str]:
    with target.transaction():
        return [target.sync.apply(r, bundle_id) for r in source.sync.outgoing(None)]


def test_records_travel_and_the_same_twice_changes_nothing(tmp_path: Path) -> None:
    a, b = make(tmp_path, "A"), make(tmp_path, "B")
    school = a.home_school()
    child = a.children.add(school.id, child_details())
    round_ = a.rounds.open("Baseline 2026", "2026-11-01")
    interview = a.interviews.start(child.id, round_.id, "caregiver", instrument_id="caregiver",
                                   instrument_version="1")  # fmt: skip
    a.interviews.save_answer(interview.id, "hhs_1", Answer("yes"))
    outcomes = send(a, b)
    assert "new" in outcomes
    got = b.children.get(child.id)
    assert got.details.first_name == "Zanele"
    assert got.school_id == b.home_school_id  # same EMIS number: one school, B's own id
    assert b.rounds.list()[0].id == b.rounds.list()[0].id and len(b.rounds.list()) == 1
    before = b.db.execute("select count(*), sum(version) from interviews").fetchone()
    again = send(a, b, "c" * 32)
    assert set(again) <= {"same", "alias"}
    assert b.db.execute("select count(*), sum(version) from interviews").fetchone() == before


def test_changes_on_both_sides_are_kept_for_review(tmp_path: Path) -> None:
    a, b = make(tmp_path, "A"), make(tmp_path, "B")
    child = a.children.add(a.home_school().id, child_details())
    send(a, b)
    a.children.update(a.children.get(child.id), child_details(first="Zanele A"))
    b.children.update(b.children.get(child.id), child_details(first="Zanele B"))
    assert "conflict" in send(a, b, "d" * 32)
    assert b.children.get(child.id).details.first_name == "Zanele B"  # ours stays until chosen
    [conflict] = b.sync.conflicts()
    assert conflict["theirs"]["data"]["first_name"] == "Zanele A"
    with b.transaction():
        b.sync.resolve(conflict["id"], "theirs")
    assert b.children.get(child.id).details.first_name == "Zanele A"
    assert b.sync.conflicts() == []
    # The choice wins back on A, since it contains both versions.
    with a.transaction():
        outcomes = {r["kind"]: a.sync.apply(r, "e" * 32) for r in b.sync.outgoing(None)}
    assert outcomes["child"] == "updated"
    assert a.children.get(child.id).details.first_name == "Zanele A"


def test_a_record_pointing_at_an_unknown_child_is_refused(tmp_path: Path) -> None:
    a, b = make(tmp_path, "A"), make(tmp_path, "B")
    child = a.children.add(a.home_school().id, child_details())
    round_ = a.rounds.open("Baseline 2026", "2026-11-01")
    a.interviews.start(
        child.id, round_.id, "teacher", instrument_id="teacher", instrument_version="1"
    )
    records = [r for r in a.sync.outgoing(None, include_drafts=True) if r["kind"] == "interview"]
    with pytest.raises(BundleRejected, match="never received"), b.transaction():
        b.sync.apply(records[0], "f" * 32)
    assert b.interviews.list() == []


def test_delta_sends_only_what_changed(tmp_path: Path) -> None:
    a = make(tmp_path, "A")
    a.children.add(a.home_school().id, child_details())
    mark = a.sync.high_water()
    second = a.children.add(a.home_school().id, child_details(first="Sipho"))
    kinds = [(r["kind"], r.get("id")) for r in a.sync.outgoing(mark)]
    assert ("child", second.id) in kinds
    assert [k for k, _ in kinds if k == "child"] == ["child"]


def test_an_action_changed_on_both_sides_keeps_every_change(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from cwtt_tui.models import ActionDetails

    a, b = make(tmp_path, "A"), make(tmp_path, "B")
    child = a.children.add(a.home_school().id, child_details())
    round_ = a.rounds.open("Baseline 2026", "2026-11-01")
    action = a.actions.plan(
        child.id, round_.id, "health", ActionDetails("Clinic: eye test", notes="A")
    )
    send(a, b)
    start = datetime(2026, 11, 21, 8, tzinfo=UTC)
    a.ctx.clock = lambda: start
    a.actions.set_status(action.id, "referred", "letter given")
    b.ctx.clock = lambda: start + timedelta(hours=2)
    b.actions.set_status(action.id, "in_progress", "appointment booked")
    assert "merged" in send(a, b, "9" * 32)
    merged = b.actions.get(action.id)
    assert merged.status == "in_progress"  # the later change wins
    history = [
        h["note"]
        for h in b.sync._record("action", "actions", b.actions._row(action.id))["data"]["history"]
    ]
    assert history == ["letter given", "appointment booked"]
    # Back on A the merge wins too: it contains both.
    with a.transaction():
        outcomes = {r["kind"]: a.sync.apply(r, "8" * 32) for r in b.sync.outgoing(None)}
    assert outcomes["action"] == "updated" and a.actions.get(action.id).status == "in_progress"


def test_a_revoked_laptop_can_be_trusted_again_by_enrolling_its_keys(tmp_path: Path) -> None:
    a, b = make(tmp_path, "A"), make(tmp_path, "B")
    local_b = b.devices.local()
    peer = a.devices.add("Laptop B", local_b.ed25519_public, local_b.x25519_public)
    a.devices.revoke(peer.id)
    again = a.devices.add("Laptop B (again)", local_b.ed25519_public, local_b.x25519_public)
    assert again.id == peer.id and not again.revoked and again.name == "Laptop B (again)"
    assert [e.action for e in a.audit.entries()][-1] == "device.reinstate"


def by_kind(source: Store) -> dict[str, list[dict]]:
    kinds: dict[str, list[dict]] = {}
    for record in source.sync.outgoing(None):
        kinds.setdefault(record["kind"], []).append(record)
    return kinds


def test_a_batch_with_the_same_record_twice_merges_it_once(tmp_path: Path) -> None:
    a, b = make(tmp_path, "A"), make(tmp_path, "B")
    a.children.add(a.home_school().id, child_details())
    kinds = by_kind(a)
    with b.transaction():
        b.sync.apply_many(kinds["school"], "b" * 32)
        outcomes = b.sync.apply_many([*kinds["child"], *kinds["child"]], "b" * 32)
        audits = b.sync.apply_many([*kinds["audit"], *kinds["audit"]], "b" * 32)
    assert outcomes == ["new", "same"]
    n = len(kinds["audit"])
    assert audits == ["new"] * n + ["same"] * n
    assert len(b.children.list()) == 1


def test_a_batch_of_rounds_with_one_number_keeps_one_round(tmp_path: Path) -> None:
    a, b = make(tmp_path, "A"), make(tmp_path, "B")
    a.rounds.open("Baseline 2026", "2026-11-01")
    [record] = by_kind(a)["round"]
    twin = {**record, "id": "f" * 32}  # another laptop's round 1, under its own id
    with b.transaction():
        outcomes = b.sync.apply_many([record, twin], "b" * 32)
    assert outcomes == ["new", "alias"]
    assert [r.number for r in b.rounds.list()] == [1]
    assert b.sync.local_id("round", "f" * 32) == record["id"]


def test_a_batch_that_names_an_unknown_child_is_refused(tmp_path: Path) -> None:
    a, b = make(tmp_path, "A"), make(tmp_path, "B")
    child = a.children.add(a.home_school().id, child_details())
    round_ = a.rounds.open("Baseline 2026", "2026-11-01")
    for respondent in ("teacher", "caregiver"):
        a.interviews.start(
            child.id, round_.id, respondent, instrument_id=respondent, instrument_version="1"
        )
    interviews = [r for r in a.sync.outgoing(None, include_drafts=True) if r["kind"] == "interview"]
    assert len(interviews) == 2
    with pytest.raises(BundleRejected, match="never received"), b.transaction():
        b.sync.apply_many(interviews, "f" * 32)
    assert b.interviews.list() == []
