"""Scoring children from their stored interviews, and keeping their board lines up to date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from cwtt_tui.errors import BadInstrument, NotAllowed, UsageError
from cwtt_tui.interviewing import instruments
from cwtt_tui.models import DOMAINS, LEVEL_CODES, BoardSummary, Child, Interview
from questionnaires import flow
from scoring.errors import ScoringError
from scoring.rules_engine import Assessment, assess

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

# The child's own interview is `child_self` in scoring: `child` holds the registration facts.
RESPONDENT_KEYS = {
    "child": "child_self",
    "caregiver": "caregiver",
    "teacher": "teacher",
    "health": "health",
}


@dataclass(frozen=True)
class LevelChanged:
    child_id: str
    domain: str
    old: str
    new: str


def _answers_that_count(interview: Interview, child: Child) -> dict[str, Any]:
    """The interview's answers minus those skip logic now hides (they are kept, not counted)."""
    by_respondent = {i.respondent: i for i in instruments().values()}
    instrument = by_respondent.get(interview.respondent)
    if instrument is None:
        raise BadInstrument(f"No questionnaire for the {interview.respondent} is installed.")
    facts = flow.Facts(
        interview_date=date.fromisoformat((interview.completed_at or interview.started_at)[:10]),
        sex=child.details.sex,
        date_of_birth=child.details.date_of_birth,
    )
    return flow.effective_answers(instrument, facts, interview.values())


def assess_child(
    store: Store, child: Child, round_id: str, params: dict[str, object] | None = None
) -> tuple[Assessment, tuple[LevelChanged, ...]]:
    """Score one child's round from its finished interviews, save it, and say what changed."""
    latest: dict[str, Interview] = {}
    for interview in store.interviews.list(child_id=child.id, round_id=round_id, status="complete"):
        latest[interview.respondent] = interview
    answers = {RESPONDENT_KEYS[r]: _answers_that_count(i, child) for r, i in latest.items()}
    dates = sorted((i.completed_at or i.started_at)[:10] for i in latest.values())
    interview_date = dates[-1] if dates else store.ctx.clock().date().isoformat()
    facts = {"sex": child.details.sex, "date_of_birth": child.details.date_of_birth.isoformat()}
    try:
        result = assess(answers, facts, interview_date, params=params)
    except ScoringError as exc:
        raise BadInstrument(f"The answers of child {child.id} cannot be scored: {exc}") from exc
    before = store.assessments.get(child.id, round_id)
    result_dict = result.to_dict()
    _carry_overrides(before, result_dict)
    store.assessments.save(child.id, round_id, result_dict, summarise(child, result_dict, dates))
    changes = []
    if before is not None:
        for domain in DOMAINS:
            old = before["domains"][domain]["level"]
            new = result_dict["domains"][domain]["level"]
            if old != new:
                changes.append(LevelChanged(child.id, domain, old, new))
    return result, tuple(changes)


def _carry_overrides(before: dict[str, Any] | None, result: dict[str, Any]) -> None:
    """Keep a named user's lowering of a level while the computed level is still the one lowered."""
    kept = {}
    for domain, override in ((before or {}).get("overrides") or {}).items():
        computed = result["domains"][domain]["level"]
        if computed == override["from"]:
            result["domains"][domain]["computed_level"] = computed
            result["domains"][domain]["level"] = override["to"]
            result["domains"][domain]["override"] = override
            kept[domain] = override
    if kept:
        result["overrides"] = kept


OVERRIDE_ROLES = ("team_lead", "coordinator")


def lower_protection(
    store: Store, child: Child, round_id: str, new_level: str, reason: str
) -> dict[str, Any]:
    """Lower a protection HIGH: only a team lead or coordinator, by name, with a written reason.

    The computed level and the override are both kept; re-scoring keeps the override while the
    computed level stays HIGH, and drops it when the answers change the computed level.
    """
    user = store.user
    if user is None or user.role not in OVERRIDE_ROLES:
        raise NotAllowed("Only a team lead or coordinator may lower a protection HIGH.")
    if new_level not in ("medium", "low"):
        raise UsageError("A protection HIGH can be lowered to medium or low only.")
    if len(reason.strip()) < 10:
        raise UsageError("Write why the level is lowered (at least a full sentence).")
    result = store.assessments.get(child.id, round_id)
    if result is None:
        raise UsageError("This child has no scores in this round yet.")
    protection = result["domains"]["protection"]
    computed = protection.get("computed_level", protection["level"])
    if computed != "high":
        raise UsageError("Only a protection HIGH needs lowering by hand; this one is not HIGH.")
    override = {
        "from": "high", "to": new_level, "by": user.name, "by_id": user.id,
        "reason": reason.strip(), "at": store.ctx.now(),
    }  # fmt: skip
    protection["computed_level"] = computed
    protection["level"] = new_level
    protection["override"] = override
    result.setdefault("overrides", {})["protection"] = override
    with store.transaction():
        latest = store.interviews.list(child_id=child.id, round_id=round_id, status="complete")
        dates = sorted((i.completed_at or i.started_at)[:10] for i in latest)
        store.assessments.save(child.id, round_id, result, summarise(child, result, dates))
        store.audit.record(
            "assessment.lower", child.id, domain="protection", to=new_level, reason=reason.strip()
        )
    return result


def summarise(child: Child, result: dict[str, Any], dates: list[str]) -> BoardSummary:
    d = child.details
    levels = "".join(LEVEL_CODES[result["domains"][domain]["level"]] for domain in DOMAINS)
    return BoardSummary(
        child_id=child.id,
        name=f"{d.last_name}, {d.first_name}",
        school_id=child.school_id,
        grade=d.grade,
        class_name=d.class_name,
        levels=levels,
        highs=levels.count("H"),
        last_interview=dates[-1] if dates else "",
        mandatory_report=bool(result.get("flags", {}).get("mandatory_report")),
    )


def rules_changed(store: Store) -> bool:
    """True when the current round was scored with other rules than the ones installed now."""
    from scoring.rules_file import default_rules

    current = store.rounds.current()
    if current is None:
        return False
    return store.info_value("rules_digest") not in ("", default_rules().digest)


def rescore_if_rules_changed(store: Store) -> RescoreReport | None:
    """Re-score the current round after a rules file changed; None when nothing needed doing."""
    from scoring.rules_file import default_rules

    if not rules_changed(store):
        store.set_info_value("rules_digest", default_rules().digest)
        return None
    report = rescore(store)
    store.set_info_value("rules_digest", default_rules().digest)
    return report


@dataclass(frozen=True)
class RescoreReport:
    children: int
    changes: tuple[LevelChanged, ...]


def rescore(
    store: Store, round_id: str | None = None, params: dict[str, object] | None = None
) -> RescoreReport:
    """Score every child of a round again (after a rules change); report who changed level."""
    target = round_id or (store.rounds.current().id if store.rounds.current() else None)
    if target is None:
        return RescoreReport(0, ())
    changes: list[LevelChanged] = []
    children = store.children.list()
    with store.transaction():
        for child in children:
            changes.extend(assess_child(store, child, target, params)[1])
    return RescoreReport(len(children), tuple(changes))
