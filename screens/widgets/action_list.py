"""A child's actions in one round, two lines each: what, then status, due date and who."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from textual.markup import escape
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from cwtt_tui.models import Action
from cwtt_tui.planning import FINAL, STATUS_LABELS, is_overdue

#: Characters of the first line before it is cut short (the list sits in 80 columns).
LINE = 68
OVERDUE = "[b $background on $error] OVERDUE [/]"  # a badge: readable on a highlighted row


def clip(text: str, width: int = LINE) -> str:
    """One line of at most `width` characters, cut with … when longer."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def status_word(status: str) -> str:
    return STATUS_LABELS[status].upper()


def who(action: Action) -> str:
    """The person and department responsible, or a plain word that nobody is named yet."""
    named = [p for p in (action.details.responsible, action.details.department) if p]
    return ", ".join(named) or "nobody named yet"


def due_text(action: Action, on: date) -> str:
    """`due 2026-11-16`, with OVERDUE (markup) when it is past and the action is still open."""
    if not action.details.due_on:
        return "no due date"
    overdue = f" {OVERDUE}" if is_overdue(action, on) else ""
    return f"due {action.details.due_on}{overdue}"


def in_order(actions: list[Action]) -> list[Action]:
    """Open actions first, soonest due first; finished ones after them."""
    return sorted(
        actions,
        key=lambda a: (a.status in FINAL, a.details.due_on or "9999-12-31", a.meta.created_at),
    )


class ActionList(OptionList):
    """Arrows move between actions; Enter selects one (the case screen opens its status)."""

    def show(
        self,
        actions: list[Action],
        on: date,
        titles: Mapping[str, str],
        domain_titles: Mapping[str, str],
        select: str | None = None,
    ) -> None:
        """Fill the list; keep the highlight on `select` (or on the action highlighted now)."""
        keep = select or self.highlighted_id
        options = []
        for action in in_order(actions):
            title = titles.get(action.suggestion_id) or action.details.what
            first = escape(clip(f"{domain_titles[action.domain]}: {title}"))
            status = f"[b]{status_word(action.status)}[/]"
            second = f"  {status} · {due_text(action, on)} · {escape(clip(who(action), 36))}"
            options.append(Option(f"{first}\n{second}", id=action.id))
        self.set_options(options)
        ids = [o.id for o in options]
        if options:
            self.highlighted = ids.index(keep) if keep in ids else 0

    @property
    def highlighted_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option else None
