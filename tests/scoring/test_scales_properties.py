"""Hypothesis properties of the caregiver scales: ranges, no errors on valid codes, monotonic."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.cfm import CFM_FUNCTIONS, DIFFICULTY_CODES, FREQUENCY_CODES, score_cfm
from scoring.scales import (
    PHQ9_ITEMS,
    PSC17_CUTOFFS,
    PSC17_ITEMS,
    PSC17_SUBSCALES,
    score_hhs,
    score_phq9,
    score_psc17,
)

BLANKS: list[object] = [
    None,
    "",
    {"skipped": "refused"},
    {"skipped": "dont_know"},
    {"skipped": "not_applicable"},
]
HHS_LEVELS = ("no", "rarely", "sometimes", "often")  # in increasing order of hunger
SEVERITY_ORDER = ("none", "mild", "moderate", "moderately_severe", "severe")


def int_codes(highest: int) -> st.SearchStrategy[object]:
    """A valid code 0..highest, as an int or a digit string."""
    return st.sampled_from([*range(highest + 1), *map(str, range(highest + 1))])


def hhs_answers(levels: list[str]) -> dict[str, object]:
    answers: dict[str, object] = {}
    for number, level in enumerate(levels, start=1):
        answers[f"hhs_{number}"] = "no" if level == "no" else "yes"
        if level != "no":
            answers[f"hhs_{number}_freq"] = level
    return answers


@settings(derandomize=True, max_examples=200)
@given(st.lists(st.sampled_from(HHS_LEVELS), min_size=3, max_size=3), st.integers(0, 2))
def test_hhs_range_and_monotonic(levels: list[str], item: int) -> None:
    """HHS is 0–6 and never falls when one pair's answer gets worse."""
    result = score_hhs(hhs_answers(levels))
    assert result.score is not None and 0 <= result.score <= 6
    worse = list(levels)
    worse[item] = HHS_LEVELS[min(3, HHS_LEVELS.index(levels[item]) + 1)]
    worse_score = score_hhs(hhs_answers(worse)).score
    assert worse_score is not None and worse_score >= result.score


@settings(derandomize=True, max_examples=200)
@given(
    st.lists(st.one_of(int_codes(2), st.sampled_from(BLANKS)), min_size=17, max_size=17),
    st.integers(0, 16),
)
def test_psc17_ranges_and_monotonic(codes: list[object], item: int) -> None:
    """Totals in range, never an error on valid codes or skips, monotonic in each item."""
    answers = dict(zip(PSC17_ITEMS, codes, strict=True))
    result = score_psc17(answers)
    blanks = sum(code in BLANKS for code in codes)
    if blanks >= 4:
        assert result.total is None and result.positive is None
        return
    assert result.total is not None and 0 <= result.total <= 34
    subscales = {name: getattr(result, name) for name in PSC17_SUBSCALES}
    assert sum(subscales.values()) == result.total
    for name, items in PSC17_SUBSCALES.items():
        assert 0 <= subscales[name] <= 2 * len(items)
    current = answers[PSC17_ITEMS[item]]
    if isinstance(current, int | str):
        raised = score_psc17({**answers, PSC17_ITEMS[item]: min(2, int(current) + 1)})
        assert raised.total is not None and raised.total >= result.total
        assert set(raised.positive or ()) >= set(result.positive or ())
    assert list(result.positive or ()) == [
        name
        for name, cutoff in PSC17_CUTOFFS.items()
        if (result.total if name == "total" else subscales[name]) >= cutoff
    ]


@settings(derandomize=True, max_examples=200)
@given(st.lists(int_codes(3), min_size=9, max_size=9), st.integers(0, 8))
def test_phq9_range_and_monotonic(codes: list[object], item: int) -> None:
    """Total 0–27, severity never milder when one item rises."""
    answers = dict(zip(PHQ9_ITEMS, codes, strict=True))
    result = score_phq9(answers)
    assert result.total is not None and 0 <= result.total <= 27
    assert result.item9 == int(codes[8])  # type: ignore[call-overload]
    raised = score_phq9({**answers, PHQ9_ITEMS[item]: min(3, int(codes[item]) + 1)})  # type: ignore[call-overload]
    assert raised.total is not None and raised.total >= result.total
    assert raised.severity is not None and result.severity is not None
    assert SEVERITY_ORDER.index(raised.severity) >= SEVERITY_ORDER.index(result.severity)


CFM_QUESTIONS = {
    "cfm_walking_equipment": st.sampled_from(["yes", "no"]),
    "cfm_walk_100_no_aid": st.sampled_from(DIFFICULTY_CODES[1:]),
    "cfm_walk_500_no_aid": st.sampled_from(DIFFICULTY_CODES[1:]),
    "cfm_walk_100_with_aid": st.sampled_from(DIFFICULTY_CODES),
    "cfm_anxiety": st.sampled_from(FREQUENCY_CODES),
    "cfm_depression": st.sampled_from(FREQUENCY_CODES),
    **{
        qid: st.sampled_from(DIFFICULTY_CODES)
        for qid in (
            "cfm_seeing",
            "cfm_hearing",
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
        )
    },
}


@settings(derandomize=True, max_examples=200)
@given(st.fixed_dictionaries({}, optional=CFM_QUESTIONS))
def test_cfm_consistent(answers: dict[str, object]) -> None:
    """Never raises on valid codes; the overall answer agrees with the per-function ones."""
    result = score_cfm(answers)
    judged = dict(result.by_function)
    assert tuple(judged) == CFM_FUNCTIONS
    assert result.functions == tuple(name for name in CFM_FUNCTIONS if judged[name])
    if result.functions:
        assert result.functional_difficulty is True
    elif result.functional_difficulty is False:
        assert result.missing == () and None not in judged.values()
    else:
        assert result.missing
