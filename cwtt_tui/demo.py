"""Synthetic children for the demo store: realistic enough to explore, never real people.

Everything comes from one seeded random source, so the same seed gives the same children.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from cwtt_tui.models import Answer, ChildDetails, Consent
from cwtt_tui.store.store import Store
from questionnaires.answers import Accepted, coerce
from questionnaires.flow import Facts, next_question
from questionnaires.loader import load_all
from questionnaires.model import Instrument, Question

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
    instruments = load_all()
    # Demo interviews are dated a few days back, as if captured last week: the app offers to
    # continue only an interview stopped within the last day (a power cut, not old demo drafts).
    real_clock = store.ctx.clock
    store.ctx.clock = lambda: real_clock() - timedelta(days=3)
    try:
        return _fill(store, rng, today, instruments, children)
    finally:
        store.ctx.clock = real_clock


def _fill(
    store: Store, rng: random.Random, today: date, instruments: dict[str, Instrument], children: int
) -> DemoSummary:
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
            profile = _Child(rng, details, today)
            for respondent in ("caregiver", "teacher", "health", "child"):
                roll = rng.random()
                if roll < 0.08:
                    continue  # not interviewed yet: the board shows it as incomplete
                complete = roll >= 0.14
                instrument = instruments[respondent]
                answers = demo_answers(
                    rng, instrument, profile, upto=None if complete else rng.randrange(2, 12)
                )
                store.interviews.record(
                    child.id, round_.id, respondent,
                    {qid: _answer(value) for qid, value in answers.items()},
                    instrument_id=instrument.id, instrument_version=instrument.version,
                    language="en", complete=complete,
                )  # fmt: skip
                interviews += 1
                drafts += not complete
        from cwtt_tui.assessing import rescore

        rescore(store, round_.id)
    return DemoSummary(len(schools), children, interviews, drafts)


def _answer(value: Any) -> Answer:
    if isinstance(value, dict) and "skipped" in value:
        return Answer(skipped=value["skipped"])
    return Answer(value=value)


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


def _yes(rng: random.Random, chance: float) -> str:
    return "yes" if rng.random() < chance else "no"


class _Child:
    """One synthetic child's risks, drawn once so that respondents tell a consistent story."""

    def __init__(self, rng: random.Random, details: ChildDetails, today: date) -> None:
        self.hunger, self.mood, self.behaviour = _risk(rng), _risk(rng), _risk(rng)
        self.poor, self.learning, self.harm = _risk(rng), _risk(rng), _risk(rng) * 0.3
        self.details = details
        self.today = today


