"""Users of this laptop: list them, add one with their own passphrase, remove one, and say who
is trained for sensitive questions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from cwtt_tui.errors import CwttError
from cwtt_tui.models import ROLE_LABELS, ROLES
from cwtt_tui.passphrase import strength

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store


SENSITIVE_NOTE = (
    "Sensitive = may ask and see sensitive questions (abuse, HIV): social workers, nurses, "
    "psychologists. S changes it for the highlighted user."
)


class UsersScreen(Screen[None]):
    """A adds a user, R removes the highlighted one (press R twice), S changes whether they are
    trained for sensitive questions, Escape goes back."""

    CSS_PATH = "users.tcss"
    TITLE = "Users"
    HELP = """
Everyone who uses this laptop has their **own passphrase** and a **role**:
*Practitioner* (captures interviews), *Team lead* (board, actions, users) or
*Coordinator* (imports, all schools, reports, users).

Press **A** to add a user: type their name, pick the role with **1**, **2** or **3**, then let
**them** type their passphrase twice. Press **R** twice to remove the highlighted user; their
interviews and the audit log stay.

**Sensitive** questions (abuse disclosures, HIV status) are asked and seen only by users trained
for them: social workers, nurses, psychologists. Team leads and coordinators are trained unless
you say otherwise; practitioners are not. Press **S** to change it for the highlighted user.
Others see "(sensitive: hidden)" instead of those answers, and their interviews leave those
questions for a trained colleague.

Only team leads and coordinators may add or remove users or change who is trained.
"""
    BINDINGS = [
        Binding("a", "add", "Add user", id="users-add"),
        Binding("r", "remove", "Remove", id="users-remove"),
        Binding("s", "sensitive", "Sensitive on/off", id="users-sensitive"),
        Binding("escape", "back", "Back", id="users-back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self._armed_remove: str | None = None
        self._role = "practitioner"

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="users-body"):
            yield OptionList(id="users-list")
            yield Static(SENSITIVE_NOTE, id="users-note")
            with Vertical(id="users-form", classes="-hidden"):
                yield Static("New user's name:")
                yield Input(id="new-name", max_length=60)
                yield Static("Role (1, 2 or 3, or arrows and Enter):")
                yield OptionList(
                    *(Option(f"{n}  {ROLE_LABELS[r]}", id=r) for n, r in enumerate(ROLES, 1)),
                    id="new-role",
                )
                yield Input(id="new-pass-1", password=True, placeholder="their passphrase")
                yield Input(id="new-pass-2", password=True, placeholder="the same again")
            yield Static("", id="users-message")
        yield Footer()

    def on_mount(self) -> None:
        self._reload()
        self.query_one("#users-list").focus()

    def _reload(self) -> None:
        listing = self.query_one("#users-list", OptionList)
        listing.clear_options()
        me = self.store.user.id if self.store.user else ""
        for user in self.store.users.list():
            you = "  (you)" if user.id == me else ""
            trained = "sensitive: yes" if user.sensitive else "sensitive: no"
            label = (
                f"{user.name:<18} {ROLE_LABELS[user.role]:<12} {trained:<14} "
                f"since {user.created_at[:10]}{you}"
            )
            listing.add_option(Option(label, id=user.id))
        listing.highlighted = 0

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#users-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def action_back(self) -> None:
        form = self.query_one("#users-form")
        if not form.has_class("-hidden"):
            form.add_class("-hidden")
            self.query_one("#users-list").focus()
            self._say("")
            return
        self.app.pop_screen()

    def action_add(self) -> None:
        form = self.query_one("#users-form")
        form.remove_class("-hidden")
        for field in form.query(Input):
            field.value = ""
        self._set_role("practitioner")
        self.query_one("#new-name").focus()

    def _set_role(self, role: str) -> None:
        self._role = role
        self.query_one("#new-role", OptionList).highlighted = ROLES.index(role)  # type: ignore[arg-type]

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.focused is self.query_one("#new-role") and event.key in ("1", "2", "3"):
            event.stop()
            self._set_role(ROLES[int(event.key) - 1])
            self._role_chosen()

    @on(OptionList.OptionSelected, "#new-role")
    def _role_selected(self, event: OptionList.OptionSelected) -> None:
        self._role = str(event.option.id)
        self._role_chosen()

    def _role_chosen(self) -> None:
        self.query_one("#new-pass-1").focus()
        self._say(f"Role: {ROLE_LABELS[self._role]}. Now the new user types a passphrase twice.")

    @on(Input.Submitted, "#new-name")
    def _name_done(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self._say("Type the new user's name.", error=True)
            return
        self.query_one("#new-role").focus()
        self._say("")

    @on(Input.Submitted, "#new-pass-1")
    def _pass_done(self, event: Input.Submitted) -> None:
        judged = strength(event.value)
        if not judged.acceptable:
            self._say(f"That passphrase is too weak. {judged.hint}", error=True)
            return
        self.query_one("#new-pass-2").focus()

    @on(Input.Submitted, "#new-pass-2")
    def _save(self, event: Input.Submitted) -> None:
        first = self.query_one("#new-pass-1", Input).value
        if first != event.value:
            self._say("The two passphrases are not the same; type them again.", error=True)
            self.query_one("#new-pass-1", Input).value = ""
            event.input.value = ""
            self.query_one("#new-pass-1").focus()
            return
        try:
            user = self.store.users.add(self.query_one("#new-name", Input).value, self._role, first)  # type: ignore[arg-type]
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self.query_one("#users-form").add_class("-hidden")
        self._reload()
        self.query_one("#users-list").focus()
        hint = "" if user.sensitive else " Press S if they are trained for sensitive questions."
        self._say(f"Added {user.name} as {ROLE_LABELS[user.role]}.{hint}")

    def action_sensitive(self) -> None:
        """Turn the highlighted user's training for sensitive questions on or off."""
        if not self.query_one("#users-form").has_class("-hidden"):
            return
        listing = self.query_one("#users-list", OptionList)
        if listing.highlighted is None:
            return
        index = listing.highlighted
        user = self.store.users.get(str(listing.get_option_at_index(index).id))
        try:
            user = self.store.users.set_sensitive(user.id, not user.sensitive)
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self._reload()
        listing.highlighted = index
        if user.sensitive:
            self._say(f"{user.name} may now ask and see sensitive questions.")
        else:
            self._say(f"{user.name} may no longer ask or see sensitive questions.")

    def action_remove(self) -> None:
        listing = self.query_one("#users-list", OptionList)
        if listing.highlighted is None:
            return
        option = listing.get_option_at_index(listing.highlighted)
        user_id = str(option.id)
        if self._armed_remove != user_id:
            self._armed_remove = user_id
            name = self.store.users.get(user_id).name
            self._say(f"Press R again to remove {name}. Their records stay.", error=True)
            return
        self._armed_remove = None
        try:
            self.store.users.remove(user_id)
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self._reload()
        self._say("User removed; their passphrase no longer opens this store.")

    @on(OptionList.OptionHighlighted, "#users-list")
    def _disarm(self) -> None:
        self._armed_remove = None
