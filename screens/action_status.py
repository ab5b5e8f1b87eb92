"""Recording what happened to an action: its allowed next statuses, a note, and its history."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from cwtt_tui.errors import CwttError
from cwtt_tui.models import ACTION_STATUSES, Action
from cwtt_tui.planning import ALLOWED, FINAL, PLAN_ROLES, change_status, today
from screens.widgets.action_list import clip, due_text, status_word, who

if TYPE_CHECKING:
    from cwtt_tui.models import StatusChange
    from cwtt_tui.store.store import Store

HINTS = {
    "referred": "sent on to the person or department",
    "in_progress": "being done now",
    "done": "finished: write the outcome",
    "declined": "will not be done: write why",
    "could_not_reach": "nobody could be reached: write what was tried",
}
REOPEN_HINT = "open it again: write why"


def when(at: str) -> str:
    """A stored UTC time as local `YYYY-MM-DD HH:MM` (the text as it is when it is not a time)."""
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return at[:16]
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def history_lines(action: Action) -> list[str]:
    """Planned on a date, then every change: when, by whom, from and to, and its note."""
    lines = [f"{action.meta.created_at[:10]}        {status_word('planned')}"]
    for step in action.history:
        lines.append(_step(step))
        if step.note:
            lines.append(f"                  {step.note}")
    return lines


def _step(step: StatusChange) -> str:
    by = step.by_name or "someone"
    return f"{when(step.at)}  {by}: {status_word(step.from_status)} → {status_word(step.to)}"


class ActionStatusScreen(ModalScreen[Action | None]):
    """Press the number of what happened, write a note, Enter saves; Escape closes unchanged."""

    CSS_PATH = "action_status.tcss"
    TITLE = "What happened to an action"
    HELP = """
Press the **number** of what happened (or move with the arrows and press **Enter**), then write
a note and press **Enter** to save. **Done**, **declined** and **could not reach** need a note
saying what happened (the outcome). A finished action can only be opened again as **in
progress**, with a note saying why. Only a team lead or coordinator may decline an action.

Every change is kept with the date and your name. **Escape** closes without a change.
"""
    BINDINGS = [
        *(Binding(str(n), f"pick({n})", show=False) for n in range(1, 6)),
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, store: Store, action: Action, title: str) -> None:
        super().__init__()
        self.store = store
        self.action = action
        self.title_text = title
        self.choices = [s for s in ACTION_STATUSES if s in ALLOWED[action.status]]
        self.to = ""

    def compose(self) -> ComposeResult:
        action = self.action
        now = f"[b]{status_word(action.status)}[/] · {due_text(action, today(self.store))}"
        with VerticalScroll(id="status-box"):
            yield Static("What happened to this action?", id="status-title")
            yield Static(escape(clip(self.title_text, 74)), id="status-what")
            yield Static(f"Now {now} · {escape(clip(who(action), 36))}", id="status-now")
            yield Static("Press the number of what happened:", id="status-ask")
            yield OptionList(*self._options(), id="status-choices")
            with Horizontal(id="status-row"):
                yield Label("Note (if any)", id="status-label")
                yield Input(compact=True, id="status-note")
            yield Static("", id="status-message")
            history = "\n".join(escape(line) for line in history_lines(action))
            yield Static(f"[b]History[/]\n{history}", id="status-history")
            yield Static("Enter saves · Escape closes without a change", id="status-keys")

    def _options(self) -> list[Option]:
        user = self.store.user
        hints = dict(HINTS)
        if user is None or user.role not in PLAN_ROLES:
            hints["declined"] = "only a team lead or coordinator"
        if self.action.status in FINAL:
            hints = dict.fromkeys(hints, REOPEN_HINT)
        return [
            Option(f"{n}  {status_word(s):<16}[$text-muted]{hints[s]}[/]", id=s)
            for n, s in enumerate(self.choices, start=1)
        ]

    def on_mount(self) -> None:
        self.query_one("#status-choices", OptionList).focus()

    def action_pick(self, number: int) -> None:
        choices = self.query_one("#status-choices", OptionList)
        if self.focused not in (choices, None) or number > len(self.choices):
            return
        choices.highlighted = number - 1
        choices.action_select()

    @on(OptionList.OptionSelected, "#status-choices")
    def _chose(self, event: OptionList.OptionSelected) -> None:
        self.to = event.option.id or ""
        needed = self.to in FINAL or self.action.status in FINAL
        what = "Why reopened" if self.action.status in FINAL else "Outcome"
        label = f"{what} (needed)" if needed else "Note (if any)"
        self.query_one("#status-label", Label).update(label)
        self.query_one("#status-message", Static).update(
            f"New status: {status_word(self.to)}. Write the note, then press Enter."
        )
        self.query_one("#status-note", Input).focus()

    @on(Input.Submitted, "#status-note")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        message = self.query_one("#status-message", Static)
        if not self.to:
            message.update(f"First press the number of what happened (1–{len(self.choices)}).")
            self.query_one("#status-choices").focus()
            return
        note = self.query_one("#status-note", Input).value
        try:
            changed = change_status(self.store, self.action.id, self.to, note)
        except CwttError as exc:
            message.update(escape(exc.message))
            return
        self.dismiss(changed)

    def action_cancel(self) -> None:
        self.dismiss(None)
