"""The `cwtt rounds` and `cwtt needs` verbs: list, open, close and compare rounds; needs vs services."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from cwtt_tui.cli_output import emit, write_file
from cwtt_tui.errors import UsageError

if TYPE_CHECKING:
    from cwtt_tui.models import Round, RoundActivity
    from cwtt_tui.store.store import Store

__all__ = ["add_rounds_commands", "cmd_needs", "cmd_rounds"]

FORMATS = ("table", "csv", "json")
SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".txt": "table"}
NAME_WIDTH = 28


def _format(args: argparse.Namespace, out: Path | None) -> str:
    if args.format:
        return str(args.format)
    return SUFFIX_FORMATS.get(out.suffix.lower(), "table") if out else "table"


def _output(text: str, out: Path | None, what: str) -> None:
    """Write UTF-8 to `out`, or to stdout as it is (no newline translation)."""
    if out is None:
        emit(text)
        return
    write_file(out, text, what)
    print(f"Wrote {what} to {out}.")


def _made_on(store: Store) -> str:
    return store.ctx.clock().astimezone().date().isoformat()


def _describe(round_: Round, *, start: bool = False) -> str:
    """`round 2 (Follow-up 2026-T3)`; `Round …` at the start of a sentence."""
    return f"{'Round' if start else 'round'} {round_.number} ({round_.name})"


def _list_lines(rounds: list[Round], activity: dict[str, RoundActivity]) -> list[str]:
    from cwtt_tui.models import RoundActivity

    width = min(NAME_WIDTH, max(len("Name"), *(len(r.name) for r in rounds)))
    lines = [
        f"{'#':>3}  {'Name'.ljust(width)}  {'Starts':10}  {'Ends':10}  {'Status':6}"
        "  Scored  Interviews  Drafts"
    ]
    for r in rounds:
        name = r.name if len(r.name) <= width else r.name[: width - 1] + "…"
        done = activity.get(r.id, RoundActivity())
        lines.append(
            f"{r.number:>3}  {name.ljust(width)}  {r.starts_on or '—':10}  {r.ends_on or '—':10}"
            f"  {r.status:6}  {done.scored:>6}  {done.interviews:>10}  {done.drafts:>6}"
        )
    return lines


def _list(store: Store, args: argparse.Namespace) -> None:
    rounds = store.rounds.list()
    if not rounds:
        print("This store has no round yet; open one with `cwtt rounds open NAME`.")
        return
    print("\n".join(_list_lines(rounds, store.rounds.activity())))
    current = store.rounds.current()
    if current is not None:
        print(f"New interviews go to {_describe(current)}.")
    else:
        print("No round is open; open one with `cwtt rounds open NAME`.")


def _open(store: Store, args: argparse.Namespace) -> None:
    from cwtt_tui.rounds import open_round

    others = [r for r in store.rounds.list() if r.status == "open"]
    made = open_round(store, args.name, args.starts or _made_on(store), args.ends or "")
    print(f"Opened {_describe(made)} from {made.starts_on}; new interviews go to it.")
    for other in others:
        print(f"{_describe(other, start=True)} is still open; close it with "
              f"`cwtt rounds close {other.number}`.")  # fmt: skip


def _close(store: Store, args: argparse.Namespace) -> None:
    from cwtt_tui.commands_board import pick_round
    from cwtt_tui.rounds import close_round

    closed = close_round(store, pick_round(store, args.round).id)
    print(f"Closed {_describe(closed)}.")
    current = store.rounds.current()
    if current is not None:
        print(f"New interviews go to {_describe(current)}.")
    else:
        print("No round is open now; open one with `cwtt rounds open NAME` before the next visit.")


def _compare(store: Store, args: argparse.Namespace) -> tuple[str, Path | None, str]:
    from cwtt_tui.commands_board import pick_round, pick_school
    from cwtt_tui.rounds import compare_rounds, previous_round
    from exports import changes_report

    out = Path(args.out).expanduser() if args.out else None
    form = _format(args, out)
    round_ = pick_round(store, args.round)
    school = pick_school(store, args.school)
    previous = previous_round(store, round_.id)
    if previous is None:
        raise UsageError(
            f"{_describe(round_, start=True)} is the first round; there is nothing before it "
            "to compare with."
        )
    _, rows = compare_rounds(store, round_.id, school.id if school else None)
    names = {s.id: s.name for s in store.schools.list()}
    meta = changes_report.ChangesMeta(
        round_, previous, school.name if school else "All schools", _made_on(store)
    )
    if form == "csv":
        text = changes_report.to_csv(rows, names)
    elif form == "json":
        text = changes_report.to_json(rows, meta, names)
    else:
        text = changes_report.to_text(rows, meta)
    store.audit.record(
        "changes.export", round_.id, format=form, children=len(rows), previous=previous.id,
        school=school.id if school else "all", to="file" if out else "stdout",
    )  # fmt: skip
    return text, out, f"the change since {_describe(previous)} ({form})"


def cmd_rounds(args: argparse.Namespace) -> int:
    """List, open, close or compare rounds."""
    from cwtt_tui.commands import open_store

    action = args.rounds_action or "list"
    with open_store(args, exclusive=False) as store:
        if action == "compare":
            text, out, what = _compare(store, args)
        else:
            {"list": _list, "open": _open, "close": _close}[action](store, args)
            return 0
    _output(text, out, what)  # after the store is closed, as `cwtt board` does
    return 0


def cmd_needs(args: argparse.Namespace) -> int:
    """Write the needs-versus-services table of a round (one school or all); audit-log it."""
    from cwtt_tui.commands import open_store
    from cwtt_tui.commands_board import pick_round, pick_school
    from cwtt_tui.needs import needs_vs_services
    from cwtt_tui.rounds import next_round
    from exports import needs_report

    out = Path(args.out).expanduser() if args.out else None
    form = _format(args, out)
    with open_store(args, exclusive=False) as store:
        round_ = pick_round(store, args.round)
        school = pick_school(store, args.school)
        rows = needs_vs_services(store, round_.id, school.id if school else None)
        meta = needs_report.NeedsMeta(
            round_, next_round(store, round_.id), school.name if school else "All schools",
            _made_on(store),
        )  # fmt: skip
        if form == "csv":
            text = needs_report.to_csv(rows)
        elif form == "json":
            text = needs_report.to_json(rows, meta)
        else:
            text = needs_report.to_text(rows, meta)
        store.audit.record(
            "needs.export", round_.id, format=form, school=school.id if school else "all",
            to="file" if out else "stdout",
        )  # fmt: skip
    _output(text, out, f"needs versus services for {_describe(round_)} ({form})")
    return 0


def _report_options(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--round",
        metavar="NAME_OR_NUMBER",
        help="the round, by name or number (default: the latest round)",
    )
    parser.add_argument(
        "--school",
        metavar="EMIS_OR_NAME",
        help="only this school's children, by EMIS number or name (default: all schools)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help=f"table, csv or json (default: from the --out file's ending, else table); {what}",
    )
    parser.add_argument("--out", metavar="FILE", help="write to FILE (default: stdout)")
    parser.add_argument(
        "--recovery-key-file", metavar="FILE", help="unlock with the recovery key in FILE"
    )


def add_rounds_commands(verbs: argparse._SubParsersAction) -> None:
    """Add `cwtt rounds [list | open | close | compare]` and `cwtt needs`."""
    from cwtt_tui.__main__ import _common  # here, not at the top: __main__ imports this module

    rounds = verbs.add_parser(
        "rounds",
        help="list, open, close or compare assessment rounds",
        description="A round is one wave of assessments (baseline, follow-up 1, …). "
        "New interviews go to the latest open round.",
    )
    _common(rounds, suppress=True)
    rounds.set_defaults(handler=cmd_rounds, rounds_action=None)
    actions = rounds.add_subparsers(dest="rounds_action", metavar="ACTION")
    listing = actions.add_parser("list", help="the rounds with their dates, status and counts")
    _common(listing, suppress=True)
    opening = actions.add_parser("open", help="open the next round (team lead or coordinator)")
    _common(opening, suppress=True)
    opening.add_argument("name", metavar="NAME", help="the round's name, e.g. 'Follow-up 2026-T3'")
    opening.add_argument(
        "--starts", metavar="YYYY-MM-DD", help="the first day of the round (default: today)"
    )
    opening.add_argument("--ends", metavar="YYYY-MM-DD", help="the last day of the round")
    closing = actions.add_parser("close", help="close a round (team lead or coordinator)")
    _common(closing, suppress=True)
    closing.add_argument("round", metavar="NAME_OR_NUMBER", help="the round, by name or number")
    compare = actions.add_parser(
        "compare",
        help="each child's change per domain since the previous round (↑ worse, ↓ better, = same)",
        description="The table counts per domain who got worse, better or stayed the same, and "
        "lists the children who got worse. Every export is audit-logged.",
    )
    _common(compare, suppress=True)
    _report_options(compare, "csv has one row per child")
    for sub in (listing, opening, closing, compare):
        sub.set_defaults(handler=cmd_rounds)

    needs = verbs.add_parser(
        "needs",
        help="needs versus services: per domain, children at HIGH, with an action, improved",
        description="Per domain: children at HIGH and MEDIUM, HIGH children with an action and "
        "without (the gap), actions done, and who improved by the next round. Audit-logged.",
    )
    _common(needs, suppress=True)
    _report_options(needs, "the table comes with a bar chart")
    needs.set_defaults(handler=cmd_needs)
