"""HHS, PSC-17 and PHQ-9 against their published scoring rules, at every cut-off."""

from __future__ import annotations

import pytest

from scoring.errors import ScoringError
from scoring.scales import (
    PSC17_SUBSCALES,
    HhsResult,
    Phq9Result,
    score_hhs,
    score_phq9,
    score_psc17,
)

REFUSED = {"skipped": "refused"}


def hhs(*pairs: tuple[str, str | None]) -> dict[str, object]:
    """Answers for the three HHS pairs, e.g. ``("yes", "often"), ("no", None), ...``."""
    answers: dict[str, object] = {}
    for number, (occurred, frequency) in enumerate(pairs, start=1):
        answers[f"hhs_{number}"] = occurred
        if frequency is not None:
            answers[f"hhs_{number}_freq"] = frequency
    return answers


def psc(codes: dict[int, object]) -> dict[str, object]:
    """PSC-17 answers from item number → code; unlisted items are absent (blank)."""
    return {f"psc_{number}": code for number, code in codes.items()}


def psc_with(subscale: str, score: int) -> dict[str, object]:
    """Every item answered, with ``score`` spread over one subscale's items, others 0."""
    codes: dict[int, object] = dict.fromkeys(range(1, 18), 0)
    for number in PSC17_SUBSCALES[subscale]:
        codes[number] = min(2, score)
        score -= codes[number]  # type: ignore[operator]
    assert score == 0
    return psc(codes)


def phq(total: int, item9: int = 0) -> dict[str, object]:
    """PHQ-9 answers adding up to ``total``, filling items 1–8 first."""
    answers: dict[str, object] = {"phq_9": item9}
    rest = total - item9
    for number in range(1, 9):
        answers[f"phq_{number}"] = min(3, rest)
        rest -= min(3, rest)
    assert rest == 0
    return answers


class TestHouseholdHungerScale:
    """FANTA Household Hunger Scale (Ballard et al. 2011): 0–1 little, 2–3 moderate, 4–6 severe."""

    @pytest.mark.parametrize(
        ("pairs", "score", "category"),
        [
            ((("no", None), ("no", None), ("no", None)), 0, "little"),
            ((("yes", "rarely"), ("no", None), ("no", None)), 1, "little"),
            ((("yes", "sometimes"), ("yes", "rarely"), ("no", None)), 2, "moderate"),
            ((("yes", "often"), ("no", None), ("no", None)), 2, "moderate"),
            ((("yes", "often"), ("yes", "sometimes"), ("no", None)), 3, "moderate"),
            ((("yes", "often"), ("yes", "often"), ("no", None)), 4, "severe"),
            ((("yes", "often"), ("yes", "often"), ("yes", "rarely")), 5, "severe"),
            ((("yes", "often"), ("yes", "often"), ("yes", "often")), 6, "severe"),
        ],
    )
    def test_scores_and_categories(
        self, pairs: tuple[tuple[str, str | None], ...], score: int, category: str
    ) -> None:
        """Each pair 0/1/2, summed; the category changes between 1|2 and 3|4."""
        assert score_hhs(hhs(*pairs)) == HhsResult(score, category)

    def test_no_ignores_a_stray_frequency(self) -> None:
        """A "no" skips its follow-up, so a frequency left over from an edit is ignored."""
        assert score_hhs(hhs(("no", "often"), ("no", None), ("no", None))).score == 0

    def test_incomplete(self) -> None:
        """A missing pair or a "yes" without its frequency leaves the scale uncomputed."""
        answers = hhs(("yes", None), ("no", None))
        answers["hhs_3"] = {"skipped": "dont_know"}
        assert score_hhs(answers) == HhsResult(None, None, ("hhs_1_freq", "hhs_3"))
        assert score_hhs({}).missing == ("hhs_1", "hhs_2", "hhs_3")

    def test_codes_are_case_insensitive(self) -> None:
        """Codes ignore case and surrounding spaces: " Yes " and "OFTEN" are read."""
        assert score_hhs(hhs((" Yes ", "OFTEN"), ("no", None), ("no", None))).score == 2

    def test_to_dict(self) -> None:
        """The ``"hhs"`` shape of ``cwtt score``."""
        result = score_hhs(hhs(("yes", "often"), ("yes", "often"), ("no", None)))
        assert result.to_dict() == {"score": 4, "category": "severe", "missing": []}

    @pytest.mark.parametrize(
        "answers",
        [{"hhs_1": "maybe"}, {"hhs_1": "yes", "hhs_1_freq": "always"}, {"hhs_1": 1}],
    )
    def test_impossible_codes(self, answers: dict[str, object]) -> None:
        """Codes outside the scale raise ScoringError naming the question, not the answer."""
        with pytest.raises(ScoringError, match=r"hhs_1(_freq)? is not one of its codes") as info:
            score_hhs(answers)
        assert "maybe" not in str(info.value) and "always" not in str(info.value)


