"""Interviews that were stopped: newest first; Enter continues one where it stopped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from cwtt_tui.interviewing import RESPONDENT_LABELS

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store


class DraftsScreen(Screen[str | None]):
    """Dismisses with the id of the draft to continue, or None."""

    CSS_PATH = "drafts.tcss"
    TITLE = "Continue a draft"
    HELP = "Move to an interview and press **Enter** to continue where it stopped. **Escape** goes back."
    BINDINGS = [Binding("escape", "cancel", "Back", id="drafts-back")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        drafts = self.store.interviews.drafts()
        children = {c.id: c for c in self.store.children.list()}
        options = []
        for draft in drafts:
            child = children.get(draft.child_id)
            if child is None:
                continue
            d = child.details
            who = RESPONDENT_LABELS.get(draft.respondent, draft.respondent)
            when = (draft.meta.updated_at if draft.meta else draft.started_at)[:16].replace(
                "T", " "
            )
            options.append(
                Option(
                    f"{d.full_name[:28]:<29} {who:<10} {len(draft.answers):>3} answers  {when}",
                    id=draft.id,
                )
            )
        yield Static(
            f"{len(options)} interviews were stopped before the end."
            if options
            else "No stopped interviews: everything is finished.",
            id="drafts-count",
        )
        yield OptionList(*options, id="drafts-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
