"""The interview flow engine: skip logic, navigation, progress, derived values and answer checks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires import flow
from questionnaires.answers import Accepted, Rejected, skipped
from questionnaires.loader import load_all
from questionnaires.model import Instrument

INSTRUMENTS = load_all()
CAREGIVER = INSTRUMENTS["caregiver"]
CHILD = INSTRUMENTS["child"]
HEALTH = INSTRUMENTS["health"]
TEACHER = INSTRUMENTS["teacher"]
FACTS = flow.Facts(
    interview_date=dt.date(2025, 3, 1),
    sex="female",
    date_of_birth=dt.date(2018, 3, 1),
    child_name="Zanele",
)


def visible_ids(instrument: Instrument, answers: dict[str, object]) -> list[str]:
    return [q.id for q in flow.visible_questions(instrument, FACTS, answers)]


def value(result: Accepted | Rejected) -> object:
    assert isinstance(result, Accepted), result
    return result.value


def message(result: Accepted | Rejected) -> str:
    assert isinstance(result, Rejected), result
    return result.message


class TestSkipLogic:
    def test_no_hides_the_follow_up(self) -> None:
        assert "hhs_1_freq" not in visible_ids(CAREGIVER, {"hhs_1": "no"})
        assert "hhs_1_freq" in visible_ids(CAREGIVER, {"hhs_1": "yes"})

    def test_unanswered_or_skipped_hides_the_follow_up(self) -> None:
        assert "hhs_1_freq" not in visible_ids(CAREGIVER, {})
        assert "hhs_1_freq" not in visible_ids(CAREGIVER, {"hhs_1": skipped("refused")})

    def test_next_and_previous_follow_skip_logic(self) -> None:
        no, yes = {"hhs_1": "no"}, {"hhs_1": "yes"}
        assert flow.next_question(CAREGIVER, FACTS, no, "hhs_1").id == "hhs_2"
        assert flow.next_question(CAREGIVER, FACTS, yes, "hhs_1").id == "hhs_1_freq"
        assert flow.previous_question(CAREGIVER, FACTS, no, "hhs_2").id == "hhs_1"
        assert flow.previous_question(CAREGIVER, FACTS, yes, "hhs_2").id == "hhs_1_freq"

    def test_start_and_end(self) -> None:
        first = CAREGIVER.questions[0].id
        last = CAREGIVER.questions[-1].id
        assert flow.next_question(CAREGIVER, FACTS, {}).id == first
        assert flow.previous_question(CAREGIVER, FACTS, {}, first) is None
        assert flow.next_question(CAREGIVER, FACTS, {}, last) is None
        assert flow.previous_question(CAREGIVER, FACTS, {}, None).id == last

    def test_next_from_a_question_that_became_hidden(self) -> None:
        """After going back and changing hhs_1 to no, moving on from hhs_1_freq still works."""
        assert flow.next_question(CAREGIVER, FACTS, {"hhs_1": "no"}, "hhs_1_freq").id == "hhs_2"

    def test_changed_answer_keeps_hidden_answers_but_ignores_them(self) -> None:
        answers = {"hhs_1": "no", "hhs_1_freq": "often", "hhs_2": "no", "hhs_3": "no"}
        assert flow.ignored_answers(CAREGIVER, FACTS, answers) == ("hhs_1_freq",)
        effective = flow.effective_answers(CAREGIVER, FACTS, answers)
        assert effective == {"hhs_1": "no", "hhs_2": "no", "hhs_3": "no"}
        assert answers["hhs_1_freq"] == "often"
        assert flow.derived_values(CAREGIVER, FACTS, answers)["hhs_total"] == 0

    def test_phq_10_only_when_an_item_is_above_zero(self) -> None:
        zeros: dict[str, object] = {f"phq_{n}": 0 for n in range(1, 10)}
        assert "phq_10" not in visible_ids(CAREGIVER, zeros)
        assert "phq_10" in visible_ids(CAREGIVER, {**zeros, "phq_4": 1})
        assert "phq_10" not in visible_ids(CAREGIVER, {**zeros, "phq_4": skipped("refused")})

    def test_walking_questions_follow_equipment_and_difficulty(self) -> None:
        """As MICS6: a lot / cannot at 100 metres skips the 500-metre question."""

        def walking(answers: dict[str, object]) -> list[str]:
            return [q for q in visible_ids(CAREGIVER, answers) if "walk_" in q]

        assert walking({}) == []
        assert walking({"cfm_walking_equipment": "no"}) == ["cfm_walk_100"]
        answers = {"cfm_walking_equipment": "no", "cfm_walk_100": "some"}
        assert walking(answers) == ["cfm_walk_100", "cfm_walk_500"]
        answers = {"cfm_walking_equipment": "no", "cfm_walk_100": "a_lot"}
        assert walking(answers) == ["cfm_walk_100"]
        answers = {
            "cfm_walking_equipment": "yes",
            "cfm_walk_100_no_aid": "some",
            "cfm_walk_100_with_aid": "no_difficulty",
        }
        assert walking(answers) == [
            "cfm_walk_100_no_aid",
            "cfm_walk_500_no_aid",
            "cfm_walk_100_with_aid",
            "cfm_walk_500_with_aid",
        ]
        answers["cfm_walk_100_no_aid"] = "cannot"
        assert walking(answers) == [
            "cfm_walk_100_no_aid",
            "cfm_walk_100_with_aid",
            "cfm_walk_500_with_aid",
        ]

    def test_resume_at_the_first_question_without_an_answer(self) -> None:
        answers = {
            "caregiver_relationship": "mother",
            "household_size": 4,
            "household_children": skipped("dont_know"),
        }
        resume = flow.resume_question(CAREGIVER, FACTS, answers)
        assert resume is not None and resume.id == "income_sources"

    def test_resume_is_none_when_everything_visible_is_answered(self) -> None:
        answers: dict[str, object] = {}
        while (question := flow.resume_question(TEACHER, FACTS, answers)) is not None:
            answers[question.id] = "no" if question.type == "yes_no" else skipped("dont_know")
        assert "concern_details" not in answers
        assert flow.resume_question(TEACHER, FACTS, answers) is None


class TestProgress:
    def test_progress_line(self) -> None:
        progress = flow.progress(CAREGIVER, FACTS, {}, "hhs_2")
        assert progress.text() == "Caregiver · Nutrition · question 12 of 62"
        assert (progress.section, progress.domain) == ("hhs", "nutrition")
        assert progress.section_title.get() == "Household Hunger Scale"

    def test_counts_follow_skip_logic(self) -> None:
        no = flow.progress(CAREGIVER, FACTS, {"hhs_1": "no"}, "hhs_2")
        yes = flow.progress(CAREGIVER, FACTS, {"hhs_1": "yes"}, "hhs_2")
        assert (yes.index, yes.total) == (no.index + 1, no.total + 1)
        both = flow.progress(CAREGIVER, FACTS, {"hhs_1": "yes", "csg_received": "no"}, "hhs_2")
        assert (both.index, both.total) == (yes.index + 1, yes.total + 1)

    def test_notes_are_not_counted(self) -> None:
        last = flow.progress(CHILD, FACTS, {}, "understand_teacher")
        note = flow.progress(CHILD, FACTS, {}, "closing")
        assert last.total == note.total == len(CHILD.questions) - 1
        assert note.index == last.index == last.total


class TestDerivedValues:
    def test_age_in_months(self) -> None:
        age = flow.derived_values(TEACHER, FACTS, {})["age_months"]
        assert age == pytest.approx(2557 / 30.4375)
        no_birth_date = flow.Facts(interview_date=dt.date(2025, 3, 1))
        assert flow.derived_values(TEACHER, no_birth_date, {})["age_months"] is None

    def test_household_hunger_scale(self) -> None:
        answers = {
            "hhs_1": "yes",
            "hhs_1_freq": "rarely",
            "hhs_2": "yes",
            "hhs_2_freq": "often",
            "hhs_3": "no",
        }
        derived = flow.derived_values(CAREGIVER, FACTS, answers)
        assert [derived[f"hhs_{n}_score"] for n in (1, 2, 3)] == [1, 2, 0]
        assert derived["hhs_total"] == 3
        del answers["hhs_2_freq"]
        assert flow.derived_values(CAREGIVER, FACTS, answers)["hhs_total"] is None

    def test_psc17_blanks_count_zero_until_four(self) -> None:
        answers: dict[str, object] = {f"psc_{n}": 2 for n in range(1, 18)}
        answers.update({"psc_1": skipped("refused"), "psc_2": skipped("dont_know")})
        del answers["psc_3"]
        derived = flow.derived_values(CAREGIVER, FACTS, answers)
        assert derived["psc_blanks"] == 3
        assert derived["psc_total"] == 28
        assert derived["psc_internalising"] == 8
        assert derived["psc_attention"] == 6
        assert derived["psc_externalising"] == 14
        del answers["psc_4"]
        derived = flow.derived_values(CAREGIVER, FACTS, answers)
        assert derived["psc_total"] is None and derived["psc_externalising"] is None

    def test_phq9_total(self) -> None:
        answers: dict[str, object] = {f"phq_{n}": n % 4 for n in range(1, 10)}
        assert flow.derived_values(CAREGIVER, FACTS, answers)["phq_total"] == 13
        answers["phq_5"] = skipped("refused")
        assert flow.derived_values(CAREGIVER, FACTS, answers)["phq_total"] is None

    def test_bmi(self) -> None:
        answers = {"height_cm": 120.0, "weight_kg": 24.0, "measured_on": "2025-02-20"}
        derived = flow.derived_values(HEALTH, FACTS, answers)
        assert derived["bmi"] == pytest.approx(24 / 1.44)
        assert derived["age_months_measured"] == pytest.approx(2548 / 30.4375)


class TestValidation:
    def test_choices(self) -> None:
        assert value(flow.validate_answer(CAREGIVER, FACTS, {}, "hhs_1", "yes")) == "yes"
        assert value(flow.validate_answer(CAREGIVER, FACTS, {}, "psc_1", "2")) == 2
        assert value(flow.validate_answer(CAREGIVER, FACTS, {}, "psc_1", 0)) == 0
        rejected = flow.validate_answer(CAREGIVER, FACTS, {}, "psc_1", 3)
        assert message(rejected) == "Choose one of the answers listed."
        only = flow.validate_answer(CAREGIVER, FACTS, {}, "cfm_walk_100_no_aid", "no_difficulty")
        assert message(only) == "Choose one of the answers listed."

    def test_multiple_choice(self) -> None:
        result = flow.validate_answer(CAREGIVER, FACTS, {}, "income_sources", ["other", "wages"])
        assert value(result) == ["wages", "other"]
        result = flow.validate_answer(CAREGIVER, FACTS, {}, "income_sources", ["none", "wages"])
        assert message(result) == '"No income at all" cannot be chosen together with other answers.'
        assert value(flow.validate_answer(CAREGIVER, FACTS, {}, "income_sources", "none")) == [
            "none"
        ]

    def test_whole_numbers_and_ranges(self) -> None:
        check = flow.validate_answer
        assert value(check(TEACHER, FACTS, {}, "days_absent_term", " 12 ")) == 12
        assert message(check(TEACHER, FACTS, {}, "days_absent_term", "12.5")) == (
            "Enter a whole number, such as 12."
        )
        assert message(check(TEACHER, FACTS, {}, "days_absent_term", "81")) == (
            "Enter a number from 0 to 80 days."
        )
        assert message(check(TEACHER, FACTS, {}, "days_absent_term", "")) == (
            "This question needs an answer."
        )

    def test_decimals_accept_a_decimal_comma(self) -> None:
        assert value(flow.validate_answer(HEALTH, FACTS, {}, "height_cm", "132,5")) == 132.5
        assert message(flow.validate_answer(HEALTH, FACTS, {}, "height_cm", "13,25")) == (
            "Enter a number from 70 to 200 cm."
        )
        assert message(flow.validate_answer(HEALTH, FACTS, {}, "weight_kg", "heavy")) == (
            "Enter a number, such as 120.5."
        )
        assert message(flow.validate_answer(HEALTH, FACTS, {}, "weight_kg", "nan")) == (
            "Enter a number, such as 120.5."
        )

    def test_dates_and_their_constraint(self) -> None:
        answers = {"height_cm": 120.0}
        check = flow.validate_answer
        assert value(check(HEALTH, FACTS, answers, "measured_on", "2025-02-20")) == "2025-02-20"
        assert value(check(HEALTH, FACTS, answers, "measured_on", "20/02/2025")) == "2025-02-20"
        assert value(check(HEALTH, FACTS, answers, "measured_on", dt.date(2025, 3, 1))) == (
            "2025-03-01"
        )
        assert message(check(HEALTH, FACTS, answers, "measured_on", "2025-02-30")) == (
            "That date does not exist; check the day and the month."
        )
        assert message(check(HEALTH, FACTS, answers, "measured_on", "next week")) == (
            "Enter a date as YYYY-MM-DD, for example 2025-03-14."
        )
        expected = (
            "The measurement date must be on or before the interview date, within the past "
            "90 days, and after the child's birth."
        )
        assert message(check(HEALTH, FACTS, answers, "measured_on", "2025-03-02")) == expected
        assert message(check(HEALTH, FACTS, answers, "measured_on", "2024-11-30")) == expected

    def test_constraint_reads_other_answers(self) -> None:
        check = flow.validate_answer
        answers = {"household_size": 3}
        assert value(check(CAREGIVER, FACTS, answers, "household_children", "3")) == 3
        assert message(check(CAREGIVER, FACTS, answers, "household_children", "4")) == (
            "The number of children cannot be more than the number of people in the household."
        )
        assert value(check(CAREGIVER, FACTS, {}, "household_children", "4")) == 4

    def test_skips(self) -> None:
        hhs_1 = CAREGIVER.question("hhs_1")
        assert value(flow.skip_answer(hhs_1, "refused")) == {"skipped": "refused"}
        assert message(flow.skip_answer(hhs_1, "bored")) == (
            "Choose why the question is skipped: refused, don't know, or not applicable."
        )
        required = TEACHER.question("days_absent_term")
        assert message(flow.skip_answer(required, "dont_know")) == (
            "This question is required and cannot be skipped."
        )

    def test_missing_required(self) -> None:
        missing = [q.id for q in flow.missing_required(TEACHER, FACTS, {"days_absent_term": 2})]
        assert missing == ["home_language_expectations", "maths_expectations"]

    def test_notes_take_no_answer(self) -> None:
        assert message(flow.validate_answer(CHILD, FACTS, {}, "closing", "ok")) == (
            "This is a note to read out; there is nothing to answer."
        )

    @settings(derandomize=True, max_examples=200)
    @given(
        st.sampled_from([(i, q.id) for i in (CAREGIVER, HEALTH) for q in i.questions]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(),
            st.text(max_size=30),
            st.dates(),
            st.lists(st.one_of(st.text(max_size=10), st.integers()), max_size=4),
            st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
        ),
    )
    def test_any_input_gives_accepted_or_rejected(
        self, target: tuple[Instrument, str], raw: object
    ) -> None:
        instrument, question_id = target
        result = flow.validate_answer(instrument, FACTS, {"height_cm": 120.0}, question_id, raw)
        assert isinstance(result, Accepted | Rejected)
        if isinstance(result, Accepted):
            again = flow.validate_answer(
                instrument, FACTS, {"height_cm": 120.0}, question_id, result.value
            )
            assert again == result, "a stored value must validate to itself"


class TestWording:
    def test_variant_and_name(self) -> None:
        with_glasses = flow.question_text(CAREGIVER, FACTS, {"cfm_glasses": "yes"}, "cfm_seeing")
        assert with_glasses == (
            "When wearing his/her glasses or contact lenses, does Zanele have difficulty seeing?"
        )
        without = flow.question_text(CAREGIVER, FACTS, {"cfm_glasses": "no"}, "cfm_seeing")
        assert without == "Does Zanele have difficulty seeing?"

    def test_missing_language_falls_back_to_english(self) -> None:
        assert flow.question_text(CHILD, FACTS, {}, "bed_hungry", lang="zu") == (
            "Do you go to bed hungry?"
        )

    def test_disclosure_script_after_a_disclosure_only(self) -> None:
        def script(answer: object) -> str | None:
            answers = {"hurt_at_home": answer}
            return flow.disclosure_script(CHILD, FACTS, answers, "hurt_at_home")

        assert script("no") is None
        assert script(skipped("refused")) is None
        disclosed = script("a_bit")
        assert disclosed is not None and "I cannot keep this a secret" in disclosed
        assert flow.disclosure_script(CHILD, FACTS, {}, "bed_hungry") is None


class TestSensitive:
    """An interviewer not trained for sensitive questions (``sensitive=False``) passes them."""

    LEFT = skipped("trained_staff")

    def test_next_and_previous_pass_over_sensitive_questions(self) -> None:
        assert flow.next_question(CHILD, FACTS, {}, "left_alone").id == "hurt_at_home"
        assert (
            flow.next_question(CHILD, FACTS, {}, "left_alone", sensitive=False).id == "like_reading"
        )
        assert (
            flow.previous_question(CHILD, FACTS, {}, "like_reading", sensitive=False).id
            == "left_alone"
        )
        assert flow.previous_question(CHILD, FACTS, {}, "like_reading").id == "touched_unsafe"

    def test_resume_passes_over_them(self) -> None:
        ids = [q.id for q in CHILD.questions if not q.is_note]
        answers: dict[str, object] = {qid: "no" for qid in ids[: ids.index("bullied") + 1]}
        assert flow.resume_question(CHILD, FACTS, answers).id == "hurt_self_thoughts"
        assert flow.resume_question(CHILD, FACTS, answers, sensitive=False).id == "bed_hungry"

    def test_progress_leaves_them_out_and_counts_those_left(self) -> None:
        trained = flow.progress(CHILD, FACTS, {}, "bed_hungry")
        untrained = flow.progress(
            CHILD, FACTS, {"hurt_self_thoughts": self.LEFT}, "bed_hungry", sensitive=False
        )
        assert untrained.total == trained.total - 3
        assert untrained.index == trained.index - 1
        assert (trained.left, untrained.left) == (0, 1)
        assert untrained.text().endswith(" · 1 left for trained staff")

    def test_left_for_trained_staff_lists_visible_ones_in_order(self) -> None:
        answers = {"touched_unsafe": self.LEFT, "hurt_self_thoughts": self.LEFT, "feel_sad": "no"}
        left = flow.left_for_trained_staff(CHILD, FACTS, answers)
        assert [q.id for q in left] == ["hurt_self_thoughts", "touched_unsafe"]

    def test_trained_staff_is_recorded_never_chosen(self) -> None:
        """The skip screen's reasons only: trained_staff is not a reason a person gives."""
        assert message(flow.skip_answer(CHILD.question("feel_sad"), "trained_staff")) == (
            "Choose why the question is skipped: refused, don't know, or not applicable."
        )
        assert self.LEFT == {"skipped": "trained_staff"}

    def test_a_left_question_is_a_skip_to_conditions(self) -> None:
        """Left for trained staff, a question reads as None: its follow-ups stay hidden."""
        answers = {"visible_injuries": "yes", "injury_suspected_abuse": self.LEFT}
        assert flow.derived_values(HEALTH, FACTS, answers) == flow.derived_values(
            HEALTH, FACTS, {"visible_injuries": "yes"}
        )
        assert "concern_details" not in visible_ids(
            TEACHER, {"concern_about_harm": self.LEFT, "injuries_seen": self.LEFT}
        )
