"""The instrument loader: each problem in a broken file is reported as ``file:line: what``."""

from __future__ import annotations

from pathlib import Path

import pytest

from questionnaires.loader import InstrumentError, Problem, check, load_all, load_instrument

# A small valid instrument; the tests below break one thing at a time. Line numbers matter.
BASE = """\
id = "mini"
version = "1.0"
respondent = "caregiver"
title.en = "Mini"

[choices]
yes_no = [
  { code = "yes", label.en = "Yes" },
  { code = "no", label.en = "No" },
]

[[sections]]
id = "food"
domain = "nutrition"
title.en = "Food"

[[sections.questions]]
id = "hungry"
type = "yes_no"
label.en = "Hungry?"

[[sections.questions]]
id = "days"
type = "integer"
label.en = "How many days?"
min = 0
max = 30
relevant = 'hungry == "yes"'
"""


def write(tmp_path: Path, text: str, name: str = "mini.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, list[str]]:
    """Write BASE with ``old`` replaced by ``new``; return the path and the problems as text."""
    assert old in BASE
    path = write(tmp_path, BASE.replace(old, new, 1))
    return path, [str(p) for p in check([path])]


class TestValidFile:
    def test_base_loads(self, tmp_path: Path) -> None:
        """The fixture itself is valid, so each test below fails for its one change only."""
        instrument = load_instrument(write(tmp_path, BASE))
        assert [q.id for q in instrument.questions] == ["hungry", "days"]
        assert instrument.question("days").relevant is not None
        assert instrument.question("hungry").choices[0].code == "yes"

    def test_licensed_instrument_slot(self, tmp_path: Path) -> None:
        """A licensed instrument is one more file, passed to load_all(extra=...)."""
        licensed = BASE.replace('id = "mini"', 'id = "licensed"') + (
            '\n[licence]\nholder = "Example Licensor"\npermission = "Letter of 2026-01-15"\n'
        )
        path = write(tmp_path, licensed, "licensed.toml")
        instruments = load_all(extra=[path])
        assert {"child", "caregiver", "teacher", "health", "licensed"} <= set(instruments)
        licence = instruments["licensed"].licence
        assert licence is not None and licence.holder == "Example Licensor"


class TestProblems:
    def test_unknown_key(self, tmp_path: Path) -> None:
        path, problems = broken(
            tmp_path, 'label.en = "Hungry?"', 'label.en = "Hungry?"\nlable.en = "x"'
        )
        assert problems == [f"{path}:21: question hungry: unknown key 'lable'"]

    def test_unknown_top_level_key(self, tmp_path: Path) -> None:
        path, problems = broken(tmp_path, 'version = "1.0"', 'version = "1.0"\nauthor = "me"')
        assert problems == [f"{path}:3: unknown key 'author'"]

    def test_duplicate_question_id(self, tmp_path: Path) -> None:
        path, problems = broken(
            tmp_path, 'id = "days"\ntype = "integer"', 'id = "hungry"\ntype = "integer"'
        )
        assert f"{path}:23: question hungry: duplicate id (first used on line 18)" in problems

    def test_condition_names_unknown_question(self, tmp_path: Path) -> None:
        path, problems = broken(tmp_path, "relevant = 'hungry ==", "relevant = 'hungri ==")
        assert problems == [f"{path}:28: question days: relevant names an unknown question: hungri"]

    def test_condition_compares_with_a_code_that_does_not_exist(self, tmp_path: Path) -> None:
        path, problems = broken(tmp_path, "'hungry == \"yes\"'", "'hungry == \"Yes\"'")
        assert problems == [
            f"{path}:28: question days: relevant compares hungry with 'Yes', "
            "which is not one of 'yes', 'no'"
        ]

    def test_condition_syntax_error(self, tmp_path: Path) -> None:
        path, problems = broken(tmp_path, "'hungry == \"yes\"'", "'hungry =='")
        assert problems == [
            f"{path}:28: question days: relevant: not a valid expression (invalid syntax)"
        ]

    def test_skip_logic_may_not_read_a_later_question(self, tmp_path: Path) -> None:
        path, problems = broken(
            tmp_path, 'label.en = "Hungry?"', 'label.en = "Hungry?"\nrelevant = "days > 2"'
        )
        assert problems == [
            f"{path}:21: question hungry: relevant reads days, which is not asked before this "
            "question; skip logic may only use earlier answers"
        ]

    def test_choice_list_does_not_exist(self, tmp_path: Path) -> None:
        path, problems = broken(
            tmp_path, 'type = "yes_no"', 'type = "single"\nchoices = "frequency"'
        )
        assert problems == [f"{path}:20: question hungry: choice list 'frequency' does not exist"]

    def test_missing_english_label(self, tmp_path: Path) -> None:
        path, problems = broken(tmp_path, 'label.en = "Hungry?"', 'label.zu = "Ulambile?"')
        assert problems == [f"{path}:20: question hungry: missing English label (label.en)"]

    def test_bad_type(self, tmp_path: Path) -> None:
        path, problems = broken(tmp_path, 'type = "yes_no"', 'type = "yesno"')
        assert problems == [
            f"{path}:19: question hungry: type 'yesno' is not one of single, multiple, yes_no, "
            "integer, decimal, date, text, note"
        ]

    def test_bad_domain(self, tmp_path: Path) -> None:
        path, problems = broken(tmp_path, 'domain = "nutrition"', 'domain = "food"')
        assert len(problems) == 1
        assert problems[0].startswith(f"{path}:14: section food: domain 'food' is not one of")

    def test_min_larger_than_max(self, tmp_path: Path) -> None:
        path, problems = broken(tmp_path, "min = 0", "min = 40")
        assert problems == [f"{path}:26: question days: min is larger than max"]

    def test_decimal_needs_a_unit(self, tmp_path: Path) -> None:
        path, problems = broken(tmp_path, 'type = "integer"', 'type = "decimal"')
        assert problems == [f"{path}:23: question days: a decimal question needs a unit"]

    def test_constraint_needs_a_message(self, tmp_path: Path) -> None:
        path, problems = broken(tmp_path, "max = 30", 'max = 30\nconstraint = "days < 20"')
        assert problems == [
            f"{path}:23: question days: constraint and constraint_message go together"
        ]

    def test_unknown_language(self, tmp_path: Path) -> None:
        path, problems = broken(
            tmp_path, 'label.en = "Hungry?"', 'label.en = "Hungry?"\nlabel.xx = "?"'
        )
        assert len(problems) == 1
        assert problems[0].startswith(f"{path}:20: question hungry: label.xx: unknown language")

    def test_derived_value_names_unknown_question(self, tmp_path: Path) -> None:
        text = BASE.replace(
            "[[sections]]",
            '[derived.total]\nexpr = "sum_of(days, weeks)"\nlabel.en = "Total"\n\n[[sections]]',
        )
        path = write(tmp_path, text)
        assert [str(p) for p in check([path])] == [
            f"{path}:13: derived total: expr names an unknown question: weeks"
        ]

    def test_not_toml(self, tmp_path: Path) -> None:
        path, problems = broken(tmp_path, 'label.en = "Hungry?"', 'label.en = "Hungry?')
        assert len(problems) == 1
        assert problems[0].startswith(f"{path}:20: not valid TOML: ")

    def test_unreadable_file(self, tmp_path: Path) -> None:
        path = tmp_path / "absent.toml"
        assert [str(p) for p in check([path])] == [
            f"{path}:1: cannot read the file: No such file or directory"
        ]

    def test_same_instrument_id_in_two_files(self, tmp_path: Path) -> None:
        first = write(tmp_path, BASE, "a.toml")
        second = write(tmp_path, BASE, "b.toml")
        assert [str(p) for p in check([first, second])] == [
            f"{second}:1: instrument id 'mini' is also used by {first}"
        ]


class TestInstrumentError:
    def test_every_problem_is_collected(self, tmp_path: Path) -> None:
        """One broken file reports all its problems at once, sorted by line."""
        text = BASE.replace('type = "yes_no"', 'type = "yesno"').replace(
            'domain = "nutrition"', 'domain = "food"'
        )
        path = write(tmp_path, text)
        with pytest.raises(InstrumentError) as caught:
            load_instrument(path)
        lines = [p.line for p in caught.value.problems]
        assert lines == [14, 19]
        assert all(isinstance(p, Problem) and p.path == str(path) for p in caught.value.problems)
        assert str(caught.value).splitlines()[1].startswith(f"{path}:14: ")

    def test_load_all_refuses_a_directory_with_a_broken_file(self, tmp_path: Path) -> None:
        write(tmp_path, BASE, "good.toml")
        write(tmp_path, BASE.replace('id = "mini"', 'id = "other"').replace("min = 0", "min = x"))
        with pytest.raises(InstrumentError) as caught:
            load_all(tmp_path)
        assert [p.line for p in caught.value.problems] == [26]
        assert "not valid TOML" in caught.value.problems[0].message
