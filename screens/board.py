"""The risk board: every child, six domains in colour and in words; filters on single keys."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from cwtt_tui.board import Board, BoardExtras, BoardFilter, load_extras, next_filter
from cwtt_tui.errors import CwttError
from screens.widgets.risk_table import RiskTable

if TYPE_CHECKING:
    from cwtt_tui.models import Round
    from cwtt_tui.store.store import Store


class BoardScreen(Screen[None]):
    """Enter opens a child's case; S G C D L cycle filters; / searches names; X clears."""

    CSS_PATH = "board.tcss"
    TITLE = "Risk board"
    HELP = """
Each row is a child; each coloured cell is a domain: **HIGH** (red), **MED** (amber),
**LOW** (green) or **--** (grey: not enough answers yet to say). A **!** before the name means a
report to a social worker is required. Children with the most HIGH flags come first.

Filters, one key each (press again for the next value):
**S** school · **G** grade · **C** class · **D** domain · **L** level · **O** the laptop a child's
record came from (after importing bundles) · **/** search a name · **X** clear.
**R** changes the round. Move with the arrows; **Enter** opens the child's case; **Escape** goes
back. The footer shows the most used keys; this list has them all.

**N** hides the names (initials only) before the board is shown to a room; **N** again shows
them. **P** shows one school's board large, for a projector in a meeting (names hidden until **N**): the
school of the filter, or of the highlighted child when the board shows all schools.

**V** shows the change since the previous round in each cell: the level's letter (H high,
M medium, L low, - not enough answers), then **↑ worse**, **↓ better**, **= same** or **—**
(cannot say: not scored in one of the two rounds). Press **V** again for the levels alone.

Columns: HEAL health, NUTR nutrition, ECON economic & material, PROT protection & care,
EDUC education, PSYC psychosocial; #H the number of HIGH flags; Late the child's actions past
their due date (shown when there are any); Last the latest interview.
"""
    BINDINGS = [
        Binding("escape", "back", "Back", id="board-back"),
        Binding("s", "filter('s')", "School", id="board-school"),
        Binding("g", "filter('g')", "Grade", show=False, id="board-grade"),
        Binding("c", "filter('c')", "Class", show=False, id="board-class"),
        Binding("d", "filter('d')", "Domain", show=False, id="board-domain"),
        Binding("l", "filter('l')", "Level", show=False, id="board-level"),
        Binding("o", "filter('o')", "Laptop", show=False, id="board-laptop"),
        Binding("slash", "search", "Search", show=False, id="board-search"),
        Binding("x", "clear", "Clear", show=False, id="board-clear"),
        Binding("r", "next_round", "Round", show=False, id="board-round"),
        Binding("v", "change_view", "Change", id="board-change"),
        Binding("p", "present", "Present", id="board-present"),
        Binding("n", "names", "Names", show=False, id="board-names"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.board: Board | None = None
        self.previous: Round | None = None
        self.wants_changes = False  # V pressed: show the change whenever the round has one
        self.wanted = BoardFilter()
        self.school_names = {s.id: s.name for s in store.schools.list()}
        self.laptop_names = {
            d.id: "this laptop" if d.is_local else d.name
            for d in store.devices.list(include_revoked=True)
        }
        rounds = store.rounds.list()
        self.rounds = rounds
        current = store.rounds.current()
        self.round = current or (rounds[-1] if rounds else None)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="board-status")
        yield Input(placeholder="search a name, Enter to go to the table", id="board-search-box")
        self._table = RiskTable(id="board-table")
        yield self._table
        # Ctrl+P still opens the palette; its footer key would push Back off an 80-column line.
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#board-search-box").display = False
        self.query_one(RiskTable).focus()
        self._load()

    def on_unmount(self) -> None:
        """Let a large board's rows go as soon as the screen closes, not at the next collection."""
        self.board = None
        self._table.rows, self._table.shown = (), []  # detached already: no query finds it

    @work(thread=True, exclusive=True, group="board")
    def _load(self) -> None:
        """The levels first (the table appears), then the change and the overdue actions."""
        if self.round is None:
            self.app.call_from_thread(self._status, "No round yet: finish an interview first.")
            return
        try:
            board = Board.load(self.store, self.round.id)
            self.app.call_from_thread(self._loaded, board)
            extras = load_extras(self.store, board)
        except CwttError as exc:
            self.app.call_from_thread(self._status, exc.message)
            return
        self.app.call_from_thread(self._extras_loaded, board, extras)

    def _loaded(self, board: Board) -> None:
        self.board = board
        self.previous = None
        self.refresh_bindings()
        self.query_one(RiskTable).set_rows(board.rows, board.filter(self.wanted))
        self._refresh_status()

    def _extras_loaded(self, board: Board, extras: BoardExtras) -> None:
        if board is not self.board:  # another round was chosen meanwhile
            return
        self.previous = extras.previous
        self.refresh_bindings()
        table = self.query_one(RiskTable)
        table.set_extras(extras.changes, extras.late)
        if self.wants_changes:
            if extras.changes is None and self.round is not None:
                self.wants_changes = False
                self.notify(f"{self.round.name} is the first round: there is no change to show.")
            table.set_change_view(self.wants_changes)
        self._refresh_status()

    def _status(self, text: str) -> None:
        self.query_one("#board-status", Static).update(text)

    def _refresh_status(self) -> None:
        table = self.query_one(RiskTable)
        name = self.round.name if self.round else ""
        count = f"{len(table.shown)} of {len(table.rows)} children"
        where = self.wanted.describe(self.school_names, self.laptop_names)
        if table.change_view and self.previous is not None:
            self._status(
                f"{name} since {self.previous.name}: ↑ worse ↓ better = same — cannot say"
                f"\n{where} · {count}"
            )
            return
        self._status(f"{name} · {where} · {count}")

    def _apply(self) -> None:
        if self.board is None:
            return
        self.query_one(RiskTable).show(self.board.filter(self.wanted))
        self._refresh_status()

    def action_filter(self, key: str) -> None:
        if self.board is not None:
            self.wanted = next_filter(self.board, self.wanted, key)
            self._apply()

    def action_clear(self) -> None:
        self.wanted = BoardFilter()
        box = self.query_one("#board-search-box", Input)
        box.value = ""
        box.display = False
        self._apply()

    def action_search(self) -> None:
        box = self.query_one("#board-search-box", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#board-search-box")
    def _typed(self, event: Input.Changed) -> None:
        self.wanted = replace(self.wanted, text=event.value)
        self._apply()

    @on(Input.Submitted, "#board-search-box")
    def _to_table(self) -> None:
        self.query_one(RiskTable).focus()

    def action_next_round(self) -> None:
        if len(self.rounds) > 1 and self.round is not None:
            ids = [r.id for r in self.rounds]
            self.round = self.rounds[(ids.index(self.round.id) + 1) % len(self.rounds)]
            self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "change_view":  # shown once a previous round is known to exist
            return self.previous is not None
        return True

    def action_change_view(self) -> None:
        table = self.query_one(RiskTable)
        if self.board is None:
            return
        if table.changes is None:
            first = self.round.name if self.round else "This"
            self.notify(f"{first} is the first round: there is no change to show.")
            return
        self.wants_changes = not table.change_view
        table.set_change_view(self.wants_changes)
        self._refresh_status()

    def action_back(self) -> None:
        if self.focused is self.query_one("#board-search-box"):
            self.query_one(RiskTable).focus()
            return
        self.app.pop_screen()

    def action_names(self) -> None:
        """Initials instead of names, e.g. before the board is shown to a room; N again undoes it."""
        table = self.query_one(RiskTable)
        table.hide_names(not table.names_hidden)
        self.notify("Names hidden: initials only." if table.names_hidden else "Names shown.")

    def action_present(self) -> None:
        """Show one school's board large: the filtered school, else the highlighted child's."""
        child = self.query_one(RiskTable).highlighted
        if self.board is None or self.round is None:
            return  # still loading, or no round yet (the status line says so)
        if child is None:
            self.notify("No child is shown: press X to clear the filters.")
            return
        from screens.board_presentation import BoardPresentationScreen, Presentation

        school_id = self.wanted.school_id or child.school_id
        self.app.push_screen(
            BoardPresentationScreen(
                Presentation(
                    rows=self.board.rows,
                    shown=self.board.filter(replace(self.wanted, school_id=school_id)),
                    school=self.school_names.get(school_id, "?"),
                    round_name=self.round.name,
                    filters=self._other_filters(),
                    from_highlighted=not self.wanted.school_id,
                )
            )
        )

    def _other_filters(self) -> str:
        """The filters besides the school, in words; a name search without its text, since
        the presentation hides names."""
        wanted = replace(self.wanted, school_id="", text="")
        parts = wanted.describe(self.school_names, self.laptop_names).split(" · ")[1:]
        parts = [part for part in parts if part != "all grades"]
        if self.wanted.text:
            parts.append("a name search")
        return " · ".join(parts)

    @on(RiskTable.Opened)
    def _open_case(self, event: RiskTable.Opened) -> None:
        from screens.case import CaseScreen

        assert self.round is not None
        self.app.push_screen(CaseScreen(self.store, event.child_id, self.round.id))
