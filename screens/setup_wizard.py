"""First run: school, laptop, user and passphrase, then the recovery key shown once and checked."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from cwtt_tui.errors import CwttError
from cwtt_tui.models import ROLE_LABELS, ROLES, NewStore
from cwtt_tui.passphrase import strength

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

STEPS = ("school", "laptop", "user", "passphrase", "making", "recovery", "confirm")
STEP_TITLES = {
    "school": "Your school",
    "laptop": "This laptop",
    "user": "You",
    "passphrase": "Your passphrase",
    "making": "Setting up",
    "recovery": "Recovery key",
    "confirm": "Check the recovery key",
}
EMIS_PATTERN = re.compile(r"^\d{6,12}$")


class SetupScreen(Screen["Store"]):
    """The setup wizard; Enter goes on, Escape goes back. Dismisses with the new store."""

    CSS_PATH = "setup_wizard.tcss"
    TITLE = "Setup"
    HELP = """
This laptop has no cwtt store yet. Answer each step and press **Enter** to go on;
press **Escape** to go back a step.

Your **passphrase** protects the children's data: choose four or more words you will
remember, and never write it on the laptop. The **recovery key** is shown once: write it
on paper and keep it locked away. It opens the store if every passphrase is forgotten.
"""
    BINDINGS = [
        Binding("escape", "back", "Back", id="setup-back"),
        Binding("f3", "show_key_again", "Show key", show=False, id="setup-show-key"),
    ]

    def __init__(
        self, create: Callable[[NewStore], tuple[Store, str]], rng: random.Random | None = None
    ) -> None:
        super().__init__()
        self._create = create
        self._rng = rng or random.SystemRandom()
        self.step = "school"
        self._store: Store | None = None
        self._recovery_key = ""
        self._asked_groups: tuple[int, int] = (0, 1)

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="setup-box"):
            yield Static("", id="setup-step")
            with ContentSwitcher(initial="school", id="setup-steps"):
                with Vertical(id="school"):
                    yield Static("The school's EMIS number (digits only):")
                    yield Input(
                        id="emis", placeholder="e.g. 500123456", restrict=r"\d*", max_length=12
                    )
                    yield Static("The school's name:")
                    yield Input(
                        id="school-name", placeholder="e.g. Thembeka Primary", max_length=80
                    )
                with Vertical(id="laptop"):
                    yield Static("A name for this laptop, so others know where data came from:")
                    yield Input(id="laptop-name", placeholder="e.g. Laptop A", max_length=40)
                with Vertical(id="user"):
                    yield Static("Your name:")
                    yield Input(id="user-name", placeholder="e.g. Nomsa Dlamini", max_length=60)
                    yield Static("Your role (arrows, then Enter):")
                    yield OptionList(
                        *(Option(f"{n}  {ROLE_LABELS[r]}", id=r) for n, r in enumerate(ROLES, 1)),
                        id="role",
                    )
                with Vertical(id="passphrase"):
                    yield Static("Choose a passphrase (four or more words are best):")
                    yield Input(id="pass-1", password=True, placeholder="passphrase")
                    yield Static("", id="pass-hint")
                    yield Static("Type it again:")
                    yield Input(id="pass-2", password=True, placeholder="the same again")
                with Vertical(id="making"):
                    yield Static("Setting up encryption for this laptop. This takes a few seconds…")
                with Vertical(id="recovery"):
                    yield Static(
                        "Write this recovery key on paper now. It is shown only once. "
                        "It opens the store if every passphrase is forgotten.",
                    )
                    yield Static("", id="recovery-key")
                    yield Static("When you have written it down, press Enter.")
                with Vertical(id="confirm"):
                    yield Static("", id="confirm-prompt")
                    yield Input(id="group-a", max_length=7)
                    yield Input(id="group-b", max_length=7)
                    yield Static("Forgot to write it? Press F3 to see it again.", id="confirm-hint")
            yield Static("", id="setup-message")
        yield Footer()

    def on_mount(self) -> None:
        self._show("school")

    # -- stepping ------------------------------------------------------------------------
    def _show(self, step: str) -> None:
        self.step = step
        self.query_one(ContentSwitcher).current = step
        number = STEPS.index(step) + 1
        self.query_one("#setup-step", Static).update(
            f"Step {number} of {len(STEPS)} · {STEP_TITLES[step]}"
        )
        self._say("")
        first = {
            "school": "#emis",
            "laptop": "#laptop-name",
            "user": "#user-name",
            "passphrase": "#pass-1",
            "confirm": "#group-a",
        }.get(step)
        if first:
            self.query_one(first).focus()
        elif step == "recovery":
            self.query_one("#setup-steps").focus()

    def _say(self, text: str, error: bool = True) -> None:
        message = self.query_one("#setup-message", Static)
        message.update(text)
        message.set_class(error and bool(text), "-error")

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def action_back(self) -> None:
        back = {"laptop": "school", "user": "laptop", "passphrase": "user", "confirm": "recovery"}
        if self.step in back:
            self._show(back[self.step])

    def action_show_key_again(self) -> None:
        if self.step == "confirm":
            self._show("recovery")

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.step == "recovery" and event.key == "enter":
            event.stop()
            self._ask_groups()
        elif (
            self.step == "user"
            and event.key in ("1", "2", "3")
            and self.focused is self.query_one(OptionList)
        ):
            event.stop()
            self._choose_role(ROLES[int(event.key) - 1])

    @on(Input.Changed, "#pass-1")
    def _hint(self, event: Input.Changed) -> None:
        judged = strength(event.value) if event.value else None
        hint = self.query_one("#pass-hint", Static)
        hint.update(judged.hint if judged else "")
        hint.set_class(bool(judged) and not judged.acceptable, "-weak")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        field = event.input.id
        if field == "emis":
            self.query_one("#school-name").focus()
        elif field == "school-name":
            if not EMIS_PATTERN.match(self._value("#emis")):
                self._say("The EMIS number is 6 to 12 digits; check it on a school letter.")
                self.query_one("#emis").focus()
            elif not self._value("#school-name"):
                self._say("Type the school's name.")
            else:
                self._show("laptop")
        elif field == "laptop-name":
            if self._value("#laptop-name"):
                self._show("user")
            else:
                self._say("Give this laptop a name, e.g. Laptop A.")
        elif field == "user-name":
            if self._value("#user-name"):
                self.query_one(OptionList).focus()
            else:
                self._say("Type your name.")
        elif field == "pass-1":
            judged = strength(event.value)
            if not judged.acceptable:
                self._say(f"That passphrase is too weak. {judged.hint}")
            else:
                self.query_one("#pass-2").focus()
        elif field == "pass-2":
            self._check_passphrases()
        elif field == "group-a":
            self.query_one("#group-b").focus()
        elif field == "group-b":
            self._check_groups()

    @on(OptionList.OptionSelected, "#role")
    def _role_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose_role(str(event.option.id))

    def _choose_role(self, role: str) -> None:
        if not self._value("#user-name"):
            self._say("Type your name first.")
            self.query_one("#user-name").focus()
            return
        self._role = role
        self._show("passphrase")

    def _check_passphrases(self) -> None:
        first, second = (
            self.query_one("#pass-1", Input).value,
            self.query_one("#pass-2", Input).value,
        )
        if not strength(first).acceptable:
            self._say(f"That passphrase is too weak. {strength(first).hint}")
            self.query_one("#pass-1").focus()
        elif first != second:
            self._say("The two passphrases are not the same; type them again.")
            self.query_one("#pass-2", Input).value = ""
            self.query_one("#pass-1", Input).value = ""
            self.query_one("#pass-1").focus()
        else:
            answers = NewStore(
                school_emis=self._value("#emis"),
                school_name=self._value("#school-name"),
                laptop_name=self._value("#laptop-name"),
                user_name=self._value("#user-name"),
                role=self._role,  # type: ignore[arg-type]
                passphrase=first,
            )
            self._show("making")
            self._make(answers)

    @work(thread=True, exclusive=True, group="setup")
    def _make(self, answers: NewStore) -> None:
        try:
            store, recovery_key = self._create(answers)
        except CwttError as exc:
            self.app.call_from_thread(self._make_failed, exc)
            return
        self.app.call_from_thread(self._made, store, recovery_key)

    def _make_failed(self, exc: CwttError) -> None:
        self._show("passphrase")
        self._say(exc.message)

    def _made(self, store: Store, recovery_key: str) -> None:
        self._store = store
        self._recovery_key = recovery_key
        for selector in ("#pass-1", "#pass-2"):
            self.query_one(selector, Input).value = ""
        groups = recovery_key.split("-")
        lines = "   ".join(f"{n}: {g}" for n, g in enumerate(groups, 1))
        self.query_one("#recovery-key", Static).update(lines)
        self._asked_groups = tuple(sorted(self._rng.sample(range(len(groups)), 2)))  # type: ignore[assignment]
        self._show("recovery")

    def _ask_groups(self) -> None:
        a, b = self._asked_groups
        self.query_one("#confirm-prompt", Static).update(
            f"To check you wrote it down, type group {a + 1} and then group {b + 1}:"
        )
        self.query_one("#group-a", Input).placeholder = f"group {a + 1}"
        self.query_one("#group-b", Input).placeholder = f"group {b + 1}"
        self._show("confirm")

    def _check_groups(self) -> None:
        from cwtt_tui.recovery_key import normalise_recovery_key

        groups = self._recovery_key.split("-")
        a, b = self._asked_groups
        typed = (
            normalise_recovery_key(self._value("#group-a")),
            normalise_recovery_key(self._value("#group-b")),
        )
        if typed == (groups[a], groups[b]):
            self._recovery_key = ""
            self.query_one("#recovery-key", Static).update("")
            self.dismiss(self._store)
        else:
            self._say(
                "That does not match what was shown. Check your paper, or press F3 to see the key again."
            )
            self.query_one("#group-a", Input).value = ""
            self.query_one("#group-b", Input).value = ""
            self.query_one("#group-a").focus()
