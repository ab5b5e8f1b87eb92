"""A yes/no question in a box: Y says yes, N says no; fingerprints may be shown to compare."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from screens.widgets.fingerprint import FingerprintBox


class ConfirmScreen(ModalScreen[bool]):
    """Y answers yes, N answers no; Escape is no unless the question must be answered."""

    CSS_PATH = "confirm.tcss"
    TITLE = "Question"
    HELP = "Read the question, then press **Y** for yes or **N** for no."
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n", "answer(False)", "No", id="confirm-no"),
        Binding("escape", "escape", "No", show=False, id="confirm-escape"),
    ]

    def __init__(
        self,
        question: str,
        detail: str = "",
        *,
        fingerprints: tuple[tuple[str, str], ...] = (),
        keys: str = "Y: yes · N: no",
        must_answer: bool = False,
    ) -> None:
        super().__init__()
        self._question = question
        self._detail = detail
        self._fingerprints = fingerprints
        self._keys = keys
        self._must_answer = must_answer

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self._question, id="confirm-question", markup=False)
            for label, fingerprint in self._fingerprints:
                yield FingerprintBox(label, fingerprint)
            if self._detail:
                yield Static(self._detail, id="confirm-detail", markup=False)
            yield Static(self._keys, id="confirm-keys", markup=False)
        yield Footer()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_escape(self) -> None:
        if self._must_answer:
            self.query_one("#confirm-keys", Static).update(f"Please answer. {self._keys}")
            return
        self.dismiss(False)
