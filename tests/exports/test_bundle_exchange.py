"""Two laptops and a coordinator exchange bundles end to end through the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bundle_world import PASS, children_of, export

from cwtt_tui.__main__ import main
from cwtt_tui.assessing import assess_child
from cwtt_tui.board import Board
from cwtt_tui.case_sources import interview_sources
from cwtt_tui.demo import fill_demo
from cwtt_tui.store.store import unlock_store


def test_two_laptops_reach_the_coordinator_and_import_is_idempotent(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from_a = export(world, "A", "C")
    from_b = export(world, "B", "C")
    assert main(["import", *map(str, from_a + from_b), "--store", str(world["C"])]) == 0
    printed = capsys.readouterr().out
    assert "new" in printed
    assert children_of(world["C"]) == children_of(world["A"]) | children_of(world["B"])
    with unlock_store(world["C"], PASS) as c:
        board_before = sorted(
            (s.child_id, s.levels) for s in c.assessments.summaries(c.rounds.list()[0].id)
        )
        interviews_before = c.db.execute("select count(*), sum(version) from interviews").fetchone()
        assert len(c.rounds.list()) == 1  # the baseline of both laptops is one round here
        board = Board.load(c, c.rounds.list()[0].id)
        with unlock_store(world["A"], PASS) as a:
            a_children = {ch.id for ch in a.children.list()}
            a_device = a.ctx.device_id
        assert {
            r.child_id for r, src in zip(board.rows, board.sources, strict=True) if src == a_device
        } == a_children
    assert main(["import", *map(str, from_a), "--store", str(world["C"])]) == 0
    assert "already imported" in capsys.readouterr().out
    with unlock_store(world["C"], PASS) as c:
        assert (
            c.db.execute("select count(*), sum(version) from interviews").fetchone()
            == interviews_before
        )
        assert (
            sorted((s.child_id, s.levels) for s in c.assessments.summaries(c.rounds.list()[0].id))
            == board_before
        )


def test_one_child_interviewed_on_two_laptops_is_one_case(world: dict[str, Path]) -> None:
    # A sends its children to B; B interviews one of them (teacher); then both reach C.
    assert main(["import", *map(str, export(world, "A", "B")), "--store", str(world["B"])]) == 0
    with unlock_store(world["B"], PASS) as b:
        child = next(c for c in b.children.list() if c.meta.updated_by_device != b.ctx.device_id)
        round_id = b.rounds.current().id
        b.interviews.record(child.id, round_id, "teacher", {}, instrument_id="teacher",
                            instrument_version="1")  # fmt: skip
        b_device = b.ctx.device_id
    files = export(world, "A", "C") + export(world, "B", "C")
    assert main(["import", *map(str, files), "--store", str(world["C"])]) == 0
    with unlock_store(world["C"], PASS) as c:
        interviews = c.interviews.list(child_id=child.id)
        by_b = [i for i in interviews if i.meta.updated_by_device == b_device]
        assert [i.respondent for i in by_b] == ["teacher"]
        assert len({i.meta.updated_by_device for i in interviews}) == 2
        local_round = c.sync.local_id("round", round_id)
        assert c.assessments.get(child.id, local_round) is not None
        # B's bundle made the case's interviews come from two laptops: scored again here.
        logged = [e.details for e in c.bundles.entries() if e.direction == "in"]
        assert sorted(d["rescored"] for d in logged) == [0, 1]  # whichever came second
        sources = {s.respondent: s for s in interview_sources(c, child.id, local_round)}
        assert (sources["teacher"].laptop, sources["teacher"].bundle) == ("Laptop B", 1)
        assert "from Laptop B, bundle 1" in sources["teacher"].describe()


def test_delta_after_full_and_missing_bundle_reported(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    first = export(world, "A", "C")
    with unlock_store(world["A"], PASS) as a:
        fill_demo(a, children=1, seed=99)
    export(world, "A", "C")  # bundle 2, lost on the way
    with unlock_store(world["A"], PASS) as a:
        fill_demo(a, children=1, seed=98)
    third = export(world, "A", "C")
    assert main(["import", *map(str, first + third), "--store", str(world["C"])]) == 0
    assert "Bundle 2 from Laptop A is missing" in capsys.readouterr().out


def test_split_parts_are_joined(world: dict[str, Path]) -> None:
    with unlock_store(world["A"], PASS) as a:
        fill_demo(a, children=150, seed=5)
    parts = export(world, "A", "C", "--split-mb", "0.07")
    assert len(parts) > 1 and all(p.stat().st_size < 70_000 for p in parts)
    assert main(["import", *map(str, reversed(parts)), "--store", str(world["C"])]) == 0
    assert children_of(world["A"]) <= children_of(world["C"])
    shutil.rmtree(world["usb"])


def test_a_peer_kept_on_classic_x25519_gets_classic_bundles(
    world: dict[str, Path], tmp_path: Path
) -> None:
    """`peers add --classic` keeps the hybrid post-quantum suite off for that peer only."""
    import json
    import zipfile

    from exports.bundle_crypto import SUITE_CLASSIC, SUITE_HYBRID

    keys = tmp_path / "keys"
    assert main(["peers", "revoke", "Laptop C", "--store", str(world["A"])]) == 0
    with unlock_store(world["A"], PASS) as a:
        a.devices.set_suite(
            a.devices.find(a.devices.peer("Laptop B").fingerprint).id, SUITE_CLASSIC
        )
    assert main(["peers", "add", str(keys / "C.json"), "--store", str(world["A"])]) == 0  # again
    for peer, suite in (("B", SUITE_CLASSIC), ("C", SUITE_HYBRID)):
        [bundle] = export(world, "A", peer)
        with zipfile.ZipFile(bundle) as z:
            manifest = json.loads(z.read("manifest.json"))
        theirs = [
            r
            for r in manifest["recipients"]
            if r["fingerprint"] != manifest["sender"]["fingerprint"]
        ]
        assert [r["suite"] for r in theirs] == [suite]
        assert main(["import", str(bundle), "--store", str(world[peer])]) == 0
    assert children_of(world["A"]) <= children_of(world["B"]) & children_of(world["C"])


def test_progress_counts_up_to_the_records_a_bundle_holds(
    world: dict[str, Path], tmp_path: Path
) -> None:
    from exports.bundle_export import export_bundle
    from exports.bundle_import import import_bundles

    told: list[tuple[int, int]] = []
    out = tmp_path / "out"
    out.mkdir()
    with unlock_store(world["A"], PASS) as a:
        result = export_bundle(a, "Laptop C", out, progress=lambda n, t: told.append((n, t)))
    total = sum(result.counts.values())
    assert told[0] == (0, total) and all(t == total for _n, t in told)
    heard: list[tuple[int, int]] = []
    with unlock_store(world["C"], PASS) as c:
        import_bundles(c, list(result.paths), progress=lambda n, t: heard.append((n, t)))
    assert heard[-1] == (total, total)
    assert [n for n, _t in heard] == sorted(n for n, _t in heard)


def test_one_case_scored_apart_on_two_laptops_keeps_one_result(world: dict[str, Path]) -> None:
    # B holds A's children without A's results, so B scores the cases under ids of its own;
    # the coordinator keeps one result per case (the unique index would refuse a second).
    assert main(["import", *map(str, export(world, "A", "B")), "--store", str(world["B"])]) == 0
    with unlock_store(world["B"], PASS) as b:
        round_id = b.rounds.current().id
        from_a = {c.id for c in b.children.list() if c.meta.updated_by_device != b.ctx.device_id}
        pairs = b.db.execute("select child_id, id from assessments").fetchall()
        child_ids = sorted(from_a)[:3]
        a_ids = {assessment_id for child_id, assessment_id in pairs if child_id in child_ids}
        assert len(a_ids) == 3
        with b.transaction():
            b.db.execute(
                f"delete from assessments where child_id in ({', '.join('?' * len(child_ids))})",
                child_ids,
            )
            for child_id in child_ids:
                assess_child(b, b.children.get(child_id), round_id)
        b_ids = {r[0] for r in b.db.execute("select id from assessments where child_id in "
                 f"({', '.join('?' * len(child_ids))})", child_ids)}  # fmt: skip
    assert not a_ids & b_ids
    files = export(world, "A", "C") + export(world, "B", "C")
    assert main(["import", *map(str, files), "--store", str(world["C"])]) == 0
    with unlock_store(world["C"], PASS) as c:
        local_round = c.sync.local_id("round", round_id)
        for child_id in child_ids:
            rows = c.db.execute(
                "select id from assessments where child_id = ? and round_id = ?",
                [child_id, local_round],
            ).fetchall()
            assert len(rows) == 1 and rows[0][0] in a_ids | b_ids  # whichever came first
            assert c.assessments.get(child_id, local_round) is not None
