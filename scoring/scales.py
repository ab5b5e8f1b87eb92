"""Published caregiver scales scored from coded answers: Household Hunger Scale, PSC-17, PHQ-9."""

from __future__ import annotations

from dataclasses import dataclass

from scoring._answers import Answers, choice_code, int_code

__all__ = [
    "HHS_ITEMS",
    "PHQ9_ITEMS",
    "PSC17_CUTOFFS",
    "PSC17_ITEMS",
    "PSC17_SUBSCALES",
    "HhsResult",
    "Phq9Result",
    "Psc17Result",
    "score_hhs",
    "score_phq9",
    "score_psc17",
    "hhs_category",
    "phq9_severity",
]

# --- Household Hunger Scale -----------------------------------------------------------------

#: The three question pairs: (occurrence, frequency).
HHS_ITEMS = tuple((f"hhs_{n}", f"hhs_{n}_freq") for n in (1, 2, 3))
_HHS_FREQUENCY_SCORE = {"rarely": 1, "sometimes": 1, "often": 2}


@dataclass(frozen=True, slots=True)
class HhsResult:
    """Household Hunger Scale score 0–6 and category; both ``None`` while anything is missing."""

    score: int | None
    category: str | None
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The ``"hhs"`` object of the ``cwtt score`` contract (issue 5), plus ``missing``."""
        return {"score": self.score, "category": self.category, "missing": list(self.missing)}


def score_hhs(answers: Answers) -> HhsResult:
    """Score the Household Hunger Scale (FANTA; Ballard, Coates, Swindale, Deitchler 2011).

    Rule HHS-1: each pair scores 0 for ``no``, 1 for ``yes`` + ``rarely``/``sometimes``, 2 for
    ``yes`` + ``often``; HHS is the sum, 0–6. Rule HHS-2: 0–1 ``little`` (little to no hunger in
    the household), 2–3 ``moderate``, 4–6 ``severe``. All three pairs are needed; a ``no`` needs
    no frequency (its follow-up is skipped, and any frequency given is ignored).

    Raises:
        ScoringError: an answer is not one of the scale's codes.
    """
    total = 0
    missing: list[str] = []
    for occurred_id, frequency_id in HHS_ITEMS:
        occurred = choice_code(answers, occurred_id, ("yes", "no"))
        if occurred is None:
            missing.append(occurred_id)
        elif occurred == "yes":
            frequency = choice_code(answers, frequency_id, ("rarely", "sometimes", "often"))
            if frequency is None:
                missing.append(frequency_id)
            else:
                total += _HHS_FREQUENCY_SCORE[frequency]
    if missing:
        return HhsResult(None, None, tuple(missing))
    return HhsResult(total, hhs_category(total))


def hhs_category(score: int) -> str:
    """The HHS category of a score 0–6 (Ballard et al. 2011, table 2)."""
    if score <= 1:
        return "little"
    if score <= 3:
        return "moderate"
    return "severe"


# --- PSC-17 ---------------------------------------------------------------------------------

PSC17_ITEMS = tuple(f"psc_{n}" for n in range(1, 18))
#: Item numbers of each subscale (Gardner et al. 1999).
PSC17_SUBSCALES: dict[str, tuple[int, ...]] = {
    "internalising": (2, 6, 9, 11, 15),
    "attention": (1, 3, 7, 13, 17),
    "externalising": (4, 5, 8, 10, 12, 14, 16),
}
#: A score at or above its cut-off is positive.
PSC17_CUTOFFS = {"total": 15, "internalising": 5, "attention": 7, "externalising": 7}
_PSC17_MAX_BLANKS = 3


@dataclass(frozen=True, slots=True)
class Psc17Result:
    """PSC-17 total and subscales; all ``None`` (and ``positive`` too) when the form is invalid.

    ``blank`` lists the items left blank (scored 0); ``missing`` lists them only when there are
    four or more, which makes the form invalid.
    """

    total: int | None
    internalising: int | None
    attention: int | None
    externalising: int | None
    positive: tuple[str, ...] | None
    blank: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The ``"psc17"`` object of the ``cwtt score`` contract (issue 5), plus ``missing``."""
        return {
            "total": self.total,
            "internalising": self.internalising,
            "attention": self.attention,
            "externalising": self.externalising,
            "positive": None if self.positive is None else list(self.positive),
            "missing": list(self.missing),
        }


