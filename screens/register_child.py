"""Register a child: the caregiver's consent and the child's assent first, then who the child is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from cwtt_tui.config import LANGUAGES
from cwtt_tui.dates import parse_date
from cwtt_tui.errors import CwttError
from cwtt_tui.models import ChildDetails, Consent

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

METHODS = {"1": "written", "2": "verbal", "3": "thumbprint"}
FIELDS: tuple[tuple[str, str, str, str | None], ...] = (
    # id, label, placeholder, allowed characters
    ("consent", "Caregiver consents? (Y/N)", "Y or N", r"[YyNn]?"),
    ("given-by", "Consent given by", "e.g. mother, grandmother", None),
    ("method", "How recorded (1/2/3)", "1 written, 2 verbal, 3 thumbprint", r"[123]?"),
    ("assent", "Child agrees? (Y/N)", "Y or N: ask the child simply", r"[YyNn]?"),
    ("first", "Child's first name", "", None),
    ("last", "Child's last name", "", None),
    ("sex", "Sex (F/M)", "F or M", r"[FfMm]?"),
    ("dob", "Date of birth", "YYYY-MM-DD or DD/MM/YYYY", r"[0-9/.-]*"),
    ("grade", "Grade (R, 1, 2, 3)", "R, 1, 2 or 3", r"[Rr123]?"),
    ("class", "Class", "e.g. 2B", None),
    ("language", "Home language", ", ".join(LANGUAGES), None),
    ("caregiver", "Caregiver's name", "", None),
    ("contact", "Caregiver's phone", "e.g. 0721234567", r"[0-9 +]*"),
)


class RegisterChildScreen(Screen[str | None]):
    """Tab moves between fields, Ctrl+S registers, Escape cancels. Dismisses with the new id."""

    CSS_PATH = "register_child.tcss"
    TITLE = "Register a child"
    HELP = """
**Consent comes first.** Before any other question, the caregiver must agree that the school team
may record and use the child's information (POPIA), and the child is asked, in simple words,
whether they agree too. Without the caregiver's consent the child cannot be registered.

Fill each field and press **Tab** (or **Enter**) for the next. **Ctrl+S** registers the child.
"""
    BINDINGS = [
        Binding("ctrl+s", "save", "Register", id="register-save"),
        Binding("escape", "cancel", "Cancel", id="register-cancel"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="register-form"):
            yield Static("Consent (ask the caregiver first)", classes="register-heading")
            for field_id, label, placeholder, allowed in FIELDS:
                if field_id == "first":
                    yield Static("The child", classes="register-heading")
                with Horizontal(classes="register-row"):
                    yield Static(label, classes="register-label")
                    yield Input(placeholder=placeholder, id=f"reg-{field_id}", restrict=allowed)
        yield Static("", id="register-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#reg-consent").focus()
        self.query_one("#reg-language", Input).value = "en"

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#reg-{field_id}", Input).value.strip()

    def _say(self, text: str) -> None:
        self.query_one("#register-message", Static).update(text)

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        problem, details = self._details()
        if problem:
            self._say(problem)
            return
        assert details is not None
        try:
            child = self.store.children.add(self.store.home_school_id, details)
        except CwttError as exc:
            self._say(exc.message)
            return
        self.notify(f"Registered {details.full_name}.")
        self.dismiss(child.id)

    def _details(self) -> tuple[str | None, ChildDetails | None]:
        """Read the form; return (plain problem, None) or (None, details)."""
        if self._value("consent").upper() != "Y":
            return "Without the caregiver's consent the child cannot be registered.", None
        if not self._value("given-by"):
            return "Say who gave consent (e.g. mother).", None
        if self._value("method") not in METHODS:
            return "Say how consent was recorded: 1 written, 2 verbal or 3 thumbprint.", None
        if self._value("assent").upper() not in ("Y", "N"):
            return "Ask the child whether they agree, and type Y or N.", None
        born = parse_date(self._value("dob"))
        if born is None:
            return "Type the date of birth as YYYY-MM-DD (e.g. 2019-03-04) or DD/MM/YYYY.", None
        sex = {"F": "female", "M": "male"}.get(self._value("sex").upper())
        if sex is None:
            return "Type F for a girl or M for a boy (the growth charts need it).", None
        language = self._value("language") or "en"
        if language not in LANGUAGES:
            return f"The home language is one of: {', '.join(LANGUAGES)}.", None
        user = self.store.user
        consent = Consent(
            caregiver_consent=True,
            child_assent=self._value("assent").upper() == "Y",
            given_by=self._value("given-by"),
            recorded_by=user.name if user else "",
            recorded_on=self.store.ctx.clock().date().isoformat(),
            method=METHODS[self._value("method")],
        )
        return None, ChildDetails(
            first_name=self._value("first"),
            last_name=self._value("last"),
            grade=self._value("grade").upper(),
            class_name=self._value("class"),
            date_of_birth=born,
            sex=sex,  # type: ignore[arg-type]
            home_language=language,
            caregiver_name=self._value("caregiver"),
            caregiver_contact=self._value("contact"),
            consent=consent,
        )
