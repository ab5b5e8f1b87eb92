"""The composition root: the Textual App that holds the unlocked store and wires the screens."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from cwtt_tui import config
from cwtt_tui.app_interviews import InterviewFlows
from cwtt_tui.config import Settings
from cwtt_tui.errors import CwttError
from screens.theme import THEMES

if TYPE_CHECKING:  # models are imported lazily: 15 dataclasses cost ~15 ms at start
    from cwtt_tui.crypto.kdf import KdfParams
    from cwtt_tui.models import NewStore, StoreInfo
    from cwtt_tui.store.store import Store

Clock = Callable[[], datetime]
BACKUP_EVERY = timedelta(days=1)
BUNDLE_CHOICES = ("export", "import", "peers", "conflicts")


def _utc_now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)


#: Key symbols outside what the fonts of a plain Windows console draw, and the words instead.
PLAIN_KEY_NAMES = {"⏎": "Enter", "⌫": "Bksp"}


class CwttApp(InterviewFlows, App[int]):
    """cwtt: setup or unlock first, then the home screen; locks itself when left idle."""

    TITLE = "cwtt"
    SUB_TITLE = "Child Wellbeing Tracking Tool"
    CSS_PATH = Path(__file__).parent / "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+l", "lock", "Lock", show=False, id="lock"),
        Binding("ctrl+q", "request_quit", "Quit", priority=True, id="quit"),
    ]

    def get_key_display(self, binding: Binding) -> str:
        """Keys as words where Textual draws a symbol that old console fonts lack (Enter)."""
        shown = super().get_key_display(binding)
        return PLAIN_KEY_NAMES.get(shown, shown)

    def __init__(
        self,
        store_path: Path,
        *,
        settings: Settings | None = None,
        settings_file: Path | None = None,
        clock: Clock = _utc_now,
        kdf: Callable[[], KdfParams] | None = None,
        idle_check_seconds: float = 10.0,
    ) -> None:
        super().__init__()
        self.store_path = Path(store_path)
        self.settings = settings or Settings()
        self.settings_file = settings_file
        self.clock = clock
        self._kdf = kdf
        self.store: Store | None = None
        self._last_activity = time.monotonic()
        self._idle_check_seconds = idle_check_seconds
        for theme in THEMES:  # before the first frame, so the screen is styled once
            self.register_theme(theme)
        self.theme = self.settings.theme

    # -- start-up -------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.store_path.exists():
            from screens.unlock import UnlockScreen

            self.push_screen(UnlockScreen(self.peek_store, self.unlock_store), self._unlocked)
        else:
            from screens.setup_wizard import SetupScreen

            self.push_screen(SetupScreen(self.create_store), lambda _store: self.show_home())
        self.set_interval(self._idle_check_seconds, self._check_idle)

    # -- services the screens call (from worker threads where slow) -------------------------
    def peek_store(self) -> StoreInfo:
        from cwtt_tui.store.peek import peek_store

        return peek_store(self.store_path)

    def unlock_store(self, secret: str, recovery: bool) -> Store:
        """Open the store (runs in a worker: Argon2id takes about half a second)."""
        from cwtt_tui.store.store import unlock_store

        store = unlock_store(self.store_path, secret, recovery=recovery, clock=self.clock)
        self.store = store
        return store

    def create_store(self, answers: NewStore) -> tuple[Store, str]:
        """Make the store from the setup wizard's answers (runs in a worker)."""
        from cwtt_tui.commands import kdf_params
        from cwtt_tui.store.store import create_store

        store, recovery_key = create_store(
            self.store_path,
            school_emis=answers.school_emis,
            school_name=answers.school_name,
            laptop_name=answers.laptop_name,
            user_name=answers.user_name,
            role=answers.role,
            passphrase=answers.passphrase,
            kdf=(self._kdf or kdf_params)(),
            clock=self.clock,
        )
        self.store = store
        return store, recovery_key

    def save_settings(self, settings: Settings) -> None:
        config.save_settings(settings, self.settings_file)
        self.settings = settings
        self.theme = settings.theme

    def backup_now(self, folder: str) -> Path:
        """Back up the open store into `folder` (runs in a worker)."""
        from cwtt_tui.store.backup import backup_store

        assert self.store is not None
        return backup_store(self.store, Path(folder).expanduser(), clock=self.clock)

    def backup_due(self) -> bool:
        """True when the last backup is older than a day (or there is none)."""
        if self.store is None or self.store.is_locked:
            return False
        last = self.peek_store().last_backup_at
        if not last:
            return True
        taken = datetime.fromisoformat(last.replace("Z", "+00:00"))
        return self.clock() - taken > BACKUP_EVERY

    # -- navigation --------------------------------------------------------------------------
    def _unlocked(self, store: Store | None) -> None:
        if store is not None and store.opened_with_recovery_key:
            from screens.recovery_reset import RecoveryResetScreen

            self.push_screen(RecoveryResetScreen(store), lambda _done: self.show_home())
            return
        self.show_home()

    def show_home(self) -> None:
        """Show the home screen on its own (everything above the base screen is closed)."""
        from screens.home import HomeScreen

        assert self.store is not None
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(HomeScreen(self.store, self.open_choice, self.clock))
        self.call_after_refresh(self._offer_resume)
        self.call_after_refresh(self._check_rules)

    def _check_rules(self) -> None:
        from cwtt_tui.assessing import rescore_if_rules_changed, rules_changed

        if self.store is None or self.store.is_locked:
            return
        try:
            if not rules_changed(self.store):
                rescore_if_rules_changed(self.store)  # records the digest; scores nothing
                return
        except CwttError:
            return
        self.notify("The scoring rules changed: scoring the children again…")
        self._rescore_if_rules_changed()

    @work(thread=True, exclusive=True, group="rescore")
    def _rescore_if_rules_changed(self) -> None:
        """After a rules file changed, score the current round again and say who changed."""
        from cwtt_tui.assessing import rescore_if_rules_changed

        if self.store is None:
            return
        try:
            report = rescore_if_rules_changed(self.store)
        except CwttError as exc:
            self.call_from_thread(self.notify, exc.message, severity="error")
            return
        if report is not None:
            changed = len({c.child_id for c in report.changes})
            self.call_from_thread(
                self.notify,
                f"The scoring rules changed: {report.children} children scored again, "
                f"{changed} changed level.",
                timeout=10,
            )

    def open_choice(self, choice: str) -> None:
        """Open one of the home screen's numbered choices."""
        if choice in ("interview", "children"):
            from screens.children import ChildrenScreen

            assert self.store is not None
            purpose = "Whom is the interview about?" if choice == "interview" else "Children"
            self.push_screen(ChildrenScreen(self.store, purpose), self._child_chosen)
            return
        if choice == "drafts":
            from screens.drafts import DraftsScreen

            assert self.store is not None
            self.push_screen(DraftsScreen(self.store), self._continue_draft)
            return
        if choice == "board":
            from screens.board import BoardScreen

            assert self.store is not None
            self.push_screen(BoardScreen(self.store))
            return
        if choice == "settings":
            from screens.settings import SettingsScreen

            assert self.store is not None
            self.push_screen(
                SettingsScreen(self.settings, self.save_settings, self.backup_now, self.store)
            )
            return
        if choice in BUNDLE_CHOICES:
            assert self.store is not None
            self.push_screen(self._bundle_screen(choice)(self.store))
            return
        if choice == "reports":
            from screens.reports import ReportsScreen

            assert self.store is not None
            self.push_screen(ReportsScreen(self.store))
            return
        raise ValueError(f"unknown home choice {choice!r}")

    @staticmethod
    def _bundle_screen(choice: str) -> type[Screen]:
        """The screens that move records between laptops (imported when first opened)."""
        if choice == "export":
            from screens.export_bundle import ExportScreen

            return ExportScreen
        if choice == "import":
            from screens.import_bundle import ImportScreen

            return ImportScreen
        if choice == "peers":
            from screens.peers import PeersScreen

            return PeersScreen
        from screens.conflicts import ConflictsScreen

        return ConflictsScreen

    # -- idle lock ---------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self._last_activity = time.monotonic()
        await super().on_event(event)

    def _check_idle(self) -> None:
        idle = time.monotonic() - self._last_activity
        if idle >= self.settings.idle_lock_minutes * 60:
            self.action_lock()

    def action_lock(self) -> None:
        """Forget the keys and cover the screen until the same user types their passphrase."""
        from screens.lock import LockScreen

        store = self.store
        if store is None or store.is_locked or isinstance(self.screen, LockScreen):
            return
        user_name = store.user.name if store.user else ""
        store.lock()
        self.push_screen(LockScreen(user_name, store.unlock))

    # -- help, palette, quitting -----------------------------------------------------------------
    def action_help(self) -> None:
        from screens.help import HelpScreen

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        keys = [
            (binding.key_display or self.get_key_display(binding), binding.description)
            for (_, binding, enabled, _tooltip) in screen.active_bindings.values()
            if enabled and binding.description and binding.key not in ("tab", "shift+tab")
        ]
        title = getattr(screen, "TITLE", None) or screen.__class__.__name__.removesuffix("Screen")
        self.push_screen(HelpScreen(title, screen.HELP or "", keys))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.store is not None and not self.store.is_locked:
            yield SystemCommand("Home", "Go to the home screen", self.show_home)
            yield SystemCommand(
                "Lock now", "Forget the keys until the passphrase is typed", self.action_lock
            )
            yield SystemCommand(
                "Settings",
                "Language, theme, idle lock, backup folder",
                lambda: self.open_choice("settings"),
            )
            yield SystemCommand(
                "Trusted laptops",
                "This laptop's fingerprint; add or revoke other laptops",
                lambda: self.open_choice("peers"),
            )
            yield SystemCommand(
                "Needs review",
                "Records changed on two laptops: choose which version to keep",
                lambda: self.open_choice("conflicts"),
            )
        yield SystemCommand("Help", "What this screen is for and its keys", self.action_help)

    def action_request_quit(self) -> None:
        """Quit, offering a backup first when the last one is older than a day."""
        if self.store is not None and self.backup_due():
            from screens.backup_offer import BackupOfferScreen

            if isinstance(self.screen, BackupOfferScreen):
                return
            self.push_screen(
                BackupOfferScreen(
                    self.settings.backup_folder, self.backup_now, self.peek_store().last_backup_at
                ),
                self._quit_after_offer,
            )
            return
        self._close_and_exit()

    def _quit_after_offer(self, quit_now: bool | None) -> None:
        if quit_now:
            self._close_and_exit()

    def _close_and_exit(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
        self.exit(0)

    def _fatal_error(self) -> None:
        """Show a crash without local variables: they may hold a passphrase or a child's name."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()


def make_app(store_path: Path, *, settings: Settings | None = None, **kwargs: object) -> CwttApp:
    """Build the app as `cwtt` runs it (tests and benchmarks use the same factory)."""
    return CwttApp(store_path, settings=settings, **kwargs)  # type: ignore[arg-type]


def self_check(app: CwttApp) -> int:
    """Start the app headless on the demo store, unlock it and reach the home screen.

    Proves the README's first command works on a machine without a terminal (CI).
    """
    from cwtt_tui.store.peek import DEMO_PASSPHRASE

    outcome: dict[str, str] = {}

    async def drive(pilot) -> None:  # type: ignore[no-untyped-def]
        from screens.home import HomeScreen

        await pilot.pause()
        await pilot.press(*DEMO_PASSPHRASE)
        await pilot.press("enter")
        for _ in range(200):
            await pilot.pause(0.05)
            if isinstance(pilot.app.screen, HomeScreen):
                outcome["screen"] = "home"
                break
        pilot.app.exit(0 if outcome else 1)

    try:
        app.run(headless=True, size=(80, 24), auto_pilot=drive)
    except CwttError as exc:
        print(f"cwtt: self-check failed: {exc.message}")
        return 1
    finally:
        if app.store is not None:
            app.store.close()
    if outcome.get("screen") != "home":
        print("cwtt: self-check failed: the home screen did not appear after unlocking.")
        return 1
    print("cwtt: self-check passed (demo store unlocked, home screen shown).")
    return 0
