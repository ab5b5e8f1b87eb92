"""Needs versus services on a hand-made store (rounds_world.py), every number counted by hand."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rounds_world import PASSPHRASE, build, clock

from cwtt_tui.__main__ import main
from cwtt_tui.models import DOMAINS
from cwtt_tui.needs import DomainNeeds, needs_vs_services, total
from cwtt_tui.store.store import Store, unlock_store


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = Path(tmp_path_factory.mktemp("needs")) / "world.db"
    return path, build(path)


@pytest.fixture
def store(world: tuple[Path, dict[str, str]]) -> Iterator[Store]:
    with unlock_store(world[0], PASSPHRASE, clock=clock, exclusive=False) as opened:
        yield opened


def table(rows: list[DomainNeeds]) -> dict[str, tuple]:
    """domain -> (flagged, medium, with_action, gap, done, reassessed, improved)."""
    return {
        r.domain: (
            r.flagged, r.flagged_medium, r.with_action, r.gap, r.actions_done, r.reassessed,
            r.improved,
        )
        for r in rows
    }  # fmt: skip


def round_id(store: Store, number: int) -> str:
    return next(r.id for r in store.rounds.list() if r.number == number)


def test_round_one_all_schools(store: Store) -> None:
    """Round 1, all schools: Xaba (withdrawn) and Xolani (merged) count nowhere.

    health: HIGH Ayanda, Botha, Dlamini, Nkosi (4); MEDIUM Zulu (1). With an action: Ayanda
      (two actions, counted once) and Nkosi (declined still counts): 2, gap 2. Done: Ayanda's
      and Cele's (Cele is LOW, but her action is done): 2. In round 2 Ayanda is M, Botha H,
      Dlamini L, Nkosi incomplete: reassessed 3, improved 2 (Ayanda, Dlamini).
    nutrition: HIGH Ayanda (1); Dlamini is incomplete, not MEDIUM. No action: gap 1. Ayanda
      still HIGH in round 2: reassessed 1, improved 0.
    protection: HIGH Botha, Zulu (2). Botha's referral counts; Zulu's action is in round 2:
      with action 1, gap 1, done 0. Botha LOW in round 2, Zulu not scored: reassessed 1,
      improved 1.
    psychosocial: MEDIUM Dlamini (1); her action is done: done 1.
    economic, education: nothing.
    """
    rows = needs_vs_services(store, round_id(store, 1))
    assert [r.domain for r in rows] == list(DOMAINS)
    assert table(rows) == {
        "health": (4, 1, 2, 2, 2, 3, 2),
        "nutrition": (1, 0, 0, 1, 0, 1, 0),
        "economic": (0, 0, 0, 0, 0, 0, 0),
        "protection": (2, 0, 1, 1, 0, 1, 1),
        "education": (0, 0, 0, 0, 0, 0, 0),
        "psychosocial": (0, 1, 0, 0, 1, 0, 0),
    }
    assert table([total(rows)]) == {"total": (7, 2, 3, 4, 3, 5, 3)}


def test_one_school(store: Store) -> None:
    """School B holds only Nkosi: HIGH in health, a declined action, incomplete in round 2.

    School A is the rest: health HIGH Ayanda, Botha, Dlamini; action Ayanda; done Ayanda, Cele.
    """
    school_b = next(s.id for s in store.schools.list() if s.emis == "500777888")
    rows = table(needs_vs_services(store, round_id(store, 1), school_b))
    assert rows["health"] == (1, 0, 1, 0, 0, 0, 0)
    assert all(rows[d] == (0, 0, 0, 0, 0, 0, 0) for d in DOMAINS if d != "health")
    school_a = table(needs_vs_services(store, round_id(store, 1), store.home_school_id))
    assert school_a["health"] == (3, 1, 1, 2, 2, 3, 2)
    assert school_a["protection"] == (2, 0, 1, 1, 0, 1, 1)


def test_the_latest_round_has_no_improvement_yet(store: Store) -> None:
    """Round 2: health HIGH Botha, Cele; MEDIUM Ayanda. Zulu's round-2 action does not count:
    Zulu was not scored in round 2. Psychosocial HIGH Dlamini. No round 3: None."""
    rows = table(needs_vs_services(store, round_id(store, 2)))
    assert rows["health"] == (2, 1, 0, 2, 0, None, None)
    assert rows["nutrition"] == (1, 1, 0, 1, 0, None, None)
    assert rows["economic"] == (1, 0, 0, 1, 0, None, None)
    assert rows["protection"] == (0, 0, 0, 0, 0, None, None)
    assert rows["psychosocial"] == (1, 0, 0, 1, 0, None, None)
    assert total(needs_vs_services(store, round_id(store, 2))).improved is None


# the `cwtt needs` verb


@pytest.fixture
def copy(
    world: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    path = tmp_path / "world.db"
    shutil.copyfile(world[0], path)
    monkeypatch.setenv("CWTT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_csv_has_a_row_per_domain_and_a_total(
    capsys: pytest.CaptureFixture[str], copy: Path
) -> None:
    code, out, err = run(capsys, "needs", "--store", copy, "--round", "1", "--format", "csv")
    assert (code, err) == (0, "")
    lines = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"), newline="")))
    assert lines[0] == [
        "domain", "high", "medium", "with_action", "gap", "actions_done", "reassessed", "improved",
    ]  # fmt: skip
    assert lines[1] == ["health", "4", "1", "2", "2", "2", "3", "2"]
    assert lines[-1] == ["total", "7", "2", "3", "4", "3", "5", "3"]
    assert len(lines) == 1 + len(DOMAINS) + 1


def test_cli_json_for_a_school_and_the_audit_log(
    capsys: pytest.CaptureFixture[str], copy: Path, tmp_path: Path
) -> None:
    """--out picks the format from the ending; the export is audit-logged."""
    out_file = tmp_path / "needs.json"
    code, out, err = run(
        capsys, "needs", "--store", copy, "--round", "baseline 2026", "--school", "Kgotso",
        "--out", out_file,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == f"Wrote needs versus services for round 1 (Baseline 2026) (json) to {out_file}.\n"
    document = json.loads(out_file.read_text(encoding="utf-8"))
    assert document["school"] == "Kgotso"
    assert document["next_round"] == {"name": "Follow-up 2026-T3", "number": 2}
    assert document["domains"][0] == {
        "domain": "health", "high": 1, "medium": 0, "with_action": 1, "gap": 0,
        "actions_done": 0, "reassessed": 0, "improved": 0,
    }  # fmt: skip
    with unlock_store(copy, PASSPHRASE, exclusive=False) as store:
        (entry,) = [e for e in store.audit.entries() if e.action == "needs.export"]
        assert entry.detail["format"] == "json" and entry.detail["to"] == "file"


def test_cli_table_fits_80_columns(capsys: pytest.CaptureFixture[str], copy: Path) -> None:
    """The default is the text table and bar chart, for the latest round."""
    code, out, err = run(capsys, "needs", "--store", copy)
    assert (code, err) == (0, "")
    assert out.startswith("Needs versus services: Follow-up 2026-T3 (round 2), All schools")
    assert "Reassessed and Improved need a later round" in out
    assert max(len(line) for line in out.splitlines()) <= 80
