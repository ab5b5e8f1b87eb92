"""A laptop's fingerprint shown large and spaced, to be read aloud letter by letter."""

from __future__ import annotations

from textual.widgets import Static


def spaced(fingerprint: str) -> str:
    """`KAYT-HYCP-…` as `K A Y T  -  H Y C P  -  …`: each letter stands apart."""
    return "  -  ".join(" ".join(group) for group in fingerprint.split("-"))


class FingerprintBox(Static):
    """A framed fingerprint; the frame's title says whose it is."""

    DEFAULT_CSS = """
    FingerprintBox {
        height: 3;
        width: 100%;
        border: round $primary;
        border-title-color: $text;
        border-title-style: bold;
        content-align: center middle;
        text-style: bold;
        color: $primary;
    }
    """

    def __init__(self, label: str = "", fingerprint: str = "", *, id: str | None = None) -> None:
        super().__init__(spaced(fingerprint), id=id, markup=False)
        self.border_title = label

    def show(self, label: str, fingerprint: str) -> None:
        self.border_title = label
        self.update(spaced(fingerprint))
