"""Scoring one child: scales, rules and a level per domain, with reasons and what is missing.

The rules are data (``scoring/rules/default_v1.toml``, "cwtt default rules v1"; see
``shared/questionnaires.md``). Per domain: the worst rule that fires sets the level (high, then
medium) and stands even while other inputs are missing; when none fires and some rule could not be
evaluated the level is ``incomplete``; ``low`` only when every rule was evaluated and none fired.
Notes are reported but never raise a level.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from scoring._inputs import Inputs, Scales, gather, json_value
from scoring._kleene import Unknown
from scoring.rules_file import DOMAINS, LEVELS, Rule, RuleSet, default_rules, load_rules

__all__ = [
    "LEVELS",
    "Assessment",
    "DomainResult",
    "LevelChange",
    "Reason",
    "assess",
    "compare",
    "default_rules",
    "load_rules",
]

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Reason:
    """A rule that fired: its id, level, filled-in text and the inputs behind it."""

    rule: str
    level: str
    text: str
    answers: tuple[tuple[str, object], ...]
    mandatory_report: bool = False
    urgent_referral: str | None = None

    def to_dict(self) -> dict[str, object]:
        """``{"rule", "text", "answers"}`` as the contract has it, plus ``level``."""
        return {
            "rule": self.rule,
            "text": self.text,
            "answers": {name: json_value(value) for name, value in self.answers},
            "level": self.level,
        }


@dataclass(frozen=True)
class DomainResult:
    """One domain's level, the reasons for it, its notes, and the inputs still missing."""

    domain: str
    level: str
    reasons: tuple[Reason, ...]
    notes: tuple[Reason, ...]
    missing: tuple[str, ...]
    why_missing: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, object]:
        """``{"level", "reasons", "missing"}`` as the contract has it, plus notes and why."""
        return {
            "level": self.level,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "missing": list(self.missing),
            "notes": [note.to_dict() for note in self.notes],
            "why_missing": dict(self.why_missing),
        }


@dataclass(frozen=True)
class Assessment:
    """A child's scale results and the level of each of the six domains, with the rules used."""

    scales: Scales
    domains: tuple[DomainResult, ...]
    rules_version: str
    rules_digest: str
    params: tuple[tuple[str, float], ...]

    def domain(self, name: str) -> DomainResult:
        """The result of domain ``name``.

        Raises:
            KeyError: not one of the six domains.
        """
        for result in self.domains:
            if result.domain == name:
                return result
        raise KeyError(name)

    def level(self, name: str) -> str:
        """The level of domain ``name``: high, medium, low or incomplete."""
        return self.domain(name).level

    @property
    def fired(self) -> tuple[Reason, ...]:
        """Every reason and note of every domain."""
        return tuple(r for d in self.domains for r in (*d.reasons, *d.notes))

    @property
    def mandatory_report(self) -> bool:
        """A rule with ``mandatory_report`` fired: the mandatory-report prompt must open."""
        return any(reason.mandatory_report for reason in self.fired)

    @property
    def urgent_referral(self) -> tuple[str, ...]:
        """Who needs a same-day referral (``caregiver`` for PHQ-9 item 9), each once."""
        found = (reason.urgent_referral for reason in self.fired if reason.urgent_referral)
        return tuple(dict.fromkeys(found))

    def to_dict(self) -> dict[str, object]:
        """The JSON object ``cwtt score`` prints (issue 5 contract; extra keys are additions)."""
        return {
            "scales": self.scales.to_dict(),
            "domains": {result.domain: result.to_dict() for result in self.domains},
            "rules_version": self.rules_version,
            "flags": {
                "mandatory_report": self.mandatory_report,
                "urgent_referral": list(self.urgent_referral),
                "mandatory_report_rules": [
                    reason.rule for reason in self.fired if reason.mandatory_report
                ],
            },
            "rules_digest": self.rules_digest,
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class LevelChange:
    """A domain whose level differs between two assessments of the same child."""

    domain: str
    old: str
    new: str


def assess(
    answers_by_respondent: Mapping[str, object],
    child: Mapping[str, object] | None,
    interview_date: date | str | None,
    rules: RuleSet | None = None,
    params: Mapping[str, object] | None = None,
) -> Assessment:
    """Score one child's round: every scale, every rule, a level per domain.

    Args:
        answers_by_respondent: ``{"caregiver": {...}, "teacher": {...}, "health": {...},
            "child_self": {...}}`` keyed by question id; an absent or empty respondent is an
            interview not done. A skip is ``{"skipped": "refused" | "dont_know" |
            "not_applicable" | "trained_staff"}``.
        child: ``{"sex": "male" | "female", "date_of_birth": "YYYY-MM-DD"}``.
        interview_date: the round's interview date (``date`` or ISO text), for the age.
        rules: a loaded rules file (default: cwtt default rules v1).
        params: rule parameters to override, e.g. ``{"absence_days": 15}``.

    Raises:
        ScoringError: an answer, a date or a parameter no valid interview could produce.
    """
    ruleset = rules or default_rules()
    values = ruleset.resolve_params(params)
    inputs = gather(answers_by_respondent, child, interview_date)
    domains = tuple(
        _domain(domain, ruleset.by_domain(domain), inputs, values) for domain in DOMAINS
    )
    return Assessment(
        inputs.scales, domains, ruleset.rules_version, ruleset.digest, tuple(values.items())
    )


def compare(old: Assessment, new: Assessment) -> tuple[LevelChange, ...]:
    """The domains whose level changed from ``old`` to ``new`` (e.g. after a rule file changed)."""
    return tuple(
        LevelChange(before.domain, before.level, new.level(before.domain))
        for before in old.domains
        if before.level != new.level(before.domain)
    )


def _domain(
    domain: str, rules: tuple[Rule, ...], inputs: Inputs, params: Mapping[str, float]
) -> DomainResult:
    def lookup(name: str) -> object:
        return params[name] if name in params else inputs.get(name)

    reasons: list[Reason] = []
    notes: list[Reason] = []
    missing: list[str] = []
    unevaluable = False
    for rule in rules:
        outcome = rule.when.evaluate(lookup)
        if isinstance(outcome, Unknown):
            if rule.level != "note":
                unevaluable = True
                blamed = [name for name in rule.when.names if name in outcome.names]
                missing.extend([name for name in rule.needs if name in blamed] or blamed)
        elif outcome:
            (notes if rule.level == "note" else reasons).append(_reason(rule, inputs, params))
    reasons.sort(key=lambda reason: LEVELS.index(reason.level))
    # The worst rule that fired stands; otherwise unknown beats low.
    level = reasons[0].level if reasons else ("incomplete" if unevaluable else "low")
    gaps = tuple(dict.fromkeys(missing))
    return DomainResult(
        domain,
        level,
        tuple(reasons),
        tuple(notes),
        gaps,
        tuple((name, inputs.why(name)) for name in gaps),
    )


def _reason(rule: Rule, inputs: Inputs, params: Mapping[str, float]) -> Reason:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return _text(params[name] if name in params else inputs.get(name))

    answers = tuple((name, inputs.get(name)) for name in rule.reads if name not in params)
    return Reason(
        rule.id,
        rule.level,
        _PLACEHOLDER.sub(fill, rule.reason),
        answers,
        rule.mandatory_report,
        rule.urgent_referral,
    )


def _text(value: object) -> str:
    if value is None:
        return "not known"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) if value else "none"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
