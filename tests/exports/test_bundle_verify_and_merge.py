"""`cwtt verify` without a passphrase, and merging probable duplicate children (undoable)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from bundle_world import PASS, export

from cwtt_tui.__main__ import main
from cwtt_tui.merging import merge_children, undo_merge
from cwtt_tui.store.store import unlock_store
from exports.duplicates import fold, probable_duplicate_ids, probable_duplicates


def test_verify_names_the_signer_and_whether_this_store_can_open_it(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    [bundle] = export(world, "A", "C")
    capsys.readouterr()
    monkeypatch.delenv("CWTT_PASSPHRASE")
    assert main(["verify", str(bundle), "--store", str(world["C"])]) == 0
    out = capsys.readouterr().out
    assert "Signed by:   Laptop A" in out and "Signature:   holds" in out
    assert "enrolled and trusted here" in out and "can open it" in out
    assert main(["verify", str(bundle), "--store", str(world["B"])]) == 0
    assert "CANNOT open it" in capsys.readouterr().out
    broken = bundle.with_name("broken.cwtt")
    raw = bytearray(bundle.read_bytes())
    raw[len(raw) // 3] ^= 0xFF
    broken.write_bytes(bytes(raw))
    assert main(["verify", str(broken), "--store", str(world["C"])]) == 21


def test_names_are_folded_for_duplicates() -> None:
    assert fold("  Zánele-Mary ") == "zanelemary"


def test_duplicate_from_two_laptops_is_proposed_merged_and_undone(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    with unlock_store(world["A"], PASS) as a:
        original = a.children.list()[0]
        emis = a.schools.get(original.school_id).emis
    with unlock_store(world["B"], PASS) as b:
        school = next(s for s in b.schools.list() if s.emis == emis)
        twin_details = replace(
            original.details,
            first_name=original.details.last_name.upper(),  # swapped and shouted
            last_name=" " + original.details.first_name,
        )
        twin = b.children.add(school.id, twin_details)
        round_id = b.rounds.current().id
        b.interviews.record(twin.id, round_id, "teacher", {}, instrument_id="teacher",
                            instrument_version="1")  # fmt: skip
    files = export(world, "A", "C") + export(world, "B", "C")
    capsys.readouterr()
    assert main(["import", *map(str, files), "--store", str(world["C"])]) == 0
    assert "1 probable duplicate child(ren)" in capsys.readouterr().out  # found by the import
    with unlock_store(world["C"], PASS) as c:
        pairs = {(x.id, y.id) for x, y in probable_duplicates(c.children.list())}
        assert {tuple(sorted(p)) for p in pairs} >= {tuple(sorted((original.id, twin.id)))}
        names = list(c.children.names())  # what the import compares: the same pairs
        assert set(probable_duplicate_ids(names)) == pairs
        assert {n.id for n in names} == {x.id for x in c.children.list()}
        before = len(c.interviews.list(child_id=original.id))
        merge = merge_children(c, original.id, twin.id)
        assert len(c.interviews.list(child_id=original.id)) == before + 1
        assert twin.id not in {x.id for x in c.children.list()}
        undo_merge(c, merge.id)
        assert len(c.interviews.list(child_id=original.id)) == before
        assert len(c.interviews.list(child_id=twin.id)) == 1
