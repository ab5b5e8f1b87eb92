"""The `?` help: what the current screen is for and the keys that work on it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static


class HelpScreen(ModalScreen[None]):
    """Shows a screen's HELP text and its keys; any of Escape, ? or q closes it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close"),
    ]

    def __init__(self, title: str, text: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(f"Help · {self._title}", id="help-title")
            yield Markdown(self._text or "Use the keys below.")
            lines = "\n".join(f"  {key:<12} {what}" for key, what in self._keys)
            yield Static(f"Keys on this screen\n{lines}", id="help-keys", markup=False)
            yield Static("Press Escape to close this help.", id="help-close")

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)
