"""Needs versus services: per domain, how many children need help and how many got it.

Definitions (the contract the reports and tests rely on), for a round R and a school (or all):

- the children counted are those scored in R (one board line each), withdrawn and merged
  children left out, of the school when one is given;
- `flagged`: children at HIGH in the domain in R; `flagged_medium`: children at MEDIUM;
- `with_action`: flagged children with at least one action in that domain planned in R,
  whatever its status (planned, referred, in progress, done, declined, could not reach);
- `gap`: flagged − with_action, the HIGH children nobody has planned anything for;
- `actions_done`: actions in that domain planned in R with the status done, for any counted
  child (HIGH or not);
- `reassessed`: flagged children who have a level (high, medium or low, not incomplete) in
  that domain in the next round R+1 (the round numbered just above R);
- `improved`: flagged children whose level in that domain is MEDIUM or LOW in R+1;
- `reassessed` and `improved` are None when R is the latest round.

The total row adds the domains up: a child HIGH in two domains counts twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cwtt_tui.models import DOMAINS
from cwtt_tui.rounds import next_round

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

__all__ = ["TOTAL", "DomainNeeds", "needs_vs_services", "total"]

TOTAL = "total"


@dataclass(frozen=True)
class DomainNeeds:
    """One domain's row of the needs-versus-services table (see the module's definitions)."""

    domain: str
    flagged: int
    flagged_medium: int
    with_action: int
    actions_done: int
    reassessed: int | None
    improved: int | None

    @property
    def gap(self) -> int:
        return self.flagged - self.with_action


def needs_vs_services(
    store: Store, round_id: str, school_id: str | None = None
) -> list[DomainNeeds]:
    """One row per domain, in DOMAINS order, for round `round_id` and one school (or all).

    Decrypts the small board summaries of R and R+1 and the actions; nothing else.
    """
    lines = [
        line
        for line in store.assessments.summaries(round_id)
        if school_id is None or line.school_id == school_id
    ]
    counted = {line.child_id for line in lines}
    actions = [a for a in store.actions.list() if a.round_id == round_id and a.child_id in counted]
    later = next_round(store, round_id)
    after = (
        {line.child_id: line.levels for line in store.assessments.summaries(later.id)}
        if later
        else None
    )
    rows = []
    for at, domain in enumerate(DOMAINS):
        high = {line.child_id for line in lines if line.levels[at] == "H"}
        medium = sum(1 for line in lines if line.levels[at] == "M")
        acted = {a.child_id for a in actions if a.domain == domain}
        done = sum(1 for a in actions if a.domain == domain and a.status == "done")
        reassessed = improved = None
        if after is not None:
            then = [after[child][at] for child in high if child in after]
            reassessed = sum(1 for code in then if code in "HML")
            improved = sum(1 for code in then if code in "ML")
        rows.append(
            DomainNeeds(domain, len(high), medium, len(high & acted), done, reassessed, improved)
        )
    return rows


def total(rows: list[DomainNeeds]) -> DomainNeeds:
    """The rows added up (a child counts once per domain); None stays None."""
    known = all(row.improved is not None for row in rows)
    return DomainNeeds(
        TOTAL,
        sum(row.flagged for row in rows),
        sum(row.flagged_medium for row in rows),
        sum(row.with_action for row in rows),
        sum(row.actions_done for row in rows),
        sum(row.reassessed or 0 for row in rows) if known and rows else None,
        sum(row.improved or 0 for row in rows) if known and rows else None,
    )
