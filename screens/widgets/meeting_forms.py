"""The meeting screen's inline forms, one line per field: plan, decision, update, finish."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Static

FORMS = ("plan", "decision", "update", "finish")


def _row(label: str, field: Input) -> Horizontal:
    return Horizontal(Static(label, classes="form-label"), field, classes="form-row")


def _hint(text: str) -> Static:
    return Static(text, classes="form-hint")


class MeetingForms(Vertical):
    """The four forms; one is shown at a time (`open`), its first field focused by the screen."""

    DEFAULT_CSS = """
    MeetingForms {
        height: auto;
    }
    MeetingForms > Vertical {
        height: auto;
        padding: 0 1;
        border-top: solid $primary;
        background: $surface;
    }
    MeetingForms .form-row {
        height: 1;
    }
    MeetingForms .form-label {
        width: 17;
    }
    MeetingForms .form-row Input {
        width: 1fr;
    }
    MeetingForms #update-status {
        height: auto;
        max-height: 6;
    }
    MeetingForms .form-hint {
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="form-plan"):
            yield Static("", id="plan-title", markup=False)
            yield _row("Who will do it?", Input(id="plan-who", compact=True, max_length=60))
            yield _row("Department", Input(id="plan-department", compact=True, max_length=40))
            yield _row("Due date", Input(id="plan-due", compact=True, max_length=10))
            yield _hint("Enter: next box; Enter on the last saves · Escape: cancel")
        with Vertical(id="form-decision"):
            yield Static("", id="decision-title", markup=False)
            yield _row("Decision", Input(id="decision-text", compact=True, max_length=200))
            yield _row("Who sees to it", Input(id="decision-owner", compact=True, max_length=60))
            yield _hint("Enter: next box, then save · Escape: cancel")
        with Vertical(id="form-update"):
            yield Static("", id="update-title", markup=False)
            yield OptionList(id="update-status", compact=True)
            yield _row("What happened", Input(id="update-note", compact=True, max_length=200))
            yield _hint("Press the status's number, write a note, Enter saves · Escape: cancel")
        with Vertical(id="form-finish"):
            yield Static("Write the minutes into this folder:")
            yield Input(id="finish-folder", compact=True)
            yield _hint(
                "Enter: write the minutes (a text file and a page to print) · Escape: cancel"
            )

    def on_mount(self) -> None:
        self.open("")

    def open(self, name: str) -> None:
        """Show form `name` with empty fields ("" hides them all)."""
        for form in FORMS:
            shown = self.query_one(f"#form-{form}")
            shown.display = form == name
            if form == name:
                for field in shown.query(Input):
                    field.value = ""
