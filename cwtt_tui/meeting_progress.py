"""A meeting's progress as plain JSON, saved (sealed) after every step, and the meeting rebuilt
from it after a power cut."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from cwtt_tui.meeting_items import AgendaItem, Decision, ItemRecord, Meeting, Review

if TYPE_CHECKING:
    from cwtt_tui.models import Action, Round


def progress_json(meeting: Meeting) -> dict[str, Any]:
    def item(i: AgendaItem) -> dict[str, Any]:
        return {"kind": i.kind, "child_id": i.child_id, "name": i.name, "grade": i.grade,
                "class_name": i.class_name, "school_id": i.school_id, "highs": list(i.highs),
                "uncovered": list(i.uncovered), "action": i.action.id if i.action else ""}  # fmt: skip

    def record(r: ItemRecord) -> dict[str, Any]:
        return {"decisions": [asdict(d) for d in r.decisions],
                "planned": [a.id for a in r.planned],
                "reviews": [{"action": v.action.id, "status": v.action.status,
                             "before": v.before, "note": v.note} for v in r.reviews]}  # fmt: skip

    return {
        "school_id": meeting.school_id, "school": meeting.school, "led_by": meeting.led_by,
        "attendees": list(meeting.attendees), "held_on": meeting.held_on.isoformat(),
        "position": meeting.position, "agenda": [item(i) for i in meeting.agenda],
        "records": {str(n): record(r) for n, r in meeting.records.items() if not r.empty},
    }  # fmt: skip


def restored(
    data: dict[str, Any], round_: Round, meeting_id: str, started_at: str,
    action_of: Callable[[str], Action],
) -> Meeting:  # fmt: skip
    """A meeting rebuilt from its saved progress, its actions read again with `action_of`.

    Raises KeyError, IndexError, TypeError or ValueError where the progress is not as written.
    """
    actions: dict[str, Action] = {}

    def action(action_id: str) -> Action:
        if action_id not in actions:
            actions[action_id] = action_of(action_id)
        return actions[action_id]

    agenda = [
        AgendaItem(
            i["kind"],
            i["child_id"],
            i["name"],
            i["grade"],
            i["class_name"],
            i["school_id"],
            tuple(i["highs"]),
            tuple(i["uncovered"]),
            action(i["action"]) if i["action"] else None,
        )  # fmt: skip
        for i in data["agenda"]
    ]
    records = {}
    for number, saved in data["records"].items():
        n = int(number)
        records[n] = ItemRecord(
            agenda[n],
            [Decision(**d) for d in saved["decisions"]],
            [action(a) for a in saved["planned"]],
            [Review(replace(action(v["action"]), status=v["status"]), v["before"], v["note"])
             for v in saved["reviews"]],
        )  # fmt: skip
    return Meeting(
        round=round_, school_id=data["school_id"], school=data["school"],
        led_by=data["led_by"], attendees=tuple(data["attendees"]),
        held_on=date.fromisoformat(data["held_on"]), agenda=agenda,
        position=max(0, min(len(agenda), int(data["position"]))), records=records,
        id=meeting_id, started_at=started_at,
    )  # fmt: skip
