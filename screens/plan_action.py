"""Planning one action for a child: a suggestion or something else, who does it, which
department, by when, and notes for the team."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from cwtt_tui.errors import CwttError, UsageError
from cwtt_tui.models import DOMAINS, Action
from cwtt_tui.planning import (
    DEPARTMENTS,
    catalogue,
    due_date,
    plan_action,
    plan_suggestion,
    suggestions,
    today,
)
from screens.case import DOMAIN_TITLES, LEVEL_COLOURS
from screens.widgets.action_list import clip

if TYPE_CHECKING:
    from cwtt_tui.planning import Suggestion
    from cwtt_tui.store.store import Store

OWN = "something-else"
#: Days until an action written by hand is due, unless the user changes it.
OWN_DUE_DAYS = 14
SHORT_LEVELS = {"high": "HIGH", "medium": "MED"}
LEVEL_ORDER = {"high": 0, "medium": 1, "low": 2}


class PlanActionScreen(ModalScreen[Action | str | None]):
    """Choose what with a number or the arrows; Enter moves on; Enter on Notes or Ctrl+S saves.

    Dismisses with the planned action, "report" for the s110 suggestion (the caller opens the
    mandatory-report panel), or None when cancelled.
    """

    CSS_PATH = "plan_action.tcss"
    TITLE = "Plan an action"
    HELP = """
Choose **what to do**: press its number, or move with the arrows and press **Enter**. The
suggestions come from the child's flagged domains, HIGH first. **0 Something else** lets you
write your own action and choose its domain.

Then fill in who will do it, the **department** (Enter opens the list; arrows and Enter choose),
the **due date** (filled in from the suggestion; type another as YYYY-MM-DD) and any notes.
**Enter** moves to the next field; **Enter on Notes** or **Ctrl+S** saves. **Escape** cancels.

