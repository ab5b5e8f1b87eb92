"""A checkbox whose state shows without colour: `X` when ticked, blank when not.

Textual's checkbox draws an `X` in both states and tells them apart by colour alone, which a
colour-blind user or a plain console cannot read.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    """`[X] label` when ticked, `[ ] label` when not; Space or Enter toggles it."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button
