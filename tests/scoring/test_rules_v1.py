"""cwtt default rules v1: every rule fires, stays quiet, or leaves its domain incomplete."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.loader import load_all
from scoring.errors import ScoringError
from scoring.growth import age_in_months, measurement_at_z
from scoring.rules_engine import LEVELS, Assessment, assess, compare, default_rules, load_rules
from scoring.rules_file import RulesFileError, parse_rules

SKIP = {"skipped": "refused"}
GONE = object()  # marks an answer to remove
CHILD = {"sex": "female", "date_of_birth": "2016-08-02"}
INTERVIEW = "2025-05-19"

_CFM = ["cfm_seeing", "cfm_hearing", "cfm_walk_100", "cfm_walk_500", "cfm_self_care"]
_CFM += ["cfm_understood_inside", "cfm_understood_outside", "cfm_learning", "cfm_remembering"]
_CFM += ["cfm_concentrating", "cfm_accepting_change", "cfm_controlling_behaviour"]
_CFM += ["cfm_making_friends"]

BENIGN: dict[str, dict[str, object]] = {
    "caregiver": {
        "caregiver_relationship": "mother",
        "income_sources": ["wages", "child_support_grant"],
        "anyone_employed": "yes",
        "caregiver_income_monthly": 4200,
        "caregiver_has_partner": "no",
        "csg_received": "yes",
        "birth_certificate": "yes",
        "caregiver_id_document": "yes",
        "hhs_1": "no",
        "hhs_2": "no",
        "hhs_3": "no",
        **{f"psc_{n}": 0 for n in range(1, 18)},
        **{f"phq_{n}": 0 for n in range(1, 10)},
        "cfm_glasses": "no",
        "cfm_hearing_aid": "no",
        "cfm_walking_equipment": "no",
        **dict.fromkeys(_CFM, "no_difficulty"),
        "cfm_anxiety": "never",
        "cfm_depression": "never",
        "adult_caregiver_present": "yes",
        "child_left_alone": "never",
        "discipline_methods": ["explain"],
        "chronic_illness": "no",
        "immunisation_up_to_date": "yes",
        "deworming_up_to_date": "yes",
    },
    "teacher": {
        "days_absent_term": 2,
        "home_language_expectations": "meeting",
        "maths_expectations": "meeting",
        "grade_repeated": "no",
        "concern_harm_to_self": "no",
        "injuries_seen": "no",
        "neglect_concern": "no",
        "concern_about_harm": "no",
    },
    "health": {
        "height_cm": 128.0,
        "weight_kg": 25.0,
        "measured_on": INTERVIEW,
        **{f"ishp_{s}": "pass" for s in ("vision", "hearing", "speech", "oral")},
        **{f"tb_{s}": "no" for s in ("cough", "fever", "night_sweats", "weight_loss", "contact")},
        "chronic_illness": "no",
        "immunisation_up_to_date": "yes",
        "deworming_up_to_date": "yes",
        "visible_injuries": "no",
    },
    "child_self": {
        "hurt_self_thoughts": "no",
        "who_looks_after": ["mother"],
        "left_alone": "no",
        "hurt_at_home": "no",
        "touched_unsafe": "no",
    },
}


def answers(changes: dict[str, object] | None = None) -> dict[str, dict[str, object]]:
    """BENIGN with ``{"caregiver.hhs_1": "yes", "teacher": GONE, ...}`` applied."""
    result = copy.deepcopy(BENIGN)
    for name, value in (changes or {}).items():
        key, _, qid = name.partition(".")
        if not qid:
            result.pop(key)
        elif value is GONE:
            result[key].pop(qid, None)
        else:
            result[key][qid] = value
    return result


def run(changes: dict[str, object] | None = None, **kwargs: object) -> Assessment:
    return assess(answers(changes), CHILD, INTERVIEW, **kwargs)  # type: ignore[arg-type]


def growth(haz: float, baz: float) -> dict[str, object]:
    """Height and weight giving these z-scores for CHILD at the interview (WHO LMS curves)."""
    age = age_in_months(CHILD["date_of_birth"], INTERVIEW)
    height = measurement_at_z("hfa", "female", age, haz)
    bmi = measurement_at_z("bfa", "female", age, baz)
    assert height is not None and bmi is not None
    return {"health.height_cm": round(height, 2), "health.weight_kg": bmi * (height / 100) ** 2}


HHS4 = {"caregiver.hhs_1": "yes", "caregiver.hhs_1_freq": "often"}
HHS4 |= {"caregiver.hhs_2": "yes", "caregiver.hhs_2_freq": "often"}
PSC_SEVERE = {f"caregiver.psc_{n}": 1 for n in (2, 6, 9, 11, 15, 4, 5, 8)}
PSC_SEVERE |= {
    "caregiver.psc_1": 2,
    "caregiver.psc_3": 2,
    "caregiver.psc_7": 2,
    "caregiver.psc_13": 1,
}
PSC_ATTENTION = {"caregiver.psc_1": 2, "caregiver.psc_3": 2, "caregiver.psc_7": 2}
PSC_ATTENTION |= {"caregiver.psc_13": 1}
PSC_INVALID = {f"caregiver.psc_{n}": GONE for n in (1, 2, 3, 4)}
BEHIND = {"teacher.maths_expectations": "not_meeting"}

# rule id -> (answers that fire it, the domain's level then, answers that leave it incomplete,
# the input then listed as missing)
CASES: dict[str, tuple[dict[str, object], str, dict[str, object], str]] = {
    "nutrition.haz_severe": (growth(-3.5, 0), "high", {"health.height_cm": GONE}, "growth.haz"),
    "nutrition.baz_severe": (growth(0, -3.5), "high", {"health.weight_kg": GONE}, "growth.baz"),
    "nutrition.hhs_severe": (HHS4, "high", {"caregiver.hhs_2": SKIP}, "hhs.score"),
    "nutrition.haz_low": (growth(-2.5, 0), "medium", {"health": GONE}, "growth.haz"),
    "nutrition.baz_thin": (growth(0, -2.5), "medium", {"health.measured_on": GONE}, "growth.baz"),
    "nutrition.baz_obese": (growth(0, 2.5), "medium", {"health.weight_kg": SKIP}, "growth.baz"),
    "nutrition.hhs_moderate": (
        {"caregiver.hhs_1": "yes", "caregiver.hhs_1_freq": "sometimes"}
        | {"caregiver.hhs_3": "yes", "caregiver.hhs_3_freq": "rarely"},
        "medium",
        {"caregiver.hhs_1": "yes"},  # the follow-up is missing
        "hhs.score",
    ),
    "psychosocial.psc17_severe": (PSC_SEVERE, "high", PSC_INVALID, "psc17.total"),
    "psychosocial.harm_to_self_child": (
        {"child_self.hurt_self_thoughts": "a_bit"},
        "high",
        {"child_self.hurt_self_thoughts": {"skipped": "dont_know"}},
        "child_self.hurt_self_thoughts",
    ),
    "psychosocial.harm_to_self_teacher": (
        {"teacher.concern_harm_to_self": "yes"},
        "high",
        {"teacher": GONE},
        "teacher.concern_harm_to_self",
    ),
    "psychosocial.psc17_positive": (PSC_ATTENTION, "medium", PSC_INVALID, "psc17.total"),
    "protection.disclosure_hurt": (
        {"child_self.hurt_at_home": "a_lot"},
        "high",
        {"child_self.hurt_at_home": SKIP},
        "child_self.hurt_at_home",
    ),
    "protection.disclosure_sexual": (
        {"child_self.touched_unsafe": "a_bit"},
        "high",
        {"child_self": GONE},
        "child_self.touched_unsafe",
    ),
    "protection.injury_suspected_abuse": (
        {"health.visible_injuries": "yes", "health.injury_suspected_abuse": "yes"},
        "high",
        {"health.visible_injuries": "yes"},  # the follow-up is missing
        "health.injury_suspected_abuse",
    ),
    "protection.discipline_injury": (
        {"caregiver.discipline_methods": ["smack"], "caregiver.discipline_injury": "yes"},
        "high",
        {"caregiver.discipline_methods": GONE},
        "caregiver.discipline_methods",
    ),
    "protection.teacher_injuries": (
        {"teacher.injuries_seen": "yes"},
        "high",
        {"teacher.injuries_seen": GONE},
        "teacher.injuries_seen",
    ),
    "protection.teacher_harm": (
        {"teacher.concern_about_harm": "yes"},
        "high",
        {"teacher.concern_about_harm": SKIP},
        "teacher.concern_about_harm",
    ),
    "protection.teacher_neglect": (
        {"teacher.neglect_concern": "yes"},
        "high",
        {"teacher.neglect_concern": GONE},
        "teacher.neglect_concern",
    ),
    "protection.no_adult_caregiver": (
        {"caregiver.adult_caregiver_present": "no"},
        "high",
        {"caregiver.adult_caregiver_present": GONE},
        "caregiver.adult_caregiver_present",
    ),
    "protection.nobody_looks_after": (
        {"child_self.who_looks_after": ["nobody"]},
        "high",
        {"child_self.who_looks_after": []},
        "child_self.who_looks_after",
    ),
    "protection.caregiver_phq9": (
        {f"caregiver.phq_{n}": 2 for n in range(1, 6)},
        "medium",
        {"caregiver.phq_4": GONE},
        "phq9.total",
    ),
    "protection.left_alone_caregiver": (
        {"caregiver.child_left_alone": "often"},
        "medium",
        {"caregiver.child_left_alone": GONE},
        "caregiver.child_left_alone",
    ),
    "protection.left_alone_child": (
        {"child_self.left_alone": "a_lot"},
        "medium",
        {"child_self.left_alone": GONE},
        "child_self.left_alone",
    ),
    "protection.harsh_discipline": (
        {"caregiver.discipline_methods": ["hit_object"], "caregiver.discipline_injury": "no"},
        "medium",
        {"caregiver.discipline_methods": SKIP},
        "caregiver.discipline_methods",
    ),
    "economic.hunger_no_income": (
        HHS4 | {"caregiver.income_sources": ["none"]},
        "high",
        HHS4 | {"caregiver.income_sources": GONE},  # severe hunger: the income decides
        "caregiver.income_sources",
    ),
    "economic.csg_not_received": (
        {"caregiver.csg_received": "no", "caregiver.csg_applied": "no"},
        "medium",
        {"caregiver.csg_received": "no", "caregiver.caregiver_income_monthly": GONE},
        "caregiver.caregiver_income_monthly",
    ),
    "economic.no_birth_certificate": (
        {"caregiver.birth_certificate": "no"},
        "medium",
        {"caregiver.birth_certificate": SKIP},
        "caregiver.birth_certificate",
    ),
    "economic.caregiver_no_id": (
        {"caregiver.caregiver_id_document": "no"},
        "medium",
        {"caregiver.caregiver_id_document": GONE},
        "caregiver.caregiver_id_document",
    ),
    "health.tb_symptoms": (
        {"health.tb_night_sweats": "yes"},
        "high",
        {"health.tb_cough": GONE},
        "health.tb_cough",
    ),
    "health.chronic_untreated": (
        {"caregiver.chronic_illness": "yes", "caregiver.chronic_illness_treated": "no"},
        "high",
        {"health.chronic_illness": "yes"},  # the nurse's follow-up is missing
        "health.chronic_illness_treated",
    ),
    "health.cfm_difficulty": (
        {"caregiver.cfm_understood_outside": "cannot"},
        "medium",
        {"caregiver.cfm_hearing": GONE},
        "cfm.hearing",
    ),
    "health.ishp_refer": (
        {"health.ishp_oral": "refer"},
        "medium",
        {"health.ishp_speech": GONE},
        "health.ishp_speech",
    ),
    "health.immunisation": (
        {"health.immunisation_up_to_date": "no"},
        "medium",
        {"caregiver.immunisation_up_to_date": {"skipped": "dont_know"}},
        "caregiver.immunisation_up_to_date",
    ),
    "health.deworming": (
        {"caregiver.deworming_up_to_date": "no"},
        "medium",
        {"health.deworming_up_to_date": GONE},
        "health.deworming_up_to_date",
    ),
    "education.absent_and_behind": (
        BEHIND | {"teacher.days_absent_term": 11},
        "high",
        {"teacher.days_absent_term": GONE},
        "teacher.days_absent_term",
    ),
    "education.repeated_and_behind": (
        {"teacher.grade_repeated": "yes", "teacher.home_language_expectations": "not_meeting"},
        "high",
        {"teacher.grade_repeated": GONE},
        "teacher.grade_repeated",
    ),
    "education.absent": (
        {"teacher.days_absent_term": 11},
        "medium",
        {"teacher": GONE},
        "teacher.days_absent_term",
    ),
    "education.not_meeting": (
        BEHIND,
        "medium",
        {"teacher.home_language_expectations": GONE},
        "teacher.home_language_expectations",
    ),
    "education.repeated": (
        {"teacher.grade_repeated": "yes"},
        "medium",
        {"teacher.grade_repeated": SKIP},
        "teacher.grade_repeated",
    ),
}
NOTES = {
    "nutrition.baz_overweight": growth(0, 1.5),
    "nutrition.remeasure": growth(-6.5, 0),
    "protection.phq9_item9": {"caregiver.phq_9": 1},
}


def rule(rule_id: str):  # noqa: ANN201
    return next(r for r in default_rules().rules if r.id == rule_id)


def fired(assessment: Assessment, domain: str) -> list[str]:
    return [reason.rule for reason in assessment.domain(domain).reasons]


def test_every_rule_has_cases() -> None:
    """Each rule of the shipped file is tested below: levels by CASES, notes by NOTES."""
    assert {r.id for r in default_rules().rules} == set(CASES) | set(NOTES)
    for rule_id in CASES:
        assert rule(rule_id).level == CASES[rule_id][1]
    assert {rule(rule_id).level for rule_id in NOTES} == {"note"}


def test_benign_answers_are_low_everywhere() -> None:
    """Every rule evaluated, none fired: all six domains low, nothing missing, no flags."""
    result = run()
    assert {d.domain: d.level for d in result.domains} == dict.fromkeys(
        ("health", "nutrition", "economic", "protection", "education", "psychosocial"), "low"
    )
    assert all(not d.missing and not d.reasons and not d.notes for d in result.domains)
    assert result.to_dict()["flags"] == {
        "mandatory_report": False,
        "urgent_referral": [],
        "mandatory_report_rules": [],
    }


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires(rule_id: str) -> None:
    """The answers that meet the rule's condition raise its domain to the rule's level."""
    changes, level, _, _ = CASES[rule_id]
    result = run(changes)
    domain = rule(rule_id).domain
    assert rule_id in fired(result, domain)
    assert result.level(domain) == level
    reason = next(r for r in result.domain(domain).reasons if r.rule == rule_id)
    assert reason.text and "{" not in reason.text
    assert set(dict(reason.answers)) <= set(rule(rule_id).reads)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_does_not_fire_on_benign_answers(rule_id: str) -> None:
    """The benign answers evaluate the rule without firing it."""
    result = run()
    assert rule_id not in fired(result, rule(rule_id).domain)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_unevaluable_makes_domain_incomplete(rule_id: str) -> None:
    """Without an input the rule needs, nothing fires and the domain is incomplete, never low."""
    _, _, changes, missing = CASES[rule_id]
    result = run(changes)
    domain = result.domain(rule(rule_id).domain)
    assert domain.level == "incomplete"
    assert missing in domain.missing
    assert dict(domain.why_missing)[missing]


LEFT = {"skipped": "trained_staff"}
SENSITIVE_LEFT = {
    "child_self.hurt_self_thoughts": LEFT,
    "child_self.hurt_at_home": LEFT,
    "child_self.touched_unsafe": LEFT,
    "caregiver.phq_9": LEFT,
    "caregiver.discipline_methods": LEFT,
    "caregiver.chronic_illness": LEFT,
    "teacher.concern_harm_to_self": LEFT,
    "teacher.injuries_seen": LEFT,
    "teacher.neglect_concern": LEFT,
    "teacher.concern_about_harm": LEFT,
    "health.chronic_illness": LEFT,
}


def test_questions_left_for_trained_staff_are_missing_never_low() -> None:
    """Benign answers but every sensitive one left for trained staff: the domains whose rules
    need them are incomplete, not low, and say why; the others stay low."""
    result = run(SENSITIVE_LEFT)
    protection = result.domain("protection")
    assert protection.level == "incomplete"
    assert "child_self.hurt_at_home" in protection.missing
    why = dict(protection.why_missing)["child_self.hurt_at_home"]
    assert why == "child_self.hurt_at_home was skipped (left for trained staff)"
    assert result.level("psychosocial") == "incomplete"
    assert result.level("health") == "incomplete"
    assert result.level("education") == "low" and result.level("economic") == "low"


def test_a_firing_rule_stands_beside_questions_left_for_trained_staff() -> None:
    """A disclosure answered by a trained colleague still makes protection high."""
    result = run(SENSITIVE_LEFT | {"child_self.hurt_at_home": "a_lot"})
    assert result.level("protection") == "high"
    assert "child_self.touched_unsafe" in result.domain("protection").missing


def test_scoring_knows_every_skip_reason_the_questionnaires_record() -> None:
    """scoring keeps its own copy of the skip reasons (it imports the stdlib only)."""
    from questionnaires.answers import SKIP_REASONS
    from scoring._answers import SKIP_REASONS as SCORED

    assert set(SKIP_REASONS) == SCORED


@pytest.mark.parametrize(
    ("changes", "domain", "level", "missing"),
    [
        (HHS4 | {"health": GONE}, "nutrition", "high", "growth.haz"),
        (
            PSC_ATTENTION | {"teacher": GONE},
            "psychosocial",
            "medium",
            "teacher.concern_harm_to_self",
        ),
        (
            {"child_self.hurt_at_home": "a_lot", "teacher": GONE},
            "protection",
            "high",
            "teacher.injuries_seen",
        ),
        (
            {"caregiver.birth_certificate": "no", "caregiver.caregiver_id_document": SKIP},
            "economic",
            "medium",
            "caregiver.caregiver_id_document",
        ),
        ({"health.tb_cough": "yes", "caregiver": GONE}, "health", "high", "cfm.seeing"),
        (
            {"teacher.grade_repeated": "yes", "teacher.maths_expectations": "not_meeting"}
            | {"teacher.days_absent_term": GONE},
            "education",
            "high",
            "teacher.days_absent_term",
        ),
    ],
)
def test_a_firing_rule_stands_while_other_inputs_are_missing(
    changes: dict[str, object], domain: str, level: str, missing: str
) -> None:
    """A high or medium stands with what is missing listed beside it."""
    result = run(changes).domain(domain)
    assert result.level == level
    assert missing in result.missing


def test_worst_level_wins_and_reasons_are_worst_first() -> None:
    """High beats medium; the high reason comes first."""
    result = run({"teacher.days_absent_term": 12} | BEHIND).domain("education")
    assert result.level == "high"
    assert [r.rule for r in result.reasons] == [
        "education.absent_and_behind",
        "education.absent",
        "education.not_meeting",
    ]
    assert result.reasons[0].text == (
        "Absent 12 days this term (more than 10) and not meeting expectations "
        "(Home Language: meeting; Mathematics: not_meeting)"
    )


def test_reason_carries_answers_behind_it() -> None:
    """The reason says why, with the scale values it read."""
    reason = run(HHS4).domain("nutrition").reasons[0]
    assert reason.to_dict() == {
        "rule": "nutrition.hhs_severe",
        "text": "Caregiver reports severe hunger: Household Hunger Scale 4: severe",
        "answers": {"hhs.score": 4, "hhs.category": "severe"},
        "level": "high",
    }


def test_published_check_value_is_severely_stunted() -> None:
    """(male, 100 months [3044 days], 100 cm, 30 kg): HAZ -5.04, severe stunting: a high."""
    born = date(2011, 9, 1)
    result = assess(
        {"health": {"height_cm": 100, "weight_kg": 30, "measured_on": "2020-01-01"}},
        {"sex": "male", "date_of_birth": born.isoformat()},
        "2019-12-31",
    )
    assert result.scales.growth.haz == -5.04
    assert result.scales.growth.baz == 5.03  # implausible (|BAZ| > 5): missing for the rules
    nutrition = result.domain("nutrition")
    assert nutrition.level == "high"
    assert [r.rule for r in nutrition.reasons] == ["nutrition.haz_severe"]
    assert "growth.baz" in nutrition.missing
    assert [n.rule for n in nutrition.notes] == ["nutrition.remeasure"]


def test_mandatory_report_flag_for_a_protection_high() -> None:
    """A disclosure opens the mandatory-report prompt; a protection medium does not."""
    flags = run({"child_self.touched_unsafe": "a_lot"}).to_dict()["flags"]
    assert flags["mandatory_report"] is True
    assert flags["mandatory_report_rules"] == ["protection.disclosure_sexual"]
    assert run({"caregiver.child_left_alone": "often"}).mandatory_report is False


def test_phq9_item9_is_an_urgent_caregiver_referral_whatever_the_total() -> None:
    """Item 9 >= 1 refers the caregiver today even with the total unknown; the level stays."""
    result = run({"caregiver.phq_9": 2, "caregiver.phq_1": GONE})
    assert result.scales.phq9.total is None
    assert result.urgent_referral == ("caregiver",)
    assert result.to_dict()["flags"]["urgent_referral"] == ["caregiver"]
    protection = result.domain("protection")
    assert protection.level == "incomplete"  # PHQ-9 total unknown; the note does not raise it
    assert [n.rule for n in protection.notes] == ["protection.phq9_item9"]
    assert run({"caregiver.phq_9": 1}).level("protection") == "low"


@pytest.mark.parametrize("rule_id", sorted(NOTES))
def test_notes_are_reported_but_never_raise_the_level(rule_id: str) -> None:
    """A note is listed with the domain's notes, never its reasons."""
    domain = rule(rule_id).domain
    result = run(NOTES[rule_id]).domain(domain)
    assert rule_id in [n.rule for n in result.notes]
    assert rule_id not in [r.rule for r in result.reasons]
    assert result.level in ("low", "incomplete")


