"""The language of an interview, chosen on the start screen with L; a started one keeps its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from demo_steps import register_sipho, unlock
from textual.widgets import OptionList, Static

import cwtt_tui.interviewing as interviewing
from cwtt_tui.store.peek import DEMO_PASSPHRASE
from cwtt_tui.store.store import unlock_store
from questionnaires.coverage import Coverage, coverage, language_choices, languages_with_text
from questionnaires.loader import instrument_paths, load_all
from questionnaires.model import Instrument
from screens.interview import QuestionScreen
from screens.interview_start import InterviewStartScreen
from screens.language_picker import LanguagePickerScreen

# No shipped instrument is translated yet: the tests install this isiZulu file (test data) for
# the caregiver: the first question in full, the second in part.
CAREGIVER_ZU = """
instrument = "caregiver"
version = "1.0.0"
lang = "zu"

["question.caregiver_relationship.label"]
en = "How are you related to (name)?"
text = "Uhlobene kanjani no-(name)?"

["question.caregiver_relationship.say"]
en = "How are you related to (name)?"
text = "Uhlobene kanjani no-(name)?"

["question.household_size.label"]
en = "How many people live in this household, including you and (name)?"
text = "Bangaki abantu abahlala kulo muzi, kuhlanganise wena no-(name)?"
"""
RELATIONSHIP_ZU = {
    "mother": "Umama",
    "father": "Ubaba",
    "grandparent": "Ugogo noma umkhulu",
    "aunt_uncle": "Ubabekazi noma umalume",
    "sibling": "Umfowethu noma udadewethu",
    "foster_parent": "Umzali okhulisayo",
    "other_relative": "Esinye isihlobo",
    "other": "Omunye umuntu",
}


def zulu_file() -> str:
    entries = [
        f'["choice.relationship.{code}.label"]\ntext = "{text}"\n'
        for code, text in RELATIONSHIP_ZU.items()
    ]
    return CAREGIVER_ZU + "\n" + "\n".join(entries)


@pytest.fixture
def zulu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Instrument]:
    """The shipped instruments plus a caregiver isiZulu translation, as interviews see them."""
    folder = tmp_path / "instruments"
    folder.mkdir()
    for path in instrument_paths():
        shutil.copy(path, folder / path.name)
    (folder / "caregiver.zu.toml").write_text(zulu_file(), encoding="utf-8")
    loaded = load_all(folder)
    monkeypatch.setattr(interviewing, "instruments", lambda: loaded)
    return loaded


def text(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Static).render())


async def choose_zulu_for_caregiver(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """On the start screen: move to the caregiver, L, then 2 (isiZulu)."""
    assert isinstance(app.screen, InterviewStartScreen)
    await pilot.press("down", "l")
    assert isinstance(app.screen, LanguagePickerScreen)
    await pilot.press("2")
    await pilot.pause()


# -- how much is translated (pure) ---------------------------------------------------------------


def test_coverage_counts_questions_in_full_and_in_part(zulu: dict[str, Instrument]) -> None:
    """A question counts when its wording, script and every answer are translated."""
    caregiver = zulu["caregiver"]
    total = len(caregiver.questions)
    assert coverage(caregiver, "zu") == Coverage("zu", 1, total, 1)
    assert coverage(caregiver, "en") == Coverage("en", total, total, 0)
    assert coverage(caregiver, "zu").sentence() == (
        f"isiZulu - 1 of {total} questions translated, 1 in part; the rest in English"
    )
    assert Coverage("zu", 40, 52).sentence() == (
        "isiZulu - 40 of 52 questions translated; the rest in English"
    )
    assert Coverage("st", 0, 52).sentence() == (
        "Sesotho - no questions translated yet; all in English"
    )
    assert Coverage("en", 52, 52).sentence() == "English - all 52 questions"


def test_languages_offered_are_those_with_text_and_the_one_in_use(
    zulu: dict[str, Instrument],
) -> None:
    """English first, then the translated ones; the language in use is offered anyway."""
    assert languages_with_text(zulu["caregiver"]) == ("en", "zu")
    assert languages_with_text(zulu["child"]) == ("en",)
    assert [c.lang for c in language_choices(zulu["child"], "st")] == ["en", "st"]


# -- on screen ------------------------------------------------------------------------------------


async def test_l_changes_the_language_and_the_interview_uses_it(
    zulu: dict[str, Instrument], demo_path: Path, make_app
) -> None:
    """L lists the caregiver's languages with coverage; isiZulu shows the translated question."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        await register_sipho(app, pilot)
        start = app.screen
        assert "Language: English - press L to change" in text(start, "#start-language-line")
        await pilot.press("down", "l")
        picker = app.screen
        assert isinstance(picker, LanguagePickerScreen)
        prompts = [str(o.prompt) for o in picker.query_one(OptionList).options]
        assert (
            prompts[0] == f"1  English - all {len(zulu['caregiver'].questions)} questions  (in use)"
        )
        assert prompts[1].startswith("2  isiZulu - 1 of ")
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is start
        assert "Language: isiZulu - press L to change" in text(start, "#start-language-line")
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        assert screen.session.language == "zu"
        assert text(screen, "#q-text") == "Uhlobene kanjani no-Sipho?"
        assert "1  Umama" in str(screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "Uhlobene kanjani no-Sipho?" in screen.session.read_aloud_text()
        interview_id = screen.session.interview.id
        app.store.close()
    with unlock_store(demo_path, DEMO_PASSPHRASE) as store:
        assert store.interviews.get(interview_id).language == "zu"


async def test_escape_keeps_the_language_and_settings_give_the_default(
    zulu: dict[str, Instrument], demo_path: Path, make_app
) -> None:
    """The Settings language is the default and is highlighted; Escape changes nothing."""
    app = make_app(demo_path, language="zu")
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        await register_sipho(app, pilot)
        start = app.screen
        assert "Language: isiZulu" in text(start, "#start-language-line")
        await pilot.press("down", "l")
        picker = app.screen
        assert isinstance(picker, LanguagePickerScreen)
        assert picker.query_one(OptionList).highlighted == 1
        await pilot.press("escape")
        assert app.screen is start and "isiZulu" in text(start, "#start-language-line")
        await pilot.press("2")
        assert app.screen.session.language == "zu"


async def test_a_continued_draft_keeps_its_language(
    zulu: dict[str, Instrument], demo_path: Path, make_app
) -> None:
    """Stopped in isiZulu, continued after choosing English: still isiZulu, and the screen says so."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        await register_sipho(app, pilot)
        await choose_zulu_for_caregiver(app, pilot)
        await pilot.press("2", "1", "escape")  # caregiver; mother; stop
        await pilot.pause()
        start = app.screen
        assert isinstance(start, InterviewStartScreen)
        assert "Language: isiZulu" in text(start, "#start-language-line")  # kept for this child
        assert text(start, "#start-kept") == ""
        await pilot.press("l", "1")  # the cursor is on the child: English
        await pilot.pause()
        assert "Language: English" in text(start, "#start-language-line")
        assert "keep their own language: Caregiver in isiZulu" in text(start, "#start-kept")
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        assert screen.session.language == "zu"
        assert screen.session.current.id == "household_size"
        assert text(screen, "#q-text").startswith("Bangaki abantu")


async def test_escape_on_the_start_screen_still_goes_back(demo_path: Path, make_app) -> None:
    """Escape on the start screen returns to the list of children, as before."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        await register_sipho(app, pilot)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "ChildrenScreen"


class TestLanguageSnapshot:
    def test_language_picker(
        self, snap_compare, zulu: dict[str, Instrument], demo_path: Path, make_app
    ) -> None:
        """The picker over the start screen: each language with how much is translated."""

        async def picker(pilot) -> None:  # type: ignore[no-untyped-def]
            app = pilot.app
            await unlock(app, pilot)
            await register_sipho(app, pilot)
            app.clear_notifications()  # toasts time out; a picture must not depend on when
            await pilot.pause()
            await pilot.press("down", "l")
            await pilot.pause()

        assert snap_compare(make_app(demo_path), run_before=picker)
