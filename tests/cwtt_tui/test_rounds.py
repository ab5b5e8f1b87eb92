"""Rounds: open and close them, compare a child's levels between rounds, the `cwtt rounds` verb.

The store is rounds_world.py: its table of levels is the known outcome checked here.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rounds_world import PASSPHRASE, PRACTITIONER_PASSPHRASE, build, clock

from cwtt_tui.__main__ import main
from cwtt_tui.errors import NotAllowed, UsageError
from cwtt_tui.models import DOMAINS
from cwtt_tui.rounds import (
    LEVEL_ORDER,
    change,
    child_timeline,
    close_round,
    compare_rounds,
    next_round,
    open_round,
    previous_round,
    round_changes,
)
from cwtt_tui.store.store import Store, unlock_store


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = Path(tmp_path_factory.mktemp("rounds")) / "world.db"
    return path, build(path)


@pytest.fixture
def copy(
    world: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A copy of the world to change, its passphrase in CWTT_PASSPHRASE, no terminal to ask on."""
    path = tmp_path / "world.db"
    shutil.copyfile(world[0], path)
    monkeypatch.setenv("CWTT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    return path


@pytest.fixture
def store(copy: Path) -> Iterator[Store]:
    with unlock_store(copy, PASSPHRASE, clock=clock) as opened:
        yield opened


def ids(world: tuple[Path, dict[str, str]]) -> dict[str, str]:
    return world[1]


def by_number(store: Store, number: int) -> str:
    return next(r.id for r in store.rounds.list() if r.number == number)


# comparing levels


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("low", "high", "worse"), ("medium", "high", "worse"), ("L", "M", "worse"),
        ("high", "medium", "better"), ("H", "L", "better"), ("medium", "low", "better"),
        ("high", "high", "same"), ("L", "L", "same"),
        ("incomplete", "high", "unknown"), ("high", "-", "unknown"), (None, "low", "unknown"),
        ("low", None, "unknown"),
    ],
)  # fmt: skip
def test_change(before: str | None, after: str | None, expected: str) -> None:
    """Low < medium < high; incomplete or missing cannot be compared. Names or board codes."""
    assert change(before, after) == expected
    assert LEVEL_ORDER == ("low", "medium", "high")


def test_round_changes_known_outcome(store: Store, world: tuple[Path, dict[str, str]]) -> None:
    """Round 2 against round 1, child by child, as the world's table says.

    Zulu (not scored in round 2) and Xaba (withdrawn) are absent; Xolani (merged) too;
    Mokoena (new in round 2) cannot be compared anywhere.
    """
    child = ids(world)
    changes = round_changes(store, by_number(store, 2))
    kinds = {name: [changes[cid][d].kind for d in DOMAINS] for name, cid in child.items()
             if cid in changes}  # fmt: skip
    same5 = ["same"] * 5
    assert kinds == {
        "Ayanda": ["better", "same", "same", "same", "same", "same"],
        "Botha": ["same", "same", "same", "better", "same", "same"],
        "Cele": ["worse", *same5],
        "Dlamini": ["better", "unknown", "same", "same", "same", "worse"],
        "Nkosi": ["unknown", *same5],
        "Mokoena": ["unknown"] * 6,
    }
    health = changes[child["Dlamini"]]["health"]
    assert (health.before, health.after, health.symbol, health.label) == (
        "high",
        "low",
        "↓",
        "better",
    )
    psych = changes[child["Dlamini"]]["psychosocial"]
    assert (psych.symbol, psych.label) == ("↑", "worse")
    unknown = changes[child["Mokoena"]]["economic"]
    assert (unknown.before, unknown.after, unknown.symbol, unknown.label) == (
        None,
        "high",
        "—",
        "—",
    )
    assert changes[child["Ayanda"]]["nutrition"].symbol == "="
    board_rows = store.assessments.summaries(by_number(store, 2))
    assert round_changes(store, by_number(store, 2), lines=board_rows) == changes


def test_the_first_round_has_nothing_before_it(store: Store) -> None:
    first, second = by_number(store, 1), by_number(store, 2)
    assert previous_round(store, first) is None
    assert previous_round(store, second).id == first  # type: ignore[union-attr]
    assert next_round(store, first).id == second  # type: ignore[union-attr]
    assert next_round(store, second) is None
    previous, rows = compare_rounds(store, first)
    assert previous is None
    assert {c.kind for row in rows for c in row.changes.values()} == {"unknown"}