def _specific(rng: random.Random, c: _Child, question: Question) -> Any:
    """Answers that follow the child's drawn risks; None falls back to a plain guess by type."""
    qid = question.id
    if qid.startswith("hhs_") and qid.endswith("_freq"):
        return _pick(rng, c.hunger, ("rarely", "sometimes", "often"))
    if qid in ("hhs_1", "hhs_2", "hhs_3"):
        return _yes(rng, c.hunger * (1.2 - 0.3 * int(qid[-1])))
    if qid.startswith("psc_"):
        return _pick(rng, c.behaviour, (0, 1, 2))
    if qid.startswith("phq_"):
        return _pick(rng, c.mood * (0.4 if qid == "phq_9" else 1), (0, 1, 2, 3))
    if qid in ("cfm_glasses", "cfm_hearing_aid", "cfm_walking_equipment"):
        return _yes(rng, 0.03)
    if qid in ("cfm_anxiety", "cfm_depression"):
        return _pick(rng, c.mood * 0.7, ("never", "few_times_a_year", "monthly", "weekly", "daily"))
    if qid.startswith("cfm_") and question.choices:
        return _pick(rng, _risk(rng) * 0.6, tuple(ch.code for ch in question.choices))
    age_months = (c.today - c.details.date_of_birth).days / 30.4375
    height = 80 + 0.5 * age_months + rng.gauss(0, 5.5) - (8 if rng.random() < 0.08 else 0)
    numbers: dict[str, Any] = {
        "household_size": rng.randrange(3, 10),
        "household_children": rng.randrange(1, 3),
        "caregiver_income_monthly": int(rng.random() * (1 - c.poor) * 9000),
        "days_absent_term": int(rng.random() * c.learning * 25),
        "height_cm": round(height, 1),
        "weight_kg": round(min(max(rng.gauss(15.6, 1.4), 12.5), 21.0) * (height / 100) ** 2, 1),
        "measured_on": (c.today - timedelta(days=rng.randrange(1, 20))).isoformat(),
    }
    if qid in numbers:
        return numbers[qid]
    if qid == "discipline_methods":
        harsh = rng.random() < c.harm * 0.6
        return (
            ["explain", "smack"] if harsh else rng.choice((["explain"], ["explain", "privileges"]))
        )
    if qid == "income_sources":
        if rng.random() < c.poor * 0.4:
            return ["none"]
        return rng.choice((["wages"], ["child_support_grant"], ["wages", "child_support_grant"]))
    if qid == "who_looks_after":
        return rng.choice((["mother"], ["mother", "grandparent"], ["grandparent"], ["aunt_uncle"]))
    if question.choices and [ch.code for ch in question.choices] == ["no", "a_bit", "a_lot"]:
        # The child's own three-point items: positive ones ("happy at home") lean to "a lot",
        # worrying ones ("hurt at home") to "no", following the child's drawn risks.
        worry = {"hurt_at_home": c.harm, "touched_unsafe": c.harm * 0.3, "left_alone": c.harm,
                 "hurt_self_thoughts": c.mood * 0.2, "bed_hungry": c.hunger, "bullied": c.mood,
                 "feel_sad": c.mood, "feel_worried": c.mood, "feel_angry": c.behaviour}  # fmt: skip
        if qid in worry:
            return _pick(rng, worry[qid] * 0.8, ("no", "a_bit", "a_lot"))
        return _pick(rng, c.learning * 0.6, ("a_lot", "a_bit", "no"))
    yes_chance = {
        "anyone_employed": 1 - c.poor,
        "csg_received": 0.9 - c.poor * 0.5,
        "caregiver_id_document": 1 - c.poor * 0.3,
        "adult_caregiver_present": 0.99,
        "grade_repeated": c.learning * 0.4,
        "concern_about_harm": c.harm * 0.2,
        "concern_harm_to_self": 0.01,
        "visible_injuries": c.harm * 0.1,
        "injuries_seen": c.harm * 0.1,
        "discipline_injury": c.harm * 0.2,
        "tb_cough": 0.02,
        "tb_fever": 0.02,
        "tb_night_sweats": 0.01,
        "tb_weight_loss": 0.01,
        "tb_contact": 0.03,
        "neglect_concern": c.harm * 0.1,
        "injury_suspected_abuse": 0.3,
        "caregiver_has_partner": 0.5,
        "csg_applied": 0.5,
        "chronic_illness": 0.05,
        "chronic_illness_treated": 0.8,
        "immunisation_up_to_date": 0.88,
        "deworming_up_to_date": 0.8,
    }
    if qid in yes_chance:
        return _yes(rng, yes_chance[qid])
    if qid.endswith("_expectations"):
        return "not_meeting" if rng.random() < c.learning * 0.7 else "meeting"
    return None


def _guess(rng: random.Random, question: Question) -> Any:
    """A plausible answer by question type, mostly the first (usually reassuring) choices."""
    if question.type in ("single", "yes_no") and question.choices:
        codes = tuple(ch.code for ch in question.choices)
        return _pick(rng, _risk(rng) * 0.5, codes)
    if question.type == "multiple" and question.choices:
        plain = [ch.code for ch in question.choices if not ch.exclusive]
        return rng.sample(plain, k=min(len(plain), rng.randrange(1, 3))) if plain else []
    if question.type in ("integer", "decimal"):
        low = question.minimum if question.minimum is not None else 0
        high = question.maximum if question.maximum is not None else low + 10
        return round(
            low + rng.random() * min(high - low, 10), 1 if question.type == "decimal" else None
        )
    if question.type == "date":
        return None
    if question.type == "text":
        return "Noted during the demo interview."
    return None


def demo_answers(
    rng: random.Random, instrument: Instrument, child: _Child, *, upto: int | None = None
) -> dict[str, Any]:
    """Walk the real instrument as an interviewer would, answering each question that shows."""
    facts = Facts(child.today, child.details.sex, child.details.date_of_birth)
    answers: dict[str, Any] = {}
    question = next_question(instrument, facts, answers)
    while question is not None and (upto is None or len(answers) < upto):
        if not question.is_note:
            value = _specific(rng, child, question)
            if value is None:
                value = _guess(rng, question)
            accepted = coerce(question, value)  # type and range; the values respect constraints
            if value is not None and isinstance(accepted, Accepted):
                answers[question.id] = accepted.value
            elif not question.required:
                answers[question.id] = {"skipped": "dont_know"}
        question = next_question(instrument, facts, answers, question)
    return answers
