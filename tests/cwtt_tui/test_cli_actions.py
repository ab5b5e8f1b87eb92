"""`cwtt actions`: list (table, CSV, JSON), plan, status, the catalogue; exit codes; audit log."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from cwtt_tui.__main__ import main
from cwtt_tui.models import ActionDetails
from cwtt_tui.planning import today
from cwtt_tui.store.peek import DEMO_PASSPHRASE
from cwtt_tui.store.store import unlock_store

CHILDREN = 8


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo store of 8 children, made once; each test works on its own copy."""
    from cwtt_tui.commands import ensure_demo_store

    path = Path(tmp_path_factory.mktemp("actions-master")) / "demo.db"
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


@pytest.fixture
def kids(demo: Path) -> dict[str, str]:
    """Two children's ids by school EMIS: one at Kgotso Primary, one at Sunnyside Primary."""
    with unlock_store(demo, DEMO_PASSPHRASE, exclusive=False) as store:
        emis = {s.id: s.emis for s in store.schools.list()}
        found: dict[str, str] = {}
        for child in store.children.list():
            found.setdefault(emis[child.school_id], child.id)
    return {"kgotso": found["500333444"], "sunnyside": found["500555666"]}


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def listed(capsys: pytest.CaptureFixture[str], demo: Path, *options: object) -> list[dict]:
    code, out, err = run(capsys, "actions", "--store", demo, "--format", "json", *options)
    assert (code, err) == (0, "")
    return json.loads(out)


def add_overdue(demo: Path, child_id: str) -> str:
    """An action due yesterday, written straight into the store (the CLI refuses past dates)."""
    with unlock_store(demo, DEMO_PASSPHRASE) as store:
        yesterday = (today(store) - timedelta(days=1)).isoformat()
        round_id = store.rounds.list()[-1].id
        details = ActionDetails("Clinic: eye test", "Sister Mokoena", "Health", yesterday)
        return store.actions.plan(child_id, round_id, "health", details).id


