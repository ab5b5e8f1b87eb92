"""Loading instrument TOML files into the model, reporting every problem as ``file:line: what``."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from questionnaires._builder import Builder
from questionnaires.errors import InstrumentError, Problem
from questionnaires.model import Instrument
from questionnaires.sourcemap import SourceMap
from questionnaires.translation import merge_translations

__all__ = [
    "INSTRUMENTS_DIR",
    "InstrumentError",
    "Problem",
    "check",
    "instrument_paths",
    "load_all",
    "load_instrument",
]

#: Where the shipped instrument files live; every ``*.toml`` here is loaded.
INSTRUMENTS_DIR = Path(__file__).parent / "instruments"

_TOML_LINE = re.compile(r"line (\d+)")


def instrument_paths(directory: Path | None = None) -> list[Path]:
    """Every instrument file in ``directory`` (default: the shipped ones), sorted by name;
    ``<id>.<lang>.toml`` files are translations, merged into their instrument when it loads."""
    return sorted(p for p in (directory or INSTRUMENTS_DIR).glob("*.toml") if "." not in p.stem)


def load_instrument(path: Path | str) -> Instrument:
    """Load and validate one instrument file.

    Raises:
        InstrumentError: the file cannot be read, is not TOML, or has any problem.
    """
    instrument, problems = _load(Path(path))
    if problems or instrument is None:
        raise InstrumentError(problems)
    return instrument


def check(paths: Iterable[Path | str] | None = None) -> list[Problem]:
    """Validate files (default: the shipped ones) and return every problem, sorted; never
    raises for a file's content. Two files declaring the same instrument id is a problem too."""
    return _load_many(paths)[1]


def load_all(
    directory: Path | None = None, extra: Iterable[Path | str] = ()
) -> dict[str, Instrument]:
    """Load every instrument in ``directory`` (default: the shipped ones) plus ``extra`` files,
    such as a licensed instrument kept outside the package, keyed by instrument id.

    Raises:
        InstrumentError: any file has any problem; nothing is returned half-loaded.
    """
    instruments, problems = _load_many([*instrument_paths(directory), *extra])
    if problems:
        raise InstrumentError(problems)
    return {instrument.id: instrument for instrument in instruments}


def _load_many(paths: Iterable[Path | str] | None) -> tuple[list[Instrument], list[Problem]]:
    instruments: list[Instrument] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in [Path(p) for p in paths] if paths is not None else instrument_paths():
        instrument, found = _load(path)
        problems.extend(found)
        if instrument is None:
            continue
        if instrument.id in seen:
            line = SourceMap(path.read_text(encoding="utf-8")).top_key("id")
            message = f"instrument id {instrument.id!r} is also used by {seen[instrument.id]}"
            problems.append(Problem(str(path), line, message))
        else:
            seen[instrument.id] = str(path)
            instruments.append(instrument)
    return instruments, sorted(problems)


def _load(path: Path) -> tuple[Instrument | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return None, [Problem(str(path), 1, f"cannot read the file: {reason}")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        message = str(exc).split(" (at ")[0]
        line = int(match.group(1)) if match else 1
        return None, [Problem(str(path), line, f"not valid TOML: {message}")]
    translation_problems = merge_translations(path, data)
    builder = Builder(str(path), SourceMap(text))
    instrument = builder.build(data)
    problems = [*translation_problems, *builder.problems]
    return (None if problems else instrument), sorted(problems)
