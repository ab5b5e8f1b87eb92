"""How the first screens look at 80×24 (fixed clock, fixed seed, fixed fingerprint, no blink)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from cwtt_tui.store.peek import DEMO_PASSPHRASE


async def steady(pilot) -> None:  # type: ignore[no-untyped-def]
    """Stop cursors blinking and let workers finish, so the picture is the same every run."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.clear_notifications()  # toasts time out; a picture must not depend on when
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def unlocked(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*DEMO_PASSPHRASE, "enter")
    await steady(pilot)


class TestUnlock:
    def test_unlock_screen_on_the_demo_store(self, snap_compare, demo_path: Path, make_app) -> None:
        """The unlock screen names the laptop and fingerprint and shows the demo passphrase."""
        assert snap_compare(make_app(demo_path), run_before=steady)

    def test_wrong_passphrase_message(self, snap_compare, demo_path: Path, make_app) -> None:
        """A wrong passphrase is said plainly under the field."""

        async def wrong(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.press(*"not it", "enter")
            await steady(pilot)

        assert snap_compare(make_app(demo_path), run_before=wrong)


class TestSetup:
    def test_first_step_of_the_setup_wizard(self, snap_compare, tmp_path: Path, make_app) -> None:
        """A new laptop starts with the school step."""
        assert snap_compare(make_app(tmp_path / "new.db"), run_before=steady)

    def test_passphrase_step_with_strength_hint(
        self, snap_compare, tmp_path: Path, make_app
    ) -> None:
        """The passphrase step shows how strong the typed passphrase is."""

        async def to_passphrase(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.press(*"500123456", "enter", *"Thembeka Primary", "enter")
            await pilot.press(*"Laptop A", "enter", *"Nomsa Dlamini", "enter", "2")
            await pilot.press(*"sunrise over the")
            await steady(pilot)

        assert snap_compare(make_app(tmp_path / "new.db"), run_before=to_passphrase)


class TestHome:
    def test_home_on_the_demo_store(self, snap_compare, demo_path: Path, make_app) -> None:
        """Eight numbered choices and the status line of the demo store."""
        assert snap_compare(make_app(demo_path), run_before=unlocked)

    def test_home_in_high_contrast(self, snap_compare, demo_path: Path, make_app) -> None:
        """The high-contrast theme keeps every label readable."""
        assert snap_compare(make_app(demo_path, theme="cwtt-high-contrast"), run_before=unlocked)

    def test_help_on_home(self, snap_compare, demo_path: Path, make_app) -> None:
        """? shows what the home screen is for and its keys."""

        async def helped(pilot) -> None:  # type: ignore[no-untyped-def]
            await unlocked(pilot)
            await pilot.press("question_mark")
            await steady(pilot)

        assert snap_compare(make_app(demo_path), run_before=helped)

    def test_settings(self, snap_compare, demo_path: Path, make_app) -> None:
        """Settings: language, theme, idle lock, backup folder, passphrase."""

        async def settings(pilot) -> None:  # type: ignore[no-untyped-def]
            await unlocked(pilot)
            await pilot.press("8")
            await steady(pilot)

        assert snap_compare(make_app(demo_path), run_before=settings)

    def test_lock_screen(self, snap_compare, demo_path: Path, make_app) -> None:
        """The lock screen covers everything and names who may unlock."""

        async def locked(pilot) -> None:  # type: ignore[no-untyped-def]
            await unlocked(pilot)
            await pilot.press("ctrl+l")
            await steady(pilot)

        assert snap_compare(make_app(demo_path), run_before=locked)


class TestInterview:
    async def _register(self, pilot) -> None:  # type: ignore[no-untyped-def]
        await unlocked(pilot)
        await pilot.press("1")
        await steady(pilot)
        await pilot.press("ctrl+n")
        for value in ("y", "mother", "1", "y", "Sipho", "Nkosi", "m", "04/03/2019", "2", "2B"):
            await pilot.press(*value, "enter")
        await pilot.press("ctrl+s")
        await steady(pilot)

    def test_child_picker(self, snap_compare, demo_path: Path, make_app) -> None:
        """The children list with its search box, at 80x24."""

        async def picker(pilot) -> None:  # type: ignore[no-untyped-def]
            await unlocked(pilot)
            await pilot.press("1")
            await steady(pilot)

        assert snap_compare(make_app(demo_path), run_before=picker)

    def test_question_screen(self, snap_compare, demo_path: Path, make_app) -> None:
        """One question: progress line, question, hint, Say:, numbered answers."""

        async def question(pilot) -> None:  # type: ignore[no-untyped-def]
            await self._register(pilot)
            await pilot.press("2", "1")
            await steady(pilot)

        assert snap_compare(make_app(demo_path), run_before=question)

    def test_review_page(self, snap_compare, demo_path: Path, make_app) -> None:
        """The review page lists answers by section, skips in words."""

        async def review(pilot) -> None:  # type: ignore[no-untyped-def]
            await self._register(pilot)
            await pilot.press("2", "1", *"5", "enter", *"2", "enter", "tab", "2", "f9")
            await steady(pilot)

        assert snap_compare(make_app(demo_path), run_before=review)


class TestBoard:
    def test_risk_board(self, snap_compare, demo_path: Path, make_app) -> None:
        """The board: six domains coloured and labelled, most high flags first."""

        async def board(pilot) -> None:  # type: ignore[no-untyped-def]
            await unlocked(pilot)
            await pilot.press("4")
            await steady(pilot)

        assert snap_compare(make_app(demo_path), run_before=board)

    def test_case_screen(self, snap_compare, demo_path: Path, make_app) -> None:
        """A child's case: level per domain with the reasons behind it."""

        async def case(pilot) -> None:  # type: ignore[no-untyped-def]
            await unlocked(pilot)
            await pilot.press("4")
            await steady(pilot)
            await pilot.press("enter")
            await steady(pilot)

        assert snap_compare(make_app(demo_path), run_before=case)

    def test_mandatory_report_panel(self, snap_compare, demo_path: Path, make_app) -> None:
        """The report panel: why, what to do today, and the fields to record it."""

        async def report(pilot) -> None:  # type: ignore[no-untyped-def]
            await unlocked(pilot)
            await pilot.press("4")
            await steady(pilot)
            table = pilot.app.screen.query_one("#board-table")
            flagged = next(i for i in table.shown if table.rows[i].mandatory_report)
            table.cursor = table.shown.index(flagged)
            await pilot.press("enter", "m")
            await steady(pilot)

        assert snap_compare(make_app(demo_path), run_before=report)
