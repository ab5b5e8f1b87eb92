"""The unlock screen: passphrase (or recovery key), plain errors, a growing wait after many tries."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static
from textual.worker import Worker, WorkerState

from cwtt_tui.errors import CwttError, WrongPassphrase

if TYPE_CHECKING:
    from cwtt_tui.models import StoreInfo
    from cwtt_tui.store.store import Store

FREE_TRIES = 3
MAX_WAIT_SECONDS = 60


def wait_after(failures: int) -> int:
    """Seconds to wait after `failures` wrong tries: none for the first three, then 2, 4, 8… up to 60."""
    if failures < FREE_TRIES:
        return 0
    return min(2 ** (failures - FREE_TRIES + 1), MAX_WAIT_SECONDS)


class UnlockScreen(Screen["Store"]):
    """Asks for the passphrase; F2 switches to the recovery key. Dismisses with the open store."""

    CSS_PATH = "unlock.tcss"
    TITLE = "Unlock"
    HELP = """
Type **your passphrase** and press **Enter**. Each user has their own passphrase.

Forgotten it? Press **F2** and type the **recovery key** that was written down when this
laptop was set up; you will then choose a new passphrase.

After three wrong tries you must wait a little longer before each new try.
"""
    BINDINGS = [
        Binding("f2", "toggle_recovery", "Recovery key", id="recovery"),
    ]

    def __init__(self, peek: Callable[[], StoreInfo], unlock: Callable[[str, bool], Store]) -> None:
        super().__init__()
        self._peek = peek
        self._unlock = unlock
        self.recovery = False
        self.failures = 0
        self._wait_left = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="unlock-box"):
            yield Static("Unlock cwtt", id="unlock-title")
            yield Static("", id="unlock-store")
            yield Static("Type your passphrase, then press Enter.", id="unlock-prompt")
            yield Input(password=True, id="unlock-input", placeholder="passphrase")
            yield Static("", id="unlock-message")
            yield Static("", id="unlock-demo")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.call_after_refresh(self._load_info)

    def _load_info(self) -> None:
        try:
            info = self._peek()
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self.query_one("#unlock-store", Static).update(
            f"Laptop: {info.laptop_name}   ·   fingerprint {info.fingerprint}"
        )
        if info.is_demo and info.demo_passphrase:
            self.query_one("#unlock-demo", Static).update(
                f"Demo store (synthetic children). Its passphrase is: {info.demo_passphrase}"
            )

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#unlock-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def action_toggle_recovery(self) -> None:
        self.recovery = not self.recovery
        field = self.query_one(Input)
        field.value = ""
        field.password = not self.recovery
        field.placeholder = "recovery key, e.g. 7K2QD-…" if self.recovery else "passphrase"
        prompt = (
            "Type the recovery key (dashes and spaces do not matter), then press Enter."
            if self.recovery
            else "Type your passphrase, then press Enter."
        )
        self.query_one("#unlock-prompt", Static).update(prompt)
        self._say("")
        field.focus()

    @on(Input.Submitted, "#unlock-input")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._wait_left > 0 or not event.value:
            return
        event.input.disabled = True
        self._say("Unlocking…")
        self._try_unlock(event.value, self.recovery)

    @work(thread=True, exclusive=True, group="unlock")
    def _try_unlock(self, secret: str, recovery: bool) -> Store | None:
        try:
            return self._unlock(secret, recovery)
        except CwttError as exc:
            self.app.call_from_thread(self._failed, exc)
            return None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Close once the unlocking worker has finished: closed from inside it, the screen
        would cancel its own worker on the way out."""
        worker = event.worker
        if (
            worker.group == "unlock"
            and event.state == WorkerState.SUCCESS
            and worker.result is not None
        ):
            self.dismiss(worker.result)

    def _failed(self, exc: CwttError) -> None:
        field = self.query_one(Input)
        field.disabled = False
        field.value = ""
        field.focus()
        if not isinstance(exc, WrongPassphrase):
            self._say(exc.message, error=True)
            return
        self.failures += 1
        wait = wait_after(self.failures)
        if wait:
            self._wait_left = wait
            field.disabled = True
            self._tick(exc.message)
        else:
            self._say(exc.message, error=True)

    def _tick(self, reason: str) -> None:
        if self._wait_left <= 0:
            field = self.query_one(Input)
            field.disabled = False
            field.focus()
            self._say(f"{reason} You can try again now.", error=True)
            return
        self._say(f"{reason} Wait {self._wait_left} s before the next try.", error=True)
        self._wait_left -= 1
        self.set_timer(1, lambda: self._tick(reason))
