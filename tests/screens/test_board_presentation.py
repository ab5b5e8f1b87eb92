"""The board for a projector (P on the board): one school, large blocks, names hidden, pages;
and the board's footer keeping Back in view at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Digits, Footer, Input, Static

from cwtt_tui.board import initials
from cwtt_tui.models import BoardSummary
from cwtt_tui.store.peek import DEMO_PASSPHRASE
from screens.board import BoardScreen
from screens.board_presentation import (
    BLOCK,
    BoardPresentationScreen,
    Presentation,
    PresentationTable,
    columns,
    fit_name,
)
from screens.widgets.risk_table import RiskTable
from tests.cwtt_tui.rounds_world import PASSPHRASE, build

MIDDLE = 1 + BLOCK // 2  # the line of the first child that holds its name and the words


async def steady(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish, drop toasts and stop cursors blinking, for a picture."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.clear_notifications()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def to_board(pilot, passphrase: str = DEMO_PASSPHRASE) -> RiskTable:  # type: ignore[no-untyped-def]
    """Unlock and open the board (home choice 4) with every worker finished."""
    app = pilot.app
    await pilot.press(*passphrase, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("4")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, BoardScreen)
    return app.screen.query_one(RiskTable)


async def to_presentation(pilot) -> None:  # type: ignore[no-untyped-def]
    """The board, then P, steady for a picture."""
    await to_board(pilot)
    await pilot.press("p")
    await steady(pilot)


def text(app, widget_id: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(widget_id, Static).render())


def first_child_line(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(PresentationTable).render_line(MIDDLE).text


def test_initials_put_first_names_first() -> None:
    """'Surname, First names' becomes the initials as the name is said aloud."""
    assert initials("Nkosi, Sipho Lwazi") == "S. L. N."
    assert initials("van der Merwe, anna") == "A. V. D. M."
    assert initials("Mthembu") == "M."
    assert initials("") == "?"


def test_a_long_name_keeps_the_surname_and_the_initials() -> None:
    """A name wider than its column keeps the surname; only a long surname is cut."""
    assert fit_name("Nkosi, Sipho", 20) == "Nkosi, Sipho"
    assert fit_name("Tshabalala, Mandlakazi", 17) == "Tshabalala, M."
    assert fit_name("Mahlangu-Tshabalala, Mandla", 10) == "Mahlangu-T"


@pytest.mark.parametrize("width", [80, 100, 120, 200])
def test_columns_fill_the_width(width: int) -> None:
    """The name column and six blocks (each after a gap) add up to the width."""
    name, block = columns(width)
    assert name + 6 * (block + 1) == width
    assert name >= 16 and block >= 4


async def test_p_opens_one_school_with_names_hidden_and_n_shows_them(
    demo_path: Path, make_app
) -> None:
    """The board shows all schools: P shows the highlighted child's school, says so, and hides
    names until N."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        table = await to_board(pilot)
        child = table.highlighted
        school = app.screen.school_names[child.school_id]
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, BoardPresentationScreen)
        shown = app.screen.query_one(PresentationTable)
        assert {shown.rows[i].school_id for i in shown.shown} == {child.school_id}
        title = text(app, "#presentation-title")
        assert title.startswith(f"{school} · Baseline 2026 · {len(shown.shown)} children")
        assert "school of the highlighted child (the board shows all schools)" in title
        assert initials(child.name) in first_child_line(app)
        assert child.name not in first_child_line(app)
        assert "names hidden: N shows them" in text(app, "#presentation-page")
        assert child.mandatory_report  # the demo's first child: a report is required
        assert not first_child_line(app).startswith(" ! ")  # private while names are hidden
        await pilot.press("n")
        assert child.name in first_child_line(app)
        assert first_child_line(app).startswith(" ! ")
        assert "names shown: N hides them" in text(app, "#presentation-page")
        await pilot.press("n")
        assert child.name not in first_child_line(app)


async def test_n_on_the_board_hides_names_and_the_search_still_finds_them(
    demo_path: Path, make_app
) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await to_board(pilot)
        child = table.highlighted
        surname = child.name.split(",")[0]
        assert surname in table.render_line(1).text
        await pilot.press("n")
        assert surname not in table.render_line(1).text
        assert initials(child.name) in table.render_line(1).text
        await pilot.press("slash", *surname.lower())
        await pilot.pause()
        assert child in [table.rows[i] for i in table.shown]
        assert all(surname not in table.render_line(y).text for y in range(1, 5))
        await pilot.press("escape", "n")
        assert surname in table.render_line(1).text


