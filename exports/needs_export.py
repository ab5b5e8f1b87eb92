"""Needs versus services written to a CSV file from the screen, audit-logged like the CLI's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cwtt_tui.needs import needs_vs_services
from exports.needs_report import to_csv
from exports.report_files import write_files

if TYPE_CHECKING:
    from cwtt_tui.models import Round, School
    from cwtt_tui.store.store import Store

__all__ = ["export_needs_csv", "needs_stem"]


def needs_stem(round_: Round, school: School | None, made_on: str) -> str:
    """`cwtt-needs-round2-all-schools-2026-11-02` (a school by its EMIS number)."""
    where = school.emis if school else "all-schools"
    return f"cwtt-needs-round{round_.number}-{where}-{made_on}"


def export_needs_csv(
    store: Store, round_: Round, school: School | None, folder: Path, made_on: str
) -> Path:
    """Write the table of a round (one school or all) as CSV into `folder`; audit-logged first.

    Raises:
        UsageError, DiskFull: the folder cannot be written to.
    """
    rows = needs_vs_services(store, round_.id, school.id if school else None)
    store.audit.record(
        "needs.export", round_.id, format="csv", school=school.id if school else "all", to="file"
    )
    (path,) = write_files(Path(folder), needs_stem(round_, school, made_on), {".csv": to_csv(rows)})
    return path
