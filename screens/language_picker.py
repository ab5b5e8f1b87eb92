"""Choose the language of an interview: each language with how much of the questions it covers."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from questionnaires.coverage import Coverage

LINE_WIDTH = 64  # what fits in the box at 80 columns; a longer line goes on indented below


class LanguagePickerScreen(ModalScreen[str | None]):
    """Dismisses with the chosen language code, or None (Escape) to keep the current one."""

    CSS_PATH = "language_picker.tcss"
    BINDINGS = [
        *(Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)),
        Binding("escape", "keep", "Keep", id="language-keep"),
    ]

    def __init__(self, choices: Sequence[Coverage], current: str, interview: str) -> None:
        super().__init__()
        self.choices = list(choices)
        self.current = current
        self.interview = interview

    def compose(self) -> ComposeResult:
        with Vertical(id="language-box"):
            yield Static("Language of the questions", id="language-title")
            yield Static(f"How much of the {self.interview} interview is translated:")
            yield OptionList(*self._options(), id="language-list")
            if len(self.choices) == 1:
                yield Static("No translation of these questions is installed yet.")
            yield Static(
                "Press the number, or move and press Enter. Escape: keep "
                f"{self._language_name(self.current)}.",
                id="language-keys",
            )

    def _options(self) -> list[Option]:
        options = []
        for n, choice in enumerate(self.choices, 1):
            key = str(n) if n <= 9 else " "
            mark = "  (in use)" if choice.lang == self.current else ""
            text = textwrap.fill(
                f"{key}  {choice.sentence()}{mark}", LINE_WIDTH, subsequent_indent="   "
            )
            options.append(Option(text, id=choice.lang))
        return options

    def _language_name(self, lang: str) -> str:
        return next((c.name for c in self.choices if c.lang == lang), lang)

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        langs = [c.lang for c in self.choices]
        listing.highlighted = langs.index(self.current) if self.current in langs else 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick(event.option_index)

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.choices):
            self.dismiss(self.choices[index].lang)

    def action_keep(self) -> None:
        self.dismiss(None)
