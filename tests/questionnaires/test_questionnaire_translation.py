"""Translation files: export for a translator, import with a report, and the loader's merge."""

from __future__ import annotations

import json
import shutil
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.errors import InstrumentError
from questionnaires.loader import INSTRUMENTS_DIR, check, instrument_paths, load_instrument
from questionnaires.model import LANGUAGES
from questionnaires.translation import (
    export_strings,
    import_strings,
    string_entries,
    translation_path,
)

SHIPPED = {path.stem: load_instrument(path) for path in instrument_paths()}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped instruments, so imports never touch the package."""
    target = tmp_path / "instruments"
    shutil.copytree(INSTRUMENTS_DIR, target, ignore=shutil.ignore_patterns("*.*.toml"))
    return target


def fill(exported: str, texts: dict[str, str]) -> str:
    """The exported file with ``text`` filled for each key of ``texts``."""
    data = tomllib.loads(exported)
    out = exported
    for key, text in texts.items():
        en = data[key]["en"]
        block = f'["{key}"]\nen = {_quoted(en)}\ntext = ""'
        assert block in out, key
        out = out.replace(block, f'["{key}"]\nen = {_quoted(en)}\ntext = {_quoted(text)}', 1)
    return out


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED))
def test_export_lists_every_text_with_its_english(instrument_id: str) -> None:
    instrument = SHIPPED[instrument_id]
    data = tomllib.loads(export_strings(instrument, "zu"))
    assert (data["instrument"], data["version"], data["lang"]) == (
        instrument.id,
        instrument.version,
        "zu",
    )
    entries = string_entries(instrument)
    assert [k for k in data if "." in k] == [e.key for e in entries]
    for entry in entries:
        assert data[entry.key] == {"en": entry.text.get("en"), "text": ""}
    questions = {e.key for e in entries if e.key.startswith("question.")}
    assert {f"question.{q.id}.label" for q in instrument.questions} <= questions


def test_published_scale_entries_say_so() -> None:
    exported = export_strings(SHIPPED["caregiver"], "st")
    assert '# section psc17, question psc_1 (published scale psc17)\n["question.psc_1.label"]' in (
        exported
    )
    assert "Do not use machine\n# translation." in exported


def test_fill_two_import_reports_the_rest_missing_and_unknown_keys(folder: Path) -> None:
    path = folder / "caregiver.toml"
    instrument = load_instrument(path)
    filled = fill(
        export_strings(instrument, "zu"),
        {"question.psc_1.label": "Uyanyakaza", "choice.yes_no.yes.label": "Yebo"},
    )
    filled += '\n["question.gone.label"]\nen = "Gone"\ntext = "Akekho"\n'
    new_text, report = import_strings(path, filled, "zu")
    keys = [e.key for e in string_entries(instrument)]
    assert report.imported == ("question.psc_1.label", "choice.yes_no.yes.label")
    assert report.missing == tuple(k for k in keys if k not in report.imported)
    assert report.unknown == ("question.gone.label",)
    assert (report.translated, report.total) == (2, len(keys))
    assert report.lines()[0] == (
        f"2 new or changed translations; 2 of {len(keys)} strings are now translated into zu."
    )
    assert "  question.gone.label" in report.lines()
    written = tomllib.loads(new_text)
    assert [k for k in written if "." in k] == ["question.psc_1.label", "choice.yes_no.yes.label"]

    translation_path(path, "zu").write_text(new_text, encoding="utf-8")
    merged = load_instrument(path)
    assert merged.question("psc_1").label.get("zu") == "Uyanyakaza"
    assert merged.question("hhs_1").choices[0].label.get("zu") == "Yebo"
    assert merged.question("psc_2").label.get("zu") == "Feels sad, unhappy"  # English fallback
    for before, after in zip(string_entries(instrument), string_entries(merged), strict=True):
        assert after.text.get("en") == before.text.get("en")


def test_an_empty_text_never_removes_an_installed_translation(folder: Path) -> None:
    path = folder / "teacher.toml"
    first, _ = import_strings(
        path, fill(export_strings(load_instrument(path), "st"), {"instrument.title": "X"}), "st"
    )
    translation_path(path, "st").write_text(first, encoding="utf-8")
    blank = export_strings(load_instrument(path), "st").replace('text = "X"', 'text = ""')
    again, report = import_strings(path, blank, "st")
    assert tomllib.loads(again)["instrument.title"]["text"] == "X"
    assert report.imported == () and "instrument.title" not in report.missing


def test_a_translation_of_changed_english_is_not_imported(folder: Path) -> None:
    path = folder / "teacher.toml"
    exported = export_strings(load_instrument(path), "zu")
    stale = fill(exported, {"instrument.title": "Ingxoxo"}).replace(
        'en = "Teacher interview"', 'en = "Teacher questionnaire"', 1
    )
    new_text, report = import_strings(path, stale, "zu")
    assert report.stale == ("instrument.title",)
    assert "instrument.title" not in tomllib.loads(new_text)


def test_a_file_for_another_language_or_instrument_is_refused(folder: Path) -> None:
    exported = export_strings(load_instrument(folder / "child.toml"), "zu")
    with pytest.raises(InstrumentError) as raised:
        import_strings(folder / "teacher.toml", exported, "st", source="zu.toml")
    assert [str(p) for p in raised.value.problems] == [
        "zu.toml:10: instrument is 'child', expected 'teacher'",
        "zu.toml:12: lang is 'zu', expected 'st'",
    ]


def test_the_loader_reports_a_bad_translation_file_at_its_line(folder: Path) -> None:
    path = folder / "teacher.toml"
    good, _ = import_strings(
        path, fill(export_strings(load_instrument(path), "zu"), {"instrument.title": "I"}), "zu"
    )
    broken = good + '\n["question.gone.label"]\nen = "x"\ntext = "y"\n'
    translation_path(path, "zu").write_text(broken, encoding="utf-8")
    (folder / "teacher.xx.toml").write_text("", encoding="utf-8")
    line = broken.splitlines().index('["question.gone.label"]') + 1
    assert [str(p) for p in check([path])] == [
        f"{folder}/teacher.xx.toml:1: 'xx' is not a language code "
        "(af, zu, xh, st, nso, tn, ts, ss, ve, nr)",
        f"{folder}/teacher.zu.toml:{line}: question.gone.label: teacher.toml has no such text; "
        "remove this entry",
    ]
    assert [p.name for p in instrument_paths(folder)] == [
        "caregiver.toml",
        "child.toml",
        "health.toml",
        "teacher.toml",
    ]


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED))
def test_every_exported_key_merges(instrument_id: str, folder: Path) -> None:
    """A file with every string filled loads, and every text then has that language."""
    path = folder / f"{instrument_id}.toml"
    exported = export_strings(load_instrument(path), "nso")
    filled = exported.replace('text = ""', 'text = "T"')
    new_text, report = import_strings(path, filled, "nso")
    assert report.missing == () and report.unknown == ()
    translation_path(path, "nso").write_text(new_text, encoding="utf-8")
    merged = load_instrument(path)
    assert all(entry.text.get("nso") == "T" for entry in string_entries(merged))


@settings(max_examples=50)
@given(lang=st.sampled_from(LANGUAGES), instrument_id=st.sampled_from(sorted(SHIPPED)))
def test_export_never_raises_and_is_valid_toml(lang: str, instrument_id: str) -> None:
    exported = export_strings(SHIPPED[instrument_id], lang)
    assert tomllib.loads(exported)["lang"] == lang


@settings(max_examples=50)
@given(text=st.text(min_size=1).filter(lambda t: t.strip()))
def test_any_translation_round_trips_through_the_files(text: str) -> None:
    """Quotes, backslashes, control characters and any script survive export, import and load."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "teacher.toml"
        shutil.copy(INSTRUMENTS_DIR / "teacher.toml", path)
        filled = fill(export_strings(load_instrument(path), "af"), {"instrument.title": text})
        new_text, report = import_strings(path, filled, "af")
        assert report.imported == ("instrument.title",)
        translation_path(path, "af").write_text(new_text, encoding="utf-8")
        assert load_instrument(path).title.get("af") == text.strip()
