"""Needs versus services: per domain, children at HIGH against the help planned; table and bars."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from cwtt_tui.errors import CwttError
from cwtt_tui.needs import needs_vs_services
from cwtt_tui.planning import today
from cwtt_tui.rounds import next_round
from exports.needs_report import bar_lines, table_lines

if TYPE_CHECKING:
    from cwtt_tui.models import Round, School
    from cwtt_tui.needs import DomainNeeds
    from cwtt_tui.store.store import Store

BAR_WIDTH = 76
ALL_SCHOOLS = "All schools"


class NeedsScreen(Screen[None]):
    """S changes the school, R the round, E exports a CSV file; Escape goes back."""

    CSS_PATH = "needs.tcss"
    TITLE = "Needs versus services"
    HELP = """
For each domain: **HIGH** and **MEDIUM** count the children at that level in the round;
**Action**: HIGH children with at least one action planned in the round; **Gap**: HIGH children
with none; **Done**: actions done; **Reassessed** and **Improved**: HIGH children scored again
in the next round, and those at MEDIUM or LOW there (shown — when there is no next round yet).

The bars: **█** HIGH children with an action, **░** those without one (the gap).

**S** changes the school (all schools first) · **R** changes the round · **E** writes the table
as a CSV file for a spreadsheet into a folder you choose (your Documents folder unless you type
another). The table holds counts only, no names.
"""
    BINDINGS = [
        Binding("s", "school", "School", id="needs-school"),
        Binding("r", "round", "Round", id="needs-round"),
        Binding("e", "export", "Export CSV", id="needs-export"),
        Binding("escape", "back", "Back", id="needs-back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.rounds = store.rounds.list()
        self.round: Round | None = store.rounds.current() or (
            self.rounds[-1] if self.rounds else None
        )
        self.schools: list[School] = sorted(store.schools.list(), key=lambda s: s.name.casefold())
        self.school: School | None = None
        self.rows: list[DomainNeeds] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="needs-body"):
            yield Static("Loading…", id="needs-title", markup=False)
            yield Static("", id="needs-table", markup=False)
            yield Static("", id="needs-note", markup=False)
            yield Static("", id="needs-bars", markup=False)
        with Vertical(id="needs-form"):
            yield Static("Write the CSV file into this folder (Enter writes, Escape cancels):")
            yield Input(id="needs-folder", compact=True)
        yield Static("", id="needs-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#needs-form").display = False
        self._load()

    @work(thread=True, exclusive=True, group="needs")
    def _load(self) -> None:
        round_ = self.round
        if round_ is None:
            self.app.call_from_thread(self._title, "There is no round yet: nothing to count.")
            return
        try:
            rows = needs_vs_services(self.store, round_.id, self.school.id if self.school else None)
            later = next_round(self.store, round_.id)
        except CwttError as exc:
            self.app.call_from_thread(self._title, exc.message)
            return
        self.app.call_from_thread(self._loaded, round_, rows, later)

    def _title(self, text: str) -> None:
        self.query_one("#needs-title", Static).update(text)

    def _loaded(self, round_: Round, rows: list[DomainNeeds], later: Round | None) -> None:
        self.rows = rows
        school = self.school.name if self.school else ALL_SCHOOLS
        self._title(f"{round_.name} (round {round_.number}) · {school}")
        lines = table_lines(rows)
        table = Text()
        for at, line in enumerate(lines):
            table.append(
                line + ("\n" if at < len(lines) - 1 else ""),
                "bold" if at in (0, len(lines) - 1) else "",
            )
        self.query_one("#needs-table", Static).update(table)
        note = (
            f"Improved: HIGH children at MEDIUM or LOW in round {later.number} ({later.name})."
            if later
            else "This is the latest round: Reassessed and Improved need a later one."
        )
        self.query_one("#needs-note", Static).update(note)
        self.query_one("#needs-bars", Static).update("\n".join(bar_lines(rows, BAR_WIDTH)))

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#needs-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("school", "round", "export"):
            return not self.query_one("#needs-form").display
        return True

    def action_school(self) -> None:
        ring: list[School | None] = [None, *self.schools]
        ids = [s.id if s else "" for s in ring]
        at = ids.index(self.school.id if self.school else "")
        self.school = ring[(at + 1) % len(ring)]
        self._say("")
        self._load()

    def action_round(self) -> None:
        if len(self.rounds) > 1 and self.round is not None:
            ids = [r.id for r in self.rounds]
            self.round = self.rounds[(ids.index(self.round.id) + 1) % len(self.rounds)]
            self._say("")
            self._load()

    def action_export(self) -> None:
        from exports.drives import default_folder

        if self.round is None:
            self._say("There is no round yet: nothing to export.", error=True)
            return
        form = self.query_one("#needs-form")
        form.display = True
        box = self.query_one("#needs-folder", Input)
        box.value = str(default_folder())
        box.focus()
        self.refresh_bindings()

    @on(Input.Submitted, "#needs-folder")
    def _write(self, event: Input.Submitted) -> None:
        from pathlib import Path

        from exports.needs_export import export_needs_csv

        assert self.round is not None
        try:
            path = export_needs_csv(
                self.store, self.round, self.school, Path(event.value.strip() or "."),
                today(self.store).isoformat(),
            )  # fmt: skip
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self._close_form()
        self._say(f"Wrote {path}")

    def _close_form(self) -> None:
        self.query_one("#needs-form").display = False
        self.query_one("#needs-body").focus()
        self.refresh_bindings()

    def action_back(self) -> None:
        if self.query_one("#needs-form").display:
            self._close_form()
            self._say("")
            return
        self.app.pop_screen()
