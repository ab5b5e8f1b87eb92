"""What a meeting holds: its agenda items, and what the team recorded for each (no store)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from cwtt_tui.errors import UsageError

if TYPE_CHECKING:
    from cwtt_tui.models import Action, Round
    from cwtt_tui.planning import Suggestion


@dataclass(frozen=True)
class AgendaItem:
    """One item: a child to discuss (`child`) or an overdue action to review (`overdue`)."""

    kind: Literal["child", "overdue"]
    child_id: str
    name: str  # "Last, First", as on the board
    grade: str
    class_name: str
    school_id: str
    highs: tuple[str, ...] = ()  # the HIGH domains in the round, in DOMAINS order
    uncovered: tuple[str, ...] = ()  # those no open action covers
    action: Action | None = None  # the overdue action


@dataclass(frozen=True)
class ItemDetails:
    """What the screen shows for an item besides the agenda line (read when it is shown)."""

    reasons: dict[str, str]  # per HIGH domain: the main reason it is HIGH
    actions: tuple[Action, ...]  # the child's open actions and those of this round
    suggestions: tuple[Suggestion, ...]  # for the HIGH domains, uncovered ones first


@dataclass(frozen=True)
class Decision:
    """A decision in the team's own words."""

    text: str
    owner: str  # who will see to it ("" when nobody was named)
    at: str  # ISO time
    by: str  # the user's name


@dataclass(frozen=True)
class Review:
    """An overdue action's new status, with the note that went with it."""

    action: Action  # as it is after the change
    before: str  # its status before
    note: str


@dataclass
class ItemRecord:
    """What the meeting did with one agenda item."""

    item: AgendaItem
    decisions: list[Decision] = field(default_factory=list)
    planned: list[Action] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.decisions or self.planned or self.reviews)


@dataclass
class Meeting:
    """A meeting in progress: its agenda, where it is, and what was recorded (in memory)."""

    round: Round
    school_id: str | None  # None: every school
    school: str  # the school's name, or "All schools"
    led_by: str
    attendees: tuple[str, ...]
    held_on: date
    agenda: list[AgendaItem]
    position: int = 0
    records: dict[int, ItemRecord] = field(default_factory=dict)
    id: str = ""  # its saved progress in the store ("" until saved)
    started_at: str = ""  # ISO time

    @property
    def current(self) -> AgendaItem | None:
        return self.agenda[self.position] if 0 <= self.position < len(self.agenda) else None

    @property
    def children_count(self) -> int:
        return sum(1 for item in self.agenda if item.kind == "child")

    def record(self) -> ItemRecord:
        """The current item's record (made on first use)."""
        item = self.current
        if item is None:
            raise UsageError("The agenda is finished; press F to write the minutes.")
        return self.records.setdefault(self.position, ItemRecord(item))

    def move(self, step: int) -> None:
        """Go to the next (1) or previous (-1) item; one past the last is the agenda's end."""
        self.position = max(0, min(len(self.agenda), self.position + step))

    def done(self, kind: str) -> list[ItemRecord]:
        """The records of one kind of item with something recorded, in agenda order."""
        return [
            self.records[i]
            for i in sorted(self.records)
            if self.records[i].item.kind == kind and not self.records[i].empty
        ]