def test_overweight_is_a_note_and_obese_a_medium() -> None:
    """BAZ +1.5 leaves nutrition low with a note; +2.5 is a medium."""
    assert run(growth(0, 1.5)).level("nutrition") == "low"
    assert run(growth(0, 2.5)).level("nutrition") == "medium"


def test_implausible_height_asks_for_a_re_measurement() -> None:
    """|HAZ| > 6 is no level: nutrition is incomplete and the note asks to measure again."""
    result = run(growth(-6.5, 0)).domain("nutrition")
    assert result.level == "incomplete"
    assert "measure again" in dict(result.why_missing)["growth.haz"]


def test_no_reference_for_the_age_is_missing() -> None:
    """A 4-year-old has no WHO 2007 reference: the z-scores are missing, not low."""
    result = assess(answers(), {"sex": "male", "date_of_birth": "2021-08-01"}, INTERVIEW)
    nutrition = result.domain("nutrition")
    assert nutrition.level == "incomplete"
    assert "no WHO height-for-age reference" in dict(nutrition.why_missing)["growth.haz"]


def test_absence_days_is_a_parameter() -> None:
    """12 days absent is a medium at N = 10 and low at N = 15."""
    changes = {"teacher.days_absent_term": 12}
    assert run(changes).level("education") == "medium"
    assert run(changes, params={"absence_days": 15}).level("education") == "low"
    with pytest.raises(ScoringError, match="no rule parameter absence_day;"):
        run(params={"absence_day": 15})


