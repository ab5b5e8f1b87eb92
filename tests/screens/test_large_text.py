"""Large text for the interview screens: Ctrl+T or Settings switch it, and it is kept."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from demo_steps import register_sipho, unlock
from textual.widgets import OptionList, Select, Static

from screens.interview import QuestionScreen
from screens.review import ReviewScreen
from screens.settings import SettingsScreen

# Questions that need the most room at 80x24: many answers, a long "Say:" line, long wording.
CROWDED = ("income_sources", "caregiver_relationship", "phq_8", "discipline_methods")


def saved_settings(tmp_path: Path) -> dict[str, object]:
    return tomllib.loads((tmp_path / "config" / "settings.toml").read_text(encoding="utf-8"))


def text(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Static).render())


def prompts(listing: OptionList) -> list[str]:
    return [str(option.prompt) for option in listing.options]


async def start_caregiver(app, pilot) -> QuestionScreen:  # type: ignore[no-untyped-def]
    """Register Sipho and start the caregiver interview; returns the question screen."""
    await register_sipho(app, pilot)
    await pilot.press("2")
    await pilot.pause()
    assert isinstance(app.screen, QuestionScreen)
    return app.screen


def shown(screen, widget) -> bool:  # type: ignore[no-untyped-def]
    """Whether the top-left cell of the widget's content is on screen and is the widget's."""
    region = widget.content_region
    if not screen.region.contains(region.x, region.y):
        return False
    return screen.get_widget_at(region.x, region.y)[0] is widget


async def test_ctrl_t_switches_large_text_and_keeps_it(
    demo_path: Path, make_app, tmp_path: Path
) -> None:
    """Ctrl+T: the roomier layout at once, saved in the settings file; again: back, saved."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        screen = await start_caregiver(app, pilot)
        choices = screen.query_one(OptionList)
        assert not screen.has_class("-large") and prompts(choices)[0] == "1  Mother"
        await pilot.press("ctrl+t")
        assert screen.has_class("-large")
        assert app.settings.large_text is True and saved_settings(tmp_path)["large_text"] is True
        assert prompts(choices)[:2] == ["> 1  Mother", "  2  Father"]
        await pilot.pause()
        assert choices.virtual_size.height == 2 * 8 - 1  # a line between answers
        assert "Ctrl and press +" in text(screen, "#q-message")
        await pilot.press("down")
        await pilot.pause()
        assert prompts(choices)[:2] == ["  1  Mother", "> 2  Father"]
        await pilot.press("1")  # mother; the next question has a hint
        assert screen.session.current.id == "household_size"
        assert not screen.query_one("#q-hint").display
        assert screen.query_one("#q-hint-after").display
        assert text(screen, "#q-hint-after").startswith("Help: Count everyone")
        await pilot.press("4", "ctrl+t")  # a number being typed stays
        assert not screen.has_class("-large") and screen.query_one("#q-hint").display
        assert screen.query_one("#q-input").value == "4"
        assert app.settings.large_text is False and saved_settings(tmp_path)["large_text"] is False


async def test_large_text_on_the_review_page(demo_path: Path, make_app) -> None:
    """The review page shows each question in full with its answer below; Ctrl+T there too."""
    app = make_app(demo_path, large_text=True)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        screen = await start_caregiver(app, pilot)
        assert screen.has_class("-large")
        await pilot.press("1", "f9")
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.has_class("-large")
        first = prompts(review.query_one(OptionList))[1]
        assert first.endswith("How are you related to Sipho?\n      Answer: Mother")
        await pilot.press("ctrl+t")
        assert not review.has_class("-large") and app.settings.large_text is False
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and not screen.has_class("-large")


async def test_settings_screen_switches_large_text(
    demo_path: Path, make_app, tmp_path: Path
) -> None:
    """Settings has a Large text choice; Ctrl+S saves it with the others."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        await pilot.press("8")
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        field = screen.query_one("#large-text", Select)
        assert field.value is False
        field.value = True
        await pilot.press("ctrl+s")
        assert "Settings saved" in text(screen, "#settings-message")
    assert app.settings.large_text is True and saved_settings(tmp_path)["large_text"] is True


@pytest.mark.parametrize("question_id", CROWDED)
async def test_question_and_first_answer_stay_visible_at_80x24(
    demo_path: Path, make_app, question_id: str
) -> None:
    """In large text at 80x24 the question and answer 1 are on screen, also for crowded ones."""
    app = make_app(demo_path, large_text=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        screen = await start_caregiver(app, pilot)
        screen.session.go_to(question_id)
        screen.show_question()
        await pilot.pause()
        choices = screen.query_one(OptionList)
        assert shown(screen, screen.query_one("#q-text"))
        assert text(screen, "#q-text") == screen.session.text()
        assert shown(screen, choices) and choices.scroll_offset.y == 0
        assert prompts(choices)[0].startswith("> 1  ")


class TestLargeTextSnapshots:
    def test_question_in_large_text(self, snap_compare, demo_path: Path, make_app) -> None:
        """A question with eight answers in large text at 80x24."""

        async def question(pilot) -> None:  # type: ignore[no-untyped-def]
            await unlock(pilot.app, pilot)
            await start_caregiver(pilot.app, pilot)
            pilot.app.clear_notifications()
            await pilot.pause()

        assert snap_compare(make_app(demo_path, large_text=True), run_before=question)

    def test_review_in_large_text(self, snap_compare, demo_path: Path, make_app) -> None:
        """The review page in large text: each question in full, its answer below."""

        async def review(pilot) -> None:  # type: ignore[no-untyped-def]
            await unlock(pilot.app, pilot)
            await start_caregiver(pilot.app, pilot)
            await pilot.press("1", *"5", "enter", "f9")
            pilot.app.clear_notifications()
            await pilot.pause()

        assert snap_compare(make_app(demo_path, large_text=True), run_before=review)
