"""A line-API list with a highlighted row: cursor keys, paging and keeping the cursor in view."""

from __future__ import annotations

from textual.binding import Binding
from textual.reactive import reactive
from textual.scroll_view import ScrollView


class CursorView(ScrollView, can_focus=True):
    """Base of the children list and the risk table: subclasses say how many rows are shown and
    how many header lines sit above them, and render lines themselves."""

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("ctrl+home", "jump(0)", show=False),  # as in Textual's DataTable
        Binding("ctrl+end", "jump(-1)", show=False),
    ]
    HEADER_LINES = 0

    cursor: reactive[int] = reactive(0)

    def row_count(self) -> int:
        """How many rows are shown now; each list overrides this."""
        return 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        height = max(1, self.scrollable_content_region.height - self.HEADER_LINES)
        top = self.scroll_offset.y
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False)

    def action_move(self, step: int) -> None:
        count = self.row_count()
        if count:
            self.cursor = max(0, min(count - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        page = max(1, self.scrollable_content_region.height - self.HEADER_LINES - 1)
        self.action_move(direction * page)

    def action_jump(self, where: int) -> None:
        count = self.row_count()
        if count:
            self.cursor = 0 if where == 0 else count - 1
