"""WHO 2007 growth z-scores against the published check values and the shipped tables."""

from __future__ import annotations

import math
from datetime import date, datetime
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.errors import ScoringError
from scoring.growth import (
    DAYS_PER_MONTH,
    GrowthResult,
    age_in_months,
    growth_zscores,
    measurement_at_z,
)

TABLES = {
    ("hfa", "male"): "hfa_boys_z_WHO2007_exp.txt",
    ("hfa", "female"): "hfa_girls_z_WHO2007_exp.txt",
    ("wfa", "male"): "wfa_boys_z_WHO2007_exp.txt",
    ("wfa", "female"): "wfa_girls_z_WHO2007_exp.txt",
    ("bfa", "male"): "bmi_boys_z_WHO2007_exp.txt",
    ("bfa", "female"): "bmi_girls_z_WHO2007_exp.txt",
}
SD_COLUMNS = {
    -4: "SD4neg",
    -3: "SD3neg",
    -2: "SD2neg",
    -1: "SD1neg",
    0: "SD0",
    1: "SD1",
    2: "SD2",
    3: "SD3",
    4: "SD4",
}


def read_table(indicator: str, sex: str) -> list[dict[str, float]]:
    """The shipped WHO table as rows of floats keyed by WHO's column names."""
    path = resources.files("scoring").joinpath("data", "who2007", TABLES[indicator, sex])
    lines = path.read_text("utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, map(float, line.split("\t")), strict=True)) for line in lines[1:]]


class TestPublishedCheckValues:
    """The check values in shared/questionnaires.md and shared/data/who2007/README.md."""

    def test_bmi_minus_2sd_at_84_months(self) -> None:
        """Boys 84 months BMI −2 SD = 13.148, girls 12.735 (WHO's SD2neg column)."""
        assert round(measurement_at_z("bfa", "male", 84, -2), 3) == 13.148
        assert round(measurement_at_z("bfa", "female", 84, -2), 3) == 12.735

    def test_height_minus_2sd_at_84_months(self) -> None:
        """Boys 84 months height −2 SD = 111.162 cm."""
        assert round(measurement_at_z("hfa", "male", 84, -2), 3) == 111.162

    def test_short_heavy_boy(self) -> None:
        """Male, 100 months, 100 cm, 30 kg → HAZ −5.04, BAZ 5.03 (BAZ past 5: implausible)."""
        result = growth_zscores("male", 100, 100, 30)
        assert (result.haz, result.baz) == (-5.04, 5.03)
        assert "implausible_baz" in result.flags
        assert "implausible_haz" not in result.flags
        assert "severely_stunted" in result.flags

    def test_implausible_girl(self) -> None:
        """Female, 110 months, 90 cm, 40 kg → HAZ −7.06, BAZ 7.37, both implausible."""
        result = growth_zscores("female", 110, 90, 40)
        assert (result.haz, result.baz) == (-7.06, 7.37)
        assert {"implausible_haz", "implausible_baz"} <= set(result.flags)
        # An implausible z-score gets no nutrition category: re-measure instead.
        assert not {"severely_stunted", "stunted", "obese", "overweight"} & set(result.flags)

    def test_restricted_rule_below_minus_3(self) -> None:
        """Boy 84 months, BMI 11.5 → −3.83 (restricted; the raw LMS formula gives −3.97)."""
        result = growth_zscores("male", 84, 100, 11.5)
        assert result.baz == -3.83
        assert "severely_thin" in result.flags

    def test_restricted_rule_above_plus_3(self) -> None:
        """Boy 84 months, BMI 25.0 → 4.33."""
        result = growth_zscores("male", 84, 100, 25.0)
        assert result.baz == 4.33
        assert "obese" in result.flags

    def test_height_is_never_restricted(self) -> None:
        """Height-for-age uses the plain LMS formula beyond ±3 SD too (WHO 2007)."""
        rows = read_table("hfa", "male")
        row = rows[84 - 61]
        expected = ((100 / row["M"]) ** row["L"] - 1) / (row["L"] * row["S"])
        assert growth_zscores("male", 84, 100, None).haz == round(expected, 2)


class TestTables:
    """The LMS method reproduces the tables' own SD columns at every whole month."""

    @pytest.mark.parametrize("sex", ["male", "female"])
    @pytest.mark.parametrize("indicator", ["hfa", "wfa", "bfa"])
    def test_sd_columns(self, indicator: str, sex: str) -> None:
        """z of each SD column value is that SD (±4 for height; ±3 where the rule restricts)."""
        reach = 4 if indicator == "hfa" else 3
        for row in read_table(indicator, sex):
            month = row["Month"]
            for sd in range(-reach, reach + 1):
                value = row[SD_COLUMNS[sd]]
                assert math.isclose(
                    measurement_at_z(indicator, sex, month, sd), value, abs_tol=0.0006
                )
                if indicator == "hfa":
                    z = growth_zscores(sex, month, value, None).haz
                elif indicator == "wfa":
                    z = growth_zscores(sex, month, None, value).waz
                else:
                    z = growth_zscores(sex, month, 100, value).baz
                assert z == sd, (month, sd)

    def test_interpolates_linearly_between_months(self) -> None:
        """Halfway between months 84 and 85, L, M and S are the means of the two rows."""
        low, high = read_table("bfa", "female")[84 - 61 : 86 - 61]
        l, m, s = ((low[k] + high[k]) / 2 for k in ("L", "M", "S"))  # noqa: E741
        expected = m * (1 + l * s * 1.5) ** (1 / l)
        assert math.isclose(measurement_at_z("bfa", "female", 84.5, 1.5), expected)

    def test_tables_load_once(self) -> None:
        """The tables are parsed once and then served from the cache."""
        from scoring.growth import _table

        growth_zscores("female", 150.3, 150, 40)
        before = _table.cache_info()
        for _ in range(50):
            growth_zscores("female", 150.3, 150, 40)
        assert _table.cache_info().misses == before.misses


class TestCoverage:
    """61–228 months (weight-for-age 61–120), inclusive; outside → no reference."""

    @pytest.mark.parametrize("age", [61, 120, 228])
    def test_ends_are_covered(self, age: float) -> None:
        """The first and last months of each table give z-scores."""
        result = growth_zscores("male", age, 130, 25)
        assert result.haz is not None and result.baz is not None
        assert (result.waz is not None) == (age <= 120)

    @pytest.mark.parametrize("age", [0, 60.99, 228.01, 240])
    def test_outside_has_no_reference(self, age: float) -> None:
        """Before 61 or after 228 months, no z-score and a no-reference flag for each."""
        result = growth_zscores("female", age, 130, 25)
        assert (result.haz, result.waz, result.baz) == (None, None, None)
        assert result.flags == ("no_reference_haz", "no_reference_waz", "no_reference_baz")

    def test_weight_for_age_stops_at_120(self) -> None:
        """At 120.01 months, weight-for-age has no reference; height and BMI still do."""
        result = growth_zscores("male", 120.01, 140, 33)
        assert result.waz is None and result.haz is not None and result.baz is not None
        assert result.flags == ("no_reference_waz",)


class TestCategoriesAndMissing:
    """Flags for WHO's categories at their cut-offs, and what is missing."""

    @staticmethod
    def bmi_at(z: float, sex: str = "male", age: float = 100) -> float:
        """The BMI whose (restricted) BAZ is ``z``."""
        if z >= -3:
            return measurement_at_z("bfa", sex, age, z)
        sd3, sd2 = (measurement_at_z("bfa", sex, age, k) for k in (-3, -2))
        return sd3 + (z + 3) * (sd2 - sd3)

    @pytest.mark.parametrize(
        ("z", "flag"),
        [
            (-3.2, "severely_thin"),
            (-2.5, "thin"),
            (-1.5, None),
            (0.5, None),
            (1.5, "overweight"),
            (2.5, "obese"),
        ],
    )
    def test_bmi_categories(self, z: float, flag: str | None) -> None:
        """One BMI category per child, the most severe that applies."""
        result = growth_zscores("male", 100, 100, self.bmi_at(z))
        assert result.baz == z
        categories = {"severely_thin", "thin", "overweight", "obese"} & set(result.flags)
        assert categories == ({flag} if flag else set())

    def test_cut_off_is_strict(self) -> None:
        """BAZ exactly −2.00 is not thin; −2.01 is (cut-offs apply to the rounded z)."""
        assert "thin" not in growth_zscores("male", 100, 100, self.bmi_at(-2.0)).flags
        assert "thin" in growth_zscores("male", 100, 100, self.bmi_at(-2.01)).flags

    @pytest.mark.parametrize(("z", "flag"), [(-3.5, "severely_stunted"), (-2.5, "stunted")])
    def test_height_categories(self, z: float, flag: str) -> None:
        """Stunting below −2, severe below −3."""
        height = measurement_at_z("hfa", "female", 150, z)
        result = growth_zscores("female", 150, height, None)
        assert result.haz == z and result.flags == ("no_reference_waz", flag)

    def test_implausible_weight_for_age(self) -> None:
        """WAZ above 5 or below −6 is implausible."""
        heavy = measurement_at_z("wfa", "male", 90, 3) * 3
        assert "implausible_waz" in growth_zscores("male", 90, None, heavy).flags
        light = measurement_at_z("wfa", "male", 90, -3) * 0.4
        assert "implausible_waz" in growth_zscores("male", 90, None, light).flags

    def test_missing_measurements(self) -> None:
        """A missing measurement leaves its z-scores null and is listed."""
        result = growth_zscores("female", 100, None, 25)
        assert result.haz is None and result.baz is None and result.waz is not None
        assert result.missing == ("height_cm",)
        assert growth_zscores("female", 100, 130, None).missing == ("weight_kg",)

    def test_missing_sex_or_age(self) -> None:
        """Without sex or age, nothing can be scored."""
        assert growth_zscores(None, 100, 130, 25) == GrowthResult(
            100.0, None, None, None, (), ("sex",)
        )
        assert growth_zscores("male", None, 130, 25).missing == ("age_months",)

    def test_to_dict_contract(self) -> None:
        """The shape of ``"growth"`` in ``cwtt score`` (issue 5)."""
        data = growth_zscores("MALE", 1234 / DAYS_PER_MONTH, 100, 30).to_dict()
        assert data == {
            "age_months": 40.54,
            "haz": None,
            "waz": None,
            "baz": None,
            "flags": ["no_reference_haz", "no_reference_waz", "no_reference_baz"],
            "missing": [],
        }
        assert list(growth_zscores("female", 110, 90, 40).to_dict()) == [
            "age_months",
            "haz",
            "waz",
            "baz",
            "flags",
            "missing",
        ]


class TestAgeAndErrors:
    """Age in months as WHO computes it, and impossible input."""

    def test_age_in_months(self) -> None:
        """Days ÷ 30.4375, fractional; ISO strings and datetimes accepted."""
        assert age_in_months(date(2016, 3, 1), date(2023, 3, 1)) == 2556 / 30.4375
        assert age_in_months("2016-03-01", "2016-03-01") == 0
        assert age_in_months(datetime(2016, 3, 1, 23), date(2016, 3, 31)) == 30 / 30.4375

    def test_age_errors(self) -> None:
        """A measurement before birth, or a date that is not a date, is refused."""
        with pytest.raises(ScoringError, match="before the date of birth"):
            age_in_months("2020-01-02", "2020-01-01")
        with pytest.raises(ScoringError, match="date_of_birth is not a date"):
            age_in_months("2020-13-01", "2021-01-01")

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (("boy", 100, 130, 25), "male or female"),
            (("male", -1, 130, 25), "age_months must not be negative"),
            (("male", 100, 0, 25), "height_cm must be above zero"),
            (("male", 100, 130, float("nan")), "weight_kg is not a number"),
            (("male", 100, "130", 25), "height_cm is not a number"),
            (("male", 100, True, 25), "height_cm is not a number"),
        ],
    )
    def test_impossible_input(self, args: tuple[object, ...], message: str) -> None:
        """Impossible input raises ScoringError with a plain sentence."""
        with pytest.raises(ScoringError, match=message):
            growth_zscores(*args)  # type: ignore[arg-type]

    def test_measurement_at_z_errors(self) -> None:
        """Unknown indicators are refused; uncovered ages give None."""
        with pytest.raises(ScoringError, match="hfa, wfa or bfa"):
            measurement_at_z("lfa", "male", 100, 0)
        assert measurement_at_z("wfa", "male", 121, 0) is None


class TestProperties:
    """Hypothesis: every z-score rises with its measurement."""

    @settings(derandomize=True, max_examples=200)
    @given(
        sex=st.sampled_from(["male", "female"]),
        age=st.floats(61, 228),
        height=st.floats(60, 230),
        weight=st.floats(5, 200),
        factor=st.floats(1.001, 1.5),
    )
    def test_monotonic_in_measurement(
        self, sex: str, age: float, height: float, weight: float, factor: float
    ) -> None:
        """More height → HAZ no lower; more weight → WAZ and BAZ no lower; never raises."""
        base = growth_zscores(sex, age, height, weight)
        taller = growth_zscores(sex, age, height * factor, weight)
        heavier = growth_zscores(sex, age, height, weight * factor)
        assert base.haz is not None and taller.haz is not None and base.haz <= taller.haz
        assert base.baz is not None and heavier.baz is not None and base.baz <= heavier.baz
        if age <= 120:
            assert base.waz is not None and heavier.waz is not None and base.waz <= heavier.waz
        else:
            assert base.waz is None
