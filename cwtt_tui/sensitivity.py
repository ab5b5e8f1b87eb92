"""Sensitive answers (abuse disclosures, HIV status...): which they are, and hiding them.

A question marked `sensitive = true` in the questionnaires is asked and seen only by a user
trained for it (`User.sensitive`). Scoring names an answer `<respondent key>.<question id>`, such
as `child_self.hurt_at_home`; a rule's reasons and notes carry such names in their `answers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from cwtt_tui.assessing import RESPONDENT_KEYS
from cwtt_tui.interviewing import SENSITIVE_HIDDEN, instruments
from cwtt_tui.models import User

HIDDEN = SENSITIVE_HIDDEN
HIDDEN_REASON = "A sensitive answer (shown to staff trained for sensitive questions only)"
#: Scale results that repeat one sensitive answer as it is.
SCALE_ITEMS = {"phq9.item9": "caregiver.phq_9"}


def may_see(user: User | None) -> bool:
    """Whether `user` may see sensitive answers (nobody signed in: no)."""
    return user is not None and user.sensitive


@cache
def sensitive_ids() -> frozenset[str]:
    """Every sensitive answer's name as scoring gives it, e.g. `child_self.hurt_at_home`."""
    by_respondent = {i.respondent: i for i in instruments().values()}
    found: set[str] = set()
    for respondent, key in RESPONDENT_KEYS.items():
        instrument = by_respondent.get(respondent)
        if instrument is not None:
            found.update(f"{key}.{q.id}" for q in instrument.questions if q.sensitive)
    found.update(name for name, source in SCALE_ITEMS.items() if source in found)
    return frozenset(found)


def is_sensitive(name: str, respondent: str | None = None) -> bool:
    """Whether the answer `name` is sensitive: a dotted name, or with `respondent` ("child",
    "caregiver", "teacher", "health") a question id of that respondent's interview."""
    if respondent is not None:
        name = f"{RESPONDENT_KEYS.get(respondent, respondent)}.{name}"
    return name in sensitive_ids()


def redact_answers(
    answers: Mapping[str, Any], allowed: bool, respondent: str | None = None
) -> dict[str, Any]:
    """A copy of `answers` with each sensitive value replaced by HIDDEN unless `allowed`.

    Keys are dotted names (a reason's `answers`), or with `respondent` question ids.
    """
    if allowed:
        return dict(answers)
    return {k: HIDDEN if is_sensitive(k, respondent) else v for k, v in answers.items()}


def redact_reason(reason: Mapping[str, Any], allowed: bool) -> dict[str, Any]:
    """A domain's reason or note as the user may see it: one resting on a sensitive answer
    keeps its rule and level, but its text (which quotes the answer) and answers are hidden."""
    answers = reason.get("answers") or {}
    if allowed or not any(is_sensitive(name) for name in answers):
        return dict(reason)
    return {**reason, "text": HIDDEN_REASON, "answers": redact_answers(answers, False)}
