"""Needs review: records changed on two laptops apart, one at a time, both versions side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from cwtt_tui.errors import CwttError
from cwtt_tui.peers import may_manage_peers

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

KINDS = {
    "child": "a child's details",
    "interview": "an interview",
    "action": "an action",
    "round": "a round",
    "school": "a school",
    "assessment": "a risk result",
}
HIDDEN = {"school_id", "child_id", "round_id", "merged_into"}  # ids say nothing to a person
FIRST = ("first_name", "last_name", "date_of_birth", "sex", "grade", "class_name", "name", "status")
VALUE_WIDTH = 60


def flatten(data: Any, prefix: str = "") -> dict[str, str]:
    """Nested record data as `field -> text`; an answer `{at, value}` shows just its value."""
    if isinstance(data, dict) and set(data) == {"at", "value"}:
        data = data["value"]
    if isinstance(data, dict):
        out: dict[str, str] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(data, list):
        text = ", ".join(str(v) for v in data)
    elif data is None or data == "":
        text = "(empty)"
    elif isinstance(data, bool):
        text = "yes" if data else "no"
    else:
        text = str(data)
    return {prefix: text}


def label(field: str) -> str:
    """`consent.child_assent` as `Consent: child assent`; `answers.x` as `Answer: x`."""
    parts = [p.replace("_", " ") for p in field.split(".")]
    if parts[0] == "answers":
        parts[0] = "answer"
    head = parts[0][:1].upper() + parts[0][1:]
    return ": ".join([head, *parts[1:]]) if len(parts) > 1 else head


def fields_of(record: dict[str, Any] | None) -> dict[str, str]:
    if record is None:
        return {}
    clear = {k: v for k, v in (record.get("clear") or {}).items() if k not in HIDDEN}
    return {**flatten(record.get("data") or {}), **flatten(clear)}


def changed_fields(mine: dict[str, Any] | None, theirs: dict[str, Any]) -> list[str]:
    """The fields whose values differ between the two versions, in a steady order."""
    ours, other = fields_of(mine), fields_of(theirs)
    changed = [k for k in dict.fromkeys([*other, *ours]) if ours.get(k) != other.get(k)]
    return sorted(changed, key=lambda k: FIRST.index(k) if k in FIRST else len(FIRST))


def short(text: str) -> str:
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


class ConflictsScreen(Screen[None]):
    """1 keeps this laptop's version, 2 keeps the other's; N and P move between records."""

    CSS_PATH = "conflicts.tcss"
    TITLE = "Needs review"
    HELP = """
A record **needs review** when it was changed on this laptop *and* on another laptop before
they exchanged bundles. cwtt cannot know which change is right, so a person chooses.

Only the fields that differ are shown: on the left **this laptop's version**, on the right
**the other laptop's version**. Talk to the person who made the other change if you are unsure.

Press **1** to keep this laptop's version or **2** to keep the other laptop's. The choice travels
with the next bundles, so every laptop ends up with the same record. **N** and **P** move to the
next and previous record. Only a team lead or coordinator may choose.
"""
    BINDINGS = [
        Binding("1", "keep('mine')", "Keep ours", id="conflicts-mine"),
        Binding("2", "keep('theirs')", "Keep theirs", id="conflicts-theirs"),
        Binding("n", "move(1)", "Next", id="conflicts-next"),
        Binding("p", "move(-1)", "Previous", id="conflicts-previous"),
        Binding("escape", "app.pop_screen", "Back", id="conflicts-back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.conflicts: list[dict[str, Any]] = []
        self.index = 0
        self.may_resolve = may_manage_peers(store)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="conflicts-status")
        with VerticalScroll(id="conflicts-body"):
            yield Static("", id="conflicts-about")
            with Horizontal(id="conflicts-pair"):
                with Vertical(id="conflicts-mine", classes="version"):
                    yield Static("", id="conflicts-mine-text", markup=False)
                with Vertical(id="conflicts-theirs", classes="version"):
                    yield Static("", id="conflicts-theirs-text", markup=False)
        yield Static("", id="conflicts-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#conflicts-mine").border_title = "1  This laptop's version"
        self.query_one("#conflicts-theirs").border_title = "2  The other laptop's version"
        self._reload()
        if not self.may_resolve:
            self._say("Only a team lead or coordinator may choose which version to keep.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "keep":
            return bool(self.conflicts) and self.may_resolve
        if action == "move":
            return len(self.conflicts) > 1
        return True

    def _reload(self) -> None:
        self.conflicts = self.store.sync.conflicts()
        self.index = min(self.index, max(0, len(self.conflicts) - 1))
        self._show()
        self.refresh_bindings()

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#conflicts-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def _show(self) -> None:
        pair = self.query_one("#conflicts-pair")
        if not self.conflicts:
            self.query_one("#conflicts-status", Static).update("No records need review.")
            self.query_one("#conflicts-about", Static).update(
                "Every record is the same on the laptops that exchanged bundles."
            )
            pair.display = False
            return
        pair.display = True
        conflict = self.conflicts[self.index]
        kind = KINDS.get(conflict["kind"], conflict["kind"])
        self.query_one("#conflicts-status", Static).update(
            f"Record {self.index + 1} of {len(self.conflicts)} · {kind} · "
            f"id {conflict['record_id'][:8]}"
        )
        self.query_one("#conflicts-about", Static).update(self._about(conflict))
        mine, theirs = conflict["mine"], conflict["theirs"]
        fields = changed_fields(mine, theirs)
        self.query_one("#conflicts-mine-text", Static).update(self._side(mine, fields))
        self.query_one("#conflicts-theirs-text", Static).update(self._side(theirs, fields))

    def _about(self, conflict: dict[str, Any]) -> str:
        child_id = ((conflict["theirs"] or {}).get("clear") or {}).get("child_id")
        if conflict["kind"] == "child":
            child_id = conflict["record_id"]
        if not child_id:
            return "Changed on both laptops since they last exchanged bundles."
        try:
            child = self.store.children.get(child_id)
        except CwttError:
            return "About a child this laptop does not hold."
        d = child.details
        return f"About {d.first_name} {d.last_name}, grade {d.grade} {d.class_name}."

    def _side(self, record: dict[str, Any] | None, fields: list[str]) -> str:
        if record is None:
            return "(this laptop does not hold this record)"
        when = str(record.get("updated_at", ""))[:16].replace("T", " ")
        who = self.store.devices.name_of(str(record.get("updated_by_device", "")))
        values = fields_of(record)
        lines = [f"Changed on {who}", f"at {when}", ""]
        lines += [f"{label(f)}: {short(values.get(f, '(empty)'))}" for f in fields]
        if not fields:
            lines.append("The same details; only the history of changes differs.")
        return "\n".join(lines)

    def action_move(self, step: int) -> None:
        if self.conflicts:
            self.index = (self.index + step) % len(self.conflicts)
            self._show()
            self._say("")

    def action_keep(self, keep: Literal["mine", "theirs"]) -> None:
        if not self.conflicts or not self.may_resolve:
            return
        conflict = self.conflicts[self.index]
        try:
            with self.store.transaction():
                self.store.sync.resolve(conflict["id"], keep)
                self.store.audit.record("conflict.resolve", conflict["id"], keep=keep)
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        whose = "this laptop's" if keep == "mine" else "the other laptop's"
        self._reload()
        left = f" {len(self.conflicts)} left." if self.conflicts else " Nothing else needs review."
        self._say(f"Kept {whose} version; the choice travels with the next bundles.{left}")
