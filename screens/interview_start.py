"""Choose whom to interview about the chosen child: 1 child, 2 caregiver, 3 teacher, 4 health."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from cwtt_tui.interviewing import RESPONDENT_LABELS, respondent_statuses

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

WHO_ASKS = {
    "child": "read each question aloud",
    "caregiver": "in their own language",
    "teacher": "the class teacher",
    "health": "a nurse: measure, screen",
}


class InterviewStartScreen(Screen[tuple[str, str | None] | None]):
    """Dismisses with (respondent, interview id to continue or None to start), or None."""

    CSS_PATH = "interview_start.tcss"
    TITLE = "New interview"
    HELP = """
Press **1** to **4** to choose whom you are interviewing about this child. An interview that was
stopped continues where it stopped; a finished one opens on its review page, where any answer
can be corrected. "For trained staff" counts sensitive questions left for a colleague trained to
ask them. **Escape** goes back to the list of children.
"""
    BINDINGS = [
        *(
            Binding(str(n), f"choose({n - 1})", RESPONDENT_LABELS[r], show=False)
            for n, r in enumerate(RESPONDENT_LABELS, 1)
        ),  # fmt: skip
        Binding("escape", "cancel", "Back", id="start-back"),
    ]

    def __init__(self, store: Store, child_id: str, round_id: str) -> None:
        super().__init__()
        self.store = store
        self.child = store.children.get(child_id, viewed=True)
        self.round = store.rounds.get(round_id)
        self.statuses = respondent_statuses(store, child_id, round_id)

    def compose(self) -> ComposeResult:
        d = self.child.details
        today = self.store.ctx.clock().date()
        years = (today - d.date_of_birth).days // 365
        yield Header()
        with Vertical(id="start-box"):
            yield Static(
                f"{d.full_name} · Grade {d.grade} · class {d.class_name} · {years} years · "
                f"{self.round.name}",
                id="start-child",
            )
            yield Static("Whom are you interviewing? Press 1 to 4.", id="start-prompt")
            options = []
            for n, status in enumerate(self.statuses, 1):
                label = RESPONDENT_LABELS[status.respondent]
                state = {
                    "not started": "not started",
                    "draft": f"stopped at {status.answered}: continue",
                    "complete": "finished: review",
                }[status.status]
                if status.left:
                    state += f" · {status.left} for trained staff"
                options.append(
                    Option(f"{n}  {label:<10} {WHO_ASKS[status.respondent]:<26} {state}")
                )
            yield OptionList(*options, id="start-respondents")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_choose(event.option_index)

    def action_choose(self, index: int) -> None:
        status = self.statuses[index]
        self.dismiss((status.respondent, status.interview_id))

    def action_cancel(self) -> None:
        self.dismiss(None)
