"""Settings: language, theme, large text, idle lock, backup folder; back up now; change your
passphrase."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Select, Static

from cwtt_tui.config import LANGUAGES, Settings
from cwtt_tui.errors import CwttError
from cwtt_tui.passphrase import strength
from questionnaires.model import LANGUAGE_NAMES
from screens.theme import THEME_LABELS

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

LARGE_TEXT_LABELS = {
    False: "Off: the usual layout",
    True: "On: more space in interviews (also Ctrl+T there)",
}


class SettingsScreen(Screen[None]):
    """Ctrl+S saves; Ctrl+B backs up now; Escape goes back (unsaved changes are dropped)."""

    CSS_PATH = "settings.tcss"
    TITLE = "Settings"
    HELP = """
Move between fields with **Tab** and **Shift+Tab**. **Ctrl+S** saves the settings.

- **Language**: the language of questions where a translation exists (English is complete).
- **Theme**: *High contrast* is easiest to read in bright classrooms and on old screens.
- **Large text**: interviews with more space, the question in bold and a line between answers
  (**Ctrl+T** during an interview switches it too). For **bigger letters**, use the terminal's
  own zoom: hold **Ctrl** and press **+** (in Windows Terminal and most Linux terminals; **Ctrl**
  and **-** undoes it); cwtt fits itself to the new size.
- **Idle lock**: after this many minutes without a key press, cwtt locks and forgets its keys.
- **Backup folder**: where backups go, e.g. a USB stick. **Ctrl+B** backs up now.
- **Change passphrase**: type the new one twice and press **Enter**.
- **Ctrl+U** lists the users of this laptop, to add or remove one.
"""
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="settings-save"),
        Binding("ctrl+b", "backup", "Back up now", id="settings-backup"),
        Binding("ctrl+u", "users", "Users", id="settings-users"),
        Binding("escape", "app.pop_screen", "Back", id="settings-back"),
    ]

    def __init__(
        self,
        settings: Settings,
        save: Callable[[Settings], None],
        backup: Callable[[str], Path],
        store: Store,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._save = save
        self._backup = backup
        self.store = store

    def compose(self) -> ComposeResult:
        s = self.settings
        yield Header()
        with VerticalScroll(id="settings-form"):
            with Horizontal(classes="row"):
                yield Static("Language", classes="label")
                yield Select(
                    [(LANGUAGE_NAMES[c], c) for c in LANGUAGES], value=s.language,
                    allow_blank=False, id="language",
                )  # fmt: skip
            with Horizontal(classes="row"):
                yield Static("Theme", classes="label")
                yield Select(
                    [(label, name) for name, label in THEME_LABELS.items()], value=s.theme,
                    allow_blank=False, id="theme",
                )  # fmt: skip
            with Horizontal(classes="row"):
                yield Static("Large text", classes="label")
                yield Select(
                    [(label, on) for on, label in LARGE_TEXT_LABELS.items()], value=s.large_text,
                    allow_blank=False, id="large-text",
                )  # fmt: skip
            with Horizontal(classes="row"):
                yield Static("Idle lock (minutes)", classes="label")
                yield Input(
                    str(s.idle_lock_minutes), restrict=r"\d{0,3}", id="idle", type="integer"
                )
            with Horizontal(classes="row"):
                yield Static("Backup folder", classes="label")
                yield Input(
                    s.backup_folder, id="backup-folder", placeholder="e.g. E:\\ or /media/usb"
                )
            with Horizontal(classes="row"):
                yield Static("New passphrase", classes="label")
                yield Input(password=True, id="new-pass-1", placeholder="leave empty to keep")
            with Horizontal(classes="row"):
                yield Static("Again", classes="label")
                yield Input(password=True, id="new-pass-2")
        yield Static("", id="settings-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#language").focus()

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#settings-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def _form(self) -> Settings:
        idle_text = self.query_one("#idle", Input).value or "0"
        return replace(
            self.settings,
            language=str(self.query_one("#language", Select).value),
            theme=str(self.query_one("#theme", Select).value),
            large_text=self.query_one("#large-text", Select).value is True,
            idle_lock_minutes=int(idle_text),
            backup_folder=self.query_one("#backup-folder", Input).value.strip(),
        )

    @on(Select.Changed, "#theme")
    def _preview_theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.app.theme = event.value

    def action_save(self) -> None:
        wanted = self._form()
        if not 1 <= wanted.idle_lock_minutes <= 240:
            self._say("The idle lock must be between 1 and 240 minutes.", error=True)
            self.query_one("#idle").focus()
            return
        try:
            self._save(wanted)
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self.settings = wanted
        self._say("Settings saved.")

    def action_users(self) -> None:
        from screens.users import UsersScreen

        self.app.push_screen(UsersScreen(self.store))

    def action_backup(self) -> None:
        folder = self.query_one("#backup-folder", Input).value.strip()
        if not folder:
            self._say("Type a backup folder first (for example the USB stick).", error=True)
            self.query_one("#backup-folder").focus()
            return
        self._say("Backing up…")
        self._run_backup(folder)

    @work(thread=True, exclusive=True, group="backup")
    def _run_backup(self, folder: str) -> None:
        try:
            target = self._backup(folder)
        except CwttError as exc:
            self.app.call_from_thread(self._say, exc.message, error=True)
            return
        self.app.call_from_thread(self._say, f"Backup written to {target}")

    @on(Input.Submitted, "#new-pass-1")
    def _next_pass(self) -> None:
        self.query_one("#new-pass-2").focus()

    @on(Input.Submitted, "#new-pass-2")
    def _change_passphrase(self) -> None:
        first = self.query_one("#new-pass-1", Input).value
        second = self.query_one("#new-pass-2", Input).value
        if not strength(first).acceptable:
            self._say(f"That passphrase is too weak. {strength(first).hint}", error=True)
            return
        if first != second:
            self._say("The two passphrases are not the same; type them again.", error=True)
            return
        user = self.store.user
        if user is None:
            return
        try:
            self.store.users.set_passphrase(user.id, first)
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        for selector in ("#new-pass-1", "#new-pass-2"):
            self.query_one(selector, Input).value = ""
        self._say("Your passphrase is changed. Use the new one from now on.")
