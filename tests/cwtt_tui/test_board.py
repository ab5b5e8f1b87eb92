"""The board's data: default order, filters computed by hand, cycling filter keys."""

from __future__ import annotations

from cwtt_tui.board import Board, BoardFilter, cycle, next_filter
from cwtt_tui.models import BoardSummary


def row(
    name: str, levels: str, school: str = "s1", grade: str = "1", klass: str = "1A"
) -> BoardSummary:
    return BoardSummary(
        child_id=name, name=name, school_id=school, grade=grade, class_name=klass, levels=levels,
        highs=levels.count("H"), last_interview="2026-11-01", mandatory_report="H" in levels[3],
    )  # fmt: skip


ROWS = [
    row("Zulu, Ayanda", "LLLLLL"),
    row("Botha, Pieter", "HLLHLL", school="s2", grade="2", klass="2B"),
    row("Dlamini, Zanele", "LHLLLL", grade="2", klass="2A"),
    row("Nkosi, Sipho", "-MLLLH", school="s2"),
    row("Cele, Lwazi", "HHHLLL", grade="R", klass="RA"),
]


def board() -> Board:
    by_name = sorted(ROWS, key=lambda r: r.name.casefold())
    by_name.sort(key=lambda r: -r.highs)
    return Board(by_name, "round")


def names(b: Board, shown: list[int]) -> list[str]:
    return [b.rows[i].name for i in shown]


def test_default_order_is_most_high_flags_then_name() -> None:
    """Three highs, then two, then one (by name), then none."""
    b = board()
    assert names(b, b.filter(BoardFilter())) == [
        "Cele, Lwazi", "Botha, Pieter", "Dlamini, Zanele", "Nkosi, Sipho", "Zulu, Ayanda",
    ]  # fmt: skip


def test_filters_match_a_hand_count() -> None:
    """School, grade, class, domain+level, level anywhere and name each narrow as expected."""
    b = board()
    assert names(b, b.filter(BoardFilter(school_id="s2"))) == ["Botha, Pieter", "Nkosi, Sipho"]
    assert names(b, b.filter(BoardFilter(grade="2"))) == ["Botha, Pieter", "Dlamini, Zanele"]
    assert names(b, b.filter(BoardFilter(grade="2", class_name="2A"))) == ["Dlamini, Zanele"]
    assert names(b, b.filter(BoardFilter(domain="nutrition", level="H"))) == [
        "Cele, Lwazi", "Dlamini, Zanele",
    ]  # fmt: skip
    assert names(b, b.filter(BoardFilter(level="-"))) == ["Nkosi, Sipho"]
    assert names(b, b.filter(BoardFilter(domain="psychosocial", level="H"))) == ["Nkosi, Sipho"]
    assert names(b, b.filter(BoardFilter(text="zane"))) == ["Dlamini, Zanele"]


def test_filter_keys_cycle_through_values_and_back_to_all() -> None:
    """Pressing G goes R, 1, 2, then all again; a new grade clears the class."""
    b = board()
    wanted = BoardFilter(class_name="2A")
    seen = []
    for _ in range(4):
        wanted = next_filter(b, wanted, "g")
        seen.append(wanted.grade)
        assert wanted.class_name == ""
    assert seen == ["1", "2", "R", ""]
    assert cycle(["a", "b"], "b") == "" and cycle(["a", "b"], "zz") == ""


def test_the_filter_says_what_it_shows() -> None:
    """The status line reads in plain words."""
    text = BoardFilter(school_id="s2", domain="protection", level="H").describe({"s2": "Kgotso"})
    assert text == "school Kgotso · all grades · protection: high"


def test_laptop_filter_shows_the_children_a_laptop_sent() -> None:
    """O cycles through the laptops children came from (bundles), then back to all."""
    b = board()
    b.sources = ["A" if r.school_id == "s2" else "B" for r in b.rows]
    wanted = next_filter(b, BoardFilter(), "o")
    assert wanted.laptop == "A"
    assert sorted(names(b, b.filter(wanted))) == ["Botha, Pieter", "Nkosi, Sipho"]
    assert "from Laptop A" in wanted.describe({}, {"A": "Laptop A"})
    assert next_filter(b, next_filter(b, wanted, "o"), "o").laptop == ""
