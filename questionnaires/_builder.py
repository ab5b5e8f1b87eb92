"""Building an Instrument from parsed TOML, collecting every problem (a helper of the loader)."""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable

from questionnaires._questions import ID_PATTERN as _ID
from questionnaires._questions import QuestionBuilder
from questionnaires.conditions import FUNCTIONS, Condition, ConditionError, parse
from questionnaires.errors import Problem
from questionnaires.model import (
    DOMAINS,
    FACT_NAMES,
    LANGUAGES,
    RESPONDENTS,
    Choice,
    Derived,
    Instrument,
    Licence,
    Notice,
    Section,
    Text,
)
from questionnaires.sourcemap import SourceMap

TOP_KEYS = {"id", "version", "respondent", "title", "description", "notices", "choices"}
TOP_KEYS |= {"derived", "sections", "licence"}
NOTICE_KEYS = {"scale", "name", "source", "text"}
CHOICE_KEYS = {"code", "label", "exclusive"}
DERIVED_KEYS = {"expr", "label"}
SECTION_KEYS = {"id", "title", "domain", "intro", "scale", "questions"}
LICENCE_KEYS = {"holder", "permission", "note"}

_CODE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")


class Builder:
    """Builds an :class:`Instrument` from parsed TOML, collecting problems instead of stopping."""

    def __init__(self, path: str, source: SourceMap) -> None:
        self.path = path
        self.src = source
        self.problems: list[Problem] = []
        self.choice_lists: dict[str, tuple[Choice, ...]] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def unknown_keys(
        self,
        table: dict[str, object],
        allowed: set[str],
        where: str,
        line: int | Callable[[str], int],
    ) -> None:
        """Report each key not in ``allowed``, at its own line when ``line`` can find it."""
        for key in table:
            if key not in allowed:
                at = line(key) if callable(line) else line
                self.problem(at, f"{where}unknown key {key!r}")

    def text(
        self, value: object, owner: str, key: str, line: int, required: bool = True
    ) -> Text | None:
        """A per-language text table such as ``label.en = "..."``; problems name ``key``."""
        if value is None:
            if required:
                self.problem(line, f"{owner}: missing English label ({key}.en)")
            return None
        if not isinstance(value, dict):
            self.problem(line, f'{owner}: write {key} per language, e.g. {key}.en = "..."')
            return None
        pairs: list[tuple[str, str]] = []
        for lang, text in value.items():
            if lang not in LANGUAGES:
                known = ", ".join(LANGUAGES)
                self.problem(line, f"{owner}: {key}.{lang}: unknown language (use one of {known})")
            elif not isinstance(text, str) or not text.strip():
                self.problem(line, f"{owner}: {key}.{lang} must be non-empty text")
            else:
                pairs.append((lang, text.strip()))
        if "en" not in value:
            self.problem(line, f"{owner}: missing English label ({key}.en)")
            return None
        return Text(tuple(pairs))

    def build(self, data: dict[str, object]) -> Instrument | None:
        self.unknown_keys(data, TOP_KEYS, "", self.src.top_key)
        ident = self.top_string(data, "id", _ID)
        version = self.top_string(data, "version", _VERSION)
        respondent = self.top_string(data, "respondent")
        if respondent is not None and respondent not in RESPONDENTS:
            line = self.src.top_key("respondent")
            self.problem(line, f"unknown respondent {respondent!r} ({', '.join(RESPONDENTS)})")
        title = self.text(data.get("title"), "instrument", "title", self.src.top_key("title"))
        notices = self.build_notices(data.get("notices", []))
        licence = self.build_licence(data.get("licence"))
        self.build_choice_lists(data.get("choices", {}))
        raw_sections = data.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            self.problem(self.src.top_key("sections"), "an instrument needs [[sections]]")
            raw_sections = []
        questions = QuestionBuilder(self)
        sections = self.build_sections(raw_sections, {n.scale for n in notices}, questions)
        derived = self.build_derived(data.get("derived", {}), sections)
        questions.check_conditions(sections, derived)
        if None in (ident, version, respondent, title):
            return None
        return Instrument(
            id=str(ident),
            version=str(version),
            respondent=str(respondent),
            title=title,  # type: ignore[arg-type]
            path=self.path,
            sections=tuple(sections),
            choice_lists=tuple(self.choice_lists.items()),
            derived=derived,
            notices=tuple(notices),
            licence=licence,
        )

    def top_string(
        self, data: dict[str, object], key: str, pattern: re.Pattern[str] | None = None
    ) -> str | None:
        value = data.get(key)
        line = self.src.top_key(key)
        if value is None:
            self.problem(line, f"missing {key!r}")
        elif not isinstance(value, str) or (pattern is not None and not pattern.match(value)):
            self.problem(line, f"{key} {value!r} is not valid")
        else:
            return value
        return None

    def build_notices(self, raw: object) -> list[Notice]:
        notices: list[Notice] = []
        if not isinstance(raw, list):
            self.problem(self.src.top_key("notices"), "notices must be [[notices]] tables")
            return notices
        for index, item in enumerate(raw):
            line = self.src.array_item("notices", index)
            if not isinstance(item, dict):
                self.problem(line, "a notice must be a table")
                continue
            self.unknown_keys(item, NOTICE_KEYS, "notice: ", line)
            text = self.text(item.get("text"), "notice", "text", line)
            fields = [item.get(k) for k in ("scale", "name", "source")]
            if not all(isinstance(f, str) and f for f in fields):
                self.problem(line, "a notice needs scale, name and source")
            elif text is not None:
                notices.append(Notice(*fields, text=text))  # type: ignore[arg-type]
        return notices

    def build_licence(self, raw: object) -> Licence | None:
        if raw is None:
            return None
        line = self.src.top_key("licence")
        if not isinstance(raw, dict) or not all(
            isinstance(raw.get(k), str) and raw.get(k) for k in ("holder", "permission")
        ):
            self.problem(line, "licence needs holder and permission (who allowed us, and how)")
            return None
        self.unknown_keys(raw, LICENCE_KEYS, "licence: ", line)
        return Licence(raw["holder"], raw["permission"], str(raw.get("note", "")))

    def build_choice_lists(self, raw: object) -> None:
        if not isinstance(raw, dict):
            self.problem(self.src.top_key("choices"), "choices must be a table of lists")
            return
        for name, items in raw.items():
            line = self.src.table_entry("choices", name)
            if not isinstance(items, list) or not items:
                self.problem(line, f"choice list {name}: must be a non-empty list of choices")
                continue
            choices: list[Choice] = []
            for item in items:
                choice = self.build_choice(name, item, line)
                if choice is not None:
                    if any(c.code == choice.code for c in choices):
                        self.problem(line, f"choice list {name}: duplicate code {choice.code!r}")
                    choices.append(choice)
            if len({type(c.code) for c in choices}) > 1:
                self.problem(line, f"choice list {name}: codes mix numbers and text")
            self.choice_lists[name] = tuple(choices)

    def build_choice(self, name: str, item: object, list_line: int) -> Choice | None:
        if not isinstance(item, dict):
            self.problem(list_line, f"choice list {name}: each choice must be a table")
            return None
        code = item.get("code")
        pattern = rf"""code\s*=\s*["']?{re.escape(str(code))}\b"""
        line = self.src.table_entry("choices", name, pattern)
        self.unknown_keys(item, CHOICE_KEYS, f"choice list {name}: ", line)
        valid_code = (isinstance(code, str) and _CODE.match(code)) or (
            isinstance(code, int) and not isinstance(code, bool) and code >= 0
        )
        if not valid_code:
            self.problem(line, f"choice list {name}: code {code!r} must be snake_case or 0, 1, 2")
            return None
        label = self.text(item.get("label"), f"choice list {name}: {code}", "label", line)
        exclusive = item.get("exclusive", False)
        if not isinstance(exclusive, bool):
            self.problem(line, f"choice list {name}: exclusive must be true or false")
        return Choice(code, label, exclusive is True) if label else None  # type: ignore[arg-type]

    def build_sections(
        self, raw: list[object], scales: set[str], questions: QuestionBuilder
    ) -> list[Section]:
        sections: list[Section] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(raw):
            line = self.src.section(index)
            if not isinstance(item, dict):
                self.problem(line, "a section must be a table")
                continue
            sid = item.get("id")
            self.unknown_keys(
                item,
                SECTION_KEYS,
                f"section {sid}: ",
                lambda k, i=index: self.src.section(i, "", k),
            )
            if not isinstance(sid, str) or not _ID.match(sid):
                self.problem(line, f"section id {sid!r} must be snake_case")
                sid = f"section_{index + 1}"
            elif sid in seen:
                self.problem(line, f"section {sid}: duplicate id (first used on line {seen[sid]})")
            seen.setdefault(sid, line)
            domain = item.get("domain")
            if domain not in DOMAINS:
                where = self.src.section(index, sid, "domain")
                self.problem(where, f"section {sid}: domain {domain!r} is not one of {DOMAINS}")
            scale = item.get("scale")
            if scale is not None and scale not in scales:
                where = self.src.section(index, sid, "scale")
                self.problem(where, f"section {sid}: scale {scale!r} has no [[notices]] entry")
            title = self.text(item.get("title"), f"section {sid}", "title", line)
            intro = self.text(item.get("intro"), f"section {sid}", "intro", line, False)
            raw_questions = item.get("questions")
            if not isinstance(raw_questions, list) or not raw_questions:
                self.problem(line, f"section {sid}: has no [[sections.questions]]")
                raw_questions = []
            built = questions.build_many(sid, raw_questions)
            if title is not None:
                sections.append(
                    Section(sid, title, str(domain), tuple(built), intro, scale)  # type: ignore[arg-type]
                )
        return sections

    def build_derived(self, raw: object, sections: list[Section]) -> tuple[Derived, ...]:
        if not isinstance(raw, dict):
            self.problem(self.src.top_key("derived"), "derived must be [derived.NAME] tables")
            return ()
        question_ids = {q.id for s in sections for q in s.questions}
        known = set(question_ids) | set(raw) | set(FACT_NAMES)
        out: list[Derived] = []
        for name, item in raw.items():
            line = self.src.table_entry("derived", name)
            if not isinstance(item, dict):
                self.problem(line, f"derived {name}: must be a table with expr and label")
                continue
            self.unknown_keys(item, DERIVED_KEYS, f"derived {name}: ", line)
            if not _ID.match(name) or keyword.iskeyword(name) or name in FUNCTIONS:
                self.problem(line, f"derived name {name!r} must be snake_case and not a keyword")
            if name in question_ids or name in FACT_NAMES:
                self.problem(line, f"derived {name}: the name is already a question or a fact")
            label = self.text(item.get("label"), f"derived {name}", "label", line)
            expr_line = self.src.table_entry("derived", name, r"^\s*expr\s*=")
            condition = self.condition(item.get("expr"), known, expr_line, f"derived {name}: expr")
            if condition is not None and label is not None:
                out.append(Derived(name, condition, label, line))
        self.check_cycles(out)
        return tuple(out)

    def condition(self, source: object, known: set[str], line: int, where: str) -> Condition | None:
        if source is None:
            self.problem(line, f"{where} is missing")
            return None
        try:
            condition = parse(source)  # type: ignore[arg-type]
        except ConditionError as exc:
            self.problem(line, f"{where}: {exc.message}")
            return None
        unknown = sorted(condition.names - known)
        if unknown:
            self.problem(line, f"{where} names an unknown question: {', '.join(unknown)}")
            return None
        return condition

    def check_cycles(self, derived: list[Derived]) -> None:
        graph = {d.name: {n for n in d.expression.names if n != d.name} for d in derived}
        for d in derived:
            if d.name in d.expression.names:
                self.problem(d.line, f"derived {d.name}: depends on itself")
                continue
            stack, seen = list(graph[d.name]), set()
            while stack:
                name = stack.pop()
                if name == d.name:
                    self.problem(d.line, f"derived {d.name}: depends on itself through others")
                    break
                if name in graph and name not in seen:
                    seen.add(name)
                    stack.extend(graph[name])
