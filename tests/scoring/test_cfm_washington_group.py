"""Child Functioning Module 5–17 (Washington Group / UNICEF): functional difficulty."""

from __future__ import annotations

import pytest

from scoring.cfm import CFM_FUNCTIONS, score_cfm
from scoring.errors import ScoringError

NO_DIFFICULTY: dict[str, object] = {
    "cfm_glasses": "no",
    "cfm_hearing_aid": "no",
    "cfm_walking_equipment": "no",
    "cfm_seeing": "no_difficulty",
    "cfm_hearing": "no_difficulty",
    "cfm_walk_100": "no_difficulty",
    "cfm_walk_500": "no_difficulty",
    "cfm_self_care": "no_difficulty",
    "cfm_understood_inside": "no_difficulty",
    "cfm_understood_outside": "no_difficulty",
    "cfm_learning": "no_difficulty",
    "cfm_remembering": "no_difficulty",
    "cfm_concentrating": "no_difficulty",
    "cfm_accepting_change": "no_difficulty",
    "cfm_controlling_behaviour": "no_difficulty",
    "cfm_making_friends": "no_difficulty",
    "cfm_anxiety": "never",
    "cfm_depression": "weekly",
}
# One question (and the answer that shows a difficulty) per function.
DIFFICULTY_BY_FUNCTION = {
    "seeing": ("cfm_seeing", "a_lot"),
    "hearing": ("cfm_hearing", "cannot"),
    "walking": ("cfm_walk_100", "a_lot"),
    "self_care": ("cfm_self_care", "cannot"),
    "communication": ("cfm_understood_outside", "a_lot"),
    "learning": ("cfm_learning", "a_lot"),
    "remembering": ("cfm_remembering", "a_lot"),
    "concentrating": ("cfm_concentrating", "cannot"),
    "accepting_change": ("cfm_accepting_change", "a_lot"),
    "controlling_behaviour": ("cfm_controlling_behaviour", "a_lot"),
    "making_friends": ("cfm_making_friends", "cannot"),
    "anxiety": ("cfm_anxiety", "daily"),
    "depression": ("cfm_depression", "daily"),
}


def test_no_difficulty() -> None:
    """All answered, none a lot / cannot / daily: no functional difficulty."""
    result = score_cfm(NO_DIFFICULTY)
    assert result.to_dict() == {"functional_difficulty": False, "functions": [], "missing": []}
    assert all(judged is False for _, judged in result.by_function)


def test_some_is_not_a_difficulty() -> None:
    """Some difficulty, and worries weekly, are below the cut-off."""
    answers = {**NO_DIFFICULTY, "cfm_seeing": "some", "cfm_anxiety": "weekly"}
    assert score_cfm(answers).functional_difficulty is False


@pytest.mark.parametrize("function", CFM_FUNCTIONS)
def test_each_function(function: str) -> None:
    """Each of the 13 functions alone makes a functional difficulty."""
    qid, code = DIFFICULTY_BY_FUNCTION[function]
    result = score_cfm({**NO_DIFFICULTY, qid: code})
    assert (result.functional_difficulty, result.functions) == (True, (function,))
    assert result.difficulty_in(function) is True


def test_functions_keep_module_order() -> None:
    """Several difficulties are listed in the module's order."""
    answers = {**NO_DIFFICULTY, "cfm_depression": "daily", "cfm_hearing": "a_lot"}
    assert score_cfm(answers).functions == ("hearing", "depression")


