"""The risk board for a projector: one school's children as large coloured blocks, page by page.

A terminal cannot change its font size, so "large" means few, wide columns and rows three lines
tall. The rows stay the board's plain data; only the lines on screen are rendered (line API).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Digits, Footer, Static

from cwtt_tui.board import initials
from cwtt_tui.models import DOMAINS, BoardSummary

WORDS = {"H": "HIGH", "M": "MED", "L": "LOW", "-": "--"}
BLOCK_CLASSES = {
    "H": "presentation-table--high",
    "M": "presentation-table--medium",
    "L": "presentation-table--low",
    "-": "presentation-table--none",
}
SHORT_HEADS = ("HEAL", "NUTR", "ECON", "PROT", "EDUC", "PSYC")
GAP = 1  # blank columns before each domain block
BLOCK = 3  # lines per child: the name and the words sit on the middle one
SLOT = BLOCK + 1  # a blank line above each child
FULL_HEADS_FROM = 12  # block width from which the domains are named in full


@dataclass(frozen=True)
class Presentation:
    """What the board hands over: its rows, the indexes to show, and words for the title."""

    rows: Sequence[BoardSummary]
    shown: Sequence[int]
    school: str
    round_name: str
    filters: str = ""  # the board's other filters in words; "" when there are none
    from_highlighted: bool = False  # the board shows all schools: this is the highlighted child's


class Columns(NamedTuple):
    """Widths in cells: the name column, then each of the six domain blocks (after GAP)."""

    name: int
    block: int


def columns(width: int) -> Columns:
    """Share `width` between the name column (about a quarter) and six equal domain blocks."""
    wanted = min(32, max(16, width // 4))
    block = max(4, min(20, (width - wanted) // len(DOMAINS) - GAP))
    return Columns(max(0, width - len(DOMAINS) * (block + GAP)), block)


def heads(block: int) -> tuple[str, ...]:
    """The domains' column heads: in full when a block is wide enough, else four letters."""
    if block >= FULL_HEADS_FROM:
        return tuple(domain.upper() for domain in DOMAINS)
    return SHORT_HEADS


def fit_name(name: str, width: int) -> str:
    """The board name if it fits in `width` cells, else the surname and initials, else cut."""
    if cell_len(name) <= width:
        return name
    surname, _, first = name.partition(",")
    if first.strip():
        short = f"{surname}, {initials(first)}"
        if cell_len(short) <= width:
            return short
    return set_cell_size(name, width)


def high_counts(rows: Sequence[BoardSummary], shown: Sequence[int]) -> list[int]:
    """How many of the shown children are at HIGH in each domain, in DOMAINS order."""
    counts = [0] * len(DOMAINS)
    for index in shown:
        for domain, code in enumerate(rows[index].levels):
            if code == "H":
                counts[domain] += 1
    return counts