def test_compare_lists_domains_that_changed_level() -> None:
    """Re-scoring with other parameters reports which domains changed."""
    old = run({"teacher.days_absent_term": 12})
    new = run({"teacher.days_absent_term": 12}, params={"absence_days": 15})
    changes = compare(old, new)
    assert [(c.domain, c.old, c.new) for c in changes] == [("education", "medium", "low")]
    assert compare(old, old) == ()


def test_contract_shape() -> None:
    """Assessment.to_dict has the contract keys of issue 5."""
    result = run(HHS4).to_dict()
    assert {"scales", "domains", "rules_version", "flags"} <= set(result)
    assert set(result["scales"]) == {"growth", "hhs", "psc17", "phq9", "cfm"}
    assert {"age_months", "haz", "waz", "baz", "flags"} <= set(result["scales"]["growth"])
    assert {"score", "category"} <= set(result["scales"]["hhs"])
    assert {"total", "internalising", "attention", "externalising", "positive"} <= set(
        result["scales"]["psc17"]
    )
    assert {"total", "severity", "item9"} <= set(result["scales"]["phq9"])
    assert {"functional_difficulty", "functions"} <= set(result["scales"]["cfm"])
    for domain in result["domains"].values():
        assert {"level", "reasons", "missing"} <= set(domain)
        for reason in domain["reasons"]:
            assert {"rule", "text", "answers"} <= set(reason)
    assert result["rules_version"] == "cwtt-default-v1@1.0.0"
    assert {"mandatory_report", "urgent_referral"} <= set(result["flags"])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"caregiver.hhs_1": "maybe"},
            "The caregiver answer to hhs_1 is not one of its codes (yes, no); "
            "correct the answers file.",
        ),
        (
            {"teacher.days_absent_term": 300},
            "The teacher answer to days_absent_term is not a whole number from 0 to 80; "
            "correct the answers file.",
        ),
        (
            {"health.measured_on": "20 May"},
            "The health answer to measured_on is not a date in YYYY-MM-DD form; "
            "correct the answers file.",
        ),
        (
            {"caregiver.income_sources": ["none", "wages"]},
            "The caregiver answer to income_sources combines a choice that must stand alone "
            "with others; correct the answers file.",
        ),
        (
            {"teacher.favourite_colour": "blue"},
            "The teacher answers name favourite_colour, which the teacher questionnaire does "
            "not ask; correct the question id.",
        ),
    ],
)
def test_impossible_answers_raise_one_sentence(changes: dict[str, object], message: str) -> None:
    """An impossible answer is a ScoringError naming the question, never the answer."""
    with pytest.raises(ScoringError) as caught:
        run(changes)
    assert str(caught.value) == message


