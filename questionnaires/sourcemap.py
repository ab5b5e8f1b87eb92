"""Line numbers for instrument problems, found by scanning the TOML text (tomllib keeps none)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SourceMap"]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(#.*)?$")


def _key_pattern(key: str) -> re.Pattern[str]:
    quoted = re.escape(key)
    return re.compile(rf"^\s*(?:{quoted}|\"{quoted}\"|'{quoted}')\s*[.=]")


@dataclass(frozen=True)
class _Header:
    line: int
    name: str
    is_array: bool


class SourceMap:
    """Finds the line of a top-level key, a section, a question, a choice or a derived value.

    Arrays of tables keep their order in ``tomllib``'s result, so the n-th ``[[sections]]`` header
    is the n-th section and the n-th ``[[sections.questions]]`` header the n-th question. When a
    file is written another way (inline tables), the scan falls back to ``id = "..."`` lines.
    Every lookup falls back to a less precise line rather than failing; line numbers start at 1.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[_Header] = []
        for number, line in enumerate(self.lines, start=1):
            match = _HEADER.match(line)
            if match and not line.lstrip().startswith("#"):
                name = re.sub(r"\s*\.\s*", ".", match.group(2)).replace('"', "").replace("'", "")
                self.headers.append(_Header(number, name, match.group(1) == "[["))
        self.section_lines = [h.line for h in self.headers if h.is_array and h.name == "sections"]
        self.question_lines = [
            h.line for h in self.headers if h.is_array and h.name == "sections.questions"
        ]

    def _end_of_block(self, start: int, own_prefix: str) -> int:
        """The last line of the table starting at ``start``, subtables named ``own_prefix.*``
        included."""
        for header in self.headers:
            if header.line > start and not header.name.startswith(own_prefix + "."):
                return header.line - 1
        return len(self.lines)

    def _find(self, pattern: re.Pattern[str], start: int, end: int) -> int | None:
        for number in range(max(start, 1), min(end, len(self.lines)) + 1):
            if pattern.search(self.lines[number - 1]):
                return number
        return None

    def _id_line(self, ident: str, occurrence: int = 0) -> int | None:
        pattern = re.compile(rf"""^\s*id\s*=\s*["']{re.escape(ident)}["']""")
        found = [n for n, line in enumerate(self.lines, start=1) if pattern.search(line)]
        return found[occurrence] if occurrence < len(found) else (found[0] if found else None)

    def top_key(self, key: str) -> int:
        """The line of a top-level ``key`` (before the first table header), else 1."""
        end = self.headers[0].line - 1 if self.headers else len(self.lines)
        found = self._find(_key_pattern(key), 1, end)
        if found is None:
            header = next((h for h in self.headers if h.name == key), None)
            return header.line if header else 1
        return found

    def section(self, index: int, section_id: str = "", key: str | None = None) -> int:
        """The line of the ``index``-th section's ``key`` (its ``id`` by default)."""
        if len(self.section_lines) > index:
            start = self.section_lines[index]
        else:
            start = self._id_line(section_id) or self.top_key("sections")
        end = self._end_of_block(start, "sections")
        nested = [n for n in self.question_lines if start < n <= end]
        end = nested[0] - 1 if nested else end
        return self._find(_key_pattern(key or "id"), start, end) or start

    def question(
        self, index: int, question_id: str = "", key: str | None = None, occurrence: int = 0
    ) -> int:
        """The line of the ``index``-th question's ``key`` (its ``id`` by default)."""
        if len(self.question_lines) > index:
            start = self.question_lines[index]
        else:
            start = self._id_line(question_id, occurrence) or self.top_key("sections")
        end = self._end_of_block(start, "sections.questions")
        return self._find(_key_pattern(key or "id"), start, end) or start

    def table_entry(self, table: str, name: str, key: str | None = None) -> int:
        """The line of ``name`` inside ``[table]`` (or of its own ``[table.name]`` header), or of
        ``key`` within that entry."""
        header = next((h for h in self.headers if h.name == f"{table}.{name}"), None)
        if header is not None:
            start = header.line
            end = self._end_of_block(start, f"{table}.{name}")
        else:
            table_header = next((h for h in self.headers if h.name == table), None)
            if table_header is None:
                return self.top_key(table)
            block_end = self._end_of_block(table_header.line, table)
            start = self._find(_key_pattern(name), table_header.line, block_end) or (
                table_header.line
            )
            following = [h.line for h in self.headers if h.line > start]
            end = min([block_end, *following]) if following else block_end
            # An inline array (choices) runs to its closing bracket; scan to the next entry.
            next_entry = re.compile(r"^\s*[A-Za-z0-9_]+\s*=")
            for number in range(start + 1, end + 1):
                if next_entry.search(self.lines[number - 1]) and not self.lines[
                    number - 1
                ].lstrip().startswith(("{", "code")):
                    end = number - 1
                    break
        if key is None:
            return start
        return self._find(re.compile(key), start, end) or start

    def array_item(self, table: str, index: int, key: str | None = None) -> int:
        """The line of the ``index``-th ``[[table]]`` entry (e.g. ``notices``), or of ``key``
        within that entry."""
        found = [h.line for h in self.headers if h.is_array and h.name == table]
        if index >= len(found):
            return self.top_key(table)
        start = found[index]
        if key is None:
            return start
        end = self._end_of_block(start, table)
        return self._find(_key_pattern(key), start, end) or start
