"""Instruments as data: the questionnaire files, their loader and the interview flow."""

from questionnaires.answers import SKIP_REASONS, Accepted, Rejected, skipped
from questionnaires.conditions import ConditionError
from questionnaires.flow import Facts, Progress
from questionnaires.loader import InstrumentError, Problem, check, load_all, load_instrument
from questionnaires.model import Choice, Instrument, Question, Section, Text

__all__ = [
    "SKIP_REASONS",
    "Accepted",
    "Choice",
    "ConditionError",
    "Facts",
    "Instrument",
    "InstrumentError",
    "Problem",
    "Progress",
    "Question",
    "Rejected",
    "Section",
    "Text",
    "check",
    "load_all",
    "load_instrument",
    "skipped",
]
