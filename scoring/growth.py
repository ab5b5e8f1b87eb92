"""WHO 2007 growth reference (5–19 years): height-, weight- and BMI-for-age z-scores."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from scoring.errors import ScoringError

__all__ = [
    "DAYS_PER_MONTH",
    "GrowthResult",
    "age_in_months",
    "growth_zscores",
    "measurement_at_z",
]

#: WHO's average month (365.25 / 12): age in months = age in days ÷ this.
DAYS_PER_MONTH = 30.4375

# Coverage of the shipped WHO 2007 tables, inclusive at both ends (months).
_FIRST_MONTH = 61
_LAST_MONTH = {"hfa": 228, "wfa": 120, "bfa": 228}

# Files as WHO publishes them ("z-score expanded tables"); see data/who2007/README.txt.
_FILES = {
    ("hfa", "male"): "hfa_boys_z_WHO2007_exp.txt",
    ("hfa", "female"): "hfa_girls_z_WHO2007_exp.txt",
    ("wfa", "male"): "wfa_boys_z_WHO2007_exp.txt",
    ("wfa", "female"): "wfa_girls_z_WHO2007_exp.txt",
    ("bfa", "male"): "bmi_boys_z_WHO2007_exp.txt",
    ("bfa", "female"): "bmi_girls_z_WHO2007_exp.txt",
}

# Data-quality cut-offs of the WHO 2007 macro (who2007.r, kept by anthroplus): a z-score beyond
# them is implausible (re-measure) and gets no nutrition category.
_IMPLAUSIBLE = {
    "hfa": lambda z: abs(z) > 6,
    "wfa": lambda z: z > 5 or z < -6,
    "bfa": lambda z: abs(z) > 5,
}

_Lms = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class GrowthResult:
    """A child's WHO 2007 z-scores at one measurement.

    A z-score is ``None`` where its measurement is missing (listed in ``missing``) or where the
    reference does not cover the age (flag ``no_reference_haz``/``_waz``/``_baz``).

    Flags, in this order: ``no_reference_*``; ``implausible_*`` (WHO's cut-offs |HAZ| > 6,
    WAZ > 5 or < −6, |BAZ| > 5; such a z-score gets no category); at most one category per
    indicator, the most severe that applies (WHO 2007): ``severely_stunted`` (HAZ < −3) or
    ``stunted`` (HAZ < −2); ``severely_thin`` (BAZ < −3), ``thin`` (BAZ < −2), ``obese``
    (BAZ > +2) or ``overweight`` (BAZ > +1). Cut-offs apply to the rounded z-scores.
    """

    age_months: float | None
    haz: float | None
    waz: float | None
    baz: float | None
    flags: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The ``"growth"`` object of the ``cwtt score`` contract (issue 5), plus ``missing``."""
        return {
            "age_months": None if self.age_months is None else round(self.age_months, 2),
            "haz": self.haz,
            "waz": self.waz,
            "baz": self.baz,
            "flags": list(self.flags),
            "missing": list(self.missing),
        }


def age_in_months(date_of_birth: date | str, on_date: date | str) -> float:
    """Age in fractional months as WHO computes it: whole days ÷ 30.4375.

    Args:
        date_of_birth: a ``date`` or an ISO ``YYYY-MM-DD`` string.
        on_date: the measurement (or interview) date, same forms.

    Raises:
        ScoringError: a date is not a valid ISO date, or ``on_date`` is before the birth.
    """
    born = _as_date(date_of_birth, "date_of_birth")
    seen = _as_date(on_date, "on_date")
    if seen < born:
        raise ScoringError(
            "The measurement date is before the date of birth; correct one of the two dates."
        )
    return (seen - born).days / DAYS_PER_MONTH


