"""Meeting mode: a team meeting's agenda for a round, and what the team decides item by item.

The agenda (one school for a team lead, every school for a coordinator) holds, in this order:
1. the children scored in the round with a HIGH domain that no open action covers (most HIGH
   flags first, then by name); an action is open until it is done, declined or could not reach,
   whichever round it was planned in;
2. the overdue actions, the longest overdue first.

Where each outcome is saved, so that a power cut loses nothing the team decided:
- a planned action is an action in the store (`planning.plan_suggestion`), status planned;
- a new status for an overdue action goes through its lifecycle (`planning.change_status`);
- a decision in free words ("Discuss with the principal") is not work to follow up, so it is not
  made into an action (it would sit on the board as one); it is written to the audit log as
  `meeting.decision`, the child's id as target and the words in the sealed detail.
The meeting's progress (who attended, the agenda, where it is on it, what was recorded for which
item) is saved sealed in the store after every step (`store.meetings`), so that a meeting cut
short by a power cut goes on where it stopped (`unfinished_meeting`); the minutes are written
from it when the meeting finishes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cwtt_tui.board import fold
from cwtt_tui.errors import BadInstrument, NotAllowed, RecordNotFound, UsageError
from cwtt_tui.meeting_items import (
    AgendaItem,
    Decision,
    ItemDetails,
    ItemRecord,
    Meeting,
    Review,
)
from cwtt_tui.meeting_progress import progress_json, restored
from cwtt_tui.models import DOMAINS
from cwtt_tui.planning import (
    FINAL,
    PLAN_ROLES,
    catalogue,
    change_status,
    overdue_actions,
    plan_suggestion,
    suggestions,
    today,
)
from cwtt_tui.store.context import new_id

if TYPE_CHECKING:
    from cwtt_tui.models import Action, BoardSummary
    from cwtt_tui.planning import Suggestion
    from cwtt_tui.store.store import Store

__all__ = [
    "MAX_SUGGESTIONS", "AgendaItem", "Decision", "ItemDetails", "ItemRecord", "Meeting", "Review",
    "action_title", "build_agenda", "check_leader", "default_minutes_folder", "finish_meeting",
    "item_details", "plan_for_item", "record_decision", "review_action", "start_meeting", "step",
    "unfinished_meeting",
]  # fmt: skip

MAX_SUGGESTIONS = 9  # one number key each
ALL_SCHOOLS = "All schools"
NO_REASON = "no reason recorded"


def action_title(action: Action) -> str:
    """An action's short title: its suggestion's title, else what was written by hand."""

    if action.suggestion_id:
        try:
            found = catalogue().get(action.suggestion_id)
        except BadInstrument:
            found = None
        if found is not None:
            return found.title.get()
    return action.details.what


def default_minutes_folder() -> Path:
    """Where minutes go unless the user names a folder: `minutes` in the user data folder."""
    from cwtt_tui.config import data_dir

    return data_dir() / "minutes"


def check_leader(store: Store) -> None:
    """Raise NotAllowed unless the signed-in user may lead a meeting (team lead, coordinator)."""
    if store.user is None or store.user.role not in PLAN_ROLES:
        raise NotAllowed("Only a team lead or coordinator may lead a meeting.")


def start_meeting(store: Store, attendees: str = "", round_id: str | None = None) -> Meeting:
    """Start a meeting on the current round (or `round_id`): a team lead's school, or all
    schools for a coordinator. `attendees`: names separated by commas (may be empty).

    Raises:
        NotAllowed: a practitioner, or nobody signed in.
        UsageError: the store has no round yet.
    """
    check_leader(store)
    user = store.user
    assert user is not None
    rounds = store.rounds.list()
    if round_id is not None:
        round_ = store.rounds.get(round_id)
    elif rounds:
        round_ = store.rounds.current() or rounds[-1]
    else:
        raise UsageError("There is no round yet; open one under Reports, 3 Rounds.")
    school = store.home_school() if user.role == "team_lead" else None
    on = today(store)
    names = tuple(n for n in (" ".join(p.split()) for p in attendees.split(",")) if n)
    meeting = Meeting(
        round=round_, school_id=school.id if school else None,
        school=school.name if school else ALL_SCHOOLS, led_by=user.name, attendees=names,
        held_on=on, agenda=build_agenda(store, round_.id, school.id if school else None, on),
        id=new_id(), started_at=store.ctx.now(),
    )  # fmt: skip
    earlier = store.meetings.unfinished()
    if earlier is not None:  # starting again leaves the earlier one behind for good
        store.meetings.close(earlier.id, "abandoned")
    _save(store, meeting)
    return meeting


def step(store: Store, meeting: Meeting, by: int) -> None:
    """Go to the next (1) or previous (-1) item, and save where the meeting is."""
    meeting.move(by)
    _save(store, meeting)


def finish_meeting(store: Store, meeting: Meeting) -> None:
    """The minutes are written: the meeting is no longer offered to go on with."""
    if meeting.id:
        store.meetings.close(meeting.id, "finished")


def unfinished_meeting(store: Store) -> Meeting | None:
    """The meeting this laptop did not finish (a power cut, or the team left without minutes),
    as it stood after its last step; None when there is none or this user may not lead one."""
    if store.user is None or store.user.role not in PLAN_ROLES:
        return None
    saved = store.meetings.unfinished()
    if saved is None:
        return None
    try:
        return restored(saved.progress, store.rounds.get(saved.round_id), saved.id,
                        saved.started_at, store.actions.get)  # fmt: skip
    except (KeyError, IndexError, TypeError, ValueError, RecordNotFound):
        store.meetings.close(saved.id, "abandoned")  # written by another version: start anew
        return None


def _save(store: Store, meeting: Meeting) -> None:
    store.meetings.save(meeting.id, meeting.round.id, progress_json(meeting))


def build_agenda(store: Store, round_id: str, school_id: str | None, on: date) -> list[AgendaItem]:
    """The agenda of a round (see the module's docstring), overdue judged on `on` (today)."""
    summaries = store.assessments.summaries(round_id)
    lines = [
        line
        for line in summaries
        if line.highs and (school_id is None or line.school_id == school_id)
    ]
    covered: dict[str, set[str]] = {}
    for action in store.actions.list():
        if action.status not in FINAL:
            covered.setdefault(action.child_id, set()).add(action.domain)
    children = []
    for line in sorted(lines, key=lambda line: (-line.highs, fold(line.name))):
        highs = tuple(d for d, code in zip(DOMAINS, line.levels, strict=True) if code == "H")
        uncovered = tuple(d for d in highs if d not in covered.get(line.child_id, set()))
        if uncovered:
            children.append(_item("child", line, highs=highs, uncovered=uncovered))
    by_child = {line.child_id: line for line in summaries}
    overdue = [
        _overdue_item(store, action, by_child.get(action.child_id))
        for action in overdue_actions(store, on, school_id)
    ]
    return children + overdue


def _item(kind: Literal["child", "overdue"], line: BoardSummary, **more: object) -> AgendaItem:
    return AgendaItem(
        kind, line.child_id, line.name, line.grade, line.class_name, line.school_id, **more
    )  # type: ignore[arg-type]


def _overdue_item(store: Store, action: Action, line: BoardSummary | None) -> AgendaItem:
    if line is not None:
        return _item("overdue", line, action=action)
    child = store.children.get(action.child_id)  # not scored in this round: one decryption
    d = child.details
    name = f"{d.last_name}, {d.first_name}"
    return AgendaItem(
        "overdue", child.id, name, d.grade, d.class_name, child.school_id, action=action
    )


def item_details(store: Store, meeting: Meeting, item: AgendaItem) -> ItemDetails:
    """The reasons, actions and suggestions to show for an item."""
    if item.kind == "overdue":
        return ItemDetails({}, (item.action,) if item.action else (), ())
    round_id = meeting.round.id
    result = store.assessments.get(item.child_id, round_id) or {"domains": {}}
    reasons = {}
    for domain in item.highs:
        found = result["domains"].get(domain, {}).get("reasons") or []
        reasons[domain] = str(found[0].get("text", NO_REASON)) if found else NO_REASON
    actions = [
        a
        for a in store.actions.list(child_id=item.child_id)
        if a.status not in FINAL or a.round_id == round_id
    ]
    actions.sort(key=lambda a: (a.status in FINAL, a.details.due_on or "9999", a.meta.created_at))
    offered = [
        s
        for s in suggestions(store, item.child_id, round_id)
        if s.domain in item.highs and "high" in s.levels
    ]
    offered.sort(key=lambda s: (s.domain not in item.uncovered, DOMAINS.index(s.domain)))
    return ItemDetails(reasons, tuple(actions), tuple(offered[:MAX_SUGGESTIONS]))


def plan_for_item(
    store: Store,
    meeting: Meeting,
    suggestion: Suggestion,
    responsible: str,
    department: str = "",
    due_on: str = "",
) -> Action:
    """Plan a suggested action for the current item's child, and record it for the minutes.

    Raises:
        NotAllowed, UsageError (a wrong department or date, or planned already).
    """
    item = meeting.current
    if item is None or item.kind != "child":
        raise UsageError("Plan actions on a child's item; this one is not a child.")
    action = plan_suggestion(
        store, item.child_id, meeting.round.id, suggestion, responsible, department, due_on
    )
    meeting.record().planned.append(action)
    _save(store, meeting)
    return action


def record_decision(store: Store, meeting: Meeting, text: str, owner: str = "") -> Decision:
    """Save a decision about the current item in the audit log (sealed), and for the minutes;
    `owner`: who will see to it (may be empty).

    Raises:
        UsageError: nothing was written, or the agenda is finished.
    """
    words, owner = " ".join(text.split()), " ".join(owner.split())
    if not words:
        raise UsageError("Write the decision first, e.g. 'Discuss with the principal'.")
    record = meeting.record()
    item = record.item
    entry = store.audit.record(
        "meeting.decision", item.child_id, text=words, owner=owner, round=meeting.round.id,
        action_id=item.action.id if item.action else "",
    )  # fmt: skip
    decision = Decision(words, owner, entry.at, meeting.led_by)
    record.decisions.append(decision)
    _save(store, meeting)
    return decision


def review_action(store: Store, meeting: Meeting, to: str, note: str) -> Action:
    """Give the current overdue action a new status with a note, and record it for the minutes.

    Raises:
        NotAllowed, UsageError (a change the lifecycle does not allow, or a missing note).
    """
    item = meeting.current
    if item is None or item.action is None:
        raise UsageError("Only an overdue action's item can be updated.")
    record = meeting.record()
    before = (record.reviews[-1].action if record.reviews else item.action).status
    changed = change_status(store, item.action.id, to, note)
    record.reviews.append(Review(changed, before, " ".join(note.split())))
    _save(store, meeting)
    return changed
