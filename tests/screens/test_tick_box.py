"""The export form's tick boxes show their state as a character, not only as a colour."""

from __future__ import annotations

from textual.app import App, ComposeResult

from screens.widgets.tick_box import TickBox


class OneBox(App[None]):
    def compose(self) -> ComposeResult:
        yield TickBox("Everything, not only changes")


async def test_a_tick_box_is_blank_until_ticked_and_space_toggles_it() -> None:
    app = OneBox()
    async with app.run_test(size=(40, 3)) as pilot:
        box = app.query_one(TickBox)
        box.focus()
        assert str(box.render()).startswith("▐ ▌ Everything")
        await pilot.press("space")
        assert box.value is True
        assert str(box.render()).startswith("▐X▌ Everything")
        await pilot.press("space")
        assert str(box.render()).startswith("▐ ▌")
