"""The `cwtt actions` verb: list actions (table, CSV, JSON), plan one, record a status change,
and check the catalogue of suggested actions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cwtt_tui.cli_output import emit, write_file
from cwtt_tui.errors import BadInstrument, RecordNotFound, UsageError
from cwtt_tui.models import ACTION_STATUSES, DOMAINS

if TYPE_CHECKING:
    from cwtt_tui.models import Action, Child
    from cwtt_tui.store.store import Store

__all__ = ["FORMATS", "add_actions_command"]

FORMATS = ("table", "csv", "json")
SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".txt": "table"}
MIN_PREFIX = 6
SHORT = 8


def _format(args: argparse.Namespace, out: Path | None) -> str:
    if args.format:
        return str(args.format)
    return SUFFIX_FORMATS.get(out.suffix.lower(), "table") if out else "table"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _by_id(ids: list[str], wanted: str, noun: str) -> str:
    """The id that is `wanted`, or the only one starting with it (at least 6 characters)."""
    key = wanted.strip().lower()
    if key in ids:
        return key
    found = [i for i in ids if i.startswith(key)] if len(key) >= MIN_PREFIX else []
    if len(found) > 1:
        raise UsageError(f"More than one {noun} has an id starting {key}; give more of it.")
    if not found:
        raise RecordNotFound(f"There is no {noun} with id {wanted.strip()[:40]} in this store.")
    return found[0]


def find_child(store: Store, wanted: str) -> Child:
    """A child on the board, by id or the first characters of it."""
    children = {c.id: c for c in store.children.list()}
    return children[_by_id(list(children), wanted, "child")]


def find_action(store: Store, wanted: str) -> Action:
    """An action by id or the first characters of it (as the table shows)."""
    actions = {a.id: a for a in store.actions.list()}
    return actions[_by_id(list(actions), wanted, "action")]


def cmd_actions(args: argparse.Namespace) -> int:
    """List actions (one school or all, one child, or only the overdue); audit-log the export."""
    from cwtt_tui.commands import open_store
    from cwtt_tui.commands_board import pick_school
    from cwtt_tui.planning import list_actions, today
    from exports.actions_report import action_rows, to_csv, to_json, to_table

    out = Path(args.out).expanduser() if args.out else None
    form = _format(args, out)
    with open_store(args, exclusive=False) as store:
        school = pick_school(store, args.school)
        child = find_child(store, args.child) if args.child else None
        on = today(store)
        actions = list_actions(
            store,
            school_id=school.id if school else None,
            child_id=child.id if child else None,
            overdue_on=on if args.overdue else None,
        )
        rows = action_rows(store, actions, on)
        text = {"csv": to_csv, "json": to_json, "table": to_table}[form](rows)
        # Logged before the data leaves: a failed write is logged too, an unlogged export never.
        store.audit.record(
            "actions.export", school.id if school else "all", format=form, actions=len(rows),
            overdue=bool(args.overdue), child=child.id if child else "",
            to="file" if out else "stdout",
        )  # fmt: skip
    if out is None:
        emit(text)
        return 0
    write_file(out, text, "the actions")
    print(f"Wrote {_count(len(rows), 'action')} ({form}) to {out}.")
    return 0


def cmd_actions_plan(args: argparse.Namespace) -> int:
    """Plan an action for a child: from a catalogue suggestion, or written by hand."""
    from cwtt_tui.commands import open_store
    from cwtt_tui.commands_board import pick_round
    from cwtt_tui.planning import catalogue, plan_action, plan_suggestion

    with open_store(args) as store:
        child = find_child(store, args.child)
        round_ = pick_round(store, args.round)
        options = {
            "responsible": args.responsible or "",
            "department": args.department or "",
            "due_on": args.due or "",
            "notes": args.notes or "",
        }
        today_text = ""
        if args.suggestion:
            suggestion = catalogue().get(args.suggestion.strip())
            if suggestion is None:
                raise UsageError(
                    f"There is no suggestion '{args.suggestion.strip()[:40]}' in the catalogue; "
                    "`cwtt actions catalogue` lists them."
                )
            if suggestion.domain != args.domain:
                raise UsageError(
                    f"Suggestion {suggestion.id} is for the {suggestion.domain} domain, "
                    f"not {args.domain}."
                )
            action = plan_suggestion(store, child.id, round_.id, suggestion, **options)
            today_text = suggestion.today.get() if suggestion.today else ""
        else:
            action = plan_action(store, child.id, round_.id, args.domain, args.what, **options)
    due = f", due {action.details.due_on}" if action.details.due_on else ""
    print(f"Planned action {action.id[:SHORT]} ({action.domain}{due}): {action.details.what}")
    if today_text:
        print(f"What to do today: {today_text}")
    return 0


def cmd_actions_status(args: argparse.Namespace) -> int:
    """Record what happened to an action: referred, in progress, done, declined, …"""
    from cwtt_tui.commands import open_store
    from cwtt_tui.planning import STATUS_LABELS, change_status

    with open_store(args) as store:
        action = find_action(store, args.action)
        changed = change_status(store, action.id, args.status, args.note or "")
    before, after = STATUS_LABELS[action.status], STATUS_LABELS[changed.status]
    print(f"Action {changed.id[:SHORT]}: {before} → {after}.")
    return 0


def cmd_actions_catalogue(args: argparse.Namespace) -> int:
    """Check the catalogue of suggested actions and list its suggestions."""
    from cwtt_tui.planning import catalogue_path
    from questionnaires.action_catalogue import CATALOGUE_FILE, CatalogueError, load_catalogue

    path = Path(args.file).expanduser() if args.file else catalogue_path() or CATALOGUE_FILE
    try:
        found = load_catalogue(path)
    except CatalogueError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        noun = "problem" if count == 1 else "problems"
        raise BadInstrument(f"{count} {noun} in the action catalogue; see above.") from exc
    print(f"{path}: {_count(len(found.suggestions), 'suggestion')}, version {found.version}.")
    lines = [
        (s.id, f"{s.domain} {'/'.join(s.levels)}", s.department,
         "today" if s.due_days == 0 else f"{s.due_days} days", s.title.get())
        for s in found.suggestions
    ]  # fmt: skip
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    for line in lines:
        cells = [c.ljust(w) for c, w in zip(line, widths, strict=False)]
        print("  " + "  ".join([*cells, line[-1]]))
    return 0


def add_actions_command(verbs: argparse._SubParsersAction) -> None:
    """Add `cwtt actions [--overdue] [--school S] [--child ID] [--format F] [--out FILE]` and
    its `plan`, `status` and `catalogue` actions."""
    from cwtt_tui.__main__ import _common  # here, not at the top: __main__ imports this module

    top = verbs.add_parser(
        "actions",
        help="list, plan and follow up actions (referrals and interventions)",
        description="Without an ACTION: list the actions, soonest due first; every list is "
        "audit-logged. Overdue: due before today and not done, declined or could not reach.",
    )
    _common(top, suppress=True)
    top.add_argument("--overdue", action="store_true", help="only the overdue actions")
    top.add_argument(
        "--school",
        metavar="EMIS_OR_NAME",
        help="only this school's children, by EMIS number or name (default: all schools)",
    )
    top.add_argument("--child", metavar="ID", help="only this child's actions (id or its start)")
    top.add_argument(
        "--format",
        choices=FORMATS,
        help="table, csv or json (default: from the --out file's ending, else table)",
    )
    top.add_argument("--out", metavar="FILE", help="write to FILE (default: stdout)")
    top.add_argument(
        "--recovery-key-file", metavar="FILE", help="unlock with the recovery key in FILE"
    )
    top.set_defaults(handler=cmd_actions, actions_action=None)
    sub = top.add_subparsers(dest="actions_action", metavar="ACTION")

    plan = sub.add_parser(
        "plan",
        help="plan an action for a child (team lead or coordinator)",
        description="From a catalogue suggestion (--suggestion) or written by hand (--what).",
    )
    _common(plan, suppress=True)
    plan.add_argument("child", metavar="CHILD_ID", help="the child's id (or its first characters)")
    plan.add_argument("domain", metavar="DOMAIN", choices=DOMAINS, help=", ".join(DOMAINS))
    what = plan.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--suggestion", metavar="ID", help="a suggestion's id (`cwtt actions catalogue` lists them)"
    )
    what.add_argument("--what", metavar="TEXT", help="what to do, in your own words")
    plan.add_argument("--responsible", metavar="PERSON", help="who will do it")
    plan.add_argument(
        "--department",
        metavar="DEPT",
        help="Education, Health, Social Development, Home Affairs, SAPS, NGO or School "
        "(default: the suggestion's)",
    )
    plan.add_argument(
        "--due",
        metavar="YYYY-MM-DD",
        help="the due date (default: the suggestion's days from today)",
    )
    plan.add_argument("--notes", metavar="TEXT", help="notes for the team")
    plan.add_argument(
        "--round",
        metavar="NAME_OR_NUMBER",
        help="the round, by name or number (default: the latest round)",
    )
    plan.set_defaults(handler=cmd_actions_plan)

    status = sub.add_parser(
        "status",
        help="record what happened to an action",
        description="planned → referred → in progress → done, declined or could not reach. "
        "Done, declined and could not reach need a --note; a finished action can be reopened "
        "as in progress, with a note. Only a team lead or coordinator may decline.",
    )
    _common(status, suppress=True)
    status.add_argument(
        "action", metavar="ACTION_ID", help="the action's id (or its first characters)"
    )
    status.add_argument(
        "status", metavar="STATUS", help="the new status: " + ", ".join(ACTION_STATUSES)
    )
    status.add_argument("--note", metavar="TEXT", help="what happened (the outcome)")
    status.set_defaults(handler=cmd_actions_status)

    check = sub.add_parser(
        "catalogue",
        help="check the catalogue of suggested actions and list them",
        description="Checks the catalogue in use (CWTT_ACTIONS_FILE, else the shipped one) or "
        "FILE, and prints `file:line: what is wrong` for each problem (exit 22).",
    )
    _common(check, suppress=True)
    check.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        help="a catalogue file to check (default: the one in use)",
    )
    check.set_defaults(handler=cmd_actions_catalogue)