class TestPsc17:
    """PSC-17 (Gardner et al. 1999): total ≥ 15, I ≥ 5, A ≥ 7, E ≥ 7; 4+ blanks invalid."""

    def test_total_14_vs_15(self) -> None:
        """Total 14 is negative, 15 positive (spread so no subscale is positive)."""
        # I 4, A 6, E 4 = 14; then E 5 = 15.
        codes = {2: 2, 6: 2, 1: 2, 3: 2, 7: 2, 4: 2, 5: 2}
        fourteen = score_psc17(psc({**dict.fromkeys(range(1, 18), 0), **codes}))
        assert (fourteen.total, fourteen.positive) == (14, ())
        fifteen = score_psc17(psc({**dict.fromkeys(range(1, 18), 0), **codes, 8: 1}))
        assert (fifteen.total, fifteen.positive) == (15, ("total",))

    @pytest.mark.parametrize(
        ("subscale", "cutoff"), [("internalising", 5), ("attention", 7), ("externalising", 7)]
    )
    def test_subscale_cutoffs(self, subscale: str, cutoff: int) -> None:
        """Internalising 4 vs 5, attention 6 vs 7, externalising 6 vs 7."""
        below = score_psc17(psc_with(subscale, cutoff - 1))
        at = score_psc17(psc_with(subscale, cutoff))
        assert getattr(below, subscale) == cutoff - 1 and below.positive == ()
        assert getattr(at, subscale) == cutoff and at.positive == (subscale,)

    def test_subscales_partition_the_items(self) -> None:
        """Every item belongs to exactly one subscale: 5 + 5 + 7."""
        numbers = sorted(n for items in PSC17_SUBSCALES.values() for n in items)
        assert numbers == list(range(1, 18))

    def test_all_often(self) -> None:
        """All "often": 34, 10, 10, 14, positive on everything, in a fixed order."""
        result = score_psc17(psc(dict.fromkeys(range(1, 18), 2)))
        assert result.to_dict() == {
            "total": 34,
            "internalising": 10,
            "attention": 10,
            "externalising": 14,
            "positive": ["total", "internalising", "attention", "externalising"],
            "missing": [],
        }

    def test_three_blanks_count_zero(self) -> None:
        """Three blank items (absent, skipped, empty) score 0 and the form stays valid."""
        answers = psc(dict.fromkeys(range(1, 18), 1))
        del answers["psc_1"]
        answers["psc_2"] = REFUSED
        answers["psc_3"] = ""
        result = score_psc17(answers)
        assert (result.total, result.internalising, result.attention) == (14, 4, 3)
        assert result.blank == ("psc_1", "psc_2", "psc_3") and result.missing == ()

    def test_four_blanks_invalid(self) -> None:
        """Four blank items: no total, no subscales, no positive list; blanks are missing."""
        answers = psc(dict.fromkeys(range(5, 18), 2))
        result = score_psc17(answers)
        assert result.to_dict() == {
            "total": None,
            "internalising": None,
            "attention": None,
            "externalising": None,
            "positive": None,
            "missing": ["psc_1", "psc_2", "psc_3", "psc_4"],
        }

    def test_string_codes(self) -> None:
        """Codes may arrive as "0".."2" strings."""
        assert score_psc17(psc(dict.fromkeys(range(1, 18), "2"))).total == 34

    @pytest.mark.parametrize("code", [5, -1, "3", "often", 1.5, True, [1]])
    def test_impossible_code(self, code: object) -> None:
        """A PSC code outside 0–2 raises ScoringError."""
        with pytest.raises(ScoringError, match=r"psc_7 is not one of its codes \(0, 1, 2\)"):
            score_psc17({"psc_7": code})

    def test_skip_with_extra_keys(self) -> None:
        """A skip may carry more keys (e.g. when it was recorded); only the reason is read."""
        answers = psc(dict.fromkeys(range(2, 18), 1))
        answers["psc_1"] = {"skipped": "dont_know", "at": "2025-03-01T10:00"}
        assert score_psc17(answers).blank == ("psc_1",)

    def test_unknown_skip(self) -> None:
        """A skip must give a known reason."""
        with pytest.raises(ScoringError, match="psc_1 is neither a code nor a skip"):
            score_psc17({"psc_1": {"skipped": "bored"}})


