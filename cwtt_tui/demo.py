"""Synthetic children for the demo store: realistic enough to explore, never real people.

Everything comes from one seeded random source, so the same seed gives the same children.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from cwtt_tui.models import Answer, ChildDetails, Consent
from cwtt_tui.store.store import Store

FIRST_NAMES = {
    "female": (
        "Zanele", "Nomsa", "Thandeka", "Lerato", "Palesa", "Naledi", "Mpho", "Refilwe", "Ayanda",
        "Busisiwe", "Kgomotso", "Dineo", "Lindiwe", "Nokuthula", "Amahle", "Karabo", "Anele",
        "Precious", "Chloe", "Annelie", "Siphesihle", "Onalenna", "Tumelo", "Lwazi", "Rethabile",
    ),
    "male": (
        "Sipho", "Thabo", "Bongani", "Lethabo", "Tshepo", "Kagiso", "Mandla", "Sibusiso", "Neo",
        "Lucky", "Themba", "Kabelo", "Andile", "Musa", "Tebogo", "Johan", "Pieter", "Junior",
        "Katlego", "Lindani", "Mohau", "Bokang", "Siyabonga", "Ofentse", "Wandile",
    ),
}  # fmt: skip
LAST_NAMES = (
    "Dlamini", "Nkosi", "Ndlovu", "Khumalo", "Mokoena", "Mthembu", "Zulu", "Mahlangu", "Molefe",
    "Sithole", "Mabaso", "Ngcobo", "Mokwena", "Maseko", "Radebe", "Nel", "Botha", "Van Wyk",
    "Mofokeng", "Tshabalala", "Baloyi", "Mathebula", "Shabalala", "Cele", "Letsoalo", "Maluleke",
)  # fmt: skip
SCHOOLS = (
    ("500111222", "Thembeka Primary"),
    ("500333444", "Kgotso Primary"),
    ("500555666", "Sunnyside Primary"),
    ("500777888", "Mpumelelo Combined"),
)
LANGUAGES = ("zu", "st", "nso", "tn", "af", "en")
GRADE_AGE_YEARS = {"R": 5, "1": 6, "2": 7, "3": 8}
INSTRUMENT_VERSION = "1"


@dataclass(frozen=True)
class DemoSummary:
    schools: int
    children: int
    interviews: int
    drafts: int


def fill_demo(
    store: Store, *, children: int = 200, seed: int = 7, today: date | None = None
) -> DemoSummary:
    """Add `children` synthetic children across several schools, with interviews and answers."""
    rng = random.Random(seed)
    today = today or store.ctx.clock().date()
    with store.transaction():
        schools = [store.schools.add(emis, name) for emis, name in SCHOOLS]
        round_ = store.rounds.current() or store.rounds.open(
            "Baseline 2026", (today - timedelta(days=30)).isoformat()
        )
        interviews = drafts = 0
        for n in range(children):
            school = schools[n % len(schools)]
            details = _child_details(rng, today)
            child = store.children.add(school.id, details)
            for respondent, make in RESPONDENTS.items():
                roll = rng.random()
                if roll < 0.08:
                    continue  # not interviewed yet: the board shows it as incomplete
                answers = make(rng, details, today)
                complete = roll >= 0.14
                if not complete:
                    answers = dict(list(answers.items())[: max(1, len(answers) // 3)])
                    drafts += 1
                store.interviews.record(
                    child.id, round_.id, respondent,
                    {qid: Answer(value=v) for qid, v in answers.items()},
                    instrument_id=respondent, instrument_version=INSTRUMENT_VERSION,
                    language="en", complete=complete,
                )  # fmt: skip
                interviews += 1
    return DemoSummary(len(schools), children, interviews, drafts)


def _child_details(rng: random.Random, today: date) -> ChildDetails:
    sex = rng.choice(("female", "male"))
    grade = rng.choice(tuple(GRADE_AGE_YEARS))
    age_days = int((GRADE_AGE_YEARS[grade] + rng.random()) * 365.25)
    caregiver_last = rng.choice(LAST_NAMES)
    return ChildDetails(
        first_name=rng.choice(FIRST_NAMES[sex]),
        last_name=caregiver_last,
        grade=grade,
        class_name=f"{grade}{rng.choice('ABC')}",
        date_of_birth=today - timedelta(days=age_days),
        sex=sex,  # type: ignore[arg-type]
        home_language=rng.choice(LANGUAGES),
        caregiver_name=f"{rng.choice(FIRST_NAMES['female'])} {caregiver_last}",
        caregiver_contact=f"07{rng.randrange(10**7, 10**8)}",
        consent=Consent(
            caregiver_consent=True,
            child_assent=rng.random() > 0.02,
            given_by="caregiver",
            recorded_by="demo",
            recorded_on=(today - timedelta(days=rng.randrange(20, 40))).isoformat(),
            method=rng.choice(("written", "verbal", "thumbprint")),
        ),
    )


def _risk(rng: random.Random) -> float:
    """Most children are fine; some are at risk in a domain, a few in several."""
    return rng.random() ** 2


def _pick(rng: random.Random, risk: float, codes: tuple[Any, ...]) -> Any:
    """A code biased towards the worse end of `codes` as `risk` grows."""
    index = min(int(rng.random() * risk * len(codes) * 1.6), len(codes) - 1)
    return codes[index]


def _caregiver(rng: random.Random, child: ChildDetails, today: date) -> dict[str, Any]:
    hunger, mood, behaviour = _risk(rng), _risk(rng), _risk(rng)
    answers: dict[str, Any] = {}
    for n in (1, 2, 3):
        yes = rng.random() < hunger * (1.2 - 0.3 * n)
        answers[f"hhs_{n}"] = "yes" if yes else "no"
        if yes:
            answers[f"hhs_{n}_freq"] = _pick(rng, hunger, ("rarely", "sometimes", "often"))
    for n in range(1, 18):
        answers[f"psc_{n}"] = _pick(rng, behaviour, (0, 1, 2))
    for n in range(1, 10):
        answers[f"phq_{n}"] = _pick(rng, mood * (0.4 if n == 9 else 1), (0, 1, 2, 3))
    if any(answers[f"phq_{n}"] for n in range(1, 10)):
        answers["phq_10"] = _pick(rng, mood, (0, 1, 2, 3))
    for qid in ("cfm_glasses", "cfm_hearing_aid", "cfm_walking_equipment"):
        answers[qid] = "yes" if rng.random() < 0.03 else "no"
    difficulty = ("no_difficulty", "some", "a_lot", "cannot")
    for qid in (
        "cfm_seeing", "cfm_hearing", "cfm_walk_100", "cfm_walk_500", "cfm_self_care",
        "cfm_understood_inside", "cfm_understood_outside", "cfm_learning", "cfm_remembering",
        "cfm_concentrating", "cfm_accepting_change", "cfm_controlling_behaviour",
        "cfm_making_friends",
    ):  # fmt: skip
        answers[qid] = _pick(rng, _risk(rng) * 0.6, difficulty)
    frequency = ("never", "few_times_a_year", "monthly", "weekly", "daily")
    answers["cfm_anxiety"] = _pick(rng, mood * 0.7, frequency)
    answers["cfm_depression"] = _pick(rng, mood * 0.7, frequency)
    poor = _risk(rng)
    answers.update(
        household_size=rng.randrange(2, 10),
        household_income="no" if rng.random() < poor * 0.8 else "yes",
        anyone_employed="no" if rng.random() < poor else "yes",
        csg_status=_pick(rng, poor, ("receiving", "applied", "not_applied")),
        birth_certificate="no" if rng.random() < poor * 0.3 else "yes",
        caregiver_id="no" if rng.random() < poor * 0.3 else "yes",
        road_to_health_seen="yes" if rng.random() > 0.3 else "no",
        harsh_discipline="yes" if rng.random() < behaviour * 0.3 else "no",
        child_left_alone=_pick(rng, _risk(rng) * 0.5, ("never", "sometimes", "often")),
        adult_caregiver_present="no" if rng.random() < 0.01 else "yes",
        chronic_illness="yes" if rng.random() < 0.06 else "no",
        immunisation_up_to_date="no" if rng.random() < 0.12 else "yes",
        deworming_up_to_date="no" if rng.random() < 0.2 else "yes",
    )
    return answers


def _teacher(rng: random.Random, child: ChildDetails, today: date) -> dict[str, Any]:
    learning = _risk(rng)
    expectations = ("meeting", "partly", "not_meeting")
    return {
        "days_absent": int(rng.random() * learning * 25),
        "home_language_progress": _pick(rng, learning, expectations),
        "mathematics_progress": _pick(rng, learning, expectations),
        "grade_repeated": "yes" if rng.random() < learning * 0.4 else "no",
        "attention_concern": "yes" if rng.random() < learning * 0.5 else "no",
        "behaviour_concern": "yes" if rng.random() < learning * 0.4 else "no",
        "hungry_at_school": "yes" if rng.random() < 0.1 else "no",
        "unkempt": "yes" if rng.random() < 0.08 else "no",
        "visible_injuries": "yes" if rng.random() < 0.02 else "no",
        "harm_concern": "yes" if rng.random() < 0.02 else "no",
        "sbst_referred": "yes" if rng.random() < learning * 0.3 else "no",
    }


def _health(rng: random.Random, child: ChildDetails, today: date) -> dict[str, Any]:
    age_months = (today - child.date_of_birth).days / 30.4375
    # Roughly WHO medians for 5-9 year olds, with spread; a few children small for their age.
    height = 80 + 0.5 * age_months + rng.gauss(0, 5.5) - (8 if rng.random() < 0.08 else 0)
    bmi = rng.gauss(15.6, 1.5)
    check = ("pass", "refer")
    return {
        "measured_on": (today - timedelta(days=rng.randrange(1, 20))).isoformat(),
        "height_cm": round(height, 1),
        "weight_kg": round(bmi * (height / 100) ** 2, 1),
        "vision_screen": _pick(rng, _risk(rng) * 0.4, check),
        "hearing_screen": _pick(rng, _risk(rng) * 0.3, check),
        "speech_screen": _pick(rng, _risk(rng) * 0.3, check),
        "oral_health_screen": _pick(rng, _risk(rng) * 0.6, check),
        "tb_symptoms": "yes" if rng.random() < 0.01 else "no",
        "chronic_illness": "yes" if rng.random() < 0.05 else "no",
        "immunisation_up_to_date": "no" if rng.random() < 0.1 else "yes",
        "deworming_up_to_date": "no" if rng.random() < 0.2 else "yes",
        "visible_injuries": "yes" if rng.random() < 0.02 else "no",
    }


def _child(rng: random.Random, child: ChildDetails, today: date) -> dict[str, Any]:
    worry = _risk(rng)
    three = ("no", "a_bit", "a_lot")
    return {
        "feel_happy_home": _pick(rng, 1 - worry, three),
        "feel_happy_school": _pick(rng, 1 - worry, three),
        "have_friends": _pick(rng, 1 - worry * 0.5, three),
        "feel_safe_home": _pick(rng, 1 - worry * 0.3, three),
        "bed_hungry": _pick(rng, _risk(rng), three),
        "like_reading": _pick(rng, 1 - _risk(rng), three),
    }


RESPONDENTS: dict[str, Callable[[random.Random, ChildDetails, date], dict[str, Any]]] = {
    "caregiver": _caregiver,
    "teacher": _teacher,
    "health": _health,
    "child": _child,
}
