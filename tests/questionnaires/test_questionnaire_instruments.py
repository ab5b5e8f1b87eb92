"""The shipped instrument files: they load clean, and the published scales are exactly as published."""

from __future__ import annotations

import pytest

from questionnaires.loader import check, instrument_paths, load_all
from questionnaires.model import DOMAINS, Instrument


@pytest.fixture(scope="module")
def instruments() -> dict[str, Instrument]:
    return load_all()


def codes(instrument: Instrument, question_id: str) -> list[object]:
    return [c.code for c in instrument.question(question_id).choices]


def labels(instrument: Instrument, question_id: str) -> list[str]:
    return [c.label.get() for c in instrument.question(question_id).choices]


class TestShippedFiles:
    def test_every_file_loads_clean(self) -> None:
        """No problem at all in any shipped file (the app refuses to start otherwise)."""
        assert [p.name for p in instrument_paths()] == [
            "caregiver.toml",
            "child.toml",
            "health.toml",
            "teacher.toml",
        ]
        assert check() == []

    def test_one_instrument_per_respondent(self, instruments: dict[str, Instrument]) -> None:
        assert {i.id: i.respondent for i in instruments.values()} == {
            "child": "child",
            "caregiver": "caregiver",
            "teacher": "teacher",
            "health": "health",
        }

    def test_every_text_has_english(self, instruments: dict[str, Instrument]) -> None:
        for instrument in instruments.values():
            for question in instrument.questions:
                assert question.label.has("en"), question.id
                for choice in question.choices:
                    assert choice.label.has("en"), (question.id, choice.code)

    def test_every_domain_is_covered(self, instruments: dict[str, Instrument]) -> None:
        domains = {s.domain for i in instruments.values() for s in i.sections}
        assert domains == set(DOMAINS)

    def test_age_months_is_declared_everywhere(self, instruments: dict[str, Instrument]) -> None:
        for instrument in instruments.values():
            names = {d.name for d in instrument.derived}
            assert "age_months" in names, instrument.id

    def test_inputs_of_default_rules_v1_exist(self, instruments: dict[str, Instrument]) -> None:
        """Every answer the default rules v1 read is asked by the instrument that should ask it."""
        wanted = {
            "caregiver": [
                "income_sources",
                "anyone_employed",
                "csg_received",
                "csg_applied",
                "birth_certificate",
                "caregiver_id_document",
                "rth_booklet",
                "adult_caregiver_present",
                "child_left_alone",
                "discipline_methods",
                "chronic_illness",
                "chronic_illness_treated",
                "immunisation_up_to_date",
                "deworming_up_to_date",
            ],
            "teacher": [
                "days_absent_term",
                "home_language_expectations",
                "maths_expectations",
                "grade_repeated",
                "behaviour_concern",
                "attention_concern",
                "concern_harm_to_self",
                "hungry_at_school",
                "unkempt",
                "injuries_seen",
                "neglect_concern",
                "concern_about_harm",
                "sbst_referral",
            ],
            "health": [
                "height_cm",
                "weight_kg",
                "measured_on",
                "ishp_vision",
                "ishp_hearing",
                "ishp_speech",
                "ishp_oral",
                "tb_cough",
                "chronic_illness",
                "chronic_illness_treated",
                "immunisation_up_to_date",
                "deworming_up_to_date",
                "visible_injuries",
            ],
            "child": [
                "bed_hungry",
                "feel_safe_home",
                "who_looks_after",
                "hurt_self_thoughts",
                "hurt_at_home",
                "touched_unsafe",
            ],
        }
        for instrument_id, ids in wanted.items():
            missing = [q for q in ids if not instruments[instrument_id].has_question(q)]
            assert missing == [], instrument_id

    def test_health_measurements(self, instruments: dict[str, Instrument]) -> None:
        health = instruments["health"]
        assert health.question("height_cm").type == "decimal"
        assert health.question("height_cm").unit == "cm"
        assert health.question("weight_kg").unit == "kg"
        assert health.question("measured_on").type == "date"
        assert codes(health, "ishp_vision") == ["pass", "refer"]


class TestChildInstrument:
    def test_items_are_three_point(self, instruments: dict[str, Instrument]) -> None:
        child = instruments["child"]
        single = [q for q in child.questions if q.type == "single"]
        assert len(single) >= 15
        for question in single:
            assert codes(child, question.id) == ["no", "a_bit", "a_lot"], question.id
            assert question.say is not None, question.id

    def test_hunger_question(self, instruments: dict[str, Instrument]) -> None:
        assert instruments["child"].question("bed_hungry").label.get() == "Do you go to bed hungry?"

    def test_protection_items_are_sensitive_with_a_disclosure_script(
        self, instruments: dict[str, Instrument]
    ) -> None:
        child = instruments["child"]
        for question_id in ("hurt_at_home", "touched_unsafe", "hurt_self_thoughts"):
            question = child.question(question_id)
            assert question.sensitive
            assert question.disclosure is not None and question.disclosure_if is not None
            assert question.disclosure.get().startswith("Say: Thank you for telling me.")


