"""Translation files: exporting an instrument's strings, importing a translator's work, merging it."""

from __future__ import annotations

import glob
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from questionnaires.errors import InstrumentError, Problem
from questionnaires.model import LANGUAGE_NAMES, LANGUAGES, Instrument, Text

__all__ = [
    "LANGUAGE_NAMES",
    "ImportReport",
    "StringEntry",
    "export_strings",
    "import_strings",
    "merge_translations",
    "string_entries",
    "translation_path",
]

#: The keys a translation entry may hold: the English it was made from, and the translation.
ENTRY_KEYS = {"en", "text"}
_HEADER = re.compile(r"""^\s*\[\s*["']([^"']+)["']\s*\]""")
_QUESTION_TEXTS = ("hint", "say", "constraint_message", "disclosure")


@dataclass(frozen=True)
class StringEntry:
    """One translatable text: its stable key, the text itself, and where it is used."""

    key: str
    text: Text
    where: str
    scale: str | None = None


def translation_path(instrument_path: Path | str, lang: str) -> Path:
    """Where the ``lang`` translation of the instrument at ``instrument_path`` lives."""
    path = Path(instrument_path)
    return path.with_name(f"{path.stem}.{lang}.toml")


def string_entries(instrument: Instrument) -> list[StringEntry]:
    """Every translatable text of ``instrument`` in form order, each under a stable key."""
    out = [StringEntry("instrument.title", instrument.title, "title of the form")]
    for notice in instrument.notices:
        where = f"notice of {notice.name}"
        out.append(StringEntry(f"notice.{notice.scale}.text", notice.text, where, notice.scale))
    for section in instrument.sections:
        place = f"section {section.id}"
        out.append(StringEntry(f"section.{section.id}.title", section.title, place, section.scale))
        if section.intro is not None:
            key = f"section.{section.id}.intro"
            out.append(StringEntry(key, section.intro, f"{place}, introduction", section.scale))
        for q in section.questions:
            where = f"{place}, question {q.id}"
            out.append(StringEntry(f"question.{q.id}.label", q.label, where, section.scale))
            for n, variant in enumerate(q.variants, start=1):
                key = f"question.{q.id}.variants.{n}.label"
                when = f"{where}, wording when {variant.when.source}"
                out.append(StringEntry(key, variant.label, when, section.scale))
            for name in _QUESTION_TEXTS:
                text = getattr(q, name)
                if text is not None:
                    key = f"question.{q.id}.{name}"
                    out.append(StringEntry(key, text, f"{where}, {name}", section.scale))
    for name, choices in instrument.choice_lists:
        for choice in choices:
            where = f"answer option {choice.code!r} of choice list {name}"
            out.append(StringEntry(f"choice.{name}.{choice.code}.label", choice.label, where))
    for derived in instrument.derived:
        where = f"name of the computed value {derived.name}"
        out.append(StringEntry(f"derived.{derived.name}.label", derived.label, where))
    return out


