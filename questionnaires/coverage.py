"""How much of an instrument is translated into each language, for choosing an interview language.

A question counts as translated when everything the respondent hears is: its wording (and each
alternative wording), its read-aloud script and every answer option; as translated in part when
some of it is. Help for the interviewer (the hint) does not count. Anything missing is shown in
English.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from questionnaires.model import LANGUAGE_NAMES, LANGUAGES, Instrument, Question, Text

__all__ = ["Coverage", "coverage", "language_choices", "languages_with_text", "translated"]


@dataclass(frozen=True)
class Coverage:
    """How many of an instrument's questions are translated into one language, in full and
    in part."""

    lang: str
    translated: int
    total: int
    in_part: int = 0

    @property
    def name(self) -> str:
        """The language's name, e.g. "isiZulu"."""
        return LANGUAGE_NAMES.get(self.lang, self.lang)

    @property
    def complete(self) -> bool:
        return self.lang == "en" or self.translated >= self.total

    def sentence(self) -> str:
        """E.g. "isiZulu - 40 of 52 questions translated; the rest in English"."""
        if self.lang == "en":
            return f"English - all {self.total} questions"
        if self.complete:
            return f"{self.name} - all {self.total} questions translated"
        if self.translated == 0 and self.in_part == 0:
            return f"{self.name} - no questions translated yet; all in English"
        part = f", {self.in_part} in part" if self.in_part else ""
        return (
            f"{self.name} - {self.translated} of {self.total} questions translated{part}; "
            "the rest in English"
        )


def _heard(question: Question) -> Iterator[Text]:
    """Every text of ``question`` the respondent hears or reads."""
    yield question.label
    yield from (variant.label for variant in question.variants)
    if question.say is not None:
        yield question.say
    yield from (choice.label for choice in question.choices)


def translated(question: Question, lang: str) -> bool:
    """Whether everything the respondent hears of ``question`` exists in ``lang``."""
    return lang == "en" or all(text.has(lang) for text in _heard(question))


def _in_part(question: Question, lang: str) -> bool:
    return not translated(question, lang) and any(text.has(lang) for text in _heard(question))


def coverage(instrument: Instrument, lang: str) -> Coverage:
    """How many of ``instrument``'s questions (notes included) are translated into ``lang``."""
    questions = instrument.questions
    done = sum(translated(q, lang) for q in questions)
    part = sum(_in_part(q, lang) for q in questions)
    return Coverage(lang, done, len(questions), part)


def languages_with_text(instrument: Instrument) -> tuple[str, ...]:
    """English, then every language any question of ``instrument`` has some text in."""
    found = {
        lang
        for question in instrument.questions
        for text in _heard(question)
        for lang in text.languages
        if text.has(lang)
    }
    return ("en", *(lang for lang in LANGUAGES if lang in found and lang != "en"))


def language_choices(instrument: Instrument, wanted: str = "en") -> list[Coverage]:
    """The languages to offer for ``instrument``, each with its coverage; ``wanted`` (the
    language in use) is offered even when nothing is translated into it yet."""
    langs = list(languages_with_text(instrument))
    if wanted not in langs:
        langs.append(wanted)
    return [coverage(instrument, lang) for lang in langs]
