"""Every screen in the snapshots draws only characters a plain Windows console font has.

Consolas and Lucida Console, the fonts of the Windows console, cover Latin-1, the common
punctuation, arrows, box drawing, block elements and basic shapes; emoji and rarer symbols
(Textual's return-key sign, its header circle) show as empty boxes there.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest

SNAPSHOTS = sorted((Path(__file__).parent / "__snapshots__").rglob("*.svg"))
ALLOWED_RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xFF),  # Latin-1 (accented names such as Zoë, the middle dot)
    (0x2010, 0x2027),  # dashes, quotes, bullet, ellipsis
    (0x2190, 0x2195),  # arrows
    (0x2500, 0x259F),  # box drawing and block elements
    (0x25A0, 0x25CF),  # squares, triangles, circles
)


def screen_text(svg: Path) -> str:
    """The terminal text of a snapshot (its <text> elements, entities decoded)."""
    parts = re.findall(r"<text[^>]*>(.*?)</text>", svg.read_text(encoding="utf-8"), re.S)
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", part)) for part in parts)


def outside(text: str) -> set[str]:
    return {
        c
        for c in text
        if not c.isspace() and not any(lo <= ord(c) <= hi for lo, hi in ALLOWED_RANGES)
    }


def test_there_are_snapshots_to_check() -> None:
    assert len(SNAPSHOTS) >= 20


@pytest.mark.parametrize("svg", SNAPSHOTS, ids=[p.stem for p in SNAPSHOTS])
def test_a_screen_uses_console_characters_only(svg: Path) -> None:
    bad = outside(screen_text(svg))
    assert not bad, ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in sorted(bad))


def test_the_check_catches_the_symbols_it_is_for() -> None:
    assert outside("⏎ Open case ⭘ Zoë · ─│▀ ↑ …") == {"⏎", "⭘"}
