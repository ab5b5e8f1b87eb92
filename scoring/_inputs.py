"""A child's inputs to the rules: answers checked against the questionnaires, and scale results.

Every input has a dotted name: ``caregiver.<id>``, ``teacher.<id>``, ``health.<id>`` and
``child_self.<id>`` for the answers (question ids of the shipped questionnaires), ``growth.*``,
``hhs.*``, ``psc17.*``, ``phq9.*`` and ``cfm.*`` for the scales, ``child.sex`` and
``child.age_months`` for the registration facts. A missing input has the value ``None`` and a
plain reason in ``why_missing``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from questionnaires.answers import SKIP_REASONS
from questionnaires.loader import load_all
from questionnaires.model import Question
from scoring.cfm import CFM_FUNCTIONS, CfmResult, score_cfm
from scoring.errors import ScoringError
from scoring.growth import GrowthResult, age_in_months, growth_zscores
from scoring.scales import HhsResult, Phq9Result, Psc17Result, score_hhs, score_phq9, score_psc17

__all__ = ["RESPONDENTS", "Inputs", "Scales", "gather", "input_names", "json_value"]

#: Keys of the answers by respondent -> the questionnaire's respondent. The child's own answers
#: are ``child_self`` because ``child`` holds the registration facts (sex, date of birth).
RESPONDENTS = {
    "caregiver": "caregiver",
    "teacher": "teacher",
    "health": "health",
    "child_self": "child",
}
_INTERVIEW = {
    "caregiver": "the caregiver interview is not done",
    "teacher": "the teacher interview is not done",
    "health": "the health screen (nurse) is not done",
    "child_self": "the child interview is not done",
}
_SKIPPED = {
    "refused": "refused",
    "dont_know": "don't know",
    "not_applicable": "not applicable",
    "trained_staff": "left for trained staff",
}

SCALE_FIELDS: dict[str, tuple[str, ...]] = {
    "growth": ("age_months", "haz", "waz", "baz", "flags"),
    "hhs": ("score", "category"),
    "psc17": (
        "total",
        "internalising",
        "attention",
        "externalising",
        "positive",
        "subscales_positive",
    ),
    "phq9": ("total", "severity", "item9"),
    "cfm": ("functional_difficulty", "functions", *CFM_FUNCTIONS),
    "child": ("sex", "age_months"),
}


@cache
def questions() -> dict[str, dict[str, Question]]:
    """The answerable questions of each respondent key, by id (notes hold no answer)."""
    by_respondent = {ins.respondent: ins for ins in load_all().values()}
    return {
        key: {q.id: q for q in by_respondent[respondent].questions if not q.is_note}
        for key, respondent in RESPONDENTS.items()
    }


@cache
def _derived_names() -> dict[str, frozenset[str]]:
    by_respondent = {ins.respondent: ins for ins in load_all().values()}
    return {
        key: frozenset(d.name for d in by_respondent[respondent].derived)
        for key, respondent in RESPONDENTS.items()
    }


@cache
def input_names() -> frozenset[str]:
    """Every dotted input name a rule may read."""
    names = {f"{scale}.{name}" for scale, fields in SCALE_FIELDS.items() for name in fields}
    names.update(f"{key}.{qid}" for key, table in questions().items() for qid in table)
    return frozenset(names)


@dataclass(frozen=True)
class Scales:
    """The published scales scored for one child: growth (health), HHS, PSC-17, PHQ-9, CFM."""

    growth: GrowthResult
    hhs: HhsResult
    psc17: Psc17Result
    phq9: Phq9Result
    cfm: CfmResult

    def to_dict(self) -> dict[str, object]:
        """The ``"scales"`` object of the ``cwtt score`` contract (issue 5)."""
        return {
            "growth": self.growth.to_dict(),
            "hhs": self.hhs.to_dict(),
            "psc17": self.psc17.to_dict(),
            "phq9": self.phq9.to_dict(),
            "cfm": self.cfm.to_dict(),
        }


@dataclass(frozen=True)
class Inputs:
    """Every input's value (``None`` when missing) and, for each missing one, why."""

    values: Mapping[str, object]
    why_missing: Mapping[str, str]
    scales: Scales = field(repr=False)

    def get(self, name: str) -> object:
        """The value of ``name``, ``None`` when missing (or not an input at all)."""
        return self.values.get(name)

    def why(self, name: str) -> str:
        """Why ``name`` is missing (``"not known"`` when no better reason is recorded)."""
        return self.why_missing.get(name, f"{name} is not known")