The report to a social worker (s110) opens the report form instead.
"""
    BINDINGS = [
        *(Binding(str(n), f"pick({n})", show=False) for n in range(10)),
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self, store: Store, child_id: str, round_id: str, child_name: str, levels: dict[str, str]
    ) -> None:
        super().__init__()
        self.store = store
        self.child_id = child_id
        self.round_id = round_id
        self.child_name = child_name
        self.levels = levels
        self.offered: list[Suggestion] = []
        self.problem = ""
        try:
            self.offered = suggestions(store, child_id, round_id, found=catalogue())
        except CwttError as exc:
            self.problem = exc.message
        self._filled = {"department": "", "due": ""}  # what was filled in, to keep user edits

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="plan-box"):
            yield Static(f"Plan an action for {escape(self.child_name)}", id="plan-title")
            yield Static("What to do? Press its number, or ↑ ↓ and Enter:", id="plan-ask")
            yield OptionList(*self._choices(), id="plan-choices")
            yield Static("", id="plan-what-text")
            with Horizontal(classes="plan-row", id="plan-domain-row"):
                yield Label("Domain", classes="plan-label")
                yield Select(
                    [(DOMAIN_TITLES[d], d) for d in self._domains()],
                    allow_blank=False, compact=True, id="plan-domain",
                )  # fmt: skip
            with Horizontal(classes="plan-row", id="plan-what-row"):
                yield Label("What to do", classes="plan-label")
                yield Input(placeholder="in your own words", compact=True, id="plan-what")
            yield Static("", classes="plan-error", id="plan-what-error")
            with Horizontal(classes="plan-row"):
                yield Label("Responsible person", classes="plan-label")
                yield Input(placeholder="who will do it", compact=True, id="plan-responsible")
            with Horizontal(classes="plan-row"):
                yield Label("Department", classes="plan-label")
                yield Select(
                    [(d, d) for d in DEPARTMENTS],
                    prompt="Enter to choose", compact=True, id="plan-department",
                )  # fmt: skip
            with Horizontal(classes="plan-row"):
                yield Label("Due date", classes="plan-label")
                yield Input(placeholder="YYYY-MM-DD", compact=True, max_length=10, id="plan-due")
            yield Static("", classes="plan-error", id="plan-due-error")
            with Horizontal(classes="plan-row"):
                yield Label("Notes", classes="plan-label")
                yield Input(placeholder="for the team (optional)", compact=True, id="plan-notes")
            yield Static(escape(self.problem), id="plan-message")
            yield Static(
                "Enter: next field · Enter on Notes or Ctrl+S: save · Escape: cancel",
                id="plan-keys",
            )

    def _domains(self) -> list[str]:
        """The six domains, the most flagged first (for something else)."""
        return sorted(DOMAINS, key=lambda d: LEVEL_ORDER.get(self.levels.get(d, ""), 3))

    def _choices(self) -> list[Option]:
        options = []
        for n, suggestion in enumerate(self.offered, start=1):
            level = self.levels.get(suggestion.domain, "")
            word = SHORT_LEVELS.get(level, "")
            colour = LEVEL_COLOURS.get(level, "$text")
            key = str(n) if n < 10 else " "
            title = clip(f"{DOMAIN_TITLES[suggestion.domain]}: {suggestion.title.get()}", 62)
            options.append(
                Option(f"{key}  [b {colour}]{word:<4}[/] {escape(title)}", id=suggestion.id)
            )
        options.append(Option("0  Something else: write it yourself", id=OWN))
        return options

    def on_mount(self) -> None:
        choices = self.query_one("#plan-choices", OptionList)
        choices.highlighted = 0
        choices.focus()
        self._show_choice()
        for field in ("what", "due"):
            self._error(field, "")
        for select in self.query(Select):
            self.watch(select, "expanded", self._list_closed, init=False)

    # -- choosing what ---------------------------------------------------------------------------
    @property
    def chosen(self) -> Suggestion | None:
        """The suggestion highlighted now; None for something else."""
        option = self.query_one("#plan-choices", OptionList).highlighted_option
        return next((s for s in self.offered if option and s.id == option.id), None)

    @on(OptionList.OptionHighlighted, "#plan-choices")
    def _show_choice(self) -> None:
        suggestion = self.chosen
        own = suggestion is None
        self.query_one("#plan-domain-row").display = own
        self.query_one("#plan-what-row").display = own
        text = self.query_one("#plan-what-text", Static)
        if suggestion is None:
            text.update("Choose the domain and write what is to be done.")
            self._fill("", OWN_DUE_DAYS)
        elif suggestion.mandatory_report:
            text.update("Press Enter to record the report to a social worker (s110).")
        else:
            text.update(escape(suggestion.what.get()))
            self._fill(suggestion.department, suggestion.due_days)

    def _fill(self, department: str, due_days: int) -> None:
        """Fill the department and due date, unless the user has changed what was filled in."""
        select = self.query_one("#plan-department", Select)
        current = "" if select.value == Select.NULL else str(select.value)
        if current == self._filled["department"]:
            if department:
                select.value = department
            else:
                select.clear()
            self._filled["department"] = department
        due = self.query_one("#plan-due", Input)
        if due.value.strip() == self._filled["due"]:
            due.value = (today(self.store) + timedelta(days=due_days)).isoformat()
            self._filled["due"] = due.value

    @on(OptionList.OptionSelected, "#plan-choices")
    def _chose(self) -> None:
        suggestion = self.chosen
        if suggestion is not None and suggestion.mandatory_report:
            self.dismiss("report")
            return
        self.query_one("#plan-domain" if suggestion is None else "#plan-responsible").focus()

    def action_pick(self, number: int) -> None:
        choices = self.query_one("#plan-choices", OptionList)
        if self.focused not in (choices, None):
            return
        index = choices.option_count - 1 if number == 0 else number - 1
        if index >= min(choices.option_count - 1, 9) and number != 0:
            return
        choices.highlighted = index
        choices.action_select()

    # -- moving on and saving --------------------------------------------------------------------
    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id == "plan-notes":
            self.action_save()
        else:
            self.focus_next()

    def _list_closed(self, expanded: bool) -> None:
        """A pick list closed (a choice made, or Escape): move on once focus is back on it."""
        if not expanded:
            self.call_after_refresh(self._after_list)

    def _after_list(self) -> None:
        if isinstance(self.focused, Select):
            self.focus_next()

    def _error(self, field: str, text: str) -> None:
        shown = self.query_one(f"#plan-{field}-error", Static)
        shown.update(text)
        shown.display = bool(text)

    def action_save(self) -> None:
        message = self.query_one("#plan-message", Static)
        suggestion = self.chosen
        if suggestion is not None and suggestion.mandatory_report:
            self.dismiss("report")
            return
        what = self.query_one("#plan-what", Input).value
        due = self.query_one("#plan-due", Input).value
        self._error("what", "")
        self._error("due", "")
        bad = ""
        if suggestion is None and not what.strip():
            self._error("what", "Write what is to be done.")
            bad = "#plan-what"
        if due.strip():
            try:
                due_date(due, today(self.store))
            except UsageError as exc:
                self._error("due", exc.message)
                bad = bad or "#plan-due"
        if bad:
            message.update("Please correct the field marked above.")
            self.query_one(bad).focus()
            return
        try:
            action = self._plan(suggestion, what, due)
        except CwttError as exc:
            message.update(escape(exc.message))
            return
        self.dismiss(action)

    def _plan(self, suggestion: Suggestion | None, what: str, due: str) -> Action:
        department = self.query_one("#plan-department", Select).value
        fields = {
            "responsible": self.query_one("#plan-responsible", Input).value,
            "department": "" if department == Select.NULL else str(department),
            "due_on": due,
            "notes": self.query_one("#plan-notes", Input).value,
        }
        if suggestion is not None:
            return plan_suggestion(self.store, self.child_id, self.round_id, suggestion, **fields)
        domain = str(self.query_one("#plan-domain", Select).value)
        return plan_action(self.store, self.child_id, self.round_id, domain, what, **fields)

    def action_cancel(self) -> None:
        self.dismiss(None)
