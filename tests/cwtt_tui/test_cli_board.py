"""`cwtt board`: the risk board as CSV, JSON or HTML, exit codes, exact sentences, the audit log."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from cwtt_tui.__main__ import main
from cwtt_tui.store.peek import DEMO_PASSPHRASE
from cwtt_tui.store.store import unlock_store

CHILDREN = 12
SCHOOLS = (
    "500333444 (Kgotso Primary), 500777888 (Mpumelelo Combined), "
    "500555666 (Sunnyside Primary), 500111222 (Thembeka Primary)"
)


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo store of 12 children, made once; each test works on its own copy."""
    from cwtt_tui.commands import ensure_demo_store

    path = Path(tmp_path_factory.mktemp("board-master")) / "demo.db"
    ensure_demo_store(path, CHILDREN, 3)
    return path


@pytest.fixture
def demo(demo_master: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo store, its passphrase in CWTT_PASSPHRASE, and no terminal to ask on."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_master, path)
    monkeypatch.setenv("CWTT_PASSPHRASE", DEMO_PASSPHRASE)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def board_exports(path: Path) -> list[tuple[str, dict[str, object]]]:
    with unlock_store(path, DEMO_PASSPHRASE, exclusive=False) as store:
        return [
            (e.target, dict(e.detail)) for e in store.audit.entries() if e.action == "board.export"
        ]


def test_default_is_csv_of_every_school_in_the_latest_round(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    """No options: a header row and one row per child of every school, nothing on stderr."""
    code, out, err = run(capsys, "--store", demo, "board")
    assert (code, err) == (0, "")
    table = csv_rows(out)
    assert table[0][:5] == ["child_id", "name", "grade", "class", "school"]
    assert len(table) == 1 + CHILDREN
    assert len({line[4] for line in table[1:]}) == 4


@pytest.mark.parametrize("school", ["500333444", "kgotso primary", "Kgotso Primary"])
def test_school_by_emis_or_name(
    capsys: pytest.CaptureFixture[str], demo: Path, school: str
) -> None:
    """--school takes the EMIS number or the name, in any case."""
    code, out, err = run(capsys, "board", "--store", demo, "--school", school)
    assert (code, err) == (0, "")
    table = csv_rows(out)
    assert {line[4] for line in table[1:]} == {"Kgotso Primary"}


@pytest.mark.parametrize("wanted", ["1", "baseline 2026"])
def test_round_by_number_or_name(
    capsys: pytest.CaptureFixture[str], demo: Path, wanted: str
) -> None:
    code, out, err = run(capsys, "board", "--store", demo, "--round", wanted, "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["round"] == {"name": "Baseline 2026", "number": 1}
    assert document["school"] == "All schools"
    assert document["children"] == CHILDREN


def test_unknown_school_lists_the_schools(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    """Exit 2 and one sentence naming every school the store holds; nothing is logged."""
    code, out, err = run(capsys, "board", "--store", demo, "--school", "Nowhere High")
    assert (code, out) == (2, "")
    assert err == (
        "cwtt: There is no school 'Nowhere High' in this store; give the EMIS number or name "
        f"of one of: {SCHOOLS}.\n"
    )
    assert board_exports(demo) == []


def test_unknown_round_lists_the_rounds(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    code, out, err = run(capsys, "board", "--store", demo, "--round", "9")
    assert (code, out) == (2, "")
    assert err == "cwtt: There is no round '9' in this store; give one of: 1 (Baseline 2026).\n"


def test_a_store_without_rounds(
    capsys: pytest.CaptureFixture[str],
    made_store: tuple[Path, str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, passphrase, _ = made_store
    monkeypatch.setenv("CWTT_PASSPHRASE", passphrase)
    code, out, err = run(capsys, "board", "--store", path)
    assert (code, out) == (2, "")
    assert err == "cwtt: This store has no round yet; finish an interview first.\n"


def test_out_writes_the_file_in_the_format_of_its_ending(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path
) -> None:
    """--out board.html writes the HTML page and says so on stdout."""
    target = tmp_path / "reports" / "board.html"
    code, out, err = run(capsys, "board", "--store", demo, "--out", target)
    assert (code, err) == (0, "")
    assert out == f"Wrote the risk board of {CHILDREN} children (html) to {target}.\n"
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "@page { size: A4 landscape;" in page


def test_every_export_is_audit_logged(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path
) -> None:
    """One `board.export` entry per export: the round, the format, the school and the count."""
    assert run(capsys, "board", "--store", demo, "--format", "json")[0] == 0
    to_file = ("--school", "500333444", "--out", tmp_path / "b.csv")
    assert run(capsys, "board", "--store", demo, *to_file)[0] == 0
    with unlock_store(demo, DEMO_PASSPHRASE, exclusive=False) as store:
        round_id = store.rounds.list()[-1].id
        kgotso = next(s.id for s in store.schools.list() if s.emis == "500333444")
    (first, second) = board_exports(demo)
    assert first == (
        round_id,
        {"format": "json", "children": CHILDREN, "school": "all", "to": "stdout"},
    )
    assert second[0] == round_id
    assert second[1]["format"] == "csv"
    assert second[1]["school"] == kgotso
    assert second[1]["to"] == "file"
    assert 0 < int(second[1]["children"]) < CHILDREN  # type: ignore[call-overload]


def test_the_board_opens_while_the_app_holds_the_store(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    """Like backup, viewing does not need the store to itself; --rescore does (exit 11)."""
    with unlock_store(demo, DEMO_PASSPHRASE):  # as the app holds it
        code, out, err = run(capsys, "board", "--store", demo)
        assert (code, err) == (0, "")
        code, out, err = run(capsys, "board", "--store", demo, "--rescore")
    assert (code, out) == (11, "")
    assert err == (
        f"cwtt: The store {demo} is open in another cwtt window or command; "
        "close it and try again.\n"
    )


def test_rescore_reports_who_changed_level(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    """A stale assessment is scored again; stderr counts and names (by id) who changed."""
    from cwtt_tui.models import BoardSummary

    with unlock_store(demo, DEMO_PASSPHRASE) as store:
        round_id = store.rounds.list()[-1].id
        child = store.children.list()[0]
        result = store.assessments.get(child.id, round_id)
        assert result is not None
        old = result["domains"]["health"]["level"]
        stale = "incomplete" if old != "incomplete" else "high"
        result["domains"]["health"]["level"] = stale
        summary = BoardSummary(child.id, "X", child.school_id, "1", "1A", "------", 0, "", False)
        store.assessments.save(child.id, round_id, result, summary)
    code, out, err = run(capsys, "board", "--store", demo, "--rescore", "--format", "json")
    assert code == 0
    assert err == (
        "Re-scoring round 1 (Baseline 2026)…\n"
        f"Re-scored {CHILDREN} children; 1 changed level.\n"
        f"  {child.id}: health {stale} → {old}\n"
    )
    assert '"X"' not in out and json.loads(out)["children"] == CHILDREN
