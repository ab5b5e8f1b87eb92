"""The `cwtt board` verb: a round's risk board as CSV, JSON or a printable HTML page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cwtt_tui.cli_output import emit, write_file
from cwtt_tui.errors import UsageError

if TYPE_CHECKING:
    from cwtt_tui.models import Round, School
    from cwtt_tui.store.store import Store

__all__ = ["FORMATS", "add_board_command", "cmd_board", "pick_round", "pick_school"]

FORMATS = ("csv", "json", "html")
SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".html": "html", ".htm": "html"}


def pick_round(store: Store, wanted: str | None) -> Round:
    """The round named or numbered `wanted`; the latest round when None.

    Raises:
        UsageError: the store has no round, or none with that name or number.
    """
    rounds = store.rounds.list()
    if not rounds:
        raise UsageError("This store has no round yet; finish an interview first.")
    if wanted is None:
        return rounds[-1]
    key = wanted.strip().casefold()
    for round_ in rounds:
        if key == str(round_.number) or key == round_.name.casefold():
            return round_
    known = ", ".join(f"{r.number} ({r.name})" for r in rounds)
    raise UsageError(f"There is no round '{wanted[:40]}' in this store; give one of: {known}.")


def pick_school(store: Store, wanted: str | None) -> School | None:
    """The school with EMIS number or name `wanted` (any case); None (all schools) when None.

    Raises:
        UsageError: no school has that EMIS number or name.
    """
    if wanted is None:
        return None
    schools = store.schools.list()
    key = wanted.strip().casefold()
    for school in schools:
        if key in (school.emis.casefold(), school.name.casefold()):
            return school
    known = ", ".join(f"{s.emis} ({s.name})" for s in schools)
    raise UsageError(
        f"There is no school '{wanted[:40]}' in this store; give the EMIS number or name of "
        f"one of: {known}."
    )


def _format(args: argparse.Namespace, out: Path | None) -> str:
    if args.format:
        return str(args.format)
    return SUFFIX_FORMATS.get(out.suffix.lower(), "csv") if out else "csv"


def _rescore(store: Store, round_: Round) -> None:
    from cwtt_tui.assessing import rescore

    print(f"Re-scoring round {round_.number} ({round_.name})…", file=sys.stderr)
    report = rescore(store, round_.id)
    changed: dict[str, list[str]] = {}
    for change in report.changes:
        changed.setdefault(change.child_id, []).append(
            f"{change.domain} {change.old} → {change.new}"
        )
    print(f"Re-scored {report.children} children; {len(changed)} changed level.", file=sys.stderr)
    for child_id, what in changed.items():
        print(f"  {child_id}: {', '.join(what)}", file=sys.stderr)


def cmd_board(args: argparse.Namespace) -> int:
    """Write a round's board (one school or all) to stdout or `--out`; audit-log the export."""
    from cwtt_tui.commands import open_store
    from exports.board_report import BoardMeta, board_rows, to_csv, to_html, to_json

    out = Path(args.out).expanduser() if args.out else None
    form = _format(args, out)
    # Re-scoring rewrites every assessment of the round, so it waits for the app to close.
    with open_store(args, exclusive=args.rescore) as store:
        round_ = pick_round(store, args.round)
        school = pick_school(store, args.school)
        if args.rescore:
            _rescore(store, round_)
        rows = board_rows(store, round_.id, school.id if school else None)
        made_on = store.ctx.clock().astimezone().date().isoformat()
        meta = BoardMeta(
            round_.name, round_.number, school.name if school else "All schools", made_on
        )
        if form == "csv":
            text = to_csv(rows)
        else:
            text = (to_json if form == "json" else to_html)(rows, meta)
        # Logged before the data leaves: a failed write is logged too, an unlogged export never.
        store.audit.record(
            "board.export", round_.id, format=form, children=len(rows),
            school=school.id if school else "all", to="file" if out else "stdout",
        )  # fmt: skip
    if out is None:
        emit(text)
        return 0
    write_file(out, text, "the board")
    print(f"Wrote the risk board of {len(rows)} children ({form}) to {out}.")
    return 0


def add_board_command(verbs: argparse._SubParsersAction) -> None:
    """Add `cwtt board [--school S] [--round R] [--format F] [--out FILE] [--rescore]`."""
    from cwtt_tui.__main__ import _common  # here, not at the top: __main__ imports this module

    board = verbs.add_parser(
        "board",
        help="write a round's risk board as CSV, JSON or a printable HTML page",
        description="One row per child, most HIGH flags first; every export is audit-logged.",
    )
    _common(board, suppress=True)
    board.add_argument(
        "--school",
        metavar="EMIS_OR_NAME",
        help="only this school's children, by EMIS number or name (default: all schools)",
    )
    board.add_argument(
        "--round",
        metavar="NAME_OR_NUMBER",
        help="the round, by name or number (default: the latest round)",
    )
    board.add_argument(
        "--format",
        choices=FORMATS,
        help="csv, json or html (default: from the --out file's ending, else csv)",
    )
    board.add_argument("--out", metavar="FILE", help="write to FILE (default: stdout)")
    board.add_argument(
        "--recovery-key-file", metavar="FILE", help="unlock with the recovery key in FILE"
    )
    board.add_argument(
        "--rescore",
        action="store_true",
        help="score the round again first (after a rules change) and list who changed level "
        "(needs the app closed)",
    )
    board.set_defaults(handler=cmd_board)
