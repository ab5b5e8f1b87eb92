"""The catalogue of suggested actions: which actions a flagged domain calls for, as data.

The shipped file is ``questionnaires/actions/catalogue.toml``; a coordinator may edit a copy.
Every problem is reported as ``file:line: what is wrong``, as for the instrument files.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from questionnaires.errors import Problem
from questionnaires.model import DOMAINS, LANGUAGES, Text
from questionnaires.sourcemap import SourceMap

__all__ = [
    "CATALOGUE_FILE",
    "DEPARTMENTS",
    "LEVELS",
    "Catalogue",
    "CatalogueError",
    "Suggestion",
    "check_catalogue",
    "load_catalogue",
]

#: The shipped catalogue.
CATALOGUE_FILE = Path(__file__).parent / "actions" / "catalogue.toml"
#: Who may be responsible for an action.
DEPARTMENTS = ("Education", "Health", "Social Development", "Home Affairs", "SAPS", "NGO", "School")
#: The levels that may call for a suggestion (an incomplete domain calls for none).
LEVELS = ("high", "medium", "low")
DEFAULT_DUE_DAYS = 14
MAX_DUE_DAYS = 365
MAX_TITLE = 60

TOP_KEYS = {"version", "suggestions"}
SUGGESTION_KEYS = {
    "id", "domain", "levels", "title", "what", "department", "due_days", "today",
    "mandatory_report",
}  # fmt: skip
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOML_LINE = re.compile(r"line (\d+)")


@dataclass(frozen=True)
class Suggestion:
    """One suggested action: the domain and levels that call for it, and the text it fills in.

    ``mandatory_report`` marks the report under the Children's Act s110 (protection only).
    """

    id: str
    domain: str
    levels: tuple[str, ...]
    title: Text
    what: Text
    department: str
    due_days: int = DEFAULT_DUE_DAYS
    today: Text | None = None
    mandatory_report: bool = False


@dataclass(frozen=True)
class Catalogue:
    """Every suggestion of one file, in the file's order."""

    path: str
    version: str
    suggestions: tuple[Suggestion, ...]

    def get(self, suggestion_id: str) -> Suggestion | None:
        return next((s for s in self.suggestions if s.id == suggestion_id), None)

    def matching(self, domain: str, level: str) -> list[Suggestion]:
        """The suggestions a domain flagged at ``level`` calls for."""
        return [s for s in self.suggestions if s.domain == domain and level in s.levels]


class CatalogueError(Exception):
    """The catalogue file is invalid; ``problems`` lists each ``file:line`` problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the action catalogue:\n{lines}")


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Load and validate a catalogue file (default: the shipped one).

    Raises:
        CatalogueError: the file cannot be read, is not TOML, or has any problem.
    """
    catalogue, problems = _load(Path(path) if path else CATALOGUE_FILE)
    if problems or catalogue is None:
        raise CatalogueError(problems)
    return catalogue


def check_catalogue(path: Path | str | None = None) -> list[Problem]:
    """Every problem of a catalogue file (default: the shipped one), sorted; never raises."""
    return _load(Path(path) if path else CATALOGUE_FILE)[1]