def test_compare_one_school(store: Store, world: tuple[Path, dict[str, str]]) -> None:
    """School B holds only Nkosi."""
    school_b = next(s.id for s in store.schools.list() if s.emis == "500777888")
    _, rows = compare_rounds(store, by_number(store, 2), school_b)
    assert [row.line.child_id for row in rows] == [ids(world)["Nkosi"]]


def test_child_timeline_oldest_first(store: Store, world: tuple[Path, dict[str, str]]) -> None:
    """Every round of the store, with None where the child was not scored."""
    child = ids(world)
    open_round(store, "Follow-up 2027", "2027-02-01")
    zulu = child_timeline(store, child["Zulu"])
    assert [(p.round.number, p.levels is None) for p in zulu] == [(1, False), (2, True), (3, True)]
    assert zulu[0].levels == {
        "health": "medium", "nutrition": "low", "economic": "low", "protection": "high",
        "education": "low", "psychosocial": "low",
    }  # fmt: skip
    mokoena = child_timeline(store, child["Mokoena"])
    assert [p.levels["economic"] if p.levels else None for p in mokoena] == [None, "high", None]


# opening and closing


def test_open_and_close(store: Store) -> None:
    made = open_round(store, "  Follow-up 2027 ", "2027-02-01", "31/03/2027")
    assert (made.number, made.name, made.starts_on, made.ends_on, made.status) == (
        3, "Follow-up 2027", "2027-02-01", "2027-03-31", "open",
    )  # fmt: skip
    assert store.rounds.current().id == made.id  # type: ignore[union-attr]
    closed = close_round(store, made.id)
    assert closed.status == "closed"
    assert store.rounds.current().number == 2  # type: ignore[union-attr]
    with pytest.raises(UsageError, match=r"^Round 3 \(Follow-up 2027\) is already closed\.$"):
        close_round(store, made.id)


@pytest.mark.parametrize(
    ("name", "starts", "ends", "message"),
    [
        ("  ", "2027-02-01", "", "A round needs a name, e.g. 'Follow-up 2026-T3'."),
        ("follow-up 2026-t3", "2027-02-01", "",
         "There is already a round called 'Follow-up 2026-T3' (round 2); choose another name."),
        ("3", "2027-02-01", "",
         "A round's name cannot be only a number; cwtt numbers rounds itself."),
        ("Next", "next week", "", "The start date 'next week' is not a date; write it as YYYY-MM-DD."),
        ("Next", "2027-02-01", "2027-01-01", "The round ends before it starts; check the dates."),
    ],
)  # fmt: skip
def test_open_refusals(store: Store, name: str, starts: str, ends: str, message: str) -> None:
    with pytest.raises(UsageError) as refused:
        open_round(store, name, starts, ends)
    assert refused.value.message == message
    assert len(store.rounds.list()) == 2


def test_a_practitioner_may_not_open_or_close_a_round(copy: Path) -> None:
    with unlock_store(copy, PRACTITIONER_PASSPHRASE, clock=clock) as store:
        assert store.user is not None and store.user.role == "practitioner"
        with pytest.raises(NotAllowed, match="^Only a team lead or coordinator may open a round"):
            open_round(store, "Follow-up 2027", "2027-02-01")
        with pytest.raises(NotAllowed, match="may close a round"):
            close_round(store, by_number(store, 1))
        assert len(store.rounds.list()) == 2


# the `cwtt rounds` verb


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_list(capsys: pytest.CaptureFixture[str], copy: Path) -> None:
    """Children scored leave out withdrawn and merged children (Xaba, Xolani)."""
    code, out, err = run(capsys, "rounds", "--store", copy)
    assert (code, err) == (0, "")
    assert out == (
        "  #  Name               Starts      Ends        Status  Scored  Interviews  Drafts\n"
        "  1  Baseline 2026      2026-02-01  2026-03-31  open         6           0       0\n"
        "  2  Follow-up 2026-T3  2026-08-01  —           open         6           0       0\n"
        "New interviews go to round 2 (Follow-up 2026-T3).\n"
    )