class TestWalking:
    """Walking is judged on the answers without equipment; with-aid answers are not used."""

    EQUIPMENT = {
        **{k: v for k, v in NO_DIFFICULTY.items() if k not in ("cfm_walk_100", "cfm_walk_500")},
        "cfm_walking_equipment": "yes",
    }

    def test_with_aid_answers_are_ignored(self) -> None:
        """No difficulty with equipment, "some" without: no walking difficulty."""
        answers = {
            **self.EQUIPMENT,
            "cfm_walk_100_no_aid": "some",
            "cfm_walk_500_no_aid": "some",
            "cfm_walk_100_with_aid": "cannot",
            "cfm_walk_500_with_aid": "cannot",
        }
        assert score_cfm(answers).difficulty_in("walking") is False

    @pytest.mark.parametrize(
        ("walk_100", "walk_500", "judged"),
        [("a_lot", None, True), ("cannot", None, True), ("some", "a_lot", True)],
    )
    def test_without_equipment(self, walk_100: str, walk_500: str | None, judged: bool) -> None:
        """A lot / cannot at 100 m (500 m then skipped), or at 500 m."""
        answers = {**self.EQUIPMENT, "cfm_walk_100_no_aid": walk_100}
        if walk_500:
            answers["cfm_walk_500_no_aid"] = walk_500
        result = score_cfm(answers)
        assert result.difficulty_in("walking") is judged and result.missing == ()

    def test_500_needed_after_some(self) -> None:
        """After "some" at 100 m, the 500 m answer is needed."""
        answers = {**self.EQUIPMENT, "cfm_walk_100_no_aid": "some"}
        result = score_cfm(answers)
        assert result.functional_difficulty is None
        assert result.missing == ("cfm_walk_500_no_aid",)

    def test_no_aid_has_no_no_difficulty_code(self) -> None:
        """Without equipment, the child who uses it is only asked how much difficulty."""
        answers = {**self.EQUIPMENT, "cfm_walk_100_no_aid": "no_difficulty"}
        with pytest.raises(ScoringError, match="cfm_walk_100_no_aid is not one of its codes"):
            score_cfm(answers)

    def test_no_equipment_500_after_no_difficulty(self) -> None:
        """No equipment: 100 m without difficulty but 500 m "a lot" is a difficulty."""
        answers = {**NO_DIFFICULTY, "cfm_walk_500": "a_lot"}
        assert score_cfm(answers).functions == ("walking",)

    def test_equipment_unknown(self) -> None:
        """Equipment question missing: a severe answer still counts; otherwise undecided."""
        answers = dict(NO_DIFFICULTY)
        del answers["cfm_walking_equipment"]
        result = score_cfm(answers)
        assert (result.functional_difficulty, result.missing) == (None, ("cfm_walking_equipment",))
        answers["cfm_walk_100_no_aid"] = "cannot"
        assert score_cfm(answers).functional_difficulty is True


class TestMissing:
    """Null while an answer the rule needs is missing and no difficulty is found so far."""

    def test_nothing_answered(self) -> None:
        """An empty interview: null, with every needed question listed."""
        result = score_cfm({})
        assert result.functional_difficulty is None and result.functions == ()
        assert "cfm_seeing" in result.missing and "cfm_depression" in result.missing
        assert "cfm_glasses" not in result.missing

    def test_skipped_answer_is_missing(self) -> None:
        """A "don't know" is missing, not "no difficulty"."""
        answers = {**NO_DIFFICULTY, "cfm_learning": {"skipped": "dont_know"}}
        result = score_cfm(answers)
        assert (result.functional_difficulty, result.missing) == (None, ("cfm_learning",))
        assert result.difficulty_in("learning") is None

    def test_difficulty_found_while_missing(self) -> None:
        """A difficulty stands while other answers are missing; they are still listed."""
        result = score_cfm({"cfm_anxiety": "daily"})
        assert (result.functional_difficulty, result.functions) == (True, ("anxiety",))
        assert "cfm_seeing" in result.missing

    def test_communication_either_side(self) -> None:
        """Communication: "a lot" inside is enough even if outside is missing."""
        answers = {**NO_DIFFICULTY, "cfm_understood_inside": "a_lot"}
        del answers["cfm_understood_outside"]
        result = score_cfm(answers)
        assert result.functions == ("communication",)
        assert result.missing == ("cfm_understood_outside",)


def test_impossible_code() -> None:
    """A difficulty code that is not one of the four raises ScoringError."""
    with pytest.raises(ScoringError, match="cfm_seeing is not one of its codes"):
        score_cfm({"cfm_seeing": "daily"})
