"""The two-round store of tests/cwtt_tui/rounds_world.py, made ready for a team meeting.

Changes to that world (round 2, school A, the app's clock says 2026-11-02):
- Mokoena is HIGH in health, nutrition and economic, each with a reason (three HIGH flags);
- Botha's HIGH health is covered by a planned action (so Botha is not on the agenda);
- two actions are overdue: Dlamini's protection (due 2026-09-30, the oldest) and Cele's
  education (due 2026-10-20).

The agenda is then: Mokoena (3 HIGH), Ayanda, Cele, Dlamini (1 HIGH each, by name), then the
overdue actions of Dlamini and Cele.
"""

from __future__ import annotations

from pathlib import Path

from cwtt_tui.assessing import summarise
from cwtt_tui.models import DOMAINS, ActionDetails
from cwtt_tui.store.store import unlock_store
from tests.cwtt_tui.rounds_world import PASSPHRASE, PRACTITIONER_PASSPHRASE, build, clock

__all__ = ["PASSPHRASE", "PRACTITIONER_PASSPHRASE", "REASONS", "build_meeting_world"]

REASONS = {
    "health": "Has not seen a clinic for two years",
    "nutrition": "Often goes to bed hungry",
    "economic": "No birth certificate yet",
}


def build_meeting_world(path: Path) -> dict[str, str]:
    """Make the store at `path`; return each child's id by first name, and the overdue actions'
    ids as `overdue:Dlamini` and `overdue:Cele`."""
    ids = build(path)
    with unlock_store(path, PASSPHRASE, clock=clock) as store:
        second = store.rounds.list()[1].id
        mokoena = store.children.get(ids["Mokoena"])
        result = {
            "domains": {
                d: {
                    "level": "high" if d in REASONS else "low",
                    "reasons": [{"rule": f"{d[:3]}_1", "text": REASONS[d]}] if d in REASONS else [],
                }
                for d in DOMAINS
            }
        }
        store.assessments.save(
            mokoena.id, second, result, summarise(mokoena, result, ["2026-08-20"])
        )
        store.actions.plan(
            ids["Botha"], second, "health", ActionDetails("Clinic visit", "Sister Dube", "Health")
        )
        overdue = {
            "Dlamini": store.actions.plan(
                ids["Dlamini"], second, "protection",
                ActionDetails("Social worker home visit", "Mr Khumalo", "Social Development",
                              "2026-09-30"),
            ),
            "Cele": store.actions.plan(
                ids["Cele"], second, "education",
                ActionDetails("Follow up the absences", "Ms Naidoo", "School", "2026-10-20"),
            ),
        }  # fmt: skip
    return {**ids, **{f"overdue:{name}": action.id for name, action in overdue.items()}}
