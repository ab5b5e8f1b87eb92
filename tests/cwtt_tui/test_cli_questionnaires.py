"""`cwtt questionnaires check|print|strings`: exit codes, exact stderr sentences, files written."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from cwtt_tui.__main__ import main
from questionnaires.loader import INSTRUMENTS_DIR

BROKEN = """\
id = "broken"
version = "1.0"
respondent = "caregiver"
title.en = "Broken"
colour = "red"

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
relevant = 'nowhere == "yes"'
"""


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped instruments (imports write beside them, never into the package)."""
    target = tmp_path / "instruments"
    shutil.copytree(INSTRUMENTS_DIR, target, ignore=shutil.ignore_patterns("*.*.toml"))
    return target


class TestCheck:
    def test_shipped_files_are_valid(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without FILE, every shipped questionnaire is checked."""
        assert run(capsys, "questionnaires", "check") == (
            0,
            "All 4 questionnaire files are valid.\n",
            "",
        )

    def test_broken_file_lists_file_line_problems_and_exits_22(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        path = tmp_path / "broken.toml"
        path.write_text(BROKEN, encoding="utf-8")
        code, out, err = run(capsys, "questionnaires", "check", path)
        assert (code, out) == (22, "")
        assert err.splitlines() == [
            f"{path}:5: unknown key 'colour'",
            f"{path}:22: question hungry: relevant names an unknown question: nowhere",
            "cwtt: 2 problems in the questionnaire files; see above.",
        ]

    def test_one_good_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        path = INSTRUMENTS_DIR / "child.toml"
        code, out, _ = run(capsys, "questionnaires", "check", path)
        assert (code, out) == (0, f"The questionnaire file {path} is valid.\n")

    def test_missing_file_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        path = tmp_path / "nothere.toml"
        assert run(capsys, "questionnaires", "check", path) == (
            2,
            "",
            f"cwtt: There is no questionnaire file {path}; check the path.\n",
        )


class TestPrint:
    def test_text_to_stdout(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, err = run(capsys, "questionnaires", "print", "caregiver")
        assert (code, err) == (0, "")
        assert out.startswith("CAREGIVER INTERVIEW\n")
        assert "[psc_1] Fidgety, unable to sit still" in out

    def test_html_to_a_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """`--out x.html` picks HTML without `--format`."""
        out_file = tmp_path / "forms" / "health.html"
        code, out, err = run(capsys, "questionnaires", "print", "health", "--out", out_file)
        assert (code, err) == (0, "")
        assert out == f"Wrote the health paper form (html, English) to {out_file}.\n"
        page = out_file.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and "height_cm" in page

    def test_text_format_wins_over_the_suffix(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        out_file = tmp_path / "teacher.html"
        args = ("questionnaires", "print", "teacher", "--format", "text", "--out", out_file)
        assert run(capsys, *args)[0] == 0
        assert out_file.read_text(encoding="utf-8").startswith("TEACHER INTERVIEW")

    def test_by_path_in_a_language(self, capsys: pytest.CaptureFixture[str]) -> None:
        path = INSTRUMENTS_DIR / "child.toml"
        code, out, _ = run(capsys, "questionnaires", "print", path, "--lang", "st")
        assert code == 0 and "Language: Sesotho (st)" in out

    def test_unknown_id_names_the_ones_that_exist(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert run(capsys, "questionnaires", "print", "parent") == (
            2,
            "",
            "cwtt: There is no questionnaire called 'parent'; "
            "the questionnaires are: caregiver, child, health, teacher.\n",
        )

    def test_unknown_language(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert run(capsys, "questionnaires", "print", "child", "--lang", "fr") == (
            2,
            "",
            "cwtt: Unknown language 'fr'; use one of en, zu, st, nso, tn, af, nr.\n",
        )

    def test_broken_instrument_exits_22(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        path = tmp_path / "broken.toml"
        path.write_text(BROKEN, encoding="utf-8")
        code, out, err = run(capsys, "questionnaires", "print", path)
        assert (code, out) == (22, "")
        assert err.endswith("cwtt: 2 problems in the questionnaire files; see above.\n")


class TestStrings:
    def test_export_fill_import_then_print(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, folder: Path
    ) -> None:
        """The translator's round trip: export, fill two texts, import, see the gaps and the form."""
        strings = tmp_path / "child-zu.toml"
        code, out, err = run(
            capsys, "questionnaires", "strings", "export", "child", "--lang", "zu",
            "--out", strings, "--instruments", folder,
        )  # fmt: skip
        assert (code, out, err) == (0, f"Wrote the child strings for isiZulu to {strings}.\n", "")
        text = strings.read_text(encoding="utf-8")
        total = sum(1 for key in tomllib.loads(text) if "." in key)
        title = tomllib.loads(text)["instrument.title"]["en"]
        text = text.replace(
            f'en = "{title}"\ntext = ""', f'en = "{title}"\ntext = "Ingxoxo nengane"', 1
        )
        text = text.replace('en = "A lot"\ntext = ""', 'en = "A lot"\ntext = "Kakhulu"', 1)
        strings.write_text(text + '\n["question.gone.label"]\nen = "x"\ntext = "y"\n', "utf-8")

        code, out, err = run(
            capsys, "questionnaires", "strings", "import", "--lang", "zu", strings,
            "--instruments", folder,
        )  # fmt: skip
        assert (code, err) == (0, "")
        lines = out.splitlines()
        assert lines[0] == (
            f"2 new or changed translations; 2 of {total} strings are now translated into zu."
        )
        assert lines[1] == f"{total - 2} strings still missing (the form shows English there):"
        assert "1 string unknown, ignored (export the strings again to get today's keys):" in lines
        assert lines[-1] == f"Installed the zu translations of child in {folder / 'child.zu.toml'}."

        code, out, _ = run(
            capsys, "questionnaires", "print", "child", "--lang", "zu", "--instruments", folder
        )
        assert code == 0 and out.startswith("INGXOXO NENGANE\n")
        assert run(capsys, "questionnaires", "check", folder / "child.zu.toml")[0] == 0

    def test_export_every_instrument_into_a_folder(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        code, out, _ = run(
            capsys, "questionnaires", "strings", "export", "--lang", "st", "--out", tmp_path
        )
        assert code == 0 and len(out.splitlines()) == 4
        assert (tmp_path / "cwtt-strings-caregiver-st.toml").is_file()

    def test_export_never_overwrites_a_translators_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        target = tmp_path / "work.toml"
        target.write_text("half done", encoding="utf-8")
        args = ("questionnaires", "strings", "export", "child", "--lang", "zu", "--out", target)
        assert run(capsys, *args) == (
            2,
            "",
            f"cwtt: {target} already exists and may hold a translator's work; "
            "move it away or add --force to replace it.\n",
        )
        assert target.read_text(encoding="utf-8") == "half done"
        assert run(capsys, *args, "--force")[0] == 0

    def test_english_is_not_a_target(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert run(capsys, "questionnaires", "strings", "export", "child", "--lang", "en") == (
            2,
            "",
            "cwtt: English is the source language and is always complete; "
            "translate into zu, st, nso, tn, af, nr.\n",
        )

    def test_import_dry_run_writes_nothing(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, folder: Path
    ) -> None:
        strings = tmp_path / "t.toml"
        run(capsys, "questionnaires", "strings", "export", "teacher", "--lang", "tn",
            "--out", strings, "--instruments", folder)  # fmt: skip
        code, out, _ = run(
            capsys, "questionnaires", "strings", "import", "--lang", "tn", strings,
            "--dry-run", "--instruments", folder,
        )  # fmt: skip
        assert code == 0
        assert out.splitlines()[-1] == (
            "Nothing written (--dry-run); the translations would go to "
            f"{folder / 'teacher.tn.toml'}."
        )
        assert not (folder / "teacher.tn.toml").exists()

    def test_import_for_the_wrong_language_exits_22(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, folder: Path
    ) -> None:
        strings = tmp_path / "t.toml"
        run(capsys, "questionnaires", "strings", "export", "teacher", "--lang", "zu",
            "--out", strings, "--instruments", folder)  # fmt: skip
        code, out, err = run(
            capsys, "questionnaires", "strings", "import", "--lang", "st", strings,
            "--instruments", folder,
        )  # fmt: skip
        assert (code, out) == (22, "")
        assert err.splitlines() == [
            f"{strings}:12: lang is 'zu', expected 'st'",
            "cwtt: 1 problem in the questionnaire files; see above.",
        ]

    def test_import_of_a_file_naming_no_questionnaire(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        strings = tmp_path / "t.toml"
        strings.write_text('lang = "zu"\n', encoding="utf-8")
        assert run(capsys, "questionnaires", "strings", "import", "--lang", "zu", strings) == (
            2,
            "",
            f"cwtt: {strings} does not say which questionnaire it translates "
            '(instrument = "..." at the top); export the strings again.\n',
        )

    def test_import_of_a_broken_file_names_its_line(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        strings = tmp_path / "t.toml"
        strings.write_text('instrument = "child"\nlang = "zu"\n["x.label"\n', encoding="utf-8")
        code, out, err = run(capsys, "questionnaires", "strings", "import", "--lang", "zu", strings)
        assert (code, out) == (22, "")
        assert err.splitlines()[0].startswith(f"{strings}:3: not valid TOML: ")
        assert err.splitlines()[1] == "cwtt: 1 problem in the questionnaire files; see above."
