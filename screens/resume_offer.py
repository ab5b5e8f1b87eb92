"""After unlocking: "Continue Zanele's caregiver interview at question 12?" Enter yes, Escape no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static


class ResumeOfferScreen(ModalScreen[bool]):
    """Offers to continue the interview that was stopped (by a power cut, say)."""

    CSS_PATH = "resume_offer.tcss"
    BINDINGS = [
        Binding("enter,y", "answer(True)", "Continue"),
        Binding("escape,n", "answer(False)", "Not now"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        yield Static(
            f"{self.question}\n\nEvery answer given so far is saved.\n\n"
            "Enter: continue now      Escape: not now",
            id="resume-box",
        )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
