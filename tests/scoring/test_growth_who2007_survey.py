"""WHO 2007 z-scores against WHO's own results for its 924-child example survey.

The survey file comes from a GPL-3 package (anthroplus), so it is not copied into this MIT
repository: the test reads it from the shared folder beside the repository (or from
``CWTT_WHO2007_SURVEY``) and is skipped when it is absent. See its README for the columns and
for why some rows expect null.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from scoring.growth import growth_zscores

REPO = Path(__file__).resolve().parents[2]
SURVEY = Path(
    os.environ.get(
        "CWTT_WHO2007_SURVEY",
        REPO.parent / "shared" / "data" / "who2007" / "survey" / "who2007_survey.csv",
    )
)
# (column, attribute, flag column, flag, last month covered)
INDICATORS = (
    ("zhfa", "haz", "fhfa", "implausible_haz", 228),
    ("zwfa", "waz", "fwfa", "implausible_waz", 120),
    ("zbfa", "baz", "fbfa", "implausible_baz", 228),
)


@pytest.fixture(scope="module")
def survey() -> list[dict[str, str]]:
    if not SURVEY.is_file():
        pytest.skip(f"WHO 2007 survey not found at {SURVEY}")
    with SURVEY.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def test_survey_matches_who(survey: list[dict[str, str]]) -> None:
    """All 2089 compared z-scores equal WHO's to 2 decimals; 677 nulls; all 9 flags agree."""
    assert len(survey) == 924
    compared = nulls = flags = 0
    wrong: list[tuple[str, str, str, float | None]] = []
    for row in survey:
        age = float(row["agemons"])
        sex = {"1": "male", "2": "female"}[row["sex"]]
        result = growth_zscores(sex, age, float(row["height"]), float(row["weight"]))
        for column, attribute, flag_column, flag, last_month in INDICATORS:
            ours = getattr(result, attribute)
            if age > last_month:
                # WHO's 2007 macro extrapolates to month 229/121; the shipped tables stop.
                nulls += 1
                if ours is not None:
                    wrong.append((row["id"], column, "null", ours))
                continue
            if row["oedema"] == "y" and column != "zhfa":
                continue  # WHO gives no weight-based z-score with oedema; cwtt asks no oedema
            compared += 1
            if ours != float(row[column]):
                wrong.append((row["id"], column, row[column], ours))
            flags += row[flag_column] == "1"
            if (row[flag_column] == "1") != (flag in result.flags):
                wrong.append((row["id"], flag_column, row[flag_column], ours))
    assert wrong == []
    assert (compared, nulls, flags) == (2089, 677, 9)
