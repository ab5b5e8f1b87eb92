"""On quitting: offer a backup when the last one is older than a day (the pilot's first lesson)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from cwtt_tui.errors import CwttError


class BackupOfferScreen(ModalScreen[bool]):
    """Enter backs up to the folder and quits; N quits without; Escape stays in cwtt."""

    CSS_PATH = "backup_offer.tcss"
    TITLE = "Backup before quitting"
    HELP = """
The last backup is more than a day old. A backup on a USB stick saves the children's data if
this laptop is lost, stolen or broken. The backup is encrypted like the store.

Type or check the folder (for example the USB stick) and press **Enter**. **Ctrl+N** quits without
a backup; **Escape** goes back to cwtt.
"""
    BINDINGS = [
        Binding("escape", "stay", "Stay", id="offer-stay"),
        Binding("ctrl+n", "skip", "Quit, no backup", id="offer-skip"),
    ]

    def __init__(
        self, folder: str, backup: Callable[[str], Path], last_backup_at: str | None
    ) -> None:
        super().__init__()
        self._folder = folder
        self._backup = backup
        self._last = last_backup_at

    def compose(self) -> ComposeResult:
        with Vertical(id="offer-box"):
            yield Static("Make a backup before you quit?", id="offer-title")
            yield Static(
                "The last backup is more than a day old. Backup folder (e.g. the USB stick):"
            )
            yield Input(self._folder, id="offer-folder", placeholder="e.g. E:\\ or /media/usb")
            yield Static("Enter: back up and quit · Ctrl+N: quit without · Escape: stay")
            yield Static("", id="offer-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        folder = event.value.strip()
        if not folder:
            self._say("Type the folder for the backup, or press Ctrl+N to quit without one.")
            return
        event.input.disabled = True
        self._say("Backing up…", error=False)
        self._run(folder)

    @work(thread=True, exclusive=True, group="backup")
    def _run(self, folder: str) -> None:
        try:
            target = self._backup(folder)
        except CwttError as exc:
            self.app.call_from_thread(self._failed, exc.message)
            return
        self.app.call_from_thread(self._done, target)

    def _done(self, target: Path) -> None:
        self.notify(f"Backup written to {target}")
        self.dismiss(True)

    def _failed(self, message: str) -> None:
        field = self.query_one(Input)
        field.disabled = False
        field.focus()
        self._say(f"{message} Try another folder, or press Ctrl+N to quit without a backup.")

    def _say(self, text: str, *, error: bool = True) -> None:
        message = self.query_one("#offer-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def action_stay(self) -> None:
        self.dismiss(False)

    def action_skip(self) -> None:
        self.dismiss(True)
