"""The instrument model: frozen dataclasses for instruments, sections, questions and choices."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from questionnaires.conditions import Condition

__all__ = [
    "DOMAINS",
    "FACT_NAMES",
    "LANGUAGES",
    "QUESTION_TYPES",
    "RESPONDENTS",
    "Choice",
    "Code",
    "Derived",
    "Instrument",
    "Licence",
    "Notice",
    "Question",
    "Section",
    "Text",
    "Variant",
]

#: South Africa's official languages by ISO 639 code: English, Afrikaans, isiZulu, isiXhosa,
#: Sesotho, Sepedi, Setswana, Xitsonga, siSwati, Tshivenda, isiNdebele.
LANGUAGES = ("en", "af", "zu", "xh", "st", "nso", "tn", "ts", "ss", "ve", "nr")
DOMAINS = ("health", "nutrition", "economic", "protection", "education", "psychosocial")
RESPONDENTS = ("child", "caregiver", "teacher", "health")
QUESTION_TYPES = ("single", "multiple", "yes_no", "integer", "decimal", "date", "text", "note")
#: Registration facts every condition may read; they are not questions of any instrument.
FACT_NAMES = ("sex", "date_of_birth", "interview_date")

Code = str | int


@dataclass(frozen=True)
class Text:
    """One piece of text in several languages; a loaded instrument always has English."""

    values: tuple[tuple[str, str], ...]

    def get(self, lang: str = "en") -> str:
        """The text in ``lang``, or the English text when that language is missing."""
        table = dict(self.values)
        return table.get(lang) or table.get("en", "")

    def has(self, lang: str) -> bool:
        """Whether a translation for ``lang`` exists (no fallback)."""
        return any(code == lang and text for code, text in self.values)

    @property
    def languages(self) -> tuple[str, ...]:
        """The language codes present."""
        return tuple(code for code, _ in self.values)


@dataclass(frozen=True)
class Choice:
    """One answer option: the stored code and its label; an exclusive one stands alone."""

    code: Code
    label: Text
    exclusive: bool = False


@dataclass(frozen=True)
class Variant:
    """Alternative wording used when ``when`` holds (e.g. "When wearing his/her glasses...")."""

    when: Condition
    label: Text


@dataclass(frozen=True)
class Question:
    """One question (or a ``note`` to read out) exactly as the instrument file declares it."""

    id: str
    type: str
    label: Text
    section: str
    line: int
    hint: Text | None = None
    say: Text | None = None
    required: bool = False
    relevant: Condition | None = None
    constraint: Condition | None = None
    constraint_message: Text | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    unit: str | None = None
    choice_list: str | None = None
    choices: tuple[Choice, ...] = ()
    sensitive: bool = False
    disclosure: Text | None = None
    disclosure_if: Condition | None = None
    variants: tuple[Variant, ...] = ()
    ref: str | None = None
    subscale: str | None = None

    @property
    def is_note(self) -> bool:
        """A note is read out and acknowledged; it holds no answer."""
        return self.type == "note"

    def choice(self, code: object) -> Choice | None:
        """The choice with ``code``, or ``None``."""
        for choice in self.choices:
            if choice.code == code and type(choice.code) is type(code):
                return choice
        return None


@dataclass(frozen=True)
class Section:
    """A run of questions about one domain, optionally one published scale."""

    id: str
    title: Text
    domain: str
    questions: tuple[Question, ...]
    intro: Text | None = None
    scale: str | None = None


@dataclass(frozen=True)
class Notice:
    """The attribution or permission notice a published scale must carry wherever it is shown."""

    scale: str
    name: str
    source: str
    text: Text


@dataclass(frozen=True)
class Derived:
    """A value computed from answers and facts, e.g. ``age_months`` or ``phq_total``."""

    name: str
    expression: Condition
    label: Text
    line: int


@dataclass(frozen=True)
class Licence:
    """Who licenses a restricted instrument and the permission that allows us to ship it."""

    holder: str
    permission: str
    note: str = ""


@dataclass(frozen=True)
class Instrument:
    """One questionnaire for one respondent, loaded and validated from its TOML file."""

    id: str
    version: str
    respondent: str
    title: Text
    path: str
    sections: tuple[Section, ...]
    choice_lists: tuple[tuple[str, tuple[Choice, ...]], ...] = ()
    derived: tuple[Derived, ...] = ()
    notices: tuple[Notice, ...] = ()
    licence: Licence | None = None

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """Every question in order, across sections."""
        return tuple(q for section in self.sections for q in section.questions)

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def _sections_by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    def question(self, question_id: str) -> Question:
        """The question with ``question_id``.

        Raises:
            KeyError: no such question in this instrument.
        """
        return self._by_id[question_id]

    def has_question(self, question_id: str) -> bool:
        """Whether this instrument asks ``question_id``."""
        return question_id in self._by_id

    def section(self, section_id: str) -> Section:
        """The section with ``section_id``.

        Raises:
            KeyError: no such section.
        """
        return self._sections_by_id[section_id]

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {q.id: n for n, q in enumerate(self.questions)}

    def position(self, question_id: str) -> int:
        """The 0-based position of ``question_id`` among all questions.

        Raises:
            KeyError: no such question in this instrument.
        """
        return self._positions[question_id]

    def choice_list(self, name: str) -> tuple[Choice, ...]:
        """The shared choice list ``name``.

        Raises:
            KeyError: no such list.
        """
        return dict(self.choice_lists)[name]

    def notice(self, scale: str) -> Notice | None:
        """The notice of the published scale ``scale``, if the instrument ships it."""
        return next((n for n in self.notices if n.scale == scale), None)


#: The names of South Africa's official languages, by code (as LANGUAGES); one table for all.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "af": "Afrikaans",
    "zu": "isiZulu",
    "xh": "isiXhosa",
    "st": "Sesotho",
    "nso": "Sepedi",
    "tn": "Setswana",
    "ts": "Xitsonga",
    "ss": "siSwati",
    "ve": "Tshivenda",
    "nr": "isiNdebele",
}
