"""Probable duplicates: two records that are probably one child, side by side, to merge or not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from cwtt_tui.errors import CwttError
from cwtt_tui.merging import MERGE_ROLES, dismiss_pair, dismissed_pairs, merge_children, undo_merge
from exports.duplicates import probable_duplicates

if TYPE_CHECKING:
    from cwtt_tui.models import Child
    from cwtt_tui.store.store import Store


class DuplicatesScreen(Screen[None]):
    """1 keeps the left record, 2 the right one; X says they are different children."""

    CSS_PATH = "duplicates.tcss"
    TITLE = "Probable duplicates"
    HELP = """
Two records are shown when they are **probably the same child**: same school, same date of
birth, and names alike (capitals, accents, spaces, first and last name swapped, or one letter
different). This happens when two laptops registered the same child.

Press **1** to keep the left record or **2** to keep the right one: every interview and action of
the other moves to the one kept, and the other is hidden. **U** undoes the last merge made here.
Press **X** if they are **different children** (twins, for example): they are not proposed again.
**N** and **P** move between pairs. Only a team lead or coordinator may merge.
"""
    BINDINGS = [
        Binding("1", "merge(0)", "Keep left", id="dups-left"),
        Binding("2", "merge(1)", "Keep right", id="dups-right"),
        Binding("x", "different", "Different children", id="dups-different"),
        Binding("u", "undo", "Undo merge", id="dups-undo"),
        Binding("n", "move(1)", "Next", id="dups-next"),
        Binding("p", "move(-1)", "Previous", id="dups-previous"),
        Binding("escape", "app.pop_screen", "Back", id="dups-back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.pairs: list[tuple[Child, Child]] = []
        self.index = 0
        self.last_merge: str | None = None
        self.may_merge = store.user is not None and store.user.role in MERGE_ROLES

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="dups-status")
        with VerticalScroll(id="dups-body"), Horizontal(id="dups-pair"):
            with Vertical(id="dups-left", classes="record"):
                yield Static("", id="dups-left-text", markup=False)
            with Vertical(id="dups-right", classes="record"):
                yield Static("", id="dups-right-text", markup=False)
        yield Static("", id="dups-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#dups-left").border_title = "1  Keep this one"
        self.query_one("#dups-right").border_title = "2  Keep this one"
        self._reload()
        if not self.may_merge:
            self._say("Only a team lead or coordinator may merge children.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("merge", "different"):
            return bool(self.pairs) and self.may_merge
        if action == "undo":
            return self.last_merge is not None
        if action == "move":
            return len(self.pairs) > 1
        return True

    def _reload(self) -> None:
        children = self.store.children.list()
        self.pairs = probable_duplicates(children, dismissed=dismissed_pairs(self.store))
        self.index = min(self.index, max(0, len(self.pairs) - 1))
        self._show()

    def _describe(self, child: Child, schools: dict[str, str]) -> str:
        d = child.details
        interviews = self.store.interviews.list(child_id=child.id)
        laptop = self.store.devices.name_of(child.meta.updated_by_device) if child.meta else ""
        local = self.store.devices.local().id
        if child.meta and child.meta.updated_by_device == local:
            laptop = "this laptop"
        return "\n".join(
            [
                f"{d.first_name} {d.last_name}",
                f"School: {schools.get(child.school_id, '')}",
                f"Born: {d.date_of_birth}   Sex: {d.sex}",
                f"Grade {d.grade}, class {d.class_name}",
                f"Caregiver: {d.caregiver_name or '(not given)'}",
                f"Interviews: {len(interviews)}",
                f"Registered {child.meta.created_at[:10] if child.meta else ''} on {laptop}",
            ]
        )

    def _show(self) -> None:
        status = self.query_one("#dups-status", Static)
        left = self.query_one("#dups-left-text", Static)
        right = self.query_one("#dups-right-text", Static)
        if not self.pairs:
            status.update("No probable duplicates.")
            left.update("")
            right.update("")
        else:
            schools = {s.id: s.name for s in self.store.schools.list()}
            first, second = self.pairs[self.index]
            status.update(f"Pair {self.index + 1} of {len(self.pairs)}: probably the same child?")
            left.update(self._describe(first, schools))
            right.update(self._describe(second, schools))
        self.refresh_bindings()

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#dups-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def action_move(self, step: int) -> None:
        self.index = (self.index + step) % len(self.pairs)
        self._show()

    def action_merge(self, keep: int) -> None:
        pair = self.pairs[self.index]
        kept, other = pair[keep], pair[1 - keep]
        try:
            merge = merge_children(self.store, kept.id, other.id)
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self.last_merge = merge.id
        self._say(
            f"Merged: {len(merge.interviews)} interview(s) and {len(merge.actions)} action(s) "
            "moved to the record kept. U undoes it."
        )
        self._reload()

    def action_different(self) -> None:
        first, second = self.pairs[self.index]
        try:
            dismiss_pair(self.store, first.id, second.id)
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self._say("Noted: two different children. They will not be proposed again.")
        self._reload()

    def action_undo(self) -> None:
        if self.last_merge is None:
            return
        try:
            undo_merge(self.store, self.last_merge)
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self.last_merge = None
        self._say("Undone: the two records are separate again.")
        self._reload()