def _load(path: Path) -> tuple[Catalogue | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return None, [Problem(str(path), 1, f"cannot read the file: {reason}")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else 1
        return None, [Problem(str(path), line, f"not valid TOML: {str(exc).split(' (at ')[0]}")]
    reader = _Reader(str(path), SourceMap(text))
    catalogue = reader.catalogue(data)
    return (None if reader.problems else catalogue), sorted(reader.problems)


class _Reader:
    """Builds a catalogue from parsed TOML, collecting problems instead of stopping."""

    def __init__(self, path: str, source: SourceMap) -> None:
        self.path = path
        self.src = source
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def catalogue(self, data: dict[str, object]) -> Catalogue:
        for key in data:
            if key not in TOP_KEYS:
                self.problem(self.src.top_key(key), f"unknown key {key!r}")
        version = data.get("version", "")
        if not isinstance(version, str) or not version.strip():
            self.problem(self.src.top_key("version"), 'give the version as text, e.g. "1"')
            version = ""
        items = data.get("suggestions")
        if not isinstance(items, list) or not items:
            self.problem(self.src.top_key("suggestions"), "add at least one [[suggestions]] table")
            return Catalogue(self.path, version, ())
        suggestions: list[Suggestion] = []
        seen: set[str] = set()
        for index, item in enumerate(items):
            suggestion = self.suggestion(index, item)
            if suggestion is None:
                continue
            if suggestion.id in seen:
                line = self.src.array_item("suggestions", index, "id")
                self.problem(line, f"suggestion id {suggestion.id!r} is used twice")
                continue
            seen.add(suggestion.id)
            suggestions.append(suggestion)
        return Catalogue(self.path, version.strip(), tuple(suggestions))

    def suggestion(self, index: int, item: object) -> Suggestion | None:
        def at(key: str | None = None) -> int:
            return self.src.array_item("suggestions", index, key)

        if not isinstance(item, dict):
            self.problem(at(), "each suggestion must be a [[suggestions]] table")
            return None
        before = len(self.problems)
        ident = item.get("id")
        if not isinstance(ident, str) or not _ID.match(ident):
            self.problem(at("id"), "give each suggestion an id in snake_case, e.g. clinic_vision")
            ident = f"#{index + 1}"
        owner = f"suggestion {ident}"
        for key in item:
            if key not in SUGGESTION_KEYS:
                self.problem(at(key), f"{owner}: unknown key {key!r}")
        domain = self.choice(item.get("domain"), DOMAINS, owner, "domain", at)
        levels = self.levels(item.get("levels"), owner, at)
        department = self.choice(item.get("department"), DEPARTMENTS, owner, "department", at)
        due_days = item.get("due_days", DEFAULT_DUE_DAYS)
        if isinstance(due_days, bool) or not isinstance(due_days, int):
            self.problem(at("due_days"), f"{owner}: due_days must be a whole number of days")
        elif not 0 <= due_days <= MAX_DUE_DAYS:
            self.problem(at("due_days"), f"{owner}: due_days must be 0 to {MAX_DUE_DAYS}")
        title = self.text(item.get("title"), owner, "title", at("title"), required=True)
        if title is not None and any(len(t) > MAX_TITLE for _, t in title.values):
            self.problem(at("title"), f"{owner}: keep the title short ({MAX_TITLE} characters)")
        what = self.text(item.get("what"), owner, "what", at("what"), required=True)
        today = self.text(item.get("today"), owner, "today", at("today"), required=False)
        report = item.get("mandatory_report", False)
        if not isinstance(report, bool):
            self.problem(at("mandatory_report"), f"{owner}: mandatory_report is true or false")
        elif report and domain != "protection":
            self.problem(at("mandatory_report"), f"{owner}: only a protection action is a report")
        if len(self.problems) > before or title is None or what is None:
            return None
        return Suggestion(
            ident, str(domain), levels, title, what, str(department), int(due_days), today,
            bool(report),
        )  # fmt: skip

    def choice(
        self,
        value: object,
        allowed: tuple[str, ...],
        owner: str,
        key: str,
        at: Callable[[str], int],
    ) -> str | None:
        if value not in allowed:
            shown = f"{value!r}" if value is not None else "nothing"
            self.problem(at(key), f"{owner}: {key} is {shown}; use one of: {', '.join(allowed)}")
            return None
        return str(value)

    def levels(self, value: object, owner: str, at: Callable[[str], int]) -> tuple[str, ...]:
        known = ", ".join(LEVELS)
        if not isinstance(value, list) or not value:
            self.problem(at("levels"), f'{owner}: list the levels that call for it, e.g. ["high"]')
            return ()
        for level in value:
            if level not in LEVELS:
                self.problem(at("levels"), f"{owner}: unknown level {level!r} (use {known})")
        if len(set(map(str, value))) != len(value):
            self.problem(at("levels"), f"{owner}: a level is listed twice")
        return tuple(str(level) for level in value)

    def text(
        self, value: object, owner: str, key: str, line: int, *, required: bool
    ) -> Text | None:
        """A per-language text such as ``what.en = "..."``; English is always needed."""
        if value is None:
            if required:
                self.problem(line, f"{owner}: missing English text ({key}.en)")
            return None
        if not isinstance(value, dict):
            self.problem(line, f'{owner}: write {key} per language, e.g. {key}.en = "..."')
            return None
        pairs = []
        for lang, text in value.items():
            if lang not in LANGUAGES:
                known = ", ".join(LANGUAGES)
                self.problem(line, f"{owner}: {key}.{lang}: unknown language (use one of {known})")
            elif not isinstance(text, str) or not text.strip():
                self.problem(line, f"{owner}: {key}.{lang} must be non-empty text")
            else:
                pairs.append((lang, " ".join(text.split())))
        if "en" not in value:
            self.problem(line, f"{owner}: missing English text ({key}.en)")
            return None
        return Text(tuple(pairs))
