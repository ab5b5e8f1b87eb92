"""`cwtt score`: the example files, JSON Lines order, and each bad input's sentence and exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cwtt_tui.__main__ import main

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ONE = EXAMPLES / "score-one-child.json"
MANY = EXAMPLES / "score-children.jsonl"
DOMAINS = ["health", "nutrition", "economic", "protection", "education", "psychosocial"]


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def levels(result: dict) -> dict[str, str]:
    return {name: domain["level"] for name, domain in result["domains"].items()}


def test_one_child_example(capsys: pytest.CaptureFixture[str]) -> None:
    """The README example: contract keys exact, levels, reasons and flags as documented."""
    code, out, err = run(capsys, "score", "--answers", ONE)
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert list(result)[:4] == ["scales", "domains", "rules_version", "flags"]
    assert list(result["scales"]) == ["growth", "hhs", "psc17", "phq9", "cfm"]
    assert result["scales"]["growth"] == {
        "age_months": 110.19,
        "haz": -0.55,
        "waz": -0.62,
        "baz": -0.47,
        "flags": [],
        "missing": [],
    }
    assert result["scales"]["hhs"] == {"score": 3, "category": "moderate", "missing": []}
    assert result["scales"]["psc17"]["positive"] == ["attention"]
    assert {k: result["scales"]["phq9"][k] for k in ("total", "severity", "item9")} == {
        "total": 11,
        "severity": "moderate",
        "item9": 1,
    }
    assert result["scales"]["cfm"]["functional_difficulty"] is False
    assert list(result["domains"]) == DOMAINS
    assert levels(result) == {
        "health": "low",
        "nutrition": "medium",
        "economic": "medium",
        "protection": "medium",
        "education": "incomplete",
        "psychosocial": "medium",
    }
    for domain in result["domains"].values():
        assert {"level", "reasons", "missing"} <= set(domain)
        for reason in domain["reasons"]:
            assert {"rule", "text", "answers"} <= set(reason)
    nutrition = result["domains"]["nutrition"]["reasons"]
    assert nutrition == [
        {
            "rule": "nutrition.hhs_moderate",
            "text": "Caregiver reports moderate hunger: Household Hunger Scale 3: moderate",
            "answers": {"hhs.score": 3, "hhs.category": "moderate"},
            "level": "medium",
        }
    ]
    education = result["domains"]["education"]
    assert education["reasons"] == []
    assert "teacher.days_absent_term" in education["missing"]
    assert education["why_missing"]["teacher.days_absent_term"] == (
        "the teacher interview is not done"
    )
    protection = result["domains"]["protection"]
    assert "child_self.touched_unsafe" in protection["missing"]  # refused: the medium stands
    assert result["rules_version"] == "cwtt-default-v1@1.0.0"
    assert result["flags"]["mandatory_report"] is False
    assert result["flags"]["urgent_referral"] == ["caregiver"]


def test_json_lines_one_result_per_child_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    """Three children in, three lines out, in the same order."""
    code, out, err = run(capsys, "score", "--answers", MANY)
    assert (code, err) == (0, "")
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == 3
    stunted, fine, disclosed = results
    assert stunted["scales"]["growth"]["haz"] == -5.04
    assert levels(stunted)["nutrition"] == "high"
    assert [r["rule"] for r in stunted["domains"]["nutrition"]["reasons"]] == [
        "nutrition.haz_severe"
    ]
    assert set(levels(stunted).values()) == {"high", "incomplete"}
    assert levels(fine) == dict.fromkeys(DOMAINS, "low")
    assert levels(disclosed)["protection"] == "high"
    assert levels(disclosed)["education"] == "high"
    assert disclosed["flags"]["mandatory_report"] is True


def test_several_lines_are_json_lines_whatever_the_suffix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A .json file holding several JSON lines is read as JSON Lines."""
    path = tmp_path / "children.json"
    path.write_text(MANY.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "score", "--answers", path)
    assert code == 0
    assert len(out.splitlines()) == 3


def test_absence_days_option(capsys: pytest.CaptureFixture[str]) -> None:
    """--absence-days 20: 14 days absent is no longer an absence."""
    _, out, _ = run(capsys, "score", "--answers", MANY, "--absence-days", "20")
    disclosed = json.loads(out.splitlines()[2])
    rules = [r["rule"] for r in disclosed["domains"]["education"]["reasons"]]
    assert rules == ["education.not_meeting"]
    assert disclosed["params"]["absence_days"] == 20


