"""Choose whom to interview about the chosen child (1 child, 2 caregiver, 3 teacher, 4 health)
and the language of the questions (L)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from cwtt_tui.errors import CwttError
from cwtt_tui.interviewing import RESPONDENT_LABELS, instrument_for, respondent_statuses
from questionnaires.coverage import language_choices
from questionnaires.model import LANGUAGE_NAMES

if TYPE_CHECKING:
    from cwtt_tui.interviewing import RespondentStatus
    from cwtt_tui.store.store import Store

WHO_ASKS = {
    "child": "read each question aloud",
    "caregiver": "in their own language",
    "teacher": "the class teacher",
    "health": "a nurse: measure, screen",
}


@dataclass(frozen=True)
class StartChoice:
    """Whom to interview, the interview to open (None: start a new one) and the language of a
    new one; an interview already started keeps its own language."""

    respondent: str
    interview_id: str | None
    language: str


def language_name(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang)


class InterviewStartScreen(Screen[StartChoice | None]):
    """Dismisses with a StartChoice, or None (Escape)."""

    CSS_PATH = "interview_start.tcss"
    TITLE = "New interview"
    HELP = """
Press **1** to **4** to choose whom you are interviewing about this child. An interview that was
stopped continues where it stopped; a finished one opens on its review page, where any answer
can be corrected. "For trained staff" counts sensitive questions left for a colleague trained to
ask them. **Escape** goes back to the list of children.

**L** changes the language of the questions for a new interview, for this child only (Settings
holds the usual one). The list says how much of the interview under the cursor is translated;
anything not translated is shown in English. A stopped or finished interview keeps the language
it was started in.
"""
    BINDINGS = [
        *(
            Binding(str(n), f"choose({n - 1})", RESPONDENT_LABELS[r], show=False)
            for n, r in enumerate(RESPONDENT_LABELS, 1)
        ),  # fmt: skip
        Binding("l", "language", "Language", id="start-language"),
        Binding("escape", "cancel", "Back", id="start-back"),
    ]

    def __init__(
        self,
        store: Store,
        child_id: str,
        round_id: str,
        language: str = "en",
        kept_languages: Mapping[str, str] | None = None,
    ) -> None:
        """``language``: for a new interview; ``kept_languages``: interview id -> its language."""
        super().__init__()
        self.store = store
        self.child = store.children.get(child_id, viewed=True)
        self.round = store.rounds.get(round_id)
        self.statuses = respondent_statuses(store, child_id, round_id)
        self.language = language
        self.kept_languages = dict(kept_languages or {})

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
            options = [Option(self._line(n, s)) for n, s in enumerate(self.statuses, 1)]
            yield OptionList(*options, id="start-respondents")
            yield Static("", id="start-language-line")
            yield Static("", id="start-kept")
        yield Footer()

    def _line(self, n: int, status: RespondentStatus) -> str:
        label = RESPONDENT_LABELS[status.respondent]
        state = {
            "not started": "not started",
            "draft": f"stopped at {status.answered}: continue",
            "complete": "finished: review",
        }[status.status]
        if status.left:
            state += f" · {status.left} for trained staff"
        return f"{n}  {label:<10} {WHO_ASKS[status.respondent]:<26} {state}"

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._show_language()

    def _show_language(self) -> None:
        self.query_one("#start-language-line", Static).update(
            f"Language: {language_name(self.language)} - press L to change"
        )
        self.query_one("#start-kept", Static).update(self._kept_note())

    def _kept_note(self) -> str:
        """Which started interviews keep another language than the chosen one, or ""."""
        names = {
            id_: language_name(lang)
            for id_, lang in self.kept_languages.items()
            if lang != self.language
        }
        kept = [
            f"{RESPONDENT_LABELS[s.respondent]} in {names[s.interview_id]}"
            for s in self.statuses
            if s.interview_id in names
        ]
        if not kept:
            return ""
        return "Started interviews keep their own language: " + ", ".join(kept) + "."

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_choose(event.option_index)

    def action_choose(self, index: int) -> None:
        status = self.statuses[index]
        self.dismiss(StartChoice(status.respondent, status.interview_id, self.language))

    def action_language(self) -> None:
        from screens.language_picker import LanguagePickerScreen

        index = self.query_one(OptionList).highlighted or 0
        respondent = self.statuses[index].respondent
        try:
            choices = language_choices(instrument_for(respondent), self.language)
        except CwttError as exc:
            self.notify(exc.message, severity="error")
            return
        who = RESPONDENT_LABELS[respondent]
        self.app.push_screen(
            LanguagePickerScreen(choices, self.language, who), self._language_chosen
        )

    def _language_chosen(self, lang: str | None) -> None:
        if lang:
            self.language = lang
            self._show_language()

    def action_cancel(self) -> None:
        self.dismiss(None)
