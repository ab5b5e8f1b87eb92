"""The mandatory report (Children's Act 38 of 2005, s110): when it is due, and recording it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cwtt_tui.errors import UsageError
from cwtt_tui.models import Action, ActionDetails

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

RECIPIENTS = {
    "organisation": ("A designated child protection organisation", "NGO"),
    "social_development": ("Provincial Department of Social Development", "Social Development"),
    "police": ("The police (SAPS)", "SAPS"),
}
WHAT_TO_DO_TODAY = (
    "Report today, in writing (Form 22), to a designated child protection organisation, the "
    "provincial Department of Social Development or the police. Do not question the child "
    "further or confront the family. Keep the child's disclosure confidential; tell the "
    "principal or the school's designated person. If the child is in immediate danger, call the "
    "police (10111) or Childline (116) now."
)
REPORT_MARK = "Mandatory report (s110)"


@dataclass(frozen=True)
class ReportDue:
    """Why a report is due for a child in a round: the texts of the rules that call for it."""

    child_id: str
    round_id: str
    reasons: tuple[str, ...]
    sensitive: tuple[bool, ...] = ()  # per reason: it rests on a sensitive answer

    def shown_reasons(self, allowed: bool) -> tuple[str, ...]:
        """The reasons as a user may read them: a sensitive one is hidden unless `allowed`."""
        from cwtt_tui.sensitivity import HIDDEN_REASON

        flags = self.sensitive or (False,) * len(self.reasons)
        return tuple(
            HIDDEN_REASON if hidden and not allowed else text
            for text, hidden in zip(self.reasons, flags, strict=True)
        )


def report_due(store: Store, child_id: str, round_id: str) -> ReportDue | None:
    """A report is due when the round's assessment says so and none has been recorded yet."""
    result = store.assessments.get(child_id, round_id)
    if not result or not result.get("flags", {}).get("mandatory_report"):
        return None
    for action in store.actions.list(child_id=child_id):
        if action.round_id == round_id and action.details.what.startswith(REPORT_MARK):
            return None
    from cwtt_tui.sensitivity import is_sensitive

    due = [
        reason
        for reason in result["domains"]["protection"]["reasons"]
        if reason.get("level") == "high" or reason.get("mandatory_report")
    ]
    return ReportDue(
        child_id,
        round_id,
        tuple(reason["text"] for reason in due),
        tuple(any(is_sensitive(name) for name in reason.get("answers") or {}) for reason in due),
    )


def record_report(
    store: Store,
    due: ReportDue,
    *,
    recipient: str,
    person: str,
    reference: str,
    reported_on: str,
) -> Action:
    """Record that the report was made: an action marked referred, and an audit entry."""
    if recipient not in RECIPIENTS:
        raise UsageError("Choose who the report went to: 1, 2 or 3.")
    if not reported_on.strip():
        raise UsageError("Give the date the report was made.")
    label, department = RECIPIENTS[recipient]
    details = ActionDetails(
        what=f"{REPORT_MARK} to {label}",
        responsible=person.strip(),
        department=department,
        due_on="",  # done the day it is recorded; the social worker's follow-up has no date yet
        notes=f"Reference: {reference.strip() or 'not given yet'}. Reasons: "
        + "; ".join(due.reasons),
    )
    with store.transaction():
        action = store.actions.plan(due.child_id, due.round_id, "protection", details)
        action = store.actions.set_status(action.id, "referred", note=f"reported on {reported_on}")
        store.audit.record("report.made", due.child_id, action_id=action.id, to=recipient)
    return action