def test_rules_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--rules FILE scores with another rules file and reports its version."""
    path = tmp_path / "mine.toml"
    path.write_text(
        'id = "mine"\nname = "mine"\nversion = "2"\n\n[[rules]]\nid = "education.repeated"\n'
        'domain = "education"\nlevel = "high"\nwhen = \'teacher.grade_repeated == "yes"\'\n'
        'reason = "Repeated a grade"\nsource = "ours"\n',
        encoding="utf-8",
    )
    _, out, _ = run(capsys, "score", "--answers", ONE, "--rules", path)
    result = json.loads(out)
    assert result["rules_version"] == "mine@2"
    assert levels(result) == {**dict.fromkeys(DOMAINS, "low"), "education": "incomplete"}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def record(**changes: object) -> dict:
    data = json.loads(ONE.read_text(encoding="utf-8"))
    for name, value in changes.items():
        key, _, field = name.partition("__")
        data[key][field] = value
    return data


@pytest.mark.parametrize(
    ("name", "text", "sentence"),
    [
        (
            "bad.json",
            "{not json",
            "The answers file {path} is not JSON (Expecting property name enclosed in double "
            "quotes at line 1); fix the file.",
        ),
        ("empty.json", "\n", "The answers file {path} is empty; give one child's answers as JSON."),
        (
            "date.json",
            json.dumps(record(child__date_of_birth="14/03/2016")),
            "In {path}: the child's date_of_birth is not a date in YYYY-MM-DD form; "
            "correct the answers file.",
        ),
        (
            "interview.json",
            json.dumps({**record(), "interview_date": "2025-02-30"}),
            "In {path}: the interview_date is not a date in YYYY-MM-DD form; "
            "correct the answers file.",
        ),
        (
            "code.json",
            json.dumps(record(caregiver__phq_9=4)),
            "In {path}: the caregiver answer to phq_9 is not one of its codes (0, 1, 2, 3); "
            "correct the answers file.",
        ),
        (
            "sex.json",
            json.dumps(record(child__sex="boy")),
            "In {path}: the child's sex must be male or female; correct the answers file.",
        ),
        (
            "key.json",
            json.dumps({**record(), "careviger": {}}),
            "In {path}: the record has an unknown key careviger; use only child, "
            "interview_date, caregiver, teacher, health, child_self.",
        ),
        (
            "list.json",
            "[1, 2]",
            "In {path}: the record is not a JSON object with the child's answers.",
        ),
        (
            "lines.jsonl",
            json.dumps(record()) + "\n" + json.dumps(record(health__ishp_vision="fail")) + "\n",
            "Line 2 of {path}: the health answer to ishp_vision is not one of its codes "
            "(pass, refer); correct the answers file.",
        ),
        (
            "broken.jsonl",
            json.dumps(record()) + "\n\n" + '{"child": ' + "\n",
            "Line 3 of {path} is not JSON (Expecting value); give one child's answers per line.",
        ),
    ],
)
def test_bad_input_is_one_sentence_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, text: str, sentence: str
) -> None:
    """Each bad input: one plain sentence on stderr, nothing on stdout, exit 2."""
    path = write(tmp_path, name, text)
    assert run(capsys, "score", "--answers", path) == (
        2,
        "",
        f"cwtt: {sentence.format(path=path)}\n",
    )


def test_missing_answers_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A path with no file says so."""
    path = tmp_path / "nowhere.json"
    assert run(capsys, "score", "--answers", path) == (
        2,
        "",
        f"cwtt: There is no answers file {path}; check the path.\n",
    )


def test_missing_rules_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--rules naming no file says which line of which file."""
    path = tmp_path / "rules.toml"
    code, out, err = run(capsys, "score", "--answers", ONE, "--rules", path)
    assert (code, out) == (2, "")
    assert err == f"cwtt: {path}:1: cannot read the rules file (No such file or directory).\n"


def test_broken_rules_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Several problems: each on its own line, then one summary sentence."""
    path = write(
        tmp_path,
        "rules.toml",
        'id = "x"\nname = "x"\nversion = "1"\ncolour = "red"\n\n[[rules]]\nid = "food.x"\n'
        'domain = "food"\nlevel = "high"\nwhen = "growth.haz < -3"\nreason = "r"\nsource = "s"\n',
    )
    code, out, err = run(capsys, "score", "--answers", ONE, "--rules", path)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{path}:4: unknown key 'colour' (known: description, id, name, params, rules, version)",
        f"{path}:8: rule food.x: unknown domain 'food' (use one of health, nutrition, economic, "
        "protection, education, psychosocial)",
        f"cwtt: The rules file {path} has 2 problems; see above.",
    ]


def test_negative_absence_days(capsys: pytest.CaptureFixture[str]) -> None:
    """--absence-days below 0 is refused."""
    assert run(capsys, "score", "--answers", ONE, "--absence-days", "-1") == (
        2,
        "",
        "cwtt: --absence-days must be 0 or more; give a number of school days.\n",
    )


def test_every_option_has_help() -> None:
    """Each option of `cwtt score` carries help text."""
    from cwtt_tui.__main__ import build_parser

    parser = build_parser()
    verbs = next(a for a in parser._actions if a.dest == "verb")
    score = verbs.choices["score"]  # type: ignore[attr-defined]
    for action in score._actions:
        assert action.help, action.dest
