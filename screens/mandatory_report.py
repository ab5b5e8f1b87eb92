"""The mandatory-report panel: it cannot be closed without saying what was done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from cwtt_tui.errors import CwttError
from cwtt_tui.reporting import RECIPIENTS, WHAT_TO_DO_TODAY, ReportDue, record_report
from cwtt_tui.sensitivity import may_see

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store


class MandatoryReportScreen(ModalScreen[bool]):
    """Pick 1-3 for who received the report, fill date, person and reference, Ctrl+S records."""

    CSS_PATH = "mandatory_report.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Record the report"),
        Binding("1", "recipient('organisation')", "Organisation", show=False),
        Binding("2", "recipient('social_development')", "Social Development", show=False),
        Binding("3", "recipient('police')", "Police", show=False),
    ]

    def __init__(self, store: Store, due: ReportDue, child_name: str) -> None:
        super().__init__()
        self.store = store
        self.due = due
        self.child_name = child_name
        self.recipient = ""

    def compose(self) -> ComposeResult:
        shown = self.due.shown_reasons(may_see(self.store.user))
        reasons = "\n".join(f"  - {text}" for text in shown) or "  - (see the case)"
        options = "".join(
            f"\n  {n}  {label}" for n, (label, _) in enumerate(RECIPIENTS.values(), 1)
        )
        with VerticalScroll(id="report-box"):
            yield Static(f"A report is required for {self.child_name}", id="report-title")
            yield Static(f"Why:\n{reasons}")
            yield Static(f"What to do today: {WHAT_TO_DO_TODAY}", id="report-todo")
            yield Static(f"Reported to (press 1, 2 or 3):{options}", id="report-to")
            with Horizontal(classes="report-row"):
                yield Static("Date reported", classes="report-label")
                yield Input(self.store.ctx.clock().date().isoformat(), id="report-date")
            with Horizontal(classes="report-row"):
                yield Static("Person spoken to", classes="report-label")
                yield Input(id="report-person", placeholder="name of the social worker or officer")
            with Horizontal(classes="report-row"):
                yield Static("Reference number", classes="report-label")
                yield Input(id="report-reference", placeholder="case or OB number, if given")
            yield Static(
                "Ctrl+S records the report. This panel stays until it is recorded.",
                id="report-message",
            )

    def on_mount(self) -> None:
        self.query_one("#report-box").focus()

    def action_recipient(self, key: str) -> None:
        if isinstance(self.focused, Input):
            return
        self.recipient = key
        label = RECIPIENTS[key][0]
        self.query_one("#report-to", Static).update(f"Reported to: {label}  (1, 2 or 3 to change)")
        self.query_one("#report-date").focus()

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        message = self.query_one("#report-message", Static)
        if not self.recipient:
            message.update("First say who received the report: press 1, 2 or 3 now.")
            self.query_one("#report-box").focus()
            return
        try:
            record_report(
                self.store, self.due, recipient=self.recipient,
                person=self.query_one("#report-person", Input).value,
                reference=self.query_one("#report-reference", Input).value,
                reported_on=self.query_one("#report-date", Input).value,
            )  # fmt: skip
        except CwttError as exc:
            message.update(exc.message)
            return
        self.notify("The report is recorded as an action, marked referred.")
        self.dismiss(True)
