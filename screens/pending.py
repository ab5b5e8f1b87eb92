"""A choice whose screen is still being built: says so plainly and names what to use meanwhile."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

PENDING: dict[str, tuple[str, str]] = {
    "reports": ("Reports", "Reports arrive with the board and interventions."),
}


class PendingScreen(Screen[None]):
    """Tells the user this part of cwtt is coming soon; Escape goes back."""

    CSS_PATH = "pending.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="pending-back")]
    HELP = "This part of cwtt is not ready yet. Press **Escape** to go back to the home screen."

    def __init__(self, choice: str) -> None:
        super().__init__()
        self.TITLE, self._text = PENDING.get(choice, (choice.title(), ""))

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="pending-box"):
            yield Static(f"{self.TITLE}: coming soon", id="pending-title")
            yield Static(self._text)
            yield Static("Press Escape to go back.", id="pending-back-hint")
        yield Footer()
