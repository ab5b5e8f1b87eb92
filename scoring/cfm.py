"""Child Functioning Module (ages 5–17): functional difficulty per function and overall."""

from __future__ import annotations

from dataclasses import dataclass

from scoring._answers import Answers, choice_code

__all__ = ["CFM_FUNCTIONS", "DIFFICULTY_CODES", "FREQUENCY_CODES", "CfmResult", "score_cfm"]

DIFFICULTY_CODES = ("no_difficulty", "some", "a_lot", "cannot")
FREQUENCY_CODES = ("daily", "weekly", "monthly", "few_times_a_year", "never")
# Without equipment, a child who uses it is only asked how much difficulty (CF10, CF11).
_NO_AID_CODES = ("some", "a_lot", "cannot")
_SEVERE = frozenset({"a_lot", "cannot"})

#: The 13 functions, in the module's order; ``functions`` in a result keeps this order.
CFM_FUNCTIONS = (
    "seeing",
    "hearing",
    "walking",
    "self_care",
    "communication",
    "learning",
    "remembering",
    "concentrating",
    "accepting_change",
    "controlling_behaviour",
    "making_friends",
    "anxiety",
    "depression",
)

# Functions judged on one or two difficulty questions (difficulty if any is a_lot/cannot).
_DIFFICULTY_QUESTIONS = {
    "seeing": ("cfm_seeing",),
    "hearing": ("cfm_hearing",),
    "self_care": ("cfm_self_care",),
    "communication": ("cfm_understood_inside", "cfm_understood_outside"),
    "learning": ("cfm_learning",),
    "remembering": ("cfm_remembering",),
    "concentrating": ("cfm_concentrating",),
    "accepting_change": ("cfm_accepting_change",),
    "controlling_behaviour": ("cfm_controlling_behaviour",),
    "making_friends": ("cfm_making_friends",),
}
_FREQUENCY_QUESTIONS = {"anxiety": "cfm_anxiety", "depression": "cfm_depression"}
_WALK_NO_AID = ("cfm_walk_100_no_aid", "cfm_walk_500_no_aid")
_WALK_NO_EQUIPMENT = ("cfm_walk_100", "cfm_walk_500")

_Judgement = tuple[bool | None, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class CfmResult:
    """Functional difficulty: ``True`` if any function has one, ``None`` while undecided.

    ``functions`` names the functions with a difficulty; ``by_function`` gives every function's
    judgement (``None`` where an answer it needs is missing); ``missing`` lists the question
    ids still missing, even when a difficulty was already found.
    """

    functional_difficulty: bool | None
    functions: tuple[str, ...]
    by_function: tuple[tuple[str, bool | None], ...]
    missing: tuple[str, ...] = ()

    def difficulty_in(self, function: str) -> bool | None:
        """The judgement for one function of ``CFM_FUNCTIONS``.

        Raises:
            KeyError: ``function`` is not one of the 13.
        """
        return dict(self.by_function)[function]

    def to_dict(self) -> dict[str, object]:
        """The ``"cfm"`` object of the ``cwtt score`` contract (issue 5), plus ``missing``."""
        return {
            "functional_difficulty": self.functional_difficulty,
            "functions": list(self.functions),
            "missing": list(self.missing),
        }


def score_cfm(answers: Answers) -> CfmResult:
    """Score the Child Functioning Module, ages 5–17 (Washington Group on Disability
    Statistics / UNICEF, 2016; UNICEF MICS6 questionnaire CF1–CF26).

    Rule CFM-1: a function has a difficulty when an answer is ``a_lot`` or ``cannot``;
    communication when either ``cfm_understood_inside`` or ``_outside`` does. Rule CFM-2:
    walking is judged on the answers without equipment: ``cfm_walk_100_no_aid`` and
    ``_500_no_aid`` for a child who uses equipment, ``cfm_walk_100`` and ``_500`` for one who
    does not; the 500-metre answer is needed only when the 100-metre one is not ``a_lot`` or
    ``cannot`` (the module skips it then). With-aid answers are not used. Rule CFM-3: anxiety
    or depression ``daily`` is a difficulty. Rule CFM-4: functional difficulty is ``True`` if
    any of the 13 functions has one, ``False`` if every function was judged without one, and
    ``None`` otherwise. Glasses and hearing-aid answers only change the wording; not read.

    Raises:
        ScoringError: an answer is not one of its question's codes.
    """
    judgements: dict[str, bool | None] = {}
    missing: list[str] = []
    for function in CFM_FUNCTIONS:
        if function == "walking":
            judged, needed = _walking(answers)
        elif function in _FREQUENCY_QUESTIONS:
            qid = _FREQUENCY_QUESTIONS[function]
            code = choice_code(answers, qid, FREQUENCY_CODES)
            judged, needed = (None, (qid,)) if code is None else (code == "daily", ())
        else:
            judged, needed = _any_severe(answers, _DIFFICULTY_QUESTIONS[function])
        judgements[function] = judged
        missing.extend(needed)

    functions = tuple(name for name, judged in judgements.items() if judged)
    if functions:
        overall: bool | None = True
    elif None in judgements.values():
        overall = None
    else:
        overall = False
    return CfmResult(overall, functions, tuple(judgements.items()), tuple(missing))


def _any_severe(
    answers: Answers, qids: tuple[str, ...], codes: tuple[str, ...] = DIFFICULTY_CODES
) -> _Judgement:
    found = {qid: choice_code(answers, qid, codes) for qid in qids}
    missing = tuple(qid for qid, code in found.items() if code is None)
    if any(code in _SEVERE for code in found.values()):
        return True, missing
    return (None, missing) if missing else (False, ())


def _walking(answers: Answers) -> _Judgement:
    equipment = choice_code(answers, "cfm_walking_equipment", ("yes", "no"))
    if equipment == "yes":
        return _walk_pair(answers, _WALK_NO_AID, _NO_AID_CODES)
    if equipment == "no":
        return _walk_pair(answers, _WALK_NO_EQUIPMENT, DIFFICULTY_CODES)
    # Unknown equipment: a severe answer to either branch still shows a difficulty.
    judged, _ = _any_severe(answers, _WALK_NO_AID, _NO_AID_CODES)
    if not judged:
        judged, _ = _any_severe(answers, _WALK_NO_EQUIPMENT)
    return (True, ("cfm_walking_equipment",)) if judged else (None, ("cfm_walking_equipment",))


def _walk_pair(answers: Answers, qids: tuple[str, str], codes: tuple[str, ...]) -> _Judgement:
    walk_100, walk_500 = (choice_code(answers, qid, codes) for qid in qids)
    if walk_100 in _SEVERE:
        return True, ()  # the 500-metre question is skipped after this answer
    missing = tuple(qid for qid, code in zip(qids, (walk_100, walk_500), strict=True) if not code)
    if walk_500 in _SEVERE:
        return True, missing
    return (None, missing) if missing else (False, ())
