"""One question per screen: the question, the hint, what to say, numbered answers, progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from cwtt_tui.interviewing import SKIP_LABELS
from questionnaires.answers import skip_reason

if TYPE_CHECKING:
    from cwtt_tui.interviewing import InterviewSession
    from questionnaires.model import Question

TEXT_TYPES = ("integer", "decimal", "date", "text")
Speak = Callable[[str, str], str]
ZOOM_TIP = "Bigger letters: hold Ctrl and press + (the terminal's zoom; Ctrl and - undoes it)."


@dataclass
class LargeText:
    """Whether the interview screens use the large-text layout, and how a change is kept.

    `keep` saves the choice and returns why it could not, or None.
    """

    on: bool = False
    keep: Callable[[bool], str | None] | None = None

    def toggle(self) -> str:
        """Switch the layout on or off and keep the choice; returns what to tell the user."""
        self.on = not self.on
        problem = self.keep(self.on) if self.keep else None
        said = "Large text on (Ctrl+T again: off)." if self.on else "Large text off."
        if problem:
            return f"{said} It was not saved: {problem}"
        return f"{said} {ZOOM_TIP}" if self.on else said


class QuestionScreen(Screen[None]):
    """Number keys answer; Enter confirms; Left goes back; Tab skips; F5 reads aloud;
    Ctrl+T switches large text on or off."""

    CSS_PATH = "interview.tcss"
    TITLE = "Interview"
    HELP = """
**One question at a time.** Read the question; the line starting **Say:** is what you say aloud.

- Press the **number** of the answer (or move with the arrows and press **Enter**).
  For "choose all that apply", press each number, then **Enter**.
- For a number or a date, type it and press **Enter**.
- **Left arrow** (or Backspace on an empty field) goes back to the previous question.
- **Tab** skips a question: refused, don't know, or not applicable.
- **F5** reads the question aloud, where this laptop has a voice.
- **F9** shows every answer so far; **Escape** stops for now. Every answer is already saved.
- **Ctrl+T** switches **large text** on or off: more space, the question in bold, one answer per
  line with a line between them, the hint after the answers. Settings keeps the choice.
- For **bigger letters**, use the terminal's own zoom: hold **Ctrl** and press **+** (in Windows
  Terminal and most Linux terminals; **Ctrl** and **-** undoes it). cwtt fits itself to the
  new size.

