"""After unlocking with the recovery key: choose whose passphrase to set, and set it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from cwtt_tui.errors import CwttError
from cwtt_tui.models import ROLE_LABELS
from cwtt_tui.passphrase import strength

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store


class RecoveryResetScreen(Screen[bool]):
    """Pick a user, type a new passphrase twice; their key slot is rewritten."""

    CSS_PATH = "recovery_reset.tcss"
    TITLE = "New passphrase"
    HELP = """
The store was opened with the **recovery key**. Choose whose passphrase was forgotten
(arrows, then Enter), then type a new passphrase twice. Only that person's key slot changes;
no data is re-encrypted.
"""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self._user_id = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="reset-box"):
            yield Static("Opened with the recovery key. Whose passphrase do you want to set?")
            yield OptionList(
                *(
                    Option(f"{u.name} ({ROLE_LABELS[u.role]})", id=u.id)
                    for u in self.store.users.list()
                ),
                id="reset-users",
            )
            yield Static("New passphrase:")
            yield Input(password=True, id="reset-1", disabled=True)
            yield Static("", id="reset-hint")
            yield Static("Type it again:")
            yield Input(password=True, id="reset-2", disabled=True)
            yield Static("", id="reset-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._user_id = str(event.option.id)
        for selector in ("#reset-1", "#reset-2"):
            self.query_one(selector, Input).disabled = False
        self.query_one("#reset-1").focus()

    @on(Input.Changed, "#reset-1")
    def _hint(self, event: Input.Changed) -> None:
        self.query_one("#reset-hint", Static).update(
            strength(event.value).hint if event.value else ""
        )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "reset-1":
            self.query_one("#reset-2").focus()
            return
        first = self.query_one("#reset-1", Input).value
        message = self.query_one("#reset-message", Static)
        if not strength(first).acceptable:
            message.update(f"That passphrase is too weak. {strength(first).hint}")
            return
        if first != event.value:
            message.update("The two passphrases are not the same; type them again.")
            return
        try:
            self.store.sign_in_as(self._user_id)
            self.store.users.set_passphrase(self._user_id, first)
        except CwttError as exc:
            message.update(exc.message)
            return
        self.notify("New passphrase set. Use it from now on.")
        self.dismiss(True)
