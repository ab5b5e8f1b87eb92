"""The board report: rows from a real demo store, and the CSV, JSON and HTML made from them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cwtt_tui.models import DOMAINS
from exports.board_report import COLUMNS, BoardMeta, board_rows, to_csv, to_html, to_json

SCRIPT_NAME = '<script>alert("x")</script>'
LEVELS = {"high": "#D55E00", "medium": "#E69F00", "low": "#009E73", "incomplete": "#BBBBBB"}
META = BoardMeta("Baseline 2026", 1, "All schools", "2026-11-02")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """A demo store of 12 children (one named like a script tag), open, and its round id."""
    from cwtt_tui.assessing import rescore
    from cwtt_tui.crypto.kdf import TEST_KDF
    from cwtt_tui.demo import fill_demo
    from cwtt_tui.store.store import create_store

    path = Path(tmp_path_factory.mktemp("board")) / "store.db"
    store, _ = create_store(
        path, school_emis="500111222", school_name="Thembeka Primary", laptop_name="Laptop A",
        user_name="Nomsa", role="coordinator", passphrase="correct horse battery staple",
        kdf=TEST_KDF,
    )  # fmt: skip
    with store:
        fill_demo(store, children=12, seed=3)
        child = store.children.list()[0]
        store.children.update(child, replace(child.details, first_name=SCRIPT_NAME))
        round_id = store.rounds.list()[-1].id
        rescore(store, round_id)
        yield store, round_id


@pytest.fixture(scope="module")
def rows(demo: tuple[Any, str]) -> list[dict[str, Any]]:
    store, round_id = demo
    return board_rows(store, round_id)


def test_one_row_per_child_with_every_column(rows: list[dict[str, Any]]) -> None:
    """Twelve children, each with the report's columns and levels as words."""
    assert len(rows) == 12
    for row in rows:
        assert tuple(row) == COLUMNS
        assert {row[d] for d in DOMAINS} <= set(LEVELS)
        assert row["highs"] == [row[d] for d in DOMAINS].count("high")
        assert isinstance(row["mandatory_report"], bool)


def test_rows_come_most_high_flags_first(rows: list[dict[str, Any]]) -> None:
    """The board's order: most HIGH flags first."""
    highs = [row["highs"] for row in rows]
    assert highs == sorted(highs, reverse=True)


def test_rows_of_one_school(demo: tuple[Any, str], rows: list[dict[str, Any]]) -> None:
    """Given a school id, only that school's children, by their school's name."""
    store, round_id = demo
    school = next(s for s in store.schools.list() if s.name == "Kgotso Primary")
    mine = board_rows(store, round_id, school.id)
    assert mine
    assert {row["school"] for row in mine} == {"Kgotso Primary"}
    assert len(mine) == sum(row["school"] == "Kgotso Primary" for row in rows)


def test_csv_has_a_header_and_one_row_per_child(rows: list[dict[str, Any]]) -> None:
    """UTF-8 with a BOM and CRLF (as Excel expects); yes/no for the mandatory report."""
    text = to_csv(rows)
    assert text.startswith("\ufeffchild_id,name,grade,class,school,health,")
    assert text.endswith("\r\n")
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert table[0] == list(COLUMNS)
    assert len(table) == 1 + len(rows)
    assert {line[COLUMNS.index("mandatory_report")] for line in table[1:]} <= {"yes", "no"}
    assert [line[0] for line in table[1:]] == [row["child_id"] for row in rows]


def test_csv_disarms_spreadsheet_formulas(rows: list[dict[str, Any]]) -> None:
    """A name that a spreadsheet would run as a formula is written as text."""
    evil = [{**rows[0], "name": '=HYPERLINK("http://x")', "class": "+1"}]
    line = list(csv.reader(io.StringIO(to_csv(evil).removeprefix("\ufeff"))))[1]
    assert line[1] == '\'=HYPERLINK("http://x")'
    assert line[3] == "'+1"


def test_json_shape(rows: list[dict[str, Any]]) -> None:
    """format, round, school, made_on, children and the rows with typed values."""
    document = json.loads(to_json(rows, META))
    assert document["format"] == "cwtt-board/1"
    assert document["round"] == {"name": "Baseline 2026", "number": 1}
    assert document["school"] == "All schools"
    assert document["made_on"] == "2026-11-02"
    assert document["children"] == len(rows) == len(document["rows"])
    first = document["rows"][0]
    assert list(first) == list(COLUMNS)
    assert isinstance(first["highs"], int)
    assert isinstance(first["mandatory_report"], bool)


def test_html_escapes_every_text(rows: list[dict[str, Any]]) -> None:
    """A child named like a script tag is shown as text, never run."""
    assert any(SCRIPT_NAME in row["name"] for row in rows)
    page = to_html(rows, replace(META, school="<b>Kgotso</b> & Co"))
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;Kgotso&lt;/b&gt; &amp; Co" in page


def test_html_shows_each_level_in_colour_and_in_words(rows: list[dict[str, Any]]) -> None:
    """Every level cell carries its colour-blind-safe colour and its word; the legend names all."""
    page = to_html(rows, META)
    for level, colour in LEVELS.items():
        cell = f'<td class="level {level}" style="background:{colour}">{level.upper()}</td>'
        if any(row[d] == level for row in rows for d in DOMAINS):
            assert cell in page
        assert f'background:{colour};padding:0 4pt">{level.upper()}</span>' in page  # legend
    cells = page.count('<td class="level ')
    assert cells == 6 * len(rows)


def test_html_prints_on_a4_with_a_repeated_header(rows: list[dict[str, Any]]) -> None:
    """A4 landscape, the header row on every page, round, school and date in the heading."""
    page = to_html(rows, META)
    assert "@page { size: A4 landscape;" in page
    assert "thead { display: table-header-group; }" in page
    assert "print-color-adjust: exact" in page
    assert "<h1>Risk board: Baseline 2026 (round 1) · All schools</h1>" in page
    assert "Made on 2026-11-02 · 12 children" in page
    assert page.count("<tr>") == 1 + len(rows)


def test_html_of_no_children_says_so() -> None:
    """An empty board is a page that says nobody has been scored, not an empty table."""
    page = to_html([], META)
    assert "No child here has been scored in this round yet." in page
