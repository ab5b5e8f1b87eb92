"""Where a case's interviews came from: made on this laptop, or brought by a bundle from another."""

from __future__ import annotations

from dataclasses import dataclass

from cwtt_tui.models import RESPONDENTS
from cwtt_tui.store.store import Store


@dataclass(frozen=True)
class InterviewSource:
    respondent: str
    status: str  # "complete", "draft" or "not done"
    on: str  # the date it was finished (or started), "" when not done
    laptop: str  # "this laptop" or the peer's name
    bundle: int | None  # the number of the bundle that brought it; None when made here

    def describe(self) -> str:
        if self.status == "not done":
            return f"{self.respondent:<10} not done"
        where = self.laptop if self.bundle is None else f"{self.laptop}, bundle {self.bundle}"
        return f"{self.respondent:<10} {self.status:<8} {self.on}  from {where}"


def interview_sources(store: Store, child_id: str, round_id: str) -> list[InterviewSource]:
    """One line per respondent: the latest interview of the round and which laptop made it."""
    local = store.devices.local().id
    latest = {}
    for interview in store.interviews.list(child_id=child_id, round_id=round_id):
        latest[interview.respondent] = interview
    sources = []
    for respondent in RESPONDENTS:
        interview = latest.get(respondent)
        if interview is None:
            sources.append(InterviewSource(respondent, "not done", "", "", None))
            continue
        meta = interview.meta
        device = meta.updated_by_device if meta else local
        laptop = "this laptop" if device == local else store.devices.name_of(device)
        entry = store.bundles.imported(meta.via_bundle) if meta and meta.via_bundle else None
        on = (interview.completed_at or interview.started_at or "")[:10]
        sources.append(
            InterviewSource(
                respondent, interview.status, on, laptop, entry.sequence if entry else None
            )
        )
    return sources