class TestPhq9:
    """PHQ-9 (Kroenke et al. 2001): 5 mild, 10 moderate, 15 moderately severe, 20 severe."""

    @pytest.mark.parametrize(
        ("total", "severity"),
        [
            (0, "none"),
            (4, "none"),
            (5, "mild"),
            (9, "mild"),
            (10, "moderate"),
            (14, "moderate"),
            (15, "moderately_severe"),
            (19, "moderately_severe"),
            (20, "severe"),
            (24, "severe"),
        ],
    )
    def test_severity_bands(self, total: int, severity: str) -> None:
        """Every band edge."""
        assert score_phq9(phq(total)) == Phq9Result(total, severity, 0)

    def test_maximum(self) -> None:
        """All nine items at 3: 27, severe."""
        assert score_phq9(phq(27, item9=3)) == Phq9Result(27, "severe", 3)

    def test_item9_whatever_the_total(self) -> None:
        """Item 9 is reported with a low total and even when other items are missing."""
        result = score_phq9(phq(1, item9=1))
        assert (result.total, result.severity, result.item9) == (1, "none", 1)
        assert result.self_harm_thoughts is True
        partial = score_phq9({"phq_9": "2", "phq_1": 3})
        assert (partial.total, partial.item9, partial.self_harm_thoughts) == (None, 2, True)
        assert partial.missing == tuple(f"phq_{n}" for n in range(2, 9))

    def test_item9_missing(self) -> None:
        """Item 9 skipped: the total is unknown and so is the self-harm answer."""
        answers = phq(12)
        answers["phq_9"] = {"skipped": "refused"}
        result = score_phq9(answers)
        assert result == Phq9Result(None, None, None, ("phq_9",))
        assert result.self_harm_thoughts is None

    def test_item10_not_scored(self) -> None:
        """phq_10 never changes the score and is not validated."""
        assert score_phq9({**phq(7), "phq_10": 3}).total == 7
        assert score_phq9({**phq(7), "phq_10": "n/a"}).total == 7

    def test_to_dict(self) -> None:
        """The ``"phq9"`` shape of ``cwtt score``."""
        assert score_phq9(phq(16, item9=1)).to_dict() == {
            "total": 16,
            "severity": "moderately_severe",
            "item9": 1,
            "missing": [],
        }

    def test_impossible_code(self) -> None:
        """A PHQ code of 4 raises ScoringError."""
        with pytest.raises(ScoringError, match=r"phq_3 is not one of its codes \(0, 1, 2, 3\)"):
            score_phq9({**phq(0), "phq_3": 4})