def test_plan_a_suggestion_then_list_it(
    capsys: pytest.CaptureFixture[str], demo: Path, kids: dict[str, str]
) -> None:
    """The suggestion fills what, the department and the due date; the table shows its id."""
    child = kids["kgotso"]
    code, out, err = run(
        capsys, "actions", "plan", child[:8], "economic", "--store", demo,
        "--suggestion", "economic_child_support_grant", "--responsible", "Mrs Khumalo",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.startswith("Planned action ") and "(economic, due " in out
    assert "Child Support Grant at SASSA" in out and "What to do today" not in out
    code, out, err = run(capsys, "actions", "--store", demo)
    assert (code, err) == (0, "")
    head, row = out.splitlines()
    assert head.split() == [
        "ID", "Child", "Gr/Class", "Domain", "What", "Responsible", "Department", "Due", "Status",
    ]  # fmt: skip
    assert "Economic" in row and "Mrs Khumalo" in row and "Social Development" in row
    assert row.rstrip().endswith("planned") and "OVERDUE" not in row
    (action,) = listed(capsys, demo)
    assert row.startswith(action["action_id"][:8])
    assert action["suggestion_id"] == "economic_child_support_grant"
    assert action["child_id"] == child and action["history"] == []


def test_the_s110_suggestion_says_what_to_do_today(
    capsys: pytest.CaptureFixture[str], demo: Path, kids: dict[str, str]
) -> None:
    code, out, err = run(
        capsys, "actions", "plan", kids["kgotso"], "protection", "--store", demo,
        "--suggestion", "protection_report_s110",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "\nWhat to do today: Report today, in writing (Form 22)" in out


def test_status_changes_through_the_cli(
    capsys: pytest.CaptureFixture[str], demo: Path, kids: dict[str, str]
) -> None:
    """A short id is enough; a refused change says why in one sentence, exit 2."""
    run(capsys, "actions", "plan", kids["kgotso"], "health", "--what", "Clinic", "--store", demo)
    (action,) = listed(capsys, demo)
    short = action["action_id"][:8]
    code, out, err = run(capsys, "actions", "status", short, "referred", "--store", demo)
    assert (code, out, err) == (0, f"Action {short}: planned → referred.\n", "")
    code, out, err = run(capsys, "actions", "status", short, "done", "--store", demo)
    assert (code, out) == (2, "")
    assert err == "cwtt: Write what happened (the outcome) to mark the action done.\n"
    code, out, err = run(
        capsys, "actions", "status", short, "done", "--note", "Seen by the nurse", "--store", demo
    )
    assert (code, err) == (0, "") and out == f"Action {short}: referred → done.\n"
    (action,) = listed(capsys, demo)
    assert [(h["to"], h["note"], h["by"]) for h in action["history"]] == [
        ("referred", "", "Demo Coordinator"),
        ("done", "Seen by the nurse", "Demo Coordinator"),
    ]


def test_overdue_only_and_the_marker(
    capsys: pytest.CaptureFixture[str], demo: Path, kids: dict[str, str]
) -> None:
    late = add_overdue(demo, kids["kgotso"])
    run(capsys, "actions", "plan", kids["sunnyside"], "health", "--what", "Clinic", "--store", demo)
    assert len(listed(capsys, demo)) == 2
    (only,) = listed(capsys, demo, "--overdue")
    assert (only["action_id"], only["overdue"]) == (late, True)
    code, out, err = run(capsys, "actions", "--store", demo, "--overdue")
    assert (code, err) == (0, "")
    assert out.splitlines()[1].endswith("OVERDUE")
    run(capsys, "actions", "status", late, "could-not-reach", "--note", "No phone", "--store", demo)
    code, out, err = run(capsys, "actions", "--store", demo, "--overdue")
    assert (code, out, err) == (0, "No actions here.\n", "")


def test_csv_has_a_header_and_one_row_per_action(
    capsys: pytest.CaptureFixture[str], demo: Path, kids: dict[str, str], tmp_path: Path
) -> None:
    """--out actions.csv: CSV from the file's ending, UTF-8 with a BOM, as the board writes it."""
    add_overdue(demo, kids["kgotso"])
    target = tmp_path / "out" / "actions.csv"
    code, out, err = run(capsys, "actions", "--store", demo, "--out", target)
    assert (code, err) == (0, "") and out == f"Wrote 1 action (csv) to {target}.\n"
    table = csv_rows(target.read_text(encoding="utf-8"))
    assert table[0][:4] == ["action_id", "child_id", "name", "grade"]
    assert len(table) == 2
    row = dict(zip(table[0], table[1], strict=True))
    assert (row["domain"], row["status"], row["overdue"], row["school"]) == (
        "health", "planned", "yes", "Kgotso Primary",
    )  # fmt: skip


def test_school_and_child_filters(
    capsys: pytest.CaptureFixture[str], demo: Path, kids: dict[str, str]
) -> None:
    for child in kids.values():
        run(capsys, "actions", "plan", child, "health", "--what", "Clinic", "--store", demo)
    assert [a["school"] for a in listed(capsys, demo, "--school", "kgotso primary")] == [
        "Kgotso Primary"
    ]
    assert [a["child_id"] for a in listed(capsys, demo, "--child", kids["sunnyside"][:6])] == [
        kids["sunnyside"]
    ]
    code, out, err = run(capsys, "actions", "--store", demo, "--school", "Nowhere High")
    assert (code, out) == (2, "") and err.startswith("cwtt: There is no school 'Nowhere High'")


def test_every_list_is_audit_logged(
    capsys: pytest.CaptureFixture[str], demo: Path, kids: dict[str, str], tmp_path: Path
) -> None:
    assert run(capsys, "actions", "--store", demo, "--format", "csv")[0] == 0
    assert run(capsys, "actions", "--store", demo, "--overdue", "--school", "500333444",
               "--out", tmp_path / "a.json")[0] == 0  # fmt: skip
    with unlock_store(demo, DEMO_PASSPHRASE, exclusive=False) as store:
        kgotso = next(s.id for s in store.schools.list() if s.emis == "500333444")
        logged = [(e.target, dict(e.detail)) for e in store.audit.entries()
                  if e.action == "actions.export"]  # fmt: skip
    assert logged == [
        ("all", {"format": "csv", "actions": 0, "overdue": False, "child": "", "to": "stdout"}),
        (kgotso, {"format": "json", "actions": 0, "overdue": True, "child": "", "to": "file"}),
    ]


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("plan", "0" * 32, "health", "--what", "Clinic"), 17,
         f"There is no child with id {'0' * 32} in this store."),
        (("plan", "CHILD", "health", "--suggestion", "economic_child_support_grant"), 2,
         "Suggestion economic_child_support_grant is for the economic domain, not health."),
        (("plan", "CHILD", "health", "--suggestion", "eye_camp"), 2,
         "There is no suggestion 'eye_camp' in the catalogue; `cwtt actions catalogue` lists "
         "them."),
        (("plan", "CHILD", "health", "--what", "Clinic", "--department", "Police"), 2,
         "There is no department 'Police'; use one of: Education, Health, Social Development, "
         "Home Affairs, SAPS, NGO, School."),
        (("status", "f" * 32, "done", "--note", "x"), 17,
         f"There is no action with id {'f' * 32} in this store."),
    ],
)  # fmt: skip
def test_plain_refusals(
    capsys: pytest.CaptureFixture[str],
    demo: Path,
    kids: dict[str, str],
    argv: tuple[str, ...],
    code: int,
    message: str,
) -> None:
    argv = tuple(kids["kgotso"] if a == "CHILD" else a for a in argv)
    assert run(capsys, "actions", *argv, "--store", demo) == (code, "", f"cwtt: {message}\n")


def test_the_catalogue_verb_lists_and_checks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "actions", "catalogue")
    assert (code, err) == (0, "")
    assert "catalogue.toml: 22 suggestions, version 1." in out.splitlines()[0]
    assert any(line.split()[0] == "protection_report_s110" for line in out.splitlines()[1:])
    broken = tmp_path / "mine.toml"
    broken.write_text('version = "1"\n[[suggestions]]\nid = "x"\ndomain = "sport"\n', "utf-8")
    code, out, err = run(capsys, "actions", "catalogue", broken)
    assert (code, out) == (22, "")
    assert f"{broken}:4: suggestion x: domain is 'sport'" in err
    assert err.endswith("problems in the action catalogue; see above.\n")


def test_a_coordinator_copy_via_the_environment(
    capsys: pytest.CaptureFixture[str],
    demo: Path,
    kids: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copy = tmp_path / "district.toml"
    copy.write_text(
        'version = "2"\n[[suggestions]]\nid = "eye_camp"\ndomain = "health"\nlevels = ["high"]\n'
        'department = "NGO"\ndue_days = 3\ntitle.en = "Eye camp"\nwhat.en = "Book the eye camp."\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CWTT_ACTIONS_FILE", str(copy))
    code, out, err = run(
        capsys, "actions", "plan", kids["kgotso"], "health", "--suggestion", "eye_camp",
        "--store", demo,
    )  # fmt: skip
    assert (code, err) == (0, "") and out.endswith("): Book the eye camp.\n")
    assert run(capsys, "actions", "catalogue")[1].startswith(f"{copy}: 1 suggestion, version 2.")