# --- the rules file -----------------------------------------------------------------------------


def test_shipped_rules_file_validates() -> None:
    """cwtt default rules v1 loads: ids unique, each cited, every domain with a high and a medium."""
    rules = default_rules()
    assert rules.rules_version == "cwtt-default-v1@1.0.0"
    assert dict(rules.params)["absence_days"] == 10
    assert len({r.id for r in rules.rules}) == len(rules.rules)
    for domain in ("health", "nutrition", "economic", "protection", "education", "psychosocial"):
        levels = {r.level for r in rules.by_domain(domain)}
        assert {"high", "medium"} <= levels, domain
    assert all(r.source for r in rules.rules)
    assert all(r.domain == "protection" for r in rules.rules if r.mandatory_report)
    path = Path(__file__).resolve().parents[2] / "scoring" / "rules" / "default_v1.toml"
    assert load_rules(path).digest == rules.digest


def test_rules_read_only_real_question_ids() -> None:
    """Every answer a rule reads is a question of the shipped questionnaires."""
    instruments = {ins.respondent: ins for ins in load_all().values()}
    respondent = {"caregiver": "caregiver", "teacher": "teacher", "health": "health"}
    respondent["child_self"] = "child"
    for r in default_rules().rules:
        for name in r.reads:
            key, _, qid = name.partition(".")
            if key in respondent:
                assert instruments[respondent[key]].has_question(qid), (r.id, name)


