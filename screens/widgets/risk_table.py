"""The risk board's table on Textual's line API: columns of strings, an index list for filters.

Only the visible lines are rendered, so 100,000 children cost what 20 do; filtering and sorting
change the index list and rebuild no widgets (see the shared design notes, §8). The rows are
not copied: a loaded board's rows are columns of plain values, and a line reads only its row.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from cwtt_tui.board import CHANGE_CODES, initials
from cwtt_tui.models import BoardSummary
from cwtt_tui.rounds import CHANGE_COLOURS, CHANGE_LABELS, CHANGE_SYMBOLS
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
NAME_WIDTH_WITH_LATE = 20  # the Late column takes the rest
NAME_WIDTH_CHANGES = 14
_KINDS = {code: kind for kind, code in CHANGE_CODES.items()}
LABEL_WIDTH = max(len(label) for label in CHANGE_LABELS.values())
#: From this width on, the change view shows the level's word, not its letter.
WIDE_CHANGES = 1 + NAME_WIDTH + 8 + 6 * (4 + 3 + LABEL_WIDTH + 1)


def change_cell(code: str, kind_code: str, *, wide: bool = False) -> tuple[str, str]:
    """A domain cell in the change view: the level (letter, or word when wide), then the
    change's symbol and label, e.g. ("H", "↑worse ") or ("HIGH", " ↑ worse ")."""
    kind = _KINDS.get(kind_code, "unknown")
    symbol, label = CHANGE_SYMBOLS[kind], CHANGE_LABELS[kind]
    label = "" if label == symbol else label  # unknown: its symbol says it once
    if wide:
        return LEVEL_WORDS.get(code, " ?? "), f" {symbol} {label.ljust(LABEL_WIDTH)}"
    return code if code in LEVEL_WORDS else "?", f"{symbol}{label.ljust(LABEL_WIDTH)}"


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
        self.rows: Sequence[BoardSummary] = ()  # kept as given: a loaded board's BoardRows
        self.shown: list[int] = []
        self.changes: list[str] | None = None  # per row: six CHANGE_CODES, or None
        self.late: list[int] | None = None  # per row: overdue actions; None when none has any
        self.change_view = False
        self.names_hidden = False  # initials only, e.g. on a projector
        self._change_styles = {
            kind: Style(color=c, bold=True) for kind, c in CHANGE_COLOURS.items()
        }

    def set_rows(self, rows: Sequence[BoardSummary], shown: list[int]) -> None:
        """New rows, shown by their levels until `set_extras` brings what goes with them."""
        self.rows = rows
        self.changes = None
        self.late = None
        self.change_view = False
        self.show(shown)

    def set_extras(self, changes: list[str] | None, late: list[int] | None) -> None:
        """Per row, in the rows' order: six CHANGE_CODES (None: no previous round) and the
        overdue actions (the Late column appears when any row has one)."""
        self.changes = changes
        self.late = late if late and any(late) else None
        self.change_view = self.change_view and changes is not None
        self.refresh()

    def hide_names(self, hidden: bool) -> None:
        """Initials instead of names (the search still finds children by their names)."""
        self.names_hidden = hidden
        self.refresh()

    def set_change_view(self, on: bool) -> None:
        self.change_view = on and self.changes is not None
        self.refresh()

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

    def cells(self, index: int) -> list[str]:
        """The six domain cells of row `index` (of `rows`) as the current view writes them."""
        row = self.rows[index]
        if self.change_view and self.changes is not None:
            wide = self.scrollable_content_region.width >= WIDE_CHANGES
            return [
                "".join(change_cell(code, kind, wide=wide)).rstrip()
                for code, kind in zip(row.levels, self.changes[index], strict=True)
            ]
        return [LEVEL_WORDS.get(code, " ?? ").strip() for code in row.levels]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header(width)
        index = self.scroll_offset.y + y - 1
        if index >= len(self.shown):
            return Strip.blank(width)
        at = self.shown[index]
        row = self.rows[at]
        base = (
            self.get_component_rich_style("risk-table--cursor") if index == self.cursor else Style()
        )
        report = self.get_component_rich_style("risk-table--report")
        changes = self.changes if self.change_view else None
        name_width = self._name_width(changes is not None)
        shown_name = initials(row.name) if self.names_hidden else row.name
        name = (shown_name[: name_width - 1]).ljust(name_width)
        segments = [Segment("!" if row.mandatory_report else " ", report),
                    Segment(f"{name}{row.grade:>2} {row.class_name[:4]:<4} ", base)]  # fmt: skip
        if changes is not None:
            wide = width >= WIDE_CHANGES
            for code, kind in zip(row.levels, changes[at], strict=True):
                level, change = change_cell(code, kind, wide=wide)
                style = self.get_component_rich_style(LEVEL_CLASSES.get(code, "risk-table--none"))
                segments.append(Segment(level, style))
                segments.append(Segment(change, base + self._change_styles[_KINDS[kind]]))
                segments.append(Segment(" ", base))
            return Strip(segments).adjust_cell_length(width, base)
        for code in row.levels:
            style = self.get_component_rich_style(LEVEL_CLASSES.get(code, "risk-table--none"))
            segments.append(Segment(LEVEL_WORDS.get(code, " ?? "), style))
            segments.append(Segment(" ", base))
        segments.append(Segment(f"{row.highs:>2} ", base))
        if self.late is not None:
            late = self.late[at]
            late_style = base + Style(color=report.color, bold=True)
            segments.append(Segment(f"{late if late else '':>4}", late_style))
            segments.append(Segment(" ", base))
        else:
            segments.append(Segment(" ", base))
        segments.append(Segment(f"{row.last_interview:<10}", base))
        return Strip(segments).adjust_cell_length(width, base)

    def _name_width(self, changes: bool) -> int:
        if changes:
            return (
                NAME_WIDTH
                if self.scrollable_content_region.width >= WIDE_CHANGES
                else NAME_WIDTH_CHANGES
            )
        return NAME_WIDTH_WITH_LATE if self.late is not None else NAME_WIDTH

    def _header(self, width: int) -> Strip:
        style = self.get_component_rich_style("risk-table--header")
        changes = self.change_view and self.changes is not None
        name = " " + "Child".ljust(self._name_width(changes)) + "Gr Cls  "
        if changes:
            cell = 4 + 3 + LABEL_WIDTH + 1 if width >= WIDE_CHANGES else 2 + LABEL_WIDTH + 1
            text = name + "".join(head.ljust(cell) for head in DOMAIN_HEADS)
        elif self.late is not None:
            text = name + "".join(f"{head} " for head in DOMAIN_HEADS) + "#H Late Last"
        else:
            text = name + " ".join(DOMAIN_HEADS) + "  #H  Last"
        return Strip([Segment(text.ljust(width)[:width], style)])

    def action_open(self) -> None:
        row = self.highlighted
        if row is not None:
            self.post_message(self.Opened(row.child_id))
