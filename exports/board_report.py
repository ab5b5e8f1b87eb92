"""The risk board as a report to print or share: rows, then CSV, JSON or an A4 HTML page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from cwtt_tui.board import LEVEL_NAMES, Board, BoardFilter
from cwtt_tui.models import DOMAINS
from exports.spreadsheet import csv_text

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

__all__ = ["COLUMNS", "BoardMeta", "board_rows", "to_csv", "to_html", "to_json"]

#: The keys of every row, in column order (the CSV header).
COLUMNS = (
    "child_id", "name", "grade", "class", "school", *DOMAINS, "highs", "mandatory_report",
    "last_interview",
)  # fmt: skip
JSON_FORMAT = "cwtt-board/1"
DOMAIN_TITLES = {
    "health": "Health",
    "nutrition": "Nutrition",
    "economic": "Economic",
    "protection": "Protection",
    "education": "Education",
    "psychosocial": "Psychosocial",
}
#: Colour-blind-safe (Okabe–Ito) fills; every cell also carries the word.
LEVEL_COLOURS = {"high": "#D55E00", "medium": "#E69F00", "low": "#009E73", "incomplete": "#BBBBBB"}
LEVEL_WORDS = {"high": "HIGH", "medium": "MEDIUM", "low": "LOW", "incomplete": "INCOMPLETE"}
LEVEL_MEANINGS = {
    "high": "act now",
    "medium": "watch and follow up",
    "low": "no concern found",
    "incomplete": "not enough answers yet to say",
}
NO_ROWS = "No child here has been scored in this round yet."
# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).


@dataclass(frozen=True)
class BoardMeta:
    """What a report says about itself: the round, the school (or all) and the day it was made."""

    round_name: str
    round_number: int
    school: str  # a school's name, or "All schools"
    made_on: str  # ISO date


def board_rows(store: Store, round_id: str, school: str | None = None) -> list[dict[str, Any]]:
    """One dict per child of a round, in the board's order (most high flags first, then name).

    Args:
        round_id: the round whose assessments to show.
        school: a school id to keep only its children; None for every school.
    """
    board = Board.load(store, round_id)
    names = {s.id: s.name for s in store.schools.list()}
    rows = []
    for index in board.filter(BoardFilter(school_id=school or "")):
        line = board.rows[index]
        row: dict[str, Any] = {
            "child_id": line.child_id,
            "name": line.name,
            "grade": line.grade,
            "class": line.class_name,
            "school": names.get(line.school_id, ""),
        }
        for domain, code in zip(DOMAINS, line.levels, strict=True):
            row[domain] = LEVEL_NAMES.get(code, "incomplete")
        row["highs"] = line.highs
        row["mandatory_report"] = line.mandatory_report
        row["last_interview"] = line.last_interview
        rows.append(row)
    return rows


def to_csv(rows: list[dict[str, Any]]) -> str:
    """A header row, then one row per child; starts with a BOM and uses CRLF, as Excel expects."""
    return csv_text(COLUMNS, ([row[column] for column in COLUMNS] for row in rows))


def to_json(rows: list[dict[str, Any]], meta: BoardMeta) -> str:
    """`{"format", "round", "school", "made_on", "children", "rows": [...]}` as indented JSON."""
    document = {
        "format": JSON_FORMAT,
        "round": {"name": meta.round_name, "number": meta.round_number},
        "school": meta.school,
        "made_on": meta.made_on,
        "children": len(rows),
        "rows": [{column: row[column] for column in COLUMNS} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


STYLE = """
@page { size: A4 landscape; margin: 12mm 10mm; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 9pt/1.3 "DejaVu Sans", Arial, sans-serif; color: #000; margin: 0; }
h1 { font-size: 14pt; margin: 0 0 2pt; }
p.sub { margin: 0 0 6pt; }
ul.legend { list-style: none; padding: 0; margin: 0 0 8pt; }
ul.legend li { display: inline-block; margin-right: 12pt; }
table { border-collapse: collapse; width: 100%; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border: 0.5pt solid #555; padding: 1.5pt 3pt; text-align: left; vertical-align: top; }
th { background: #EEEEEE; }
td.num { text-align: right; }
.level { font-weight: bold; text-align: center; white-space: nowrap; color: #000; }
.high { background: #D55E00; }
.medium { background: #E69F00; }
.low { background: #009E73; }
.incomplete { background: #BBBBBB; font-weight: normal; }
td.report { font-weight: bold; }
p.note { margin-top: 6pt; font-size: 8pt; }
"""


def _level(level: str) -> str:
    word = LEVEL_WORDS.get(level, level.upper())
    colour = LEVEL_COLOURS.get(level, LEVEL_COLOURS["incomplete"])
    name = escape(level)
    return f'<td class="level {name}" style="background:{colour}">{escape(word)}</td>'


def _legend() -> str:
    items = "".join(
        f'<li><span class="level {level}" style="background:{LEVEL_COLOURS[level]};'
        f'padding:0 4pt">{LEVEL_WORDS[level]}</span> {escape(LEVEL_MEANINGS[level])}</li>'
        for level in LEVEL_COLOURS
    )
    return f'<ul class="legend">{items}</ul>'


def to_html(rows: list[dict[str, Any]], meta: BoardMeta) -> str:
    """A self-contained page that prints on A4 landscape, each level in colour and in words."""
    title = f"Risk board · {meta.round_name} · {meta.school}"
    heads = ["#", "Name", "Gr", "Class", "School", *(DOMAIN_TITLES[d] for d in DOMAINS)]
    heads += ["Highs", "Report", "Last interview"]
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    body = []
    for number, row in enumerate(rows, start=1):
        cells = [
            f'<td class="num">{number}</td>',
            f"<td>{escape(row['name'])}</td>",
            f"<td>{escape(row['grade'])}</td>",
            f"<td>{escape(row['class'])}</td>",
            f"<td>{escape(row['school'])}</td>",
            *(_level(row[domain]) for domain in DOMAINS),
            f'<td class="num">{int(row["highs"])}</td>',
            '<td class="report">YES</td>' if row["mandatory_report"] else "<td>no</td>",
            f"<td>{escape(row['last_interview'])}</td>",
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    with_high = sum(1 for row in rows if row["highs"])
    reports = sum(1 for row in rows if row["mandatory_report"])
    empty = "" if rows else f'<tr><td colspan="{len(heads)}">{NO_ROWS}</td></tr>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>Risk board: {escape(meta.round_name)} (round {int(meta.round_number)}) · {escape(meta.school)}</h1>
<p class="sub">Made on {escape(meta.made_on)} · {len(rows)} children · {with_high} with at least
one HIGH · {reports} needing a mandatory report · most HIGH flags first</p>
{_legend()}
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body)}{empty}
</tbody>
</table>
<p class="note">Confidential: this page names children and their risks. Keep it locked away and
shred it after the meeting. Report YES: the law requires this child to be reported to a designated
child protection organisation, Social Development or the police (Children's Act, section 110).</p>
</body>
</html>
"""
