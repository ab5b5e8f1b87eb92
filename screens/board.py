"""The risk board: every child, six domains in colour and in words; filters on single keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from cwtt_tui.board import Board, BoardFilter, next_filter
from cwtt_tui.errors import CwttError
from screens.widgets.risk_table import RiskTable

if TYPE_CHECKING:
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
**R** changes the round. Move with the arrows; **Enter** opens the child's case.

Columns: HEAL health, NUTR nutrition, ECON economic & material, PROT protection & care,
EDUC education, PSYC psychosocial; #H the number of HIGH flags; Last the latest interview.
"""
    BINDINGS = [
        Binding("s", "filter('s')", "School", id="board-school"),
        Binding("g", "filter('g')", "Grade", id="board-grade"),
        Binding("c", "filter('c')", "Class", show=False, id="board-class"),
        Binding("d", "filter('d')", "Domain", id="board-domain"),
        Binding("l", "filter('l')", "Level", id="board-level"),
        Binding("o", "filter('o')", "Laptop", show=False, id="board-laptop"),
        Binding("slash", "search", "Search", id="board-search"),
        Binding("x", "clear", "Clear", show=False, id="board-clear"),
        Binding("r", "next_round", "Round", show=False, id="board-round"),
        Binding("escape", "back", "Back", id="board-back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.board: Board | None = None
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
        yield RiskTable(id="board-table")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#board-search-box").display = False
        self.query_one(RiskTable).focus()
        self._load()

    @work(thread=True, exclusive=True, group="board")
    def _load(self) -> None:
        if self.round is None:
            self.app.call_from_thread(self._status, "No round yet: finish an interview first.")
            return
        try:
            board = Board.load(self.store, self.round.id)
        except CwttError as exc:
            self.app.call_from_thread(self._status, exc.message)
            return
        self.app.call_from_thread(self._loaded, board)

    def _loaded(self, board: Board) -> None:
        self.board = board
        table = self.query_one(RiskTable)
        table.set_rows(board.rows, board.filter(self.wanted))
        self._refresh_status()

    def _status(self, text: str) -> None:
        self.query_one("#board-status", Static).update(text)

    def _refresh_status(self) -> None:
        table = self.query_one(RiskTable)
        name = self.round.name if self.round else ""
        self._status(
            f"{name} · {self.wanted.describe(self.school_names, self.laptop_names)} · {len(table.shown)} of "
            f"{len(table.rows)} children"
        )

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
        from dataclasses import replace

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

    def action_back(self) -> None:
        if self.focused is self.query_one("#board-search-box"):
            self.query_one(RiskTable).focus()
            return
        self.app.pop_screen()

    @on(RiskTable.Opened)
    def _open_case(self, event: RiskTable.Opened) -> None:
        from screens.case import CaseScreen

        assert self.round is not None
        self.app.push_screen(CaseScreen(self.store, event.child_id, self.round.id))