Sensitive questions (abuse, HIV) are asked only by staff trained for them. If you are not, cwtt
passes over them and leaves them for a trained colleague; the top line counts them.
"""
    BINDINGS = [
        Binding("tab", "skip", "Skip", priority=True, id="q-skip"),
        Binding("f5", "read_aloud", "Read", id="q-read"),
        Binding("f9", "review", "Review", id="q-review"),
        Binding("ctrl+t", "large_text", "Large", id="q-large"),  # short: "? Help" fits in 80
        Binding("escape", "leave", "Stop", id="q-leave"),
    ]

    def __init__(
        self, session: InterviewSession, speak: Speak | None = None, large: LargeText | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self._speak = speak
        self.large = large or LargeText()
        self._selected: set[Any] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="q-progress")
        with VerticalScroll(id="q-body"):
            yield Static("", id="q-text")
            yield Static("", id="q-hint")
            yield Static("", id="q-say")
            yield OptionList(id="q-choices")
            yield Input(id="q-input")
            yield Static("", id="q-message")
            yield Static("", id="q-hint-after")  # large text: the hint comes after the answers
        yield Footer(show_command_palette=False)  # Ctrl+P still works; "? Help" stays in view

    def on_mount(self) -> None:
        d = self.session.child.details
        self.sub_title = f"{d.full_name} · Grade {d.grade} {d.class_name}"
        self.show_question()

    def on_screen_resume(self) -> None:
        self.show_question()

    # -- showing ----------------------------------------------------------------------------
    def show_question(self) -> None:
        session = self.session
        question = session.current
        if question is None:
            self.action_review()
            return
        lang = session.language
        self.set_class(self.large.on, "-large")
        self.query_one("#q-progress", Static).update(session.progress_text())
        self.query_one("#q-text", Static).update(session.text())
        hint = question.hint.get(lang) if question.hint else ""
        self.query_one("#q-hint", Static).update(hint)
        self.query_one("#q-hint-after", Static).update(f"Help: {hint}" if hint else "")
        say = session.say()
        self.query_one("#q-say", Static).update(f"Say: {say}" if say else "")
        self._say("")
        choices = self.query_one(OptionList)
        field = self.query_one(Input)
        current = session.current_value()
        self._selected = set(current) if isinstance(current, list) else set()
        has_choices = _has_choices(question)
        choices.display = has_choices
        field.display = question.type in TEXT_TYPES
        if has_choices:
            self._fill_choices(question, current)
            choices.focus()
        elif question.type in TEXT_TYPES:
            field.value = "" if current is None or skip_reason(current) else str(current)
            unit = f" ({question.unit})" if question.unit else ""
            field.placeholder = {
                "integer": f"a whole number{unit}",
                "decimal": f"a number{unit}, e.g. 112.5",
                "date": "YYYY-MM-DD or DD/MM/YYYY",
                "text": "type the answer",
            }[question.type]
            field.restrict = {"integer": r"[0-9-]*", "decimal": r"[0-9.,-]*"}.get(question.type)
            field.focus()
        else:  # a note to read out
            self._say("Press Enter to go on.", error=False)
            choices.display = True
            self._fill_go_on()
            choices.focus()
        reason = skip_reason(current)
        if reason:
            self._say(f"Skipped before: {SKIP_LABELS.get(reason, reason)}.", error=False)

    def _fill_go_on(self) -> None:
        choices = self.query_one(OptionList)
        choices.clear_options()
        choices.add_option(Option(self._mark("1  Go on", True), id="__next"))

    def _fill_choices(self, question: Question, current: Any, *, keep: bool = False) -> None:
        """Number the answers; the cursor stays where it was (`keep`, or several may be
        chosen), else goes to the saved answer or the first."""
        choices = self.query_one(OptionList)
        highlighted = choices.highlighted
        choices.clear_options()
        for n in range(1, len(question.choices) + 1):
            if n > 1 and self.large.on:
                choices.add_option(None)  # large text: a line between answers
            choices.add_option(Option(self._choice_text(question, n)))
        codes = [c.code for c in question.choices]
        if (keep or question.type == "multiple") and highlighted is not None:
            choices.highlighted = highlighted
        elif current in codes:
            choices.highlighted = codes.index(current)
        else:
            choices.highlighted = 0
        self._mark_highlighted()

    def _choice_text(self, question: Question, n: int, highlighted: bool = False) -> str:
        """The text of answer `n` (from 1): its number key, a tick box if several may be chosen."""
        choice = question.choices[n - 1]
        key = str(n) if n <= 9 else " "
        tick = ""
        if question.type == "multiple":
            tick = "[x] " if choice.code in self._selected else "[ ] "
        return self._mark(f"{key}  {tick}{choice.label.get(self.session.language)}", highlighted)

    def _mark(self, text: str, highlighted: bool) -> str:
        """Large text: a ">" before the answer under the cursor, so it shows without colour."""
        if not self.large.on:
            return text
        return ("> " if highlighted else "  ") + text

    @on(OptionList.OptionHighlighted, "#q-choices")
    def _mark_highlighted(self) -> None:
        question = self.session.current
        choices = self.query_one(OptionList)
        if not self.large.on or question is None or not _has_choices(question):
            return
        for index in range(len(question.choices)):
            text = self._choice_text(question, index + 1, index == choices.highlighted)
            choices.replace_option_prompt_at_index(index, text)

    def _say(self, text: str, *, error: bool = True) -> None:
        message = self.query_one("#q-message", Static)
        message.update(text)
        message.set_class(error and bool(text), "-error")

    # -- answering --------------------------------------------------------------------------
    def _give(self, raw: object) -> None:
        session = self.session
        question = session.current
        if question is None:
            return
        problem = session.answer(raw)
        if problem:
            self._say(problem)
            return
        script = session.disclosure_for(question)
        if script:
            self.app.push_screen(DisclosureScreen(script))  # show_question runs on resume
            return
        self.show_question()

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        question = self.session.current
        if question is None:
            return
        field = self.query_one(Input)
        field_empty = self.focused is not field or not field.value
        if event.key in ("left", "backspace") and field_empty:
            event.stop()
            event.prevent_default()
            if not self.session.back():
                self._say("This is the first question.", error=False)
                return
            self.show_question()
            return
        if (
            event.character
            and event.character.isdigit()
            and self.focused is self.query_one(OptionList)
        ):
            event.stop()
            number = int(event.character)
            if question.is_note:
                self._give(None)
            elif 1 <= number <= min(9, len(question.choices)):
                self._choose(question, number - 1)

    def _choose(self, question: Question, index: int) -> None:
        code = question.choices[index].code
        if question.type != "multiple":
            self._give(code)
            return
        choice = question.choices[index]
        if choice.exclusive:
            self._selected = {code}
        else:
            exclusive = {c.code for c in question.choices if c.exclusive}
            self._selected = (self._selected - exclusive) ^ {code}
        self._fill_choices(question, None)
        self.query_one(OptionList).highlighted = index

    @on(OptionList.OptionSelected, "#q-choices")
    def _option_chosen(self, event: OptionList.OptionSelected) -> None:
        question = self.session.current
        if question is None:
            return
        if question.is_note:
            self._give(None)
        elif question.type == "multiple":
            if not self._selected:
                self._choose(question, event.option_index)
                return
            order = [c.code for c in question.choices]
            self._give(sorted(self._selected, key=order.index))
        else:
            self._give(question.choices[event.option_index].code)

    @on(Input.Submitted, "#q-input")
    def _typed(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self._say("Type an answer, or press Tab to skip this question.")
            return
        self._give(value)

    # -- other keys -------------------------------------------------------------------------
    def action_skip(self) -> None:
        if self.session.current is None:
            return
        self.app.push_screen(SkipScreen(), self._skipped)

    def _skipped(self, reason: str | None) -> None:
        if not reason:
            return
        problem = self.session.skip(reason)
        if problem:
            self._say(problem)
            return
        self.show_question()

    def action_read_aloud(self) -> None:
        if self.session.current is None:
            return
        if self._speak is None:
            self._say(
                "Read aloud is not available here; please read the question out.", error=False
            )
            return
        self._say(self._speak(self.session.read_aloud_text(), self.session.language), error=False)

    def action_large_text(self) -> None:
        """Switch large text on or off; a number being typed stays."""
        said = self.large.toggle()
        self.set_class(self.large.on, "-large")
        question = self.session.current
        if question is not None and question.is_note:
            self._fill_go_on()
        elif question is not None and _has_choices(question):
            self._fill_choices(question, self.session.current_value(), keep=True)
        self._say(said, error=False)

    def action_review(self) -> None:
        from screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.session, self.large), self._after_review)

    def _after_review(self, finished: bool | None) -> None:
        if finished:
            self.dismiss(None)
        else:
            self.show_question()

    def action_leave(self) -> None:
        self.notify("Every answer is saved. Continue later from 'Continue a draft'.")
        self.dismiss(None)


def _has_choices(question: Question) -> bool:
    """Whether the question is answered by choosing from numbered answers."""
    return bool(question.choices) and question.type in ("single", "yes_no", "multiple")


class SkipScreen(ModalScreen[str | None]):
    """Why is this question skipped? 1 refused, 2 don't know, 3 not applicable."""

    CSS_PATH = "interview.tcss"
    BINDINGS = [
        Binding("1", "pick('refused')", "Refused"),
        Binding("2", "pick('dont_know')", "Don't know"),
        Binding("3", "pick('not_applicable')", "Not applicable"),
        Binding("escape", "pick('')", "Cancel"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(
            "Why skip this question?\n\n  1  Refused to answer\n  2  Does not know\n"
            "  3  Does not apply\n\nEscape: go back to the question",
            id="skip-box",
        )

    def action_pick(self, reason: str) -> None:
        self.dismiss(reason or None)


class DisclosureScreen(ModalScreen[None]):
    """After a disclosure: what to say and do now. Only Enter closes it, after reading."""

    CSS_PATH = "interview.tcss"
    BINDINGS = [Binding("enter", "close", "I have read this")]

    def __init__(self, script: str) -> None:
        super().__init__()
        self.script = script

    def compose(self) -> ComposeResult:
        yield Static(
            f"Important: what to do now\n\n{self.script}\n\nPress Enter when done.",
            id="disclosure-box",
        )

    def action_close(self) -> None:
        self.dismiss(None)