def growth_zscores(
    sex: str | None,
    age_months: float | None,
    height_cm: float | None,
    weight_kg: float | None,
) -> GrowthResult:
    """Height-, weight- and BMI-for-age z-scores from the WHO 2007 growth reference.

    Method (WHO 2007, de Onis et al., Bull WHO 85:660–7; WHO's ``who2007.r`` macro): L, M and S
    are interpolated linearly between the whole months on either side of the age; then
    ``z = ((y/M)^L − 1) / (L·S)``. For weight- and BMI-for-age only, beyond ±3 SD the
    restricted rule ``z = 3 + (y − SD3)/(SD3 − SD2)`` (and its mirror below −3) applies, with
    SD2 and SD3 computed from the same L, M, S. BMI is weight ÷ (height in metres)². Results are
    rounded to 2 decimals. The reference covers 61–228 months (weight-for-age 61–120), both ends
    inclusive; outside it the z-score is ``None``.

    Args:
        sex: ``"male"`` or ``"female"`` (any case); ``None`` when unknown.
        age_months: fractional months at measurement (see ``age_in_months``); ``None`` when
            unknown.
        height_cm: standing height in centimetres, or ``None`` if not measured.
        weight_kg: weight in kilograms, or ``None`` if not measured.

    Raises:
        ScoringError: an unknown sex code, a negative age, or a measurement that is not a
            positive finite number.
    """
    sex_code = _sex(sex)
    age = _number(age_months, "age_months", allow_zero=True)
    height = _number(height_cm, "height_cm")
    weight = _number(weight_kg, "weight_kg")

    missing = [
        name
        for name, value in (
            ("sex", sex_code),
            ("age_months", age),
            ("height_cm", height),
            ("weight_kg", weight),
        )
        if value is None
    ]
    if sex_code is None or age is None:
        return GrowthResult(age, None, None, None, (), tuple(missing))

    bmi = None if height is None or weight is None else weight / (height / 100) ** 2
    no_reference: list[str] = []
    implausible: list[str] = []
    zscores: dict[str, float | None] = {}
    for indicator, measure, suffix in (
        ("hfa", height, "haz"),
        ("wfa", weight, "waz"),
        ("bfa", bmi, "baz"),
    ):
        lms = _lms(indicator, sex_code, age)
        if lms is None:
            no_reference.append(f"no_reference_{suffix}")
            zscores[indicator] = None
            continue
        if measure is None:
            zscores[indicator] = None
            continue
        raw = _lms_z(measure, *lms) if indicator == "hfa" else _restricted_z(measure, *lms)
        z = round(raw, 2)
        zscores[indicator] = z
        if _IMPLAUSIBLE[indicator](z):
            implausible.append(f"implausible_{suffix}")

    flags = no_reference + implausible + _categories(zscores, implausible)
    return GrowthResult(
        age, zscores["hfa"], zscores["wfa"], zscores["bfa"], tuple(flags), tuple(missing)
    )


def measurement_at_z(indicator: str, sex: str, age_months: float, z: float) -> float | None:
    """The measurement at ``z`` SD for the age: ``M·(1 + L·S·z)^(1/L)`` (WHO 2007).

    This is the LMS curve itself (the tables' SD columns at whole months), without the
    restricted rule. ``None`` where the reference does not cover the age.

    Args:
        indicator: ``"hfa"`` (cm), ``"wfa"`` (kg) or ``"bfa"`` (BMI, kg/m²).
        sex: ``"male"`` or ``"female"``.
        age_months: fractional months.
        z: the z-score, e.g. ``-2`` for the −2 SD cut-off.

    Raises:
        ScoringError: an unknown indicator or sex.
    """
    if indicator not in _LAST_MONTH:
        raise ScoringError(
            "The growth indicator must be hfa, wfa or bfa; use one of those three names."
        )
    sex_code = _sex(sex)
    age = _number(age_months, "age_months", allow_zero=True)
    if sex_code is None or age is None:
        raise ScoringError("A reference value needs both sex and age; give both.")
    lms = _lms(indicator, sex_code, age)
    return None if lms is None else _lms_value(z, *lms)