def score_psc17(answers: Answers) -> Psc17Result:
    """Score the Pediatric Symptom Checklist-17 (Gardner et al. 1999; Jellinek, MGH).

    Rule PSC-1: items coded 0 Never, 1 Sometimes, 2 Often; total 0–34; internalising (items 2,
    6, 9, 11, 15), attention (1, 3, 7, 13, 17) and externalising (4, 5, 8, 10, 12, 14, 16).
    Rule PSC-2: positive when total ≥ 15, internalising ≥ 5, attention ≥ 7, externalising ≥ 7;
    ``positive`` names them in that order. Rule PSC-3: blank (absent or skipped) items count 0;
    with 4 or more blank the form is invalid: no total, no subscales.

    Raises:
        ScoringError: an answer is not 0, 1 or 2.
    """
    codes: dict[int, int] = {}
    blank: list[str] = []
    for number, qid in enumerate(PSC17_ITEMS, start=1):
        code = int_code(answers, qid, 2)
        if code is None:
            blank.append(qid)
        else:
            codes[number] = code
    if len(blank) > _PSC17_MAX_BLANKS:
        return Psc17Result(None, None, None, None, None, tuple(blank), tuple(blank))
    scores = {"total": sum(codes.values())}
    for name, items in PSC17_SUBSCALES.items():
        scores[name] = sum(codes.get(n, 0) for n in items)
    positive = tuple(name for name, cutoff in PSC17_CUTOFFS.items() if scores[name] >= cutoff)
    return Psc17Result(
        scores["total"],
        scores["internalising"],
        scores["attention"],
        scores["externalising"],
        positive,
        tuple(blank),
    )


# --- PHQ-9 ----------------------------------------------------------------------------------

#: The nine scored items; ``phq_10`` (how difficult) is asked but never scored.
PHQ9_ITEMS = tuple(f"phq_{n}" for n in range(1, 10))
_PHQ9_SEVERITY = ((20, "severe"), (15, "moderately_severe"), (10, "moderate"), (5, "mild"))


@dataclass(frozen=True, slots=True)
class Phq9Result:
    """PHQ-9 total and severity (``None`` while any item is missing) and item 9 on its own."""

    total: int | None
    severity: str | None
    item9: int | None
    missing: tuple[str, ...] = ()

    @property
    def self_harm_thoughts(self) -> bool | None:
        """Item 9 above 0: same-day follow-up for the caregiver, whatever the total."""
        return None if self.item9 is None else self.item9 > 0

    def to_dict(self) -> dict[str, object]:
        """The ``"phq9"`` object of the ``cwtt score`` contract (issue 5), plus ``missing``."""
        return {
            "total": self.total,
            "severity": self.severity,
            "item9": self.item9,
            "missing": list(self.missing),
        }


def score_phq9(answers: Answers) -> Phq9Result:
    """Score the Patient Health Questionnaire-9 (Kroenke, Spitzer, Williams 2001).

    Rule PHQ-1: items 1–9 coded 0–3; total 0–27 when all nine are answered. Rule PHQ-2:
    severity ``none`` 0–4, ``mild`` 5–9, ``moderate`` 10–14, ``moderately_severe`` 15–19,
    ``severe`` 20–27. Rule PHQ-3: item 9 is reported on its own, even when the total cannot
    be computed, because any answer above 0 calls for same-day follow-up. ``phq_10`` is not
    scored and not read.

    Raises:
        ScoringError: an answer to items 1–9 is not 0, 1, 2 or 3.
    """
    codes = {qid: int_code(answers, qid, 3) for qid in PHQ9_ITEMS}
    missing = tuple(qid for qid, code in codes.items() if code is None)
    item9 = codes["phq_9"]
    if missing:
        return Phq9Result(None, None, item9, missing)
    total = sum(code for code in codes.values() if code is not None)
    return Phq9Result(total, phq9_severity(total), item9)


def phq9_severity(total: int) -> str:
    """The PHQ-9 severity band of a total 0–27 (Kroenke et al. 2001, table 3)."""
    for floor, name in _PHQ9_SEVERITY:
        if total >= floor:
            return name
    return "none"
