"""Rounds: the assessment waves with their dates and counts; open a new one, close one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from cwtt_tui.errors import CwttError
from cwtt_tui.models import RoundActivity
from cwtt_tui.planning import today
from cwtt_tui.rounds import ROUND_ROLES, close_round, open_round

if TYPE_CHECKING:
    from cwtt_tui.models import Round
    from cwtt_tui.store.store import Store

NAME_WIDTH = 24
HEADING = f"  #  {'Name'.ljust(NAME_WIDTH)}  Starts      Ends        Status  Scored"
NOT_ALLOWED = "Only a team lead or coordinator may {what} a round."


def round_line(round_: Round, activity: RoundActivity) -> str:
    """One round as a line of the list (at most 72 characters)."""
    name = round_.name if len(round_.name) <= NAME_WIDTH else round_.name[: NAME_WIDTH - 1] + "…"
    return (
        f"{round_.number:>3}  {name.ljust(NAME_WIDTH)}  {round_.starts_on or '—':<10}  "
        f"{round_.ends_on or '—':<10}  {round_.status:<6}  {activity.scored:>6}"
    )


class RoundsScreen(Screen[None]):
    """N opens a new round, C closes the highlighted one (yes/no); Escape goes back."""

    CSS_PATH = "rounds.tcss"
    TITLE = "Rounds"
    HELP = """
A **round** is one wave of assessments: the baseline, then each follow-up. Every interview
belongs to a round; new interviews go to the **latest open round**. The board shows one round at
a time, and the change since the round before.

- **N**: open a new round: type its name (e.g. *Follow-up 2026-T3*) and its first day.
- **C**: close the highlighted round (you are asked first). A closed round stays on the board
  and in the reports; new interviews then go to the latest round still open.

Only team leads and coordinators may open or close rounds.
"""
    BINDINGS = [
        Binding("n", "new", "New round", id="rounds-new"),
        Binding("c", "close", "Close round", id="rounds-close"),
        Binding("escape", "back", "Back", id="rounds-back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.rounds: list[Round] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="rounds-body"):
            yield Static(HEADING, id="rounds-heading", markup=False)
            yield OptionList(id="rounds-list", compact=True)
            yield Static("", id="rounds-current", markup=False)
            with Vertical(id="rounds-form"):
                yield Static("A new round", id="rounds-form-title")
                with Horizontal(classes="form-row"):
                    yield Static("Name", classes="form-label")
                    yield Input(
                        id="round-name", compact=True, max_length=60,
                        placeholder="e.g. Follow-up 2026-T3",
                    )  # fmt: skip
                with Horizontal(classes="form-row"):
                    yield Static("First day", classes="form-label")
                    yield Input(id="round-starts", compact=True, max_length=10)
                yield Static(
                    "Enter: next box, then open the round · Escape: cancel", classes="form-hint"
                )
        yield Static("", id="rounds-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#rounds-form").display = False
        self._reload()
        self.query_one("#rounds-list").focus()

    def _reload(self, highlight: str = "") -> None:
        self.rounds = self.store.rounds.list()
        activity = self.store.rounds.activity()
        listing = self.query_one("#rounds-list", OptionList)
        listing.clear_options()
        for round_ in self.rounds:
            listing.add_option(
                Option(round_line(round_, activity.get(round_.id, RoundActivity())), id=round_.id)
            )
        ids = [r.id for r in self.rounds]
        if ids:
            listing.highlighted = ids.index(highlight) if highlight in ids else len(ids) - 1
        current = self.store.rounds.current()
        self.query_one("#rounds-current", Static).update(
            f"New interviews go to round {current.number} ({current.name})."
            if current
            else "No round is open: press N to open one before the next visit."
            if self.rounds
            else "There is no round yet: press N to open the first one (e.g. Baseline 2026)."
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#rounds-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def _allowed(self, what: str) -> bool:
        user = self.store.user
        if user is None or user.role not in ROUND_ROLES:
            self._say(NOT_ALLOWED.format(what=what), error=True)
            return False
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new", "close"):
            return not self.query_one("#rounds-form").display
        return True

    def action_new(self) -> None:
        if not self._allowed("open"):
            return
        self.query_one("#rounds-form").display = True
        self.query_one("#round-name", Input).value = ""
        self.query_one("#round-starts", Input).value = today(self.store).isoformat()
        self.query_one("#round-name").focus()
        self._say("Type the new round's name, then Enter.")
        self.refresh_bindings()

    @on(Input.Submitted, "#round-name")
    def _to_starts(self) -> None:
        self.query_one("#round-starts").focus()
        self._say("The first day of the round (YYYY-MM-DD), then Enter.")

    @on(Input.Submitted, "#round-starts")
    def _open(self) -> None:
        name = self.query_one("#round-name", Input).value
        starts = self.query_one("#round-starts", Input).value
        others = [r for r in self.rounds if r.status == "open"]
        try:
            made = open_round(self.store, name, starts)
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self._close_form()
        self._reload(made.id)
        still = (
            f" Round {others[-1].number} is still open: press C on it to close it."
            if others
            else ""
        )
        self._say(f"Opened round {made.number} ({made.name}); new interviews go to it.{still}")

    def _close_form(self) -> None:
        self.query_one("#rounds-form").display = False
        self.query_one("#rounds-list").focus()
        self.refresh_bindings()

    def action_close(self) -> None:
        from screens.confirm import ConfirmScreen

        listing = self.query_one("#rounds-list", OptionList)
        if listing.highlighted is None or not self.rounds or not self._allowed("close"):
            return
        round_ = self.rounds[listing.highlighted]
        if round_.status == "closed":
            self._say(f"Round {round_.number} ({round_.name}) is already closed.", error=True)
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                self._say("The round stays open.")
                return
            try:
                closed = close_round(self.store, round_.id)
            except CwttError as exc:
                self._say(exc.message, error=True)
                return
            self._reload(closed.id)
            self._say(f"Closed round {closed.number} ({closed.name}).")

        self.app.push_screen(
            ConfirmScreen(
                f"Close round {round_.number} ({round_.name})?",
                "A closed round stays on the board and in the reports. New interviews go to "
                "the latest round still open.",
            ),
            answered,
        )

    def action_back(self) -> None:
        if self.query_one("#rounds-form").display:
            self._close_form()
            self._say("")
            return
        self.app.pop_screen()