def _categories(zscores: dict[str, float | None], implausible: list[str]) -> list[str]:
    flags: list[str] = []
    haz, baz = zscores["hfa"], zscores["bfa"]
    if haz is not None and "implausible_haz" not in implausible:
        if haz < -3:
            flags.append("severely_stunted")
        elif haz < -2:
            flags.append("stunted")
    if baz is not None and "implausible_baz" not in implausible:
        if baz < -3:
            flags.append("severely_thin")
        elif baz < -2:
            flags.append("thin")
        elif baz > 2:
            flags.append("obese")
        elif baz > 1:
            flags.append("overweight")
    return flags


def _lms_z(y: float, l: float, m: float, s: float) -> float:  # noqa: E741 (WHO's names)
    if l == 0:
        return math.log(y / m) / s
    return ((y / m) ** l - 1) / (l * s)


def _lms_value(z: float, l: float, m: float, s: float) -> float:  # noqa: E741
    if l == 0:
        return m * math.exp(s * z)
    return m * (1 + l * s * z) ** (1 / l)


def _restricted_z(y: float, l: float, m: float, s: float) -> float:  # noqa: E741
    # WHO 2007: the LMS tails are unreliable beyond ±3 SD for skewed measures (weight, BMI),
    # so the distance past SD3 is measured in units of the SD2–SD3 gap instead.
    z = _lms_z(y, l, m, s)
    if z > 3:
        sd3, sd2 = _lms_value(3, l, m, s), _lms_value(2, l, m, s)
        return 3 + (y - sd3) / (sd3 - sd2)
    if z < -3:
        sd3, sd2 = _lms_value(-3, l, m, s), _lms_value(-2, l, m, s)
        return -3 + (y - sd3) / (sd2 - sd3)
    return z


def _lms(indicator: str, sex: str, age: float) -> _Lms | None:
    if not _FIRST_MONTH <= age <= _LAST_MONTH[indicator]:
        return None
    rows = _table(indicator, sex)
    low = math.floor(age)
    l0, m0, s0 = rows[low - _FIRST_MONTH]
    frac = age - low
    if frac == 0:
        return l0, m0, s0
    l1, m1, s1 = rows[low + 1 - _FIRST_MONTH]
    # Same operation order as WHO's macro, so results agree to the last bit.
    return l0 + frac * (l1 - l0), m0 + frac * (m1 - m0), s0 + frac * (s1 - s0)


@cache
def _table(indicator: str, sex: str) -> tuple[_Lms, ...]:
    """L, M, S by whole month from 61, read once per indicator and sex."""
    name = _FILES[indicator, sex]
    text = resources.files("scoring").joinpath("data", "who2007", name).read_text("utf-8")
    rows: list[_Lms] = []
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        month = int(fields[0])
        if month != _FIRST_MONTH + len(rows):
            raise RuntimeError(f"{name}:{number}: month {month} is out of sequence")
        rows.append((float(fields[1]), float(fields[2]), float(fields[3])))
    if len(rows) != _LAST_MONTH[indicator] - _FIRST_MONTH + 1:
        raise RuntimeError(f"{name}: expected months {_FIRST_MONTH}–{_LAST_MONTH[indicator]}")
    return tuple(rows)


def _sex(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().lower() if isinstance(value, str) else None
    if code not in ("male", "female"):
        raise ScoringError("The child's sex must be male or female; correct the child's record.")
    return code


def _number(value: float | None, name: str, *, allow_zero: bool = False) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScoringError(f"{name} is not a number; enter it again.")
    if value < 0 and allow_zero:
        raise ScoringError(f"{name} must not be negative; enter it again.")
    if value <= 0 and not allow_zero:
        raise ScoringError(f"{name} must be above zero; enter it again.")
    return float(value)


def _as_date(value: date | str, name: str) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            message = f"{name} is not a date in YYYY-MM-DD form; enter it again."
            raise ScoringError(message) from None
    if isinstance(value, date):
        # A datetime is a date too; only its calendar day counts, as in WHO's day counts.
        return date(value.year, value.month, value.day)
    raise ScoringError(f"{name} is not a date; enter it again.")