def test_cli_open_then_close(capsys: pytest.CaptureFixture[str], copy: Path) -> None:
    code, out, err = run(
        capsys, "rounds", "open", "Follow-up 2027", "--starts", "2027-02-01", "--store", copy
    )
    assert (code, err) == (0, "")
    assert out == (
        "Opened round 3 (Follow-up 2027) from 2027-02-01; new interviews go to it.\n"
        "Round 1 (Baseline 2026) is still open; close it with `cwtt rounds close 1`.\n"
        "Round 2 (Follow-up 2026-T3) is still open; close it with `cwtt rounds close 2`.\n"
    )
    code, out, err = run(capsys, "rounds", "close", "follow-up 2027", "--store", copy)
    assert (code, err) == (0, "")
    assert out == (
        "Closed round 3 (Follow-up 2027).\nNew interviews go to round 2 (Follow-up 2026-T3).\n"
    )
    with unlock_store(copy, PASSPHRASE, exclusive=False) as store:
        actions = [e.action for e in store.audit.entries() if e.action.startswith("round.")]
    assert actions[-2:] == ["round.open", "round.close"]


def test_cli_practitioner_is_refused(
    capsys: pytest.CaptureFixture[str], copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CWTT_PASSPHRASE", PRACTITIONER_PASSPHRASE)
    code, out, err = run(capsys, "rounds", "open", "Follow-up 2027", "--store", copy)
    assert (code, out) == (16, "")
    assert err == "cwtt: Only a team lead or coordinator may open a round.\n"


def test_cli_compare_table(capsys: pytest.CaptureFixture[str], copy: Path) -> None:
    """Counts per domain, then the children who got worse: Cele (health), Dlamini (psychosocial)."""
    code, out, err = run(capsys, "rounds", "compare", "--store", copy)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        "Change since round 1 (Baseline 2026): round 2 (Follow-up 2026-T3), All schools, 6 children"
    )
    assert lines[2].split() == ["Domain", "↑", "worse", "↓", "better", "=", "same", "—", "unknown"]
    assert lines[3].split() == ["Health", "1", "2", "1", "2"]
    assert lines[4].split() == ["Nutrition", "0", "0", "4", "2"]
    assert lines[6].split() == ["Protection", "0", "1", "4", "1"]
    assert lines[8].split() == ["Psychosocial", "1", "0", "4", "1"]
    assert lines[-3:] == [
        "Children who got worse (2):",
        "  Cele, Cele (grade 2, 2B): health low → high",
        "  Dlamini, Dlamini (grade 2, 2B): psychosocial medium → high",
    ]
    with unlock_store(copy, PASSPHRASE, exclusive=False) as store:
        (entry,) = [e for e in store.audit.entries() if e.action == "changes.export"]
    assert entry.detail["children"] == 6 and entry.detail["format"] == "table"


def test_cli_compare_csv_and_json(
    capsys: pytest.CaptureFixture[str], copy: Path, world: tuple[Path, dict[str, str]]
) -> None:
    code, out, err = run(capsys, "rounds", "compare", "--store", copy, "--format", "csv")
    assert (code, err) == (0, "")
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"), newline="")))
    assert rows[0] == ["child_id", "name", "grade", "class", "school", *DOMAINS, "worse"]
    dlamini = next(r for r in rows if r[0] == ids(world)["Dlamini"])
    assert dlamini[5:] == ["better", "unknown", "same", "same", "same", "worse", "1"]
    code, out, err = run(
        capsys, "rounds", "compare", "--store", copy, "--format", "json", "--school", "500777888"
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["previous_round"] == {"name": "Baseline 2026", "number": 1}
    assert document["counts"]["health"] == {"worse": 0, "better": 0, "same": 0, "unknown": 1}
    (nkosi,) = document["children"]
    assert nkosi["changes"]["health"] == {
        "before": "high",
        "after": "incomplete",
        "change": "unknown",
    }


def test_cli_compare_the_first_round(capsys: pytest.CaptureFixture[str], copy: Path) -> None:
    code, out, err = run(capsys, "rounds", "compare", "--round", "1", "--store", copy)
    assert (code, out) == (2, "")
    assert err == (
        "cwtt: Round 1 (Baseline 2026) is the first round; there is nothing before it to "
        "compare with.\n"
    )
