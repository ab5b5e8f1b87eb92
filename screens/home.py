"""The home screen: big numbered choices, each one key away, and the state of this laptop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from cwtt_tui.models import ROLE_LABELS

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

CHOICES: tuple[tuple[str, str, str], ...] = (
    ("interview", "New interview", "Ask questions one at a time"),
    ("drafts", "Continue a draft", "Finish a stopped interview"),
    ("children", "Children", "Find or register a child"),
    ("board", "Risk board", "Six domains per child, in colour"),
    ("export", "Export", "Signed bundle for USB or e-mail"),
    ("import", "Import", "Bundles from other laptops"),
    ("reports", "Reports", "Tables for team meetings"),
    ("settings", "Settings", "Language, theme, lock, backups"),
)


class Choice(Static, can_focus=True):
    """One big numbered choice; Enter or its number opens it."""

    def __init__(self, number: int, key: str, title: str, hint: str) -> None:
        super().__init__(f"[b]{number}[/b]  {title}\n   {hint}", id=f"choice-{key}", markup=True)
        self.key = key


class HomeScreen(Screen[None]):
    """Eight numbered choices; press 1–8, or move with the arrows and press Enter."""

    CSS_PATH = "home.tcss"
    TITLE = "Home"
    HELP = """
Press a **number key** to open a choice, or move with the **arrow keys** and press **Enter**.

- **1 New interview** and **2 Continue a draft**: ask the questions, one at a time. Every answer is saved at once.
- **4 Risk board**: every child with the six domains in colour and in words. A red line under
  the status counts the actions **overdue**; follow them up from a child's case.
- **5 Export** and **6 Import**: move data between laptops on a USB stick or by e-mail.
- **8 Settings**: language, theme, idle lock, backup folder and users.

**Ctrl+L** locks cwtt at once; **Ctrl+Q** quits (you are offered a backup first).
"""
    BINDINGS = [
        *(
            Binding(str(n), f"open('{key}')", title, show=False, id=f"home-{key}")
            for n, (key, title, _hint) in enumerate(CHOICES, start=1)
        ),
        Binding("enter", "open_focused", "Open", id="home-open"),
        Binding("up", "move(-2)", "Up", show=False),
        Binding("down", "move(2)", "Down", show=False),
        Binding("left", "move(-1)", "Left", show=False),
        Binding("right", "move(1)", "Right", show=False),
        Binding("ctrl+l", "app.lock", "Lock", id="home-lock"),
    ]

    def __init__(
        self, store: Store, open_choice: Callable[[str], None], clock: Callable[[], datetime]
    ) -> None:
        super().__init__()
        self.store = store
        self._open_choice = open_choice
        self._clock = clock

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="home-status")
        yield Static("", id="home-overdue")
        with Grid(id="home-grid"):
            for n, (key, title, hint) in enumerate(CHOICES, start=1):
                yield Choice(n, key, title, hint)
        yield Footer()

    def on_mount(self) -> None:
        self.query(Choice).first().focus()
        self.refresh_status()

    def on_screen_resume(self) -> None:
        self.refresh_status()

    def refresh_status(self) -> None:
        """One line about who is working here and what waits to be done."""
        store = self.store
        if store.is_locked:
            return
        user = store.user
        school = store.home_school()
        info = store.info()
        drafts = store.interviews.draft_count()  # counted, not decrypted: a coordinator's
        children = store.children.shown_count()  # 100,000 children took 4 s and 180 MB
        backup = "never" if not info.last_backup_at else info.last_backup_at[:10]
        who = f"{user.name} ({ROLE_LABELS[user.role]})" if user else "recovery"
        self.sub_title = school.name if school else info.laptop_name
        self.query_one("#home-status", Static).update(
            f"{who} · {children} children · {drafts} drafts · backup: {backup}"
        )
        self._show_overdue()

    def _show_overdue(self) -> None:
        """Overdue actions in red, in words (about 13 ms on the 200-child demo store)."""
        from cwtt_tui.planning import overdue_actions, today

        count = len(overdue_actions(self.store, today(self.store)))
        line = self.query_one("#home-overdue", Static)
        noun = "action" if count == 1 else "actions"
        line.update(f"{count} {noun} overdue — open the board: press 4")
        line.display = count > 0

    def action_open(self, key: str) -> None:
        self._open_choice(key)

    def action_open_focused(self) -> None:
        focused = self.focused
        if isinstance(focused, Choice):
            self._open_choice(focused.key)

    def action_move(self, step: int) -> None:
        choices = list(self.query(Choice))
        focused = self.focused
        index = choices.index(focused) if focused in choices else 0
        choices[max(0, min(len(choices) - 1, index + step))].focus()
