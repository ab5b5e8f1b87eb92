"""The idle lock: covers the screen, keys forgotten, until the same user types their passphrase."""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState

from cwtt_tui.errors import CwttError, WrongPassphrase
from screens.unlock import wait_after


class LockScreen(ModalScreen[None]):
    """Shown after the idle time or Ctrl+L; what was on screen comes back after unlocking."""

    CSS_PATH = "lock.tcss"
    TITLE = "Locked"
    HELP = """
cwtt locked itself because nobody used it for a while (or someone pressed **Ctrl+L**).
The keys were forgotten, so nobody can read the children's data from this laptop now.

**{user}** types their passphrase and presses **Enter** to go on exactly where they were.
Someone else can press **Ctrl+Q** to quit and start cwtt afresh.
"""

    def __init__(self, user_name: str, unlock: Callable[[str], object]) -> None:
        super().__init__()
        self.user_name = user_name or "The user who was working"
        self._unlock = unlock
        self.failures = 0
        self.HELP = self.HELP.replace("{user}", self.user_name)

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="lock-box"):
            yield Static("cwtt is locked", id="lock-title")
            yield Static(f"{self.user_name}: type your passphrase and press Enter to go on.")
            yield Input(password=True, id="lock-input", placeholder="passphrase")
            yield Static("", id="lock-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value:
            return
        event.input.disabled = True
        self._try(event.value)

    @work(thread=True, exclusive=True, group="lock")
    def _try(self, secret: str) -> bool:
        try:
            self._unlock(secret)
        except CwttError as exc:
            self.app.call_from_thread(self._failed, exc)
            return False
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Close once the worker has finished (see `UnlockScreen.on_worker_state_changed`)."""
        worker = event.worker
        if worker.group == "lock" and event.state == WorkerState.SUCCESS and worker.result:
            self.dismiss(None)

    def _failed(self, exc: CwttError) -> None:
        field = self.query_one(Input)
        field.value = ""
        message = self.query_one("#lock-message", Static)
        if isinstance(exc, WrongPassphrase):
            self.failures += 1
        wait = wait_after(self.failures)
        message.update(exc.message + (f" Wait {wait} s before the next try." if wait else ""))
        self.set_timer(max(wait, 0.01), self._enable)

    def _enable(self) -> None:
        field = self.query_one(Input)
        field.disabled = False
        field.focus()
