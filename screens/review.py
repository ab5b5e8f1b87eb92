"""The review page: every answer by section; Enter changes one; Ctrl+F finishes the interview."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from cwtt_tui.errors import CwttError
from cwtt_tui.interviewing import RESPONDENT_LABELS

if TYPE_CHECKING:
    from cwtt_tui.interviewing import InterviewSession


class ReviewScreen(Screen[bool]):
    """Dismisses with True when the interview was finished, False to go back to the questions."""

    CSS_PATH = "review.tcss"
    TITLE = "Review answers"
    HELP = """
Every answer so far, section by section. Move to an answer and press **Enter** to change it.
Answers marked **(not used)** belong to questions that no longer apply after a later change;
they are kept but do not count.

Sensitive questions (abuse, HIV) are asked only by staff trained for them. Others see
**(sensitive: hidden)** instead of the answer; a question **left for trained staff** waits for a
trained colleague, who opens this interview and answers it here with **Enter**.

**Ctrl+F** finishes the interview (every question must have an answer or a skip reason);
**Escape** goes back to the questions.
"""
    BINDINGS = [
        Binding("ctrl+f", "finish", "Finish interview", id="review-finish"),
        Binding("escape", "back", "Back to questions", id="review-back"),
    ]

    def __init__(self, session: InterviewSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="review-status")
        yield OptionList(id="review-list")
        yield Static("", id="review-message")
        yield Footer()

    def on_mount(self) -> None:
        d = self.session.child.details
        who = RESPONDENT_LABELS.get(self.session.interview.respondent, "")
        self.sub_title = f"{who} · {d.full_name}"
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        listing = self.query_one(OptionList)
        listing.clear_options()
        answered = 0
        for title, lines in self.session.review():
            listing.add_option(Option(f"-- {title} --", disabled=True))
            for line in lines:
                note = "  (not used)" if line.ignored else ""
                text = line.text if len(line.text) <= 44 else line.text[:43] + "…"
                listing.add_option(Option(f"{text:<45} {line.shown}{note}", id=line.question.id))
                answered += not line.ignored and line.question.id in self.session.answers
        left = 0 if self.session.finished_asking else 1
        status = "all answered" if not left else "some questions wait"
        waiting = len(self.session.left_for_trained_staff())
        trained = ""
        if waiting:
            noun = "question is" if waiting == 1 else "questions are"
            trained = f"\n{waiting} {noun} left for trained staff"
        self.query_one("#review-status", Static).update(
            f"{answered} answers · {status} · Enter: change · Ctrl+F: finish{trained}"
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            try:
                self.session.go_to(str(event.option.id))
            except CwttError as exc:
                self.query_one("#review-message", Static).update(exc.message)
                return
            self.dismiss(False)

    def action_back(self) -> None:
        self.dismiss(False)

    def action_finish(self) -> None:
        try:
            self.session.finish()
        except CwttError as exc:
            self.query_one("#review-message", Static).update(exc.message)
            return
        d = self.session.child.details
        self.notify(f"Finished: {d.first_name}'s {self.session.interview.respondent} interview.")
        self.dismiss(True)