RULE = """\
id = "test"
name = "test rules"
version = "0.1"

[params]
absence_days = 10

[[rules]]
id = "education.absent"
domain = "education"
level = "medium"
when = "teacher.days_absent_term > absence_days"
reason = "Absent {teacher.days_absent_term} days"
source = "test"
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'source = "test"',
            'source = "test"\ncolour = "red"',
            "r.toml:15: rule education.absent: unknown key 'colour' (known: domain, id, level, "
            "mandatory_report, needs, reason, source, urgent_referral, when).",
        ),
        (
            'domain = "education"',
            'domain = "school"',
            "r.toml:10: rule education.absent: unknown domain 'school' (use one of health, "
            "nutrition, economic, protection, education, psychosocial).",
        ),
        (
            'level = "medium"',
            'level = "red"',
            "r.toml:11: rule education.absent: unknown level 'red' (use one of high, medium, note).",
        ),
        (
            "teacher.days_absent_term > absence_days",
            "teacher.days_absent > absence_days",
            "r.toml:12: rule education.absent: the condition is not valid: unknown name "
            "'teacher.days_absent'.",
        ),
        (
            'level = "medium"',
            'level = "medium"\nmandatory_report = true',
            "r.toml:12: rule education.absent: only a high rule can open the mandatory-report "
            "prompt.",
        ),
        (
            "{teacher.days_absent_term}",
            "{teacher.absent}",
            "r.toml:13: rule education.absent: the reason fills in an unknown input "
            "{teacher.absent}.",
        ),
        ('version = "0.1"', "version = ", "r.toml:3: not valid TOML (Invalid value)."),
    ],
)
def test_broken_rules_file_gives_its_message(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """Each problem names the file and line, in one sentence."""
    path = tmp_path / "r.toml"
    path.write_text(RULE.replace(old, new), encoding="utf-8")
    with pytest.raises(RulesFileError) as caught:
        load_rules(path)
    assert str(caught.value) == message.replace("r.toml", str(path))


def test_rules_file_with_several_problems_lists_each() -> None:
    """Every problem is collected, not only the first."""
    text = RULE.replace('level = "medium"', 'level = "red"').replace(
        'name = "test rules"', 'name = "test rules"\ncolour = 1'
    )
    with pytest.raises(RulesFileError) as caught:
        parse_rules(text, "r.toml")
    assert len(caught.value.problems) == 2
    assert str(caught.value).startswith("2 problems in the rules file, the first: r.toml:")


def test_a_changed_rules_file_changes_levels() -> None:
    """A stricter absence rule in another file: compare() reports the change."""
    stricter = parse_rules(RULE.replace("absence_days = 10", "absence_days = 1"), "r.toml")
    old = run({"teacher.days_absent_term": 2})
    new = run({"teacher.days_absent_term": 2}, rules=stricter)
    assert new.rules_version == "test@0.1"
    assert ("education", "low", "medium") in [(c.domain, c.old, c.new) for c in compare(old, new)]


# --- properties ---------------------------------------------------------------------------------


def _value_strategy(question) -> st.SearchStrategy[object]:  # noqa: ANN001
    skip = st.sampled_from(["refused", "dont_know", "not_applicable"]).map(
        lambda reason: {"skipped": reason}
    )
    if question.type in ("single", "yes_no"):
        answer = st.sampled_from([c.code for c in question.choices])
    elif question.type == "multiple":
        plain = [c.code for c in question.choices if not c.exclusive]
        alone = [[c.code] for c in question.choices if c.exclusive]
        answer = st.one_of(
            st.lists(st.sampled_from(plain), min_size=1, unique=True),
            *(st.just(a) for a in alone),
        )
    elif question.type == "integer":
        answer = st.integers(int(question.minimum or 0), int(question.maximum or 100))
    elif question.type == "decimal":
        answer = st.floats(question.minimum or 1, question.maximum or 100)
    elif question.type == "date":
        answer = st.just(INTERVIEW)
    else:
        answer = st.text(max_size=20)
    return st.one_of(answer, skip)


def _respondent_strategy(key: str, respondent: str) -> st.SearchStrategy[object]:
    instrument = next(i for i in load_all().values() if i.respondent == respondent)
    fields = {q.id: _value_strategy(q) for q in instrument.questions if not q.is_note}
    table = st.fixed_dictionaries({}, optional=fields)
    return st.one_of(st.none(), table)


ANSWERS = st.fixed_dictionaries(
    {
        "caregiver": _respondent_strategy("caregiver", "caregiver"),
        "teacher": _respondent_strategy("teacher", "teacher"),
        "health": _respondent_strategy("health", "health"),
        "child_self": _respondent_strategy("child_self", "child"),
    }
)
CHILDREN = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(["male", "female", None]),
        "date_of_birth": st.dates(date(2004, 1, 1), date(2020, 12, 31)).map(date.isoformat),
    }
)


@settings(max_examples=100)
@given(answers=ANSWERS, child=CHILDREN, absence=st.integers(0, 80))
def test_assess_never_raises_on_valid_codes_and_gaps(
    answers: dict[str, object], child: dict[str, object], absence: int
) -> None:
    """Any mix of valid codes, skips and missing interviews scores; levels are the four."""
    result = assess(answers, child, INTERVIEW, params={"absence_days": absence})
    assert len(result.domains) == 6
    for domain in result.domains:
        assert domain.level in LEVELS
        if domain.level == "low":
            assert not domain.missing and not domain.reasons
        if domain.level == "incomplete":
            assert domain.missing and not domain.reasons
        if domain.reasons:
            assert domain.level == domain.reasons[0].level
    if result.mandatory_report:
        assert result.level("protection") == "high"