def _raw_slots(data: dict[str, object]) -> Iterator[tuple[str, dict[str, object]]]:
    """The same keys as :func:`string_entries`, over a file's parsed TOML, each with the
    per-language table (e.g. ``{"en": ...}``) a translation goes into. Malformed parts are
    skipped here; the loader reports them."""

    def table(owner: object, name: str) -> dict[str, object] | None:
        value = owner.get(name) if isinstance(owner, dict) else None
        return value if isinstance(value, dict) else None

    def items(owner: object, name: str) -> list[dict[str, object]]:
        value = owner.get(name) if isinstance(owner, dict) else None
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    if (slot := table(data, "title")) is not None:
        yield "instrument.title", slot
    for notice in items(data, "notices"):
        if (slot := table(notice, "text")) is not None:
            yield f"notice.{notice.get('scale')}.text", slot
    for section in items(data, "sections"):
        sid = section.get("id")
        for name in ("title", "intro"):
            if (slot := table(section, name)) is not None:
                yield f"section.{sid}.{name}", slot
        for question in items(section, "questions"):
            qid = question.get("id")
            if (slot := table(question, "label")) is not None:
                yield f"question.{qid}.label", slot
            for n, variant in enumerate(items(question, "variants"), start=1):
                if (slot := table(variant, "label")) is not None:
                    yield f"question.{qid}.variants.{n}.label", slot
            for name in _QUESTION_TEXTS:
                if (slot := table(question, name)) is not None:
                    yield f"question.{qid}.{name}", slot
    for name, choices in (table(data, "choices") or {}).items():
        for choice in choices if isinstance(choices, list) else []:
            if (slot := table(choice, "label")) is not None:
                yield f"choice.{name}.{choice.get('code')}.label", slot
    for name, derived in (table(data, "derived") or {}).items():
        if (slot := table(derived, "label")) is not None:
            yield f"derived.{name}.label", slot


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string (JSON's escapes are valid TOML; DEL is not allowed raw)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _comment(text: str) -> str:
    return " ".join(text.split())


def _write(instrument: Instrument, lang: str, entries: list[tuple[str, str, str]]) -> list[str]:
    """The head of a strings file and its ``(key, en, text)`` entries, as lines."""
    lines = [
        f"instrument = {_toml_string(instrument.id)}",
        f"version = {_toml_string(instrument.version)}",
        f"lang = {_toml_string(lang)}",
    ]
    for key, en, text in entries:
        lines += ["", f"[{_toml_string(key)}]", f"en = {_toml_string(en)}"]
        lines.append(f"text = {_toml_string(text)}")
    return lines


def export_strings(instrument: Instrument, lang: str) -> str:
    """A TOML file for a translator: one entry per text, with its English and an empty ``text``
    (or the translation the instrument already has) to fill in ``lang``."""
    title = instrument.title.get("en")
    head = [
        f"# Strings of the questionnaire {_comment(title)!r} ({instrument.id} {instrument.version})",
        f"# to translate from English (en) into {LANGUAGE_NAMES.get(lang, lang)} ({lang}).",
        "#",
        "# For each entry, write the translation between the quotes of `text`. Leave `text` empty",
        "# when you have no translation; the form then shows English there. Do not change the keys",
        "# in [brackets] or the `en` lines: they say which English the translation was made from.",
        "# Keep (name) as it is: the screen replaces it with the child's name. Do not use machine",
        "# translation. Entries marked 'published scale' take only the licensor's official wording.",
        "# Then run: cwtt questionnaires strings import --lang " + lang + " THIS-FILE",
    ]
    lines = [*head, *_write(instrument, lang, [])]
    for entry in string_entries(instrument):
        existing = dict(entry.text.values).get(lang, "")
        note = f"# {entry.where}" + (f" (published scale {entry.scale})" if entry.scale else "")
        lines += ["", _comment(note), f"[{_toml_string(entry.key)}]"]
        lines += [f"en = {_toml_string(entry.text.get('en'))}", f"text = {_toml_string(existing)}"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ImportReport:
    """What an import did: each tuple holds string keys, in form order where known."""

    lang: str
    imported: tuple[str, ...]
    kept: tuple[str, ...]
    missing: tuple[str, ...]
    unknown: tuple[str, ...]
    stale: tuple[str, ...]
    conflicts: tuple[str, ...]
    translated: int
    total: int

    def lines(self) -> list[str]:
        """The report as plain sentences, one kind of gap per block."""
        out = [
            f"{_count(len(self.imported), 'new or changed translation')}; {self.translated} of "
            f"{self.total} strings are now translated into {self.lang}."
        ]
        blocks = (
            (self.missing, "still missing (the form shows English there)"),
            (self.unknown, "unknown, ignored (export the strings again to get today's keys)"),
            (self.stale, "not imported: the English changed after export; translate it again"),
            (self.conflicts, "not imported: the instrument file itself holds another translation"),
        )
        for keys, what in blocks:
            if keys:
                out.append(f"{_count(len(keys), 'string')} {what}:")
                out += [f"  {key}" for key in keys]
        return out


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _parse(text: str, source: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else 1
        message = str(exc).split(" (at ")[0]
        raise InstrumentError([Problem(source, line, f"not valid TOML: {message}")]) from None


def _read_entries(
    data: dict[str, object], lines: dict[str, int], source: str
) -> tuple[dict[str, tuple[str, str]], list[Problem]]:
    """``key -> (en, text)`` of a strings file's entries, and a problem for each malformed one."""
    entries: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        if key in ("instrument", "version", "lang"):
            continue
        line = lines.get(key, 1)
        if not isinstance(value, dict):
            problems.append(Problem(source, line, f'{key}: write each entry as a ["key"] table'))
            continue
        extra = sorted(set(value) - ENTRY_KEYS)
        if extra:
            problems.append(Problem(source, line, f"{key}: unknown field {extra[0]!r}"))
        en, text = value.get("en", ""), value.get("text", "")
        if not isinstance(en, str) or not isinstance(text, str):
            problems.append(Problem(source, line, f"{key}: en and text must be text in quotes"))
            continue
        entries[key] = (en, text.strip())
    return entries, problems


def _head_problems(
    data: dict[str, object], instrument_id: str, lang: str, source: str, text: str
) -> list[Problem]:
    problems = []
    for field, wanted in (("instrument", instrument_id), ("lang", lang)):
        if data.get(field) != wanted:
            line = next((n for n, s in enumerate(text.splitlines(), 1) if s.startswith(field)), 1)
            found = data.get(field)
            problems.append(Problem(source, line, f"{field} is {found!r}, expected {wanted!r}"))
    return problems


def _header_lines(text: str) -> dict[str, int]:
    return {
        m.group(1): n for n, s in enumerate(text.splitlines(), start=1) if (m := _HEADER.match(s))
    }


def merge_translations(path: Path, data: dict[str, object]) -> list[Problem]:
    """Add the translations in ``<stem>.<lang>.toml`` files beside ``path`` to its parsed TOML
    ``data`` (as ``label.<lang>`` and so on), returning a problem for anything wrong in them."""
    problems: list[Problem] = []
    slots = dict(_raw_slots(data))
    for file in sorted(path.parent.glob(f"{glob.escape(path.stem)}.*.toml")):
        lang, source = file.name[len(path.stem) + 1 : -len(".toml")], str(file)
        if lang not in LANGUAGES or lang == "en":
            known = ", ".join(code for code in LANGUAGES if code != "en")
            problems.append(Problem(source, 1, f"{lang!r} is not a language code ({known})"))
            continue
        try:
            text = file.read_text(encoding="utf-8")
            parsed = _parse(text, source)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(source, 1, f"cannot read the file: {exc}"))
            continue
        except InstrumentError as exc:
            problems.extend(exc.problems)
            continue
        problems += _head_problems(parsed, str(data.get("id")), lang, source, text)
        lines = _header_lines(text)
        entries, found = _read_entries(parsed, lines, source)
        problems += found
        for key, (_en, translated) in entries.items():
            line = lines.get(key, 1)
            if key not in slots:
                message = f"{key}: {path.name} has no such text; remove this entry"
                problems.append(Problem(source, line, message))
            elif translated and slots[key].get(lang, translated) != translated:
                message = f"{key}: {path.name} itself holds another {lang} text; keep only one"
                problems.append(Problem(source, line, message))
            elif translated:
                slots[key][lang] = translated
    return problems


def import_strings(
    instrument_path: Path | str, strings_text: str, lang: str, source: str = "<strings>"
) -> tuple[str, ImportReport]:
    """Read a translator's strings file for the instrument at ``instrument_path``.

    Returns the new text of ``translation_path(instrument_path, lang)`` (every translation
    already there plus the new ones; an empty ``text`` never removes one) and the report.

    Raises:
        InstrumentError: the instrument or the strings file is invalid, or the strings file
            is for another instrument or language.
    """
    # Imported here: the loader itself imports this module to merge translation files.
    from questionnaires.loader import load_instrument

    path = Path(instrument_path)
    instrument = load_instrument(path)
    data = _parse(strings_text, source)
    problems = _head_problems(data, instrument.id, lang, source, strings_text)
    filled, found = _read_entries(data, _header_lines(strings_text), source)
    if problems or found:
        raise InstrumentError([*problems, *found])
    inline = {
        key: slot.get(lang)
        for key, slot in _raw_slots(tomllib.loads(path.read_text(encoding="utf-8")))
    }
    installed: dict[str, tuple[str, str]] = {}
    existing = translation_path(path, lang)
    if existing.exists():
        installed, _ = _read_entries(tomllib.loads(existing.read_text(encoding="utf-8")), {}, "")
    entries = string_entries(instrument)
    result: dict[str, tuple[str, str]] = {}
    imported, kept, missing, stale, conflicts = [], [], [], [], []
    for entry in entries:
        key, en = entry.key, entry.text.get("en")
        inline_text = inline.get(key)
        en_given, text = filled.get(key, (en, ""))
        if key in installed and installed[key][1]:
            result[key] = installed[key]
        if not text or text == inline_text:
            pass
        elif en_given != en:
            stale.append(key)
        elif inline_text is not None:
            conflicts.append(key)
        else:
            (kept if result.get(key, ("", ""))[1] == text else imported).append(key)
            result[key] = (en, text)
        if key not in result and not inline_text and key not in stale + conflicts:
            missing.append(key)
    known = {entry.key for entry in entries}
    report = ImportReport(
        lang=lang,
        imported=tuple(imported),
        kept=tuple(kept),
        missing=tuple(missing),
        unknown=tuple(key for key in filled if key not in known),
        stale=tuple(stale),
        conflicts=tuple(conflicts),
        translated=sum(1 for e in entries if e.key in result or inline.get(e.key)),
        total=len(entries),
    )
    head = [
        f"# {instrument.id} in {lang}: made by `cwtt questionnaires strings import`; the loader",
        "# merges it into the instrument. Each `en` is the English the translation was made from.",
    ]
    body = _write(
        instrument, lang, [(k, *result[k]) for k in (e.key for e in entries) if k in result]
    )
    return "\n".join([*head, *body]) + "\n", report
