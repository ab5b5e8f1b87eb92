"""The needs-versus-services report: CSV and JSON cell by cell, the text table and bar chart."""

from __future__ import annotations

import json

import pytest

from cwtt_tui.models import DOMAINS, RecordMeta, Round
from cwtt_tui.needs import DomainNeeds
from exports.needs_report import (
    FULL,
    SHADE,
    NeedsMeta,
    bar_lines,
    table_lines,
    to_csv,
    to_json,
    to_text,
)

META = RecordMeta("2026-02-01T00:00:00Z", "2026-02-01T00:00:00Z", "d", 1)
BASELINE = Round("r1", 1, "Baseline 2026", "2026-02-01", "2026-03-31", "closed", META)
FOLLOW_UP = Round("r2", 2, "Follow-up 2026-T3", "2026-08-01", "", "open", META)


def rows(improved: bool = True) -> list[DomainNeeds]:
    """Health 4 HIGH (2 with an action), protection 2 (1), the rest nothing."""
    numbers = {
        "health": (4, 1, 2, 2, 3, 2),
        "protection": (2, 0, 1, 0, 1, 1),
    }
    out = []
    for domain in DOMAINS:
        high, medium, acted, done, reassessed, better = numbers.get(domain, (0, 0, 0, 0, 0, 0))
        out.append(
            DomainNeeds(
                domain, high, medium, acted, done,
                reassessed if improved else None, better if improved else None,
            )
        )  # fmt: skip
    return out


def test_csv_has_a_row_per_domain_and_a_total() -> None:
    """BOM, CRLF, the header; an empty cell where no later round says who improved."""
    assert to_csv(rows()) == (
        "\ufeffdomain,high,medium,with_action,gap,actions_done,reassessed,improved\r\n"
        "health,4,1,2,2,2,3,2\r\n"
        "nutrition,0,0,0,0,0,0,0\r\n"
        "economic,0,0,0,0,0,0,0\r\n"
        "protection,2,0,1,1,0,1,1\r\n"
        "education,0,0,0,0,0,0,0\r\n"
        "psychosocial,0,0,0,0,0,0,0\r\n"
        "total,6,1,3,3,2,4,3\r\n"
    )
    assert to_csv(rows(improved=False)).splitlines()[-1] == "total,6,1,3,3,2,,"


def test_json_names_both_rounds() -> None:
    document = json.loads(to_json(rows(), NeedsMeta(BASELINE, FOLLOW_UP, "Kgotso", "2026-09-01")))
    assert document["format"] == "cwtt-needs/1"
    assert document["round"] == {"name": "Baseline 2026", "number": 1}
    assert document["next_round"] == {"name": "Follow-up 2026-T3", "number": 2}
    assert [d["domain"] for d in document["domains"]] == list(DOMAINS)
    assert document["total"]["gap"] == 3
    latest = json.loads(to_json(rows(False), NeedsMeta(FOLLOW_UP, None, "All", "2026-09-01")))
    assert latest["next_round"] is None and latest["total"]["improved"] is None


def test_table_lines() -> None:
    """A heading, six domains and a total; a dash where a number cannot be known yet."""
    lines = table_lines(rows(improved=False))
    assert len(lines) == 8
    assert lines[0].split() == [
        "Domain", "HIGH", "MEDIUM", "Action", "Gap", "Done", "Reassessed", "Improved",
    ]  # fmt: skip
    assert lines[1].split() == ["Health", "4", "1", "2", "2", "2", "—", "—"]
    assert lines[-1].split() == ["Total", "6", "1", "3", "3", "2", "—", "—"]


@pytest.mark.parametrize("width", [80, 60, 40])
def test_bars_fit_the_width_and_the_largest_fills_it(width: int) -> None:
    lines = bar_lines(rows(), width)
    assert all(len(line) <= width for line in lines)
    health, protection, nutrition = lines[-6], lines[-3], lines[-5]
    assert health.startswith("Health") and health.endswith(" 2 of 4")
    bar = health.count(FULL) + health.count(SHADE)
    assert bar == width - 14 - len("2 of 4") - 1
    assert abs(health.count(FULL) - health.count(SHADE)) <= 1
    assert abs(protection.count(FULL) + protection.count(SHADE) - bar / 2) <= 1
    assert nutrition.endswith(" none") and FULL not in nutrition and SHADE not in nutrition


def test_a_small_gap_still_shows() -> None:
    """999 of 1000 with an action: the one without still gets a cell of its own."""
    (line,) = bar_lines([DomainNeeds("health", 1000, 0, 999, 0, None, None)], 80)[1:]
    assert line.count(SHADE) == 1 and line.endswith("999 of 1000")
    assert len(line) <= 80


def test_nobody_high() -> None:
    empty = [DomainNeeds(d, 0, 0, 0, 0, None, None) for d in DOMAINS]
    assert bar_lines(empty) == ["No child is HIGH in any domain in this round."]


def test_text_says_which_round_improvement_is_read_from() -> None:
    text = to_text(rows(), NeedsMeta(BASELINE, FOLLOW_UP, "All schools", "2026-09-01"))
    assert text.startswith(
        "Needs versus services: Baseline 2026 (round 1), All schools, made on 2026-09-01\n"
    )
    assert "in round 2 (Follow-up 2026-T3)" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    latest = to_text(rows(False), NeedsMeta(FOLLOW_UP, None, "All schools", "2026-09-01"), 70)
    assert "Reassessed and Improved need a later round; this is the latest one." in latest
    assert all(len(line) <= 70 for line in latest.splitlines())
