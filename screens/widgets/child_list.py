"""A list of children on Textual's line API: thousands of rows, filtering rebuilds no widgets."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from cwtt_tui.board import fold
from screens.widgets.cursor_view import CursorView


@dataclass(frozen=True)
class ChildRow:
    """One line of the list and the text that search looks in."""

    child_id: str
    line: str
    haystack: str


class ChildList(CursorView):
    """Rows of children; type in the search box to narrow, Enter picks the highlighted child."""

    DEFAULT_CSS = """
    ChildList {
        height: 1fr;
        border: round $panel;
    }
    ChildList:focus {
        border: round $primary;
    }
    ChildList > .child-list--cursor {
        background: $primary 30%;
        text-style: bold;
    }
    ChildList > .child-list--empty {
        color: $text-muted;
    }
    """
    COMPONENT_CLASSES = {"child-list--cursor", "child-list--empty"}
    BINDINGS = [Binding("enter", "pick", "Choose", show=True)]

    class Picked(Message):
        """The user chose a child."""

        def __init__(self, child_id: str) -> None:
            super().__init__()
            self.child_id = child_id

    def __init__(self, *, empty_text: str = "No children match.", id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[ChildRow] = []
        self._shown: list[int] = []
        self._empty_text = empty_text

    @property
    def shown_count(self) -> int:
        return len(self._shown)

    def row_count(self) -> int:
        return len(self._shown)

    @property
    def highlighted_id(self) -> str | None:
        if not self._shown:
            return None
        return self._rows[self._shown[self.cursor]].child_id

    def set_rows(self, rows: list[ChildRow]) -> None:
        self._rows = rows
        self._shown = list(range(len(rows)))
        self._changed()

    def filter(self, text: str) -> None:
        """Keep the rows whose text holds every word typed (case and accents aside)."""
        words = fold(text).split()
        if not words:
            self._shown = list(range(len(self._rows)))
        else:
            self._shown = [
                i for i, row in enumerate(self._rows) if all(w in row.haystack for w in words)
            ]
        self._changed()

    def _changed(self) -> None:
        self.cursor = 0
        self.virtual_size = Size(self.size.width, len(self._shown))
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if not self._shown:
            if y == 0:
                style = self.get_component_rich_style("child-list--empty")
                return Strip([Segment(self._empty_text.ljust(width)[:width], style)])
            return Strip.blank(width)
        if index >= len(self._shown):
            return Strip.blank(width)
        line = self._rows[self._shown[index]].line.ljust(width)[:width]
        style = (
            self.get_component_rich_style("child-list--cursor") if index == self.cursor else Style()
        )
        return Strip([Segment(line, style)])

    def action_pick(self) -> None:
        child_id = self.highlighted_id
        if child_id is not None:
            self.post_message(self.Picked(child_id))
