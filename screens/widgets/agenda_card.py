"""One meeting item, large and plain: who, which class, what is HIGH and why, what is planned."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from cwtt_tui.meeting import action_title
from cwtt_tui.planning import FINAL, STATUS_LABELS

if TYPE_CHECKING:
    from cwtt_tui.meeting import AgendaItem, ItemDetails, ItemRecord
    from cwtt_tui.models import Action

DOMAIN_TITLES = {
    "health": "Health",
    "nutrition": "Nutrition",
    "economic": "Economic",
    "protection": "Protection",
    "education": "Education",
    "psychosocial": "Psychosocial",
}


WHAT_WIDTH = 44


def _short(text: str, width: int = WHAT_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _plan_line(action: Action) -> str:
    """`Health: what · who · due …` for a line of its own."""
    d = action.details
    who = d.responsible or "nobody named"
    due = f"due {d.due_on}" if d.due_on else "no due date"
    title = _short(action_title(action))
    return f"{DOMAIN_TITLES.get(action.domain, action.domain)}: {title} · {who} · {due}"


def _action_line(action: Action) -> str:
    return f"{STATUS_LABELS[action.status]:<12} {_plan_line(action)}"


class AgendaCard(VerticalScroll, can_focus=True):
    """Shows one agenda item (or the agenda's end); `show()` draws it again."""

    DEFAULT_CSS = """
    AgendaCard {
        height: 1fr;
        padding: 0 1;
    }
    AgendaCard > .card-progress {
        color: $text-muted;
    }
    AgendaCard > .card-name {
        text-style: bold;
        background: $primary 30%;
        padding: 0 1;
        margin-top: 1;
    }
    AgendaCard > .card-class {
        padding: 0 1;
        margin-bottom: 1;
    }
    AgendaCard > .card-high {
        height: auto;
    }
    AgendaCard .chip {
        width: 6;
        background: $risk-high;
        color: #000000;
        text-style: bold;
        padding: 0 1;
    }
    AgendaCard .card-reason {
        width: 1fr;
        padding: 0 1;
    }
    AgendaCard > .card-heading {
        text-style: bold;
        margin-top: 1;
    }
    AgendaCard > .card-overdue {
        color: $error;
        text-style: bold;
    }
    AgendaCard > .card-list {
        padding-left: 2;
    }
    AgendaCard > .card-done {
        color: $success;
    }
    AgendaCard > .card-end {
        text-style: bold;
        margin-top: 1;
        padding: 1 2;
        background: $panel;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.item: AgendaItem | None = None
        self.details: ItemDetails | None = None
        self.record: ItemRecord | None = None
        self.progress = ""
        self.school = ""
        self.on = date.today()
        self.end_text = ""

    def show(
        self,
        item: AgendaItem | None,
        details: ItemDetails | None,
        record: ItemRecord | None,
        *,
        progress: str,
        school: str,
        on: date,
        end_text: str = "",
    ) -> None:
        self.item, self.details, self.record = item, details, record
        self.progress, self.school, self.on, self.end_text = progress, school, on, end_text
        self.refresh(recompose=True)
        self.scroll_home(animate=False)

    def compose(self) -> ComposeResult:
        yield Static(self.progress, classes="card-progress", markup=False)
        item = self.item
        if item is None:
            if self.end_text:
                yield Static(self.end_text, classes="card-end", markup=False)
            return
        yield Static(item.name, classes="card-name", markup=False)
        where = f"Grade {item.grade} · class {item.class_name}"
        yield Static(where + (f" · {self.school}" if self.school else ""), classes="card-class")
        if item.kind == "child":
            yield from self._child(item)
        else:
            yield from self._overdue(item)
            yield from self._recorded()

    def _child(self, item: AgendaItem) -> ComposeResult:
        details = self.details
        reasons = details.reasons if details else {}
        for domain in item.highs:
            covered = "" if domain in item.uncovered else "  (an action is open)"
            with Horizontal(classes="card-high"):
                yield Static("HIGH", classes="chip")
                yield Static(
                    f"{DOMAIN_TITLES.get(domain, domain):<13}{reasons.get(domain, '')}{covered}",
                    classes="card-reason",
                    markup=False,
                )
        yield from self._recorded()
        new = {a.id for a in self.record.planned} if self.record else set()
        actions = [a for a in (details.actions if details else ()) if a.id not in new]
        yield Static("Actions already", classes="card-heading")
        lines = [_action_line(a) for a in actions] or ["none yet"]
        yield Static("\n".join(lines), classes="card-list", markup=False)
        offered = details.suggestions if details else ()
        if offered:
            yield Static("Press a number to plan one of these", classes="card-heading")
            yield Static(
                "\n".join(
                    f"{n}  {DOMAIN_TITLES.get(s.domain, s.domain):<13}{s.title.get()}"
                    for n, s in enumerate(offered, start=1)
                ),
                classes="card-list",
                markup=False,
            )

    def _overdue(self, item: AgendaItem) -> ComposeResult:
        action = item.action
        if action is None:
            return
        if self.record and self.record.reviews:
            action = self.record.reviews[-1].action
        d = action.details
        late = ""
        if d.due_on and action.status not in FINAL:
            days = (self.on - date.fromisoformat(d.due_on)).days
            late = f" · {days} days overdue" if days > 0 else ""
        yield Static(f"Overdue action: due {d.due_on}{late}", classes="card-overdue")
        lines = [
            f"{DOMAIN_TITLES.get(action.domain, action.domain)}: {d.what}",
            f"Responsible: {d.responsible or 'nobody named'}"
            + (f" ({d.department})" if d.department else ""),
            f"Status now: {STATUS_LABELS[action.status]}",
        ]
        notes = [h for h in action.history if h.note]
        if notes:
            lines.append(f"Last note ({notes[-1].at[:10]}): {notes[-1].note}")
        yield Static("\n".join(lines), classes="card-list", markup=False)

    def _recorded(self) -> ComposeResult:
        record = self.record
        if record is None or record.empty:
            return
        lines = [
            f"✓ {d.text}" + (f" (who: {d.owner})" if d.owner else "") for d in record.decisions
        ]
        lines += [f"✓ Planned: {_plan_line(a)}" for a in record.planned]
        lines += [
            f"✓ {STATUS_LABELS[r.before]} → {STATUS_LABELS[r.action.status]}"
            + (f": {r.note}" if r.note else "")
            for r in record.reviews
        ]
        yield Static("Decided in this meeting", classes="card-heading")
        yield Static("\n".join(lines), classes="card-list card-done", markup=False)
