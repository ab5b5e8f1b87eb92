"""The catalogue of suggested actions: the shipped file holds, and a broken copy says where."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from questionnaires.action_catalogue import (
    CATALOGUE_FILE,
    DEPARTMENTS,
    CatalogueError,
    check_catalogue,
    load_catalogue,
)
from questionnaires.model import DOMAINS

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
version = "1"

[[suggestions]]
id = "clinic_vision"
domain = "health"
levels = ["high", "medium"]
department = "Health"
due_days = 14
title.en = "Clinic: vision test"
what.en = "Refer to the clinic for a vision test."
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalogue.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    return [str(p).replace(str(path), "FILE") for p in check_catalogue(path)]


def test_the_shipped_catalogue_validates_and_covers_every_domain() -> None:
    """At least two suggestions per domain, and a HIGH in every domain calls for something."""
    catalogue = load_catalogue()
    assert check_catalogue() == []
    for domain in DOMAINS:
        mine = [s for s in catalogue.suggestions if s.domain == domain]
        assert len(mine) >= 2, domain
        assert catalogue.matching(domain, "high"), domain
        assert catalogue.matching(domain, "medium"), domain
    assert {s.department for s in catalogue.suggestions} <= set(DEPARTMENTS)
    assert all(s.what.get("en") and s.title.get("en") for s in catalogue.suggestions)


def test_the_s110_report_is_a_protection_high_due_today() -> None:
    catalogue = load_catalogue()
    (report,) = [s for s in catalogue.suggestions if s.mandatory_report]
    assert (report.domain, report.levels, report.due_days) == ("protection", ("high",), 0)
    assert "section 110" in report.what.get()
    assert catalogue.get(report.id) is report and catalogue.get("nothing") is None


def test_the_catalogue_ships_with_the_package() -> None:
    """pyproject's package data names the catalogue's folder, so a wheel carries it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["questionnaires"]
    assert "actions/*.toml" in patterns
    assert (
        CATALOGUE_FILE.relative_to(ROOT / "questionnaires").as_posix() == "actions/catalogue.toml"
    )


def test_a_good_file_loads_with_its_defaults(tmp_path: Path) -> None:
    text = GOOD.replace("due_days = 14\n", "") + 'title.zu = "Umtholampilo"\n'
    (suggestion,) = load_catalogue(write(tmp_path, text)).suggestions
    assert suggestion.levels == ("high", "medium") and suggestion.due_days == 14
    assert suggestion.title.get("zu") == "Umtholampilo" and suggestion.title.get("xh") == (
        "Clinic: vision test"
    )
    assert suggestion.today is None and not suggestion.mandatory_report


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('due_days = 14', 'due_days = 14\nwho = "me"'), "FILE:9: suggestion clinic_vision: "
         "unknown key 'who'"),
        (('"health"', '"wellness"'), "FILE:5: suggestion clinic_vision: domain is 'wellness'; "
         "use one of: health, nutrition, economic, protection, education, psychosocial"),
        (('"medium"]', '"urgent"]'), "FILE:6: suggestion clinic_vision: unknown level 'urgent' "
         "(use high, medium, low)"),
        (('"Health"', '"Police"'), "FILE:7: suggestion clinic_vision: department is 'Police'; use "
         "one of: Education, Health, Social Development, Home Affairs, SAPS, NGO, School"),
        (('what.en', 'what.zu'), "FILE:10: suggestion clinic_vision: missing English text "
         "(what.en)"),
        (('due_days = 14', 'due_days = "soon"'), "FILE:8: suggestion clinic_vision: due_days "
         "must be a whole number of days"),
        (('id = "clinic_vision"', 'id = "Clinic Vision"'), "FILE:4: give each suggestion an id "
         "in snake_case, e.g. clinic_vision"),
        (('due_days = 14', 'due_days = 14\nmandatory_report = true'), "FILE:9: suggestion "
         "clinic_vision: only a protection action is a report"),
        (('version = "1"', 'version = "1"\nowner = "me"'), "FILE:2: unknown key 'owner'"),
    ],
)  # fmt: skip
def test_each_problem_names_its_line(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    """Unknown keys, domains, levels and departments, missing English: `file:line: what`."""
    assert problems(tmp_path, GOOD.replace(*change)) == [expected]


def test_a_duplicate_id_is_reported_at_the_second(tmp_path: Path) -> None:
    text = GOOD + "\n" + GOOD.split("\n", 2)[2]
    assert problems(tmp_path, text) == ["FILE:13: suggestion id 'clinic_vision' is used twice"]


def test_broken_toml_and_an_empty_file(tmp_path: Path) -> None:
    (broken,) = problems(tmp_path, GOOD.replace("levels = [", "levels = "))
    assert broken.startswith("FILE:6: not valid TOML: ")  # the rest is tomllib's wording
    assert problems(tmp_path, 'version = "1"\n') == [
        "FILE:1: add at least one [[suggestions]] table"
    ]


def test_load_raises_with_every_problem(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('"Health"', '"Police"').replace("what.en", "what.af"))
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert [p.line for p in caught.value.problems] == [7, 10]
    assert str(caught.value).startswith("2 problem(s) in the action catalogue:\n")
    assert f"{path}:7: " in str(caught.value)


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (problem,) = check_catalogue(tmp_path / "nowhere.toml")
    assert problem.line == 1 and problem.message.startswith("cannot read the file")
