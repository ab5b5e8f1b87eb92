"""Lowering a protection HIGH: a team lead or coordinator, by name, with a written reason."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from cwtt_tui.errors import CwttError


class LowerLevelScreen(ModalScreen[bool]):
    """1 medium or 2 low, a reason, Ctrl+S saves; Escape cancels."""

    CSS_PATH = "lower_level.tcss"
    BINDINGS = [
        Binding("1", "level('medium')", "Medium", show=False),
        Binding("2", "level('low')", "Low", show=False),
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, user_name: str, lower: Callable[[str, str], object]) -> None:
        super().__init__()
        self.user_name = user_name
        self._lower = lower
        self.level = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="lower-box"):
            yield Static("Lower this child's protection level from HIGH", id="lower-title")
            yield Static(
                f"This is recorded in your name ({self.user_name}) with your reason, and the "
                "computed level is kept beside it. Press 1 for MEDIUM or 2 for LOW.",
            )
            yield Static("New level: (press 1 or 2)", id="lower-level")
            yield Input(
                id="lower-reason",
                placeholder="why: e.g. social worker visited, child safe",
                disabled=True,  # the level comes first; number keys must reach the screen
            )
            yield Static("", id="lower-message")

    def action_level(self, level: str) -> None:
        if self.focused is self.query_one(Input):
            return
        self.level = level
        self.query_one("#lower-level", Static).update(f"New level: {level.upper()}")
        field = self.query_one(Input)
        field.disabled = False
        field.focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        message = self.query_one("#lower-message", Static)
        if not self.level:
            message.update("Press 1 for MEDIUM or 2 for LOW first.")
            self.query_one("#lower-box").focus()
            return
        try:
            self._lower(self.level, self.query_one(Input).value)
        except CwttError as exc:
            message.update(exc.message)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
