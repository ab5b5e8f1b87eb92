"""A list of children on Textual's line API: thousands of rows, filtering rebuilds no widgets."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class ChildRow:
    """One line of the list and the text that search looks in."""

    child_id: str
    line: str
    haystack: str


class ChildList(ScrollView, can_focus=True):
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
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "pick", "Choose", show=True),
    ]

    cursor: reactive[int] = reactive(0)

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

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False)

    def action_move(self, step: int) -> None:
        if self._shown:
            self.cursor = max(0, min(len(self._shown) - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, where: int) -> None:
        if self._shown:
            self.cursor = 0 if where == 0 else len(self._shown) - 1

    def action_pick(self) -> None:
        child_id = self.highlighted_id
        if child_id is not None:
            self.post_message(self.Picked(child_id))


def fold(text: str) -> str:
    """Lower case without accents, so 'Zanele' finds 'zanele' and 'Zánele'."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