class PresentationTable(Widget):
    """A page of children, each a band of six coloured blocks with the level's word centred."""

    COMPONENT_CLASSES = {
        "presentation-table--name", "presentation-table--report", "presentation-table--high",
        "presentation-table--medium", "presentation-table--low", "presentation-table--none",
    }  # fmt: skip

    class Paged(Message):
        """The page or the number of pages changed (a key, or the terminal was resized)."""

    def __init__(
        self, rows: Sequence[BoardSummary], shown: Sequence[int], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.rows = rows
        self.shown = shown
        self.names_hidden = True
        self.first = 0  # the first child shown; kept when the terminal is resized

    @property
    def per_page(self) -> int:
        """How many children fit at the current height (at least one)."""
        return max(1, self.size.height // SLOT)

    @property
    def page(self) -> int:
        """The current page, counted from 0."""
        return self.first // self.per_page

    @property
    def page_count(self) -> int:
        """How many pages the shown children take at the current height (at least one)."""
        return max(1, -(-len(self.shown) // self.per_page))

    def turn(self, step: int) -> None:
        """Go `step` pages on (back when negative), staying within the first and last page."""
        self.go_to(self.page + step)

    def go_to(self, page: int) -> None:
        """Show page `page` (from 0), or the first or the last page when it is out of range."""
        self.first = max(0, min(self.page_count - 1, page)) * self.per_page
        self.refresh()
        self.post_message(self.Paged())

    def show_names(self, shown: bool) -> None:
        """Names in full when `shown`, else initials."""
        self.names_hidden = not shown
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        self.post_message(self.Paged())

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        slot, line = divmod(y, SLOT)
        index = self.page * self.per_page + slot
        if line == 0 or slot >= self.per_page or index >= len(self.shown):
            return Strip.blank(width, self.rich_style)
        return self._block_line(self.rows[self.shown[index]], line - 1, width)

    def _block_line(self, row: BoardSummary, line: int, width: int) -> Strip:
        """Line `line` (0 to BLOCK - 1) of a child's band."""
        name_width, block = columns(width)
        name_style = self.get_component_rich_style("presentation-table--name")
        gap = Segment(" " * GAP, self.rich_style)
        segments = self._name_segments(row, line, name_width, name_style)
        for code in row.levels:
            style = self.get_component_rich_style(
                BLOCK_CLASSES.get(code, "presentation-table--none")
            )
            word = WORDS.get(code, "??") if line == BLOCK // 2 else ""
            segments += [gap, Segment(set_cell_size(word.center(block), block), style)]
        return Strip(segments).adjust_cell_length(width, self.rich_style)

    def _name_segments(
        self, row: BoardSummary, line: int, width: int, style: Style
    ) -> list[Segment]:
        """The name column: the report mark and the name (or initials), then grade and class."""
        if line == BLOCK // 2:
            report = self.get_component_rich_style("presentation-table--report")
            name = initials(row.name) if self.names_hidden else fit_name(row.name, width - 3)
            mark_style = style + Style(color=report.color, bold=True)  # on the name's background
            flagged = row.mandatory_report and not self.names_hidden  # private until names show
            mark = Segment(" ! " if flagged else "   ", mark_style)
            return [mark, Segment(set_cell_size(name, max(0, width - 3)), style)]
        text = f"   Grade {row.grade} · {row.class_name}" if line == BLOCK // 2 + 1 else ""
        return [Segment(set_cell_size(text, width), style + Style(bold=False))]


class BoardPresentationScreen(Screen[None]):
    """One school's board, large, for a projector: N names, Space next page, Escape back."""

    CSS_PATH = "board_presentation.tcss"
    TITLE = "Board for a projector"
    HELP = """
One school's risk board, large enough to read on a projector or a big screen in a team meeting:
the board's school (or, when the board shows all schools, the school of the highlighted child),
its round and its filters. Each child is a band of six coloured blocks, each with its word:
**HIGH** (red), **MED** (amber), **LOW** (green) or **--** (grey: not enough answers yet).
Children with the most HIGH flags come first. The figures at the top count the children at HIGH
in each domain.

Names are hidden (initials only) until you press **N**; **N** again hides them. While names are
hidden, the **!** that marks a required report to a social worker is hidden too.

**Space**, **Page Down**, **Down** or **Right**: next page. **Page Up**, **Up** or **Left**: the
page before. **Home** and **End**: the first and the last page. **Escape**: back to the board.

Letters too small at the back of the room? Make them larger with the terminal's own zoom
(**Ctrl** and **+** in Windows Terminal and most Linux terminals, **Ctrl** and **-** to make them
smaller): the view re-flows, with fewer children on each page.

Short column heads: HEAL health, NUTR nutrition, ECON economic & material, PROT protection &
care, EDUC education, PSYC psychosocial.
"""
    BINDINGS = [
        Binding("n", "names", "Names", id="presentation-names"),
        Binding("space", "turn(1)", "Next", id="presentation-next"),
        Binding("pagedown", "turn(1)", "Next", show=False),
        Binding("down", "turn(1)", "Next", show=False),
        Binding("right", "turn(1)", "Next", show=False),
        Binding("pageup", "turn(-1)", "Previous", id="presentation-previous"),
        Binding("up", "turn(-1)", "Previous", show=False),
        Binding("left", "turn(-1)", "Previous", show=False),
        Binding("home", "first_page", "First page", show=False),
        Binding("end", "last_page", "Last page", show=False),
        Binding("escape", "back", "Back", id="presentation-back"),
    ]

    def __init__(self, presentation: Presentation) -> None:
        super().__init__()
        self.presentation = presentation
        self.counts = high_counts(presentation.rows, presentation.shown)

    def compose(self) -> ComposeResult:
        given = self.presentation
        yield Static(self._title(), id="presentation-title", markup=False)
        with Horizontal(id="presentation-band"):
            yield Static("Children\nat HIGH:", id="presentation-band-label")
            for count in self.counts:
                with Vertical(classes="presentation-count"):
                    yield Static(classes="presentation-head")
                    yield Digits(str(count), classes="-zero" if count == 0 else "")
        yield PresentationTable(given.rows, given.shown, id="presentation-table")
        yield Static(id="presentation-page", markup=False)
        yield Footer()

    def _title(self) -> str:
        given = self.presentation
        count = len(given.shown)
        lines = [f"{given.school} · {given.round_name} · {count} child{'ren' * (count != 1)}"]
        notes = []
        if given.from_highlighted:
            notes.append("the school of the highlighted child (the board shows all schools)")
        if given.filters:
            notes.append(f"only {given.filters}")
        if notes:
            note = "; ".join(notes)
            lines.append(note[0].upper() + note[1:])
        return "\n".join(lines)

    def on_resize(self, event: Resize) -> None:
        """Line the figures up with the domain blocks below them; a figure too wide for its
        block is written small, under the domain's head."""
        name_width, block = columns(event.size.width)
        self.query_one("#presentation-band-label").styles.width = name_width
        cells = self.query(".presentation-count")
        for cell, head, count in zip(cells, heads(block), self.counts, strict=True):
            cell.styles.width = block
            figure = cell.query_one(Digits)
            figure.display = 3 * len(str(count)) <= block  # each digit is 3 cells wide
            cell.query_one(".presentation-head", Static).update(
                head if figure.display else f"{head}\n{count}"
            )

    def on_presentation_table_paged(self, event: PresentationTable.Paged) -> None:
        self._show_page()

    def _show_page(self) -> None:
        table = self.query_one(PresentationTable)
        total = len(table.shown)
        first = table.page * table.per_page
        last = min(total, first + table.per_page)
        names = "names hidden: N shows them" if table.names_hidden else "names shown: N hides them"
        self.query_one("#presentation-page", Static).update(
            f"Page {table.page + 1} of {table.page_count} · children {first + 1}-{last} of {total}"
            f" · {names}"
        )

    def action_names(self) -> None:
        table = self.query_one(PresentationTable)
        table.show_names(table.names_hidden)
        self._show_page()

    def action_turn(self, step: int) -> None:
        self.query_one(PresentationTable).turn(step)

    def action_first_page(self) -> None:
        self.query_one(PresentationTable).go_to(0)

    def action_last_page(self) -> None:
        table = self.query_one(PresentationTable)
        table.go_to(table.page_count - 1)

    def action_back(self) -> None:
        self.app.pop_screen()