async def test_keys_turn_the_pages_and_escape_keeps_the_board_cursor(
    demo_path: Path, make_app
) -> None:
    """Space, Page Down, Down and Right go on; Page Up, Up and Left go back; Home and End; the
    page line follows; Escape returns to the board on the same child."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        table = await to_board(pilot)
        await pilot.press("down", "down")
        highlighted = table.highlighted
        await pilot.press("p")
        await pilot.pause()
        shown = app.screen.query_one(PresentationTable)
        assert shown.per_page == 4  # at 80x24
        pages = shown.page_count
        assert pages == -(-len(shown.shown) // 4) and pages >= 2
        assert text(app, "#presentation-page").startswith(f"Page 1 of {pages} · children 1-4 of")
        for key in ("space", "pagedown", "down", "right"):
            await pilot.press("home", key)
            assert shown.page == 1, key
        assert text(app, "#presentation-page").startswith(f"Page 2 of {pages} · children 5-")
        for key in ("pageup", "up", "left"):
            await pilot.press("end", key)
            assert shown.page == pages - 2, key
        await pilot.press("end", "space")
        assert shown.page == pages - 1  # the last page stays the last
        await pilot.press("home", "pageup")
        assert shown.page == 0
        await pilot.press("end", "escape")
        assert isinstance(app.screen, BoardScreen)
        assert table.cursor == 2 and table.highlighted == highlighted


async def test_the_school_filter_chooses_the_school_and_other_filters_stay(
    demo_path: Path, make_app
) -> None:
    """With S and L set on the board, P shows that school's children at the chosen level only,
    and the title names the filter; a name search is named without its text; with no child
    shown, P stays on the board."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        table = await to_board(pilot)
        await pilot.press("s", "l")  # the first school, then HIGH in any domain
        board_shown = [table.rows[i].child_id for i in table.shown]
        await pilot.press("p")
        await pilot.pause()
        shown = app.screen.query_one(PresentationTable)
        assert [shown.rows[i].child_id for i in shown.shown] == board_shown
        title = text(app, "#presentation-title")
        assert "highlighted child" not in title
        assert "Only any domain: high" in title
        await pilot.press("escape", "slash", "a", "enter", "p")
        assert "a name search" in text(app, "#presentation-title")
        await pilot.press("escape", "slash", *"zzz", "enter", "p")
        assert isinstance(app.screen, BoardScreen) and not table.shown  # nothing to present


async def test_thousands_of_children_page_and_wide_counts_fit(demo_path: Path, make_app) -> None:
    """5,000 children at HIGH in two domains: End reaches page 1,250 at once; a count too wide
    for big figures is written under the domain's head."""
    rows = [
        BoardSummary(f"c{n}", f"Name{n}, First", "s", "2", "2B", "HHLLM-", 2, "2026-10-30", False)
        for n in range(5000)
    ]
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await pilot.press(*DEMO_PASSPHRASE, "enter")
        await app.workers.wait_for_complete()
        app.push_screen(
            BoardPresentationScreen(Presentation(rows, range(5000), "Big school", "Round 1"))
        )
        await pilot.pause()
        await pilot.press("end")
        assert text(app, "#presentation-page").startswith("Page 1250 of 1250 · children 4997-5000")
        heal, econ = (app.screen.query(".presentation-count")[i] for i in (0, 2))
        assert str(heal.query_one(Static).render()) == "HEAL\n5000"
        assert not heal.query_one(Digits).display
        assert econ.query_one(Digits).display and econ.query_one(Digits).value == "0"


async def test_the_board_footer_keeps_back_in_view_with_two_rounds(
    tmp_path: Path, make_app
) -> None:
    """At 80x24 with two rounds (V shown), every footer key fits: Back is never cut off."""
    path = tmp_path / "rounds.db"
    build(path)
    app = make_app(path)
    async with app.run_test() as pilot:
        await to_board(pilot, PASSPHRASE)
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        keys = {getattr(key, "description", ""): key for key in footer.children}
        assert {"Back", "Change", "Present", "Help"} <= set(keys)
        assert all(key.region.right <= 80 for key in keys.values())
        assert keys["Back"].region.x < 40


class TestBoardPresentation:
    def test_presentation_at_80x24(self, snap_compare, demo_path: Path, make_app) -> None:
        """At 80x24: the school's name, HIGH counts per domain, four children a page, initials."""
        assert snap_compare(make_app(demo_path), run_before=to_presentation)

    def test_presentation_at_120x40(self, snap_compare, demo_path: Path, make_app) -> None:
        """At 120x40: the domains named in full, wider blocks, eight children a page."""
        assert snap_compare(
            make_app(demo_path), run_before=to_presentation, terminal_size=(120, 40)
        )

    def test_presentation_in_high_contrast(self, snap_compare, demo_path: Path, make_app) -> None:
        """The high-contrast theme: every block keeps its colour and its word readable."""
        app = make_app(demo_path, theme="cwtt-high-contrast")
        assert snap_compare(app, run_before=to_presentation)


async def test_a_closed_board_lets_its_rows_go_at_once(demo_path: Path, make_app) -> None:
    """Without waiting for the cycle collector: a coordinator's board can hold 100,000 rows."""
    import weakref

    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await to_board(pilot)
        board = weakref.ref(app.screen.board)
        await pilot.press("escape")
        await pilot.pause()
        assert board() is None
