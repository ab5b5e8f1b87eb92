"""Reports: a small menu of the team's tables, each one number key away."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

CHOICES: tuple[tuple[str, str, str], ...] = (
    ("meeting", "Meeting mode", "Walk through the children who need a decision; write minutes"),
    ("needs", "Needs versus services", "Per domain: children at HIGH, with an action, improved"),
    ("rounds", "Rounds", "The assessment rounds: open a new one, close one"),
)


class ReportChoice(Static, can_focus=True):
    """One numbered choice; Enter or its number opens it."""

    def __init__(self, number: int, key: str, title: str, hint: str) -> None:
        super().__init__(f"[b]{number}[/b]  {title}\n   {hint}", id=f"report-{key}", markup=True)
        self.key = key


class ReportsScreen(Screen[None]):
    """Press 1, 2 or 3 (or the arrows and Enter); Escape goes back home."""

    CSS_PATH = "reports.tcss"
    TITLE = "Reports"
    HELP = """
Press a **number key** to open a choice, or move with the **arrow keys** and press **Enter**.

- **1 Meeting mode**: for the team meeting. cwtt shows, one at a time, each child with a HIGH
  domain and no action yet, then each overdue action; you plan, decide or update, and at the end
  cwtt writes the minutes. Team leads and coordinators only.
- **2 Needs versus services**: per domain, how many children are HIGH, how many have an action,
  how many actions are done, and how many improved by the next round.
- **3 Rounds**: the assessment rounds (baseline, follow-up, …); open a new one or close one.
"""
    BINDINGS = [
        *(
            Binding(str(n), f"open('{key}')", title, show=False, id=f"reports-{key}")
            for n, (key, title, _hint) in enumerate(CHOICES, start=1)
        ),
        Binding("enter", "open_focused", "Open", id="reports-open"),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("escape", "app.pop_screen", "Back", id="reports-back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="reports-list"):
            for n, (key, title, hint) in enumerate(CHOICES, start=1):
                yield ReportChoice(n, key, title, hint)
        yield Footer()

    def on_mount(self) -> None:
        self.query(ReportChoice).first().focus()

    def action_open(self, key: str) -> None:
        if key == "meeting":
            from screens.meeting import MeetingScreen

            self.app.push_screen(MeetingScreen(self.store))
        elif key == "needs":
            from screens.needs import NeedsScreen

            self.app.push_screen(NeedsScreen(self.store))
        else:
            from screens.rounds import RoundsScreen

            self.app.push_screen(RoundsScreen(self.store))

    def action_open_focused(self) -> None:
        focused = self.focused
        if isinstance(focused, ReportChoice):
            self.action_open(focused.key)

    def action_move(self, step: int) -> None:
        choices = list(self.query(ReportChoice))
        focused = self.focused
        index = choices.index(focused) if focused in choices else 0
        choices[max(0, min(len(choices) - 1, index + step))].focus()
