"""The review page: every answer by section; Enter changes one; Ctrl+F finishes the interview."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from cwtt_tui.errors import CwttError
from cwtt_tui.interviewing import RESPONDENT_LABELS

if TYPE_CHECKING:
    from cwtt_tui.interviewing import InterviewSession, ReviewLine
    from screens.interview import LargeText


LARGE_MARGINS = 14  # columns around a large-text answer: margins, borders, padding, scroll bar


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

**Ctrl+T** switches **large text** on or off: each question in full with its answer on the next
line. For **bigger letters**, use the terminal's own zoom: hold **Ctrl** and press **+** (in
Windows Terminal and most Linux terminals; **Ctrl** and **-** undoes it).
"""
    BINDINGS = [
        Binding("ctrl+f", "finish", "Finish interview", id="review-finish"),
        Binding("ctrl+t", "large_text", "Large text", show=False, id="review-large"),
        Binding("escape", "back", "Back to questions", id="review-back"),
    ]

    def __init__(self, session: InterviewSession, large: LargeText | None = None) -> None:
        super().__init__()
        self.session = session
        self.large = large
        self._lines: dict[int, ReviewLine] = {}  # option index -> the answer it shows
        self._marked: int | None = None  # the option shown with ">" in large text

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

    def on_resize(self) -> None:
        if self._large:  # the terminal was zoomed or resized: wrap the answers anew
            self._fill()

    @property
    def _large(self) -> bool:
        return self.large is not None and self.large.on

    def _fill(self) -> None:
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        self._lines.clear()
        self._marked = None
        self.set_class(self._large, "-large")
        answered = 0
        for title, lines in self.session.review():
            listing.add_option(Option(f"-- {title} --", disabled=True))
            for line in lines:
                self._lines[listing.option_count] = line
                listing.add_option(Option(self._line_text(line), id=line.question.id))
                if self._large:
                    listing.add_option(None)  # large text: a line after each answer
                answered += not line.ignored and line.question.id in self.session.answers
        if highlighted is not None:
            listing.highlighted = min(highlighted, listing.option_count - 1)
        self._mark_highlighted()
        self._show_status(answered)

    def _show_status(self, answered: int) -> None:
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

    def _line_text(self, line: ReviewLine, highlighted: bool = False) -> str:
        """One answer: cut to a line; in large text, the whole question, the answer below it,
        and a ">" before the one under the cursor."""
        note = "  (not used)" if line.ignored else ""
        if self._large:
            mark = "> " if highlighted else "  "
            width = max(self.app.size.width - LARGE_MARGINS, 20)
            question = textwrap.fill(mark + line.text, width, subsequent_indent="  ")
            answer = textwrap.fill(
                f"Answer: {line.shown}{note}",
                width,
                initial_indent=" " * 6,
                subsequent_indent=" " * 14,
            )
            return f"{question}\n{answer}"
        text = line.text if len(line.text) <= 44 else line.text[:43] + "…"
        return f"{text:<45} {line.shown}{note}"

    @on(OptionList.OptionHighlighted, "#review-list")
    def _mark_highlighted(self) -> None:
        if not self._large:
            return
        listing = self.query_one(OptionList)
        for index in {self._marked, listing.highlighted} & self._lines.keys():
            text = self._line_text(self._lines[index], index == listing.highlighted)
            listing.replace_option_prompt_at_index(index, text)
        self._marked = listing.highlighted

    def action_large_text(self) -> None:
        if self.large is None:
            return
        said = self.large.toggle()
        self._fill()
        self.notify(said)

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