class TestHouseholdHungerScale:
    def test_ids_order_and_codes(self, instruments: dict[str, Instrument]) -> None:
        caregiver = instruments["caregiver"]
        section = caregiver.section("hhs")
        assert [q.id for q in section.questions] == [
            "hhs_1",
            "hhs_1_freq",
            "hhs_2",
            "hhs_2_freq",
            "hhs_3",
            "hhs_3_freq",
        ]
        for n in (1, 2, 3):
            assert codes(caregiver, f"hhs_{n}") == ["yes", "no"]
            assert codes(caregiver, f"hhs_{n}_freq") == ["rarely", "sometimes", "often"]
            relevant = caregiver.question(f"hhs_{n}_freq").relevant
            assert relevant is not None and relevant.source == f'hhs_{n} == "yes"'

    def test_wording(self, instruments: dict[str, Instrument]) -> None:
        caregiver = instruments["caregiver"]
        assert caregiver.question("hhs_1").label.get() == (
            "In the past 4 weeks, was there ever no food to eat of any kind in your house "
            "because of lack of resources to get food?"
        )
        assert caregiver.question("hhs_2_freq").label.get() == (
            "How often did this happen in the past 4 weeks?"
        )
        assert caregiver.notice("hhs") is not None


class TestPsc17:
    def test_ids_order_codes_and_subscales(self, instruments: dict[str, Instrument]) -> None:
        caregiver = instruments["caregiver"]
        questions = caregiver.section("psc17").questions
        assert [q.id for q in questions] == [f"psc_{n}" for n in range(1, 18)]
        assert all(codes(caregiver, q.id) == [0, 1, 2] for q in questions)
        assert labels(caregiver, "psc_1") == ["Never", "Sometimes", "Often"]
        by_subscale: dict[str, list[int]] = {}
        for n, question in enumerate(questions, start=1):
            by_subscale.setdefault(str(question.subscale), []).append(n)
        assert by_subscale == {
            "internalising": [2, 6, 9, 11, 15],
            "attention": [1, 3, 7, 13, 17],
            "externalising": [4, 5, 8, 10, 12, 14, 16],
        }

    def test_wording(self, instruments: dict[str, Instrument]) -> None:
        caregiver = instruments["caregiver"]
        assert caregiver.question("psc_1").label.get() == "Fidgety, unable to sit still"
        assert caregiver.question("psc_17").label.get() == "Distracted easily"
        intro = caregiver.section("psc17").intro
        assert intro is not None
        assert intro.get() == "Please mark under the heading that best fits your child."
        notice = caregiver.notice("psc17")
        assert notice is not None and "PSC-17 may be freely reproduced" in notice.text.get()


class TestPhq9:
    def test_ids_order_and_codes(self, instruments: dict[str, Instrument]) -> None:
        caregiver = instruments["caregiver"]
        questions = caregiver.section("phq9").questions
        assert [q.id for q in questions] == [f"phq_{n}" for n in range(1, 11)]
        for question in questions[:9]:
            assert codes(caregiver, question.id) == [0, 1, 2, 3]
        assert labels(caregiver, "phq_1") == [
            "Not at all",
            "Several days",
            "More than half the days",
            "Nearly every day",
        ]
        assert labels(caregiver, "phq_10") == [
            "Not difficult at all",
            "Somewhat difficult",
            "Very difficult",
            "Extremely difficult",
        ]

    def test_wording(self, instruments: dict[str, Instrument]) -> None:
        caregiver = instruments["caregiver"]
        assert caregiver.question("phq_1").label.get() == (
            "Little interest or pleasure in doing things"
        )
        assert caregiver.question("phq_9").label.get() == (
            "Thoughts that you would be better off dead or of hurting yourself in some way"
        )
        intro = caregiver.section("phq9").intro
        assert intro is not None and intro.get() == (
            "Over the last 2 weeks, how often have you been bothered by any of the following "
            "problems?"
        )
        notice = caregiver.notice("phq9")
        assert notice is not None
        assert "No permission required to reproduce, translate, display or distribute" in (
            notice.text.get()
        )


class TestChildFunctioningModule:
    def test_ids_and_order(self, instruments: dict[str, Instrument]) -> None:
        caregiver = instruments["caregiver"]
        assert [q.id for q in caregiver.section("cfm").questions] == [
            "cfm_glasses",
            "cfm_hearing_aid",
            "cfm_walking_equipment",
            "cfm_seeing",
            "cfm_hearing",
            "cfm_walk_100_no_aid",
            "cfm_walk_500_no_aid",
            "cfm_walk_100_with_aid",
            "cfm_walk_500_with_aid",
            "cfm_walk_100",
            "cfm_walk_500",
            "cfm_self_care",
            "cfm_understood_inside",
            "cfm_understood_outside",
            "cfm_learning",
            "cfm_remembering",
            "cfm_concentrating",
            "cfm_accepting_change",
            "cfm_controlling_behaviour",
            "cfm_making_friends",
            "cfm_anxiety",
            "cfm_depression",
        ]

    def test_codes(self, instruments: dict[str, Instrument]) -> None:
        caregiver = instruments["caregiver"]
        assert codes(caregiver, "cfm_seeing") == ["no_difficulty", "some", "a_lot", "cannot"]
        assert codes(caregiver, "cfm_walk_100_no_aid") == ["some", "a_lot", "cannot"]
        assert codes(caregiver, "cfm_walk_500_no_aid") == ["some", "a_lot", "cannot"]
        assert codes(caregiver, "cfm_anxiety") == [
            "daily",
            "weekly",
            "monthly",
            "few_times_a_year",
            "never",
        ]
        assert codes(caregiver, "cfm_glasses") == ["yes", "no"]