def json_value(value: object) -> object:
    """An input value as JSON: tuples become lists, dates ISO text."""
    if isinstance(value, tuple | list):
        return [json_value(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def gather(
    answers_by_respondent: Mapping[str, object],
    child: Mapping[str, object] | None,
    interview_date: object,
) -> Inputs:
    """Check every answer against its questionnaire and score the scales.

    Raises:
        ScoringError: an unknown respondent key or question id, an answer that is not one of its
            question's codes or outside its range, or a date that is not a date.
    """
    if not isinstance(answers_by_respondent, Mapping):
        raise ScoringError("The answers must be an object keyed by respondent; correct the file.")
    unknown = sorted(set(answers_by_respondent) - set(RESPONDENTS))
    if unknown:
        raise ScoringError(
            f"The answers name an unknown respondent ({', '.join(map(str, unknown))}); "
            f"use {', '.join(RESPONDENTS)}."
        )
    values: dict[str, object] = {}
    why: dict[str, str] = {}
    raw: dict[str, Mapping[str, object]] = {}
    for key, table in questions().items():
        answers = answers_by_respondent.get(key)
        if answers is not None and not isinstance(answers, Mapping):
            raise ScoringError(
                f"The {key} answers are not an object of question ids; correct them."
            )
        done = bool(answers)
        raw[key] = answers or {}
        _check_ids(key, raw[key], table)
        for qid, question in table.items():
            name = f"{key}.{qid}"
            if not done:
                values[name], why[name] = None, _INTERVIEW[key]
                continue
            value, reason = _answer(key, question, raw[key].get(qid))
            values[name] = value
            if reason:
                why[name] = reason

    facts = child or {}
    if not isinstance(facts, Mapping):
        raise ScoringError("The child is not an object with sex and date_of_birth; correct it.")
    sex = _sex(facts.get("sex"))
    born = _date(facts.get("date_of_birth"), "child's date_of_birth")
    seen = _date(interview_date, "interview_date")
    values["child.sex"] = sex
    if sex is None:
        why["child.sex"] = "the child's sex is not recorded"
    values["child.age_months"] = None if born is None or seen is None else age_in_months(born, seen)
    if values["child.age_months"] is None:
        why["child.age_months"] = "the date of birth or the interview date is not recorded"

    scales = Scales(
        growth=_growth(values, why, sex, born),
        hhs=score_hhs(raw["caregiver"]),
        psc17=score_psc17(raw["caregiver"]),
        phq9=score_phq9(raw["caregiver"]),
        cfm=score_cfm(raw["caregiver"]),
    )
    caregiver_done = bool(raw["caregiver"])
    _scale_inputs(values, why, scales, caregiver_done)
    return Inputs(values, why, scales)


def _check_ids(key: str, answers: Mapping[str, object], table: Mapping[str, Question]) -> None:
    derived = _derived_names()[key]
    for qid in answers:
        if qid not in table and qid not in derived:
            raise ScoringError(
                f"The {key} answers name {qid!s:.40}, which the {RESPONDENTS[key]} "
                "questionnaire does not ask; correct the question id."
            )


def _answer(key: str, question: Question, value: object) -> tuple[object, str | None]:
    """The checked value of one answer, or ``(None, why it is missing)``."""
    qid = question.id
    if isinstance(value, Mapping):
        reason = value.get("skipped")
        if reason in SKIP_REASONS and reason in _SKIPPED:
            return None, f"{key}.{qid} was skipped ({_SKIPPED[str(reason)]})"
        raise ScoringError(
            f"The {key} answer to {qid} is neither a code nor a skip (refused, dont_know, "
            "not_applicable or trained_staff); correct the answers file."
        )
    if value is None or (isinstance(value, str) and not value.strip()) or value == []:
        return None, f"{key}.{qid} was not answered"
    kind = question.type
    if kind in ("single", "yes_no"):
        return _code(key, question, value), None
    if kind == "multiple":
        items = value if isinstance(value, list) else [value]
        codes = tuple(dict.fromkeys(_code(key, question, item) for item in items))
        exclusive = {c.code for c in question.choices if c.exclusive}
        if len(codes) > 1 and exclusive & set(codes):
            raise ScoringError(
                f"The {key} answer to {qid} combines a choice that must stand alone with others; "
                "correct the answers file."
            )
        return codes, None
    if kind in ("integer", "decimal"):
        return _numeric(key, question, value), None
    if kind == "date":
        return _date(value, f"{key} answer to {qid}"), None
    if not isinstance(value, str):
        raise ScoringError(f"The {key} answer to {qid} is not text; correct the answers file.")
    return value, None


def _code(key: str, question: Question, value: object) -> object:
    codes = [c.code for c in question.choices]
    found: object = None
    if isinstance(value, str):
        text = value.strip()
        found = next((c for c in codes if isinstance(c, str) and c == text.lower()), None)
        if found is None and text.isascii() and text.isdigit():
            found = next((c for c in codes if isinstance(c, int) and c == int(text)), None)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        found = next((c for c in codes if isinstance(c, int) and c == value), None)
    if found is None:
        listed = ", ".join(str(c) for c in codes)
        raise ScoringError(
            f"The {key} answer to {question.id} is not one of its codes ({listed}); "
            "correct the answers file."
        )
    return found


def _numeric(key: str, question: Question, value: object) -> int | float:
    number: int | float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
        if number is not None and not math.isfinite(number):
            number = None
    whole = question.type == "integer"
    if number is not None and whole:
        number = int(number) if float(number).is_integer() else None
    low, high = question.minimum, question.maximum
    if number is None or (low is not None and number < low) or (high is not None and number > high):
        what = "a whole number" if whole else "a number"
        span = f" from {low} to {high}" if low is not None and high is not None else ""
        raise ScoringError(
            f"The {key} answer to {question.id} is not {what}{span}; correct the answers file."
        )
    return number


def _date(value: object, what: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ScoringError(f"The {what} is not a date in YYYY-MM-DD form; correct the answers file.")


def _sex(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    code = value.strip().lower() if isinstance(value, str) else None
    if code not in ("male", "female"):
        raise ScoringError("The child's sex must be male or female; correct the answers file.")
    return code


def _growth(
    values: dict[str, object], why: dict[str, str], sex: str | None, born: date | None
) -> GrowthResult:
    height, weight = values["health.height_cm"], values["health.weight_kg"]
    measured = values["health.measured_on"]
    age = None
    if born is not None and isinstance(measured, date):
        age = age_in_months(born, measured)
    result = growth_zscores(
        sex,
        age,
        height if isinstance(height, int | float) else None,
        weight if isinstance(weight, int | float) else None,
    )
    values["growth.age_months"] = None if age is None else round(age, 2)
    values["growth.flags"] = result.flags
    if age is None:
        if born is None:
            why["growth.age_months"] = "the child's date of birth is not recorded"
        else:
            why["growth.age_months"] = why.get("health.measured_on", "no measurement date")
    for name, z, needed, suffix in (
        ("haz", result.haz, ("health.height_cm",), "height-for-age"),
        ("waz", result.waz, ("health.weight_kg",), "weight-for-age"),
        ("baz", result.baz, ("health.height_cm", "health.weight_kg"), "BMI-for-age"),
    ):
        dotted = f"growth.{name}"
        implausible = f"implausible_{name}" in result.flags
        values[dotted] = None if implausible else z
        if implausible:
            why[dotted] = f"implausible {suffix} z-score {z}: measure again"
        elif z is None:
            gaps = [why[n] for n in needed if values[n] is None]
            if gaps:
                why[dotted] = "; ".join(dict.fromkeys(gaps))
            elif sex is None:
                why[dotted] = why["child.sex"]
            elif age is None:
                why[dotted] = why["growth.age_months"]
            else:
                why[dotted] = f"no WHO {suffix} reference at {age:.1f} months"
    return result


def _scale_inputs(
    values: dict[str, object], why: dict[str, str], scales: Scales, caregiver_done: bool
) -> None:
    def put(name: str, value: object, reason: str) -> None:
        values[name] = value
        if value is None:
            why[name] = _INTERVIEW["caregiver"] if not caregiver_done else reason

    hhs, psc, phq, cfm = scales.hhs, scales.psc17, scales.phq9, scales.cfm
    hhs_gap = f"Household Hunger Scale incomplete ({', '.join(hhs.missing)} missing)"
    put("hhs.score", hhs.score, hhs_gap)
    put("hhs.category", hhs.category, hhs_gap)
    psc_gap = f"PSC-17 invalid: {len(psc.missing)} items blank (4 or more)"
    for name in ("total", "internalising", "attention", "externalising"):
        put(f"psc17.{name}", getattr(psc, name), psc_gap)
    put("psc17.positive", psc.positive, psc_gap)
    subscales = None if psc.positive is None else sum(p != "total" for p in psc.positive)
    put("psc17.subscales_positive", subscales, psc_gap)
    phq_gap = f"PHQ-9 incomplete ({', '.join(phq.missing)} missing)"
    put("phq9.total", phq.total, phq_gap)
    put("phq9.severity", phq.severity, phq_gap)
    put("phq9.item9", phq.item9, "PHQ-9 item 9 (phq_9) was not answered")
    cfm_gap = f"Child Functioning Module incomplete ({', '.join(cfm.missing)} missing)"
    put("cfm.functional_difficulty", cfm.functional_difficulty, cfm_gap)
    put("cfm.functions", None if cfm.functional_difficulty is None else cfm.functions, cfm_gap)
    for function, judged in cfm.by_function:
        put(f"cfm.{function}", judged, f"Child Functioning Module: {function} not yet judged")
