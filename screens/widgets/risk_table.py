"""The risk board's table on Textual's line API: columns of strings, an index list for filters.

Only the visible lines are rendered, so 10,000 children cost what 20 do; filtering and sorting
change the index list and rebuild no widgets (see the shared design notes, §8).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from cwtt_tui.models import BoardSummary
from screens.widgets.cursor_view import CursorView

LEVEL_WORDS = {"H": "HIGH", "M": "MED ", "L": "LOW ", "-": " -- "}
LEVEL_CLASSES = {
    "H": "risk-table--high",
    "M": "risk-table--medium",
    "L": "risk-table--low",
    "-": "risk-table--none",
}
DOMAIN_HEADS = ("HEAL", "NUTR", "ECON", "PROT", "EDUC", "PSYC")
NAME_WIDTH = 24


class RiskTable(CursorView):
    """Children × six domains, each cell a colour and a word; Enter opens the highlighted child."""

    DEFAULT_CSS = """
    RiskTable {
        height: 1fr;
    }
    RiskTable > .risk-table--header {
        text-style: bold;
        background: $panel;
    }
    RiskTable > .risk-table--cursor {
        background: $primary 35%;
        text-style: bold;
    }
    RiskTable > .risk-table--high {
        background: $risk-high;
        color: #000000;
        text-style: bold;
    }
    RiskTable > .risk-table--medium {
        background: $risk-medium;
        color: #000000;
    }
    RiskTable > .risk-table--low {
        background: $risk-low;
        color: #000000;
    }
    RiskTable > .risk-table--none {
        color: $risk-none;
    }
    RiskTable > .risk-table--report {
        color: $risk-high;
        text-style: bold;
    }
    """
    COMPONENT_CLASSES = {
        "risk-table--header", "risk-table--cursor", "risk-table--high", "risk-table--medium",
        "risk-table--low", "risk-table--none", "risk-table--report",
    }  # fmt: skip
    BINDINGS = [Binding("enter", "open", "Open case")]
    HEADER_LINES = 1

    class Opened(Message):
        def __init__(self, child_id: str) -> None:
            super().__init__()
            self.child_id = child_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[BoardSummary] = []
        self.shown: list[int] = []

    def set_rows(self, rows: Sequence[BoardSummary], shown: list[int]) -> None:
        self.rows = list(rows)
        self.show(shown)

    def show(self, shown: list[int]) -> None:
        self.shown = shown
        self.cursor = 0
        self.virtual_size = Size(self.size.width, len(shown) + 1)
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def row_count(self) -> int:
        return len(self.shown)

    @property
    def highlighted(self) -> BoardSummary | None:
        return self.rows[self.shown[self.cursor]] if self.shown else None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header(width)
        index = self.scroll_offset.y + y - 1
        if index >= len(self.shown):
            return Strip.blank(width)
        row = self.rows[self.shown[index]]
        base = (
            self.get_component_rich_style("risk-table--cursor") if index == self.cursor else Style()
        )
        name = (row.name[: NAME_WIDTH - 1]).ljust(NAME_WIDTH)
        segments = [Segment(f"{'!' if row.mandatory_report else ' '}", self.get_component_rich_style("risk-table--report")),
                    Segment(f"{name}{row.grade:>2} {row.class_name[:4]:<4} ", base)]  # fmt: skip
        for code in row.levels:
            style = self.get_component_rich_style(LEVEL_CLASSES.get(code, "risk-table--none"))
            segments.append(Segment(LEVEL_WORDS.get(code, " ?? "), style))
            segments.append(Segment(" ", base))
        segments.append(Segment(f"{row.highs:>2}  {row.last_interview:<10}", base))
        strip = Strip(segments)
        return strip.adjust_cell_length(width, base)

    def _header(self, width: int) -> Strip:
        style = self.get_component_rich_style("risk-table--header")
        text = " " + "Child".ljust(NAME_WIDTH) + "Gr Cls  " + " ".join(DOMAIN_HEADS) + "  #H  Last"
        return Strip([Segment(text.ljust(width)[:width], style)])

    def action_open(self) -> None:
        row = self.highlighted
        if row is not None:
            self.post_message(self.Opened(row.child_id))
