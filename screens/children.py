"""Find a child: type to search by name, grade, class or school; Enter chooses; Ctrl+N registers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from cwtt_tui.board import fold
from cwtt_tui.errors import CwttError
from screens.widgets.child_list import ChildList, ChildRow

if TYPE_CHECKING:
    from cwtt_tui.models import Child
    from cwtt_tui.store.store import Store


def child_row(child: Child, school_name: str) -> ChildRow:
    d = child.details
    name = f"{d.last_name}, {d.first_name}"
    line = f" {name[:30]:<31} Gr {d.grade:<2} {d.class_name[:5]:<6} {d.date_of_birth.isoformat()}  {school_name[:20]}"
    haystack = fold(
        f"{d.first_name} {d.last_name} gr{d.grade} grade {d.grade} {d.class_name} {school_name}"
    )
    return ChildRow(child.id, line, haystack)


class ChildrenScreen(Screen[str | None]):
    """Dismisses with the chosen child's id (None on Escape)."""

    CSS_PATH = "children.tcss"
    TITLE = "Children"
    HELP = """
Type part of a **name**, a **grade** (e.g. `gr2`) or a **class** (e.g. `2B`) to narrow the list.
Move with the **arrow keys** and press **Enter** to choose the child.

A child who is not on the list yet: press **Ctrl+N** to register them. Registration records the
caregiver's consent and the child's assent first, as the law (POPIA) requires.
"""
    BINDINGS = [
        Binding("ctrl+n", "register", "Register child", id="children-register"),
        Binding("escape", "cancel", "Back", id="children-back"),
        Binding("down", "list_move(1)", "Down", show=False),
        Binding("up", "list_move(-1)", "Up", show=False),
        Binding("pagedown", "list_page(1)", "Page down", show=False),
        Binding("pageup", "list_page(-1)", "Page up", show=False),
    ]

    def __init__(self, store: Store, purpose: str = "Choose a child") -> None:
        super().__init__()
        self.store = store
        self.purpose = purpose

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.purpose}: type to search, Enter to choose.", id="children-purpose")
        yield Input(
            placeholder="search: name, grade (gr2), class (2B), school", id="children-search"
        )
        yield Static("Loading…", id="children-count")
        yield ChildList(
            empty_text="No children match. Ctrl+N registers a new child.", id="children-list"
        )
        yield Footer(show_command_palette=False)  # Ctrl+P still works; "? Help" stays in view

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._load()

    @work(thread=True, exclusive=True, group="children")
    def _load(self) -> None:
        try:
            schools = {s.id: s.name for s in self.store.schools.list()}
            rows = [child_row(c, schools.get(c.school_id, "")) for c in self.store.children.list()]
        except CwttError as exc:
            self.app.call_from_thread(self._show_count, exc.message)
            return
        rows.sort(key=lambda r: r.line.casefold())
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows: list[ChildRow]) -> None:
        listing = self.query_one(ChildList)
        listing.set_rows(rows)
        listing.filter(self.query_one(Input).value)
        self._count()

    def _show_count(self, text: str) -> None:
        self.query_one("#children-count", Static).update(text)

    def _count(self) -> None:
        listing = self.query_one(ChildList)
        self._show_count(f"{listing.shown_count} children")

    @on(Input.Changed, "#children-search")
    def _search(self, event: Input.Changed) -> None:
        self.query_one(ChildList).filter(event.value)
        self._count()

    @on(Input.Submitted, "#children-search")
    def _choose_highlighted(self) -> None:
        self.query_one(ChildList).action_pick()

    @on(ChildList.Picked)
    def _picked(self, event: ChildList.Picked) -> None:
        self.dismiss(event.child_id)

    def action_list_move(self, step: int) -> None:
        self.query_one(ChildList).action_move(step)

    def action_list_page(self, direction: int) -> None:
        self.query_one(ChildList).action_page(direction)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_register(self) -> None:
        from screens.register_child import RegisterChildScreen

        self.app.push_screen(RegisterChildScreen(self.store), self._registered)

    def _registered(self, child_id: str | None) -> None:
        if child_id:
            self.dismiss(child_id)
