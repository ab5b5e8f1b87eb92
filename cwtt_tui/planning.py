"""Intervention plans: suggested actions for flagged domains, planning them, and their lifecycle.

Lifecycle: planned → referred → in progress → done / declined / could not reach. An action may
skip ahead (planned → done) but never go back, except that a finished one (done, declined,
could not reach) may be reopened as in progress, with a note saying why. Done, declined and
could not reach need an outcome note. Every change is dated and attributed in the history.

Who may do what (the pilot's practice):
- plan an action, decline one, or reopen a declined one: a team lead or coordinator (the team
  plans in its meeting);
- record a referral, progress, done, could not reach, or reopen one of these: anyone signed in,
  practitioners too (the person responsible records what happened).

Suggestions come from the shipped catalogue, or from the file named by `CWTT_ACTIONS_FILE` (a
coordinator's edited copy). An action planned from a suggestion stores the suggestion's id.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from cwtt_tui.dates import parse_date
from cwtt_tui.errors import BadInstrument, NotAllowed, UsageError
from cwtt_tui.models import ACTION_STATUSES, DOMAINS, Action, ActionDetails
from cwtt_tui.reporting import REPORT_MARK, WHAT_TO_DO_TODAY
from questionnaires.action_catalogue import (
    DEPARTMENTS,
    Catalogue,
    CatalogueError,
    Suggestion,
    load_catalogue,
)
from questionnaires.model import Text

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

__all__ = [
    "ALLOWED",
    "CATALOGUE_ENV",
    "FINAL",
    "ActionCounts",
    "Suggestion",
    "catalogue",
    "change_status",
    "is_overdue",
    "list_actions",
    "open_actions_count",
    "overdue_actions",
    "plan_action",
    "plan_suggestion",
    "suggestions",
    "today",
]

CATALOGUE_ENV = "CWTT_ACTIONS_FILE"
PLAN_ROLES = ("team_lead", "coordinator")
FINAL = ("done", "declined", "could_not_reach")
ALLOWED: dict[str, frozenset[str]] = {
    "planned": frozenset({"referred", "in_progress", "done", "declined", "could_not_reach"}),
    "referred": frozenset({"in_progress", "done", "declined", "could_not_reach"}),
    "in_progress": frozenset({"done", "declined", "could_not_reach"}),
    **{status: frozenset({"in_progress"}) for status in FINAL},  # reopen, with a note
}
STATUS_LABELS = {status: status.replace("_", " ") for status in ACTION_STATUSES}
_LEVEL_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class ActionCounts:
    """A child's actions still open (not done, declined or could not reach), and how many of
    those are overdue."""

    open: int = 0
    overdue: int = 0


def today(store: Store) -> date:
    """Today on this laptop's calendar (the store's clock, in local time)."""
    return store.ctx.clock().astimezone().date()


# --- the catalogue -------------------------------------------------------------------------------


def catalogue_path() -> Path | None:
    """The coordinator's catalogue named by `CWTT_ACTIONS_FILE`; None for the shipped one."""
    chosen = os.environ.get(CATALOGUE_ENV, "").strip()
    return Path(chosen).expanduser() if chosen else None


def catalogue() -> Catalogue:
    """The catalogue in use, validated (loaded again only when the file changes).

    Raises:
        BadInstrument: the file is missing or has a problem.
    """
    path = catalogue_path()
    try:
        info = path.stat() if path else None
        stamp = (info.st_mtime_ns, info.st_size) if info else (0, 0)
    except OSError:
        stamp = (-1, -1)
    try:
        return _load(str(path) if path else "", stamp)
    except CatalogueError as exc:
        problems = "; ".join(str(p) for p in exc.problems[:3])
        raise BadInstrument(
            f"The action catalogue does not validate ({problems}); "
            "run `cwtt actions catalogue` to see every problem."
        ) from exc


@cache
def _load(path: str, stamp: tuple[int, int]) -> Catalogue:
    loaded = load_catalogue(path or None)
    s110 = Text((("en", WHAT_TO_DO_TODAY),))
    return replace(
        loaded,
        suggestions=tuple(
            replace(s, today=s110) if s.mandatory_report and s.today is None else s
            for s in loaded.suggestions
        ),
    )


# --- suggestions and planning --------------------------------------------------------------------


def _planned(suggestion: Suggestion, in_round: list[Action]) -> bool:
    """Whether a suggestion is planned already among a child's actions of one round (a recorded
    s110 report counts as the report suggestion)."""
    if any(a.suggestion_id == suggestion.id for a in in_round):
        return True
    return suggestion.mandatory_report and any(
        a.details.what.startswith(REPORT_MARK) for a in in_round
    )


def suggestions(
    store: Store, child_id: str, round_id: str, *, found: Catalogue | None = None
) -> list[Suggestion]:
    """What the child's flagged domains call for in a round, high levels first, leaving out
    what is already planned. A child not scored yet gets none."""
    result = store.assessments.get(child_id, round_id)
    if not result:
        return []
    found = found or catalogue()
    in_round = [a for a in store.actions.list(child_id=child_id) if a.round_id == round_id]
    picked = []
    for suggestion in found.suggestions:
        level = result["domains"].get(suggestion.domain, {}).get("level", "incomplete")
        if level in suggestion.levels and not _planned(suggestion, in_round):
            picked.append((_LEVEL_ORDER[level], DOMAINS.index(suggestion.domain), suggestion))
    return [s for *_, s in sorted(picked, key=lambda item: item[:2])]


def _require_planner(store: Store, what: str) -> None:
    if store.user is None or store.user.role not in PLAN_ROLES:
        raise NotAllowed(f"Only a team lead or coordinator may {what}.")


def department_named(text: str) -> str:
    """One of DEPARTMENTS, typed in any case; '' when nothing is typed.

    Raises:
        UsageError: not a department cwtt knows.
    """
    key = " ".join(text.split()).casefold()
    if not key:
        return ""
    for department in DEPARTMENTS:
        if key == department.casefold():
            return department
    raise UsageError(
        f"There is no department '{text.strip()[:40]}'; use one of: {', '.join(DEPARTMENTS)}."
    )


def due_date(text: str, on: date) -> str:
    """A due date typed as 2026-11-27 or 27/11/2026, as ISO text; not before `on` (today).

    Raises:
        UsageError: not a real date, or a date already past.
    """
    due = parse_date(text)
    if due is None:
        raise UsageError(f"'{text.strip()[:20]}' is not a date; write it as YYYY-MM-DD.")
    if due < on:
        raise UsageError("That due date has passed; give today or a later date.")
    return due.isoformat()


def plan_action(
    store: Store,
    child_id: str,
    round_id: str,
    domain: str,
    what: str,
    *,
    responsible: str = "",
    department: str = "",
    due_on: str = "",
    notes: str = "",
    suggestion_id: str = "",
) -> Action:
    """Plan an action for a child in a round (team lead or coordinator only).

    Raises:
        NotAllowed, RecordNotFound (no such child or round), UsageError (a value is wrong).
    """
    _require_planner(store, "plan actions")
    store.children.get(child_id)
    store.rounds.get(round_id)
    details = ActionDetails(
        what=" ".join(what.split()),
        responsible=responsible.strip(),
        department=department_named(department),
        due_on=due_date(due_on, today(store)) if due_on.strip() else "",
        notes=notes.strip(),
    )
    with store.transaction():
        return store.actions.plan(child_id, round_id, domain, details, suggestion_id=suggestion_id)


def plan_suggestion(
    store: Store,
    child_id: str,
    round_id: str,
    suggestion: Suggestion,
    responsible: str = "",
    department: str = "",
    due_on: str = "",
    notes: str = "",
    *,
    lang: str = "en",
) -> Action:
    """Plan a suggested action: its text fills `what`; the department and the due date
    (today + its due days) are the suggestion's unless given.

    Raises:
        NotAllowed, RecordNotFound, UsageError (also when it is planned already).
    """
    _require_planner(store, "plan actions")
    in_round = [a for a in store.actions.list(child_id=child_id) if a.round_id == round_id]
    if _planned(suggestion, in_round):
        raise UsageError(f"'{suggestion.title.get()}' is planned already for this child.")
    due = due_on or (today(store) + timedelta(days=suggestion.due_days)).isoformat()
    return plan_action(
        store, child_id, round_id, suggestion.domain, suggestion.what.get(lang),
        responsible=responsible, department=department or suggestion.department, due_on=due,
        notes=notes, suggestion_id=suggestion.id,
    )  # fmt: skip


# --- the lifecycle -------------------------------------------------------------------------------


def status_named(text: str) -> str:
    """A status typed as `in_progress`, `in-progress` or `in progress` (any case).

    Raises:
        UsageError: not a status.
    """
    key = "_".join(text.replace("-", " ").split()).casefold()
    if key not in ACTION_STATUSES:
        known = ", ".join(STATUS_LABELS.values())
        raise UsageError(f"There is no status '{text.strip()[:30]}'; use one of: {known}.")
    return key


def change_status(store: Store, action_id: str, to: str, note: str = "") -> Action:
    """Move an action along its lifecycle, dated and attributed to the signed-in user.

    Raises:
        NotAllowed: nobody is signed in, or the role may not decline (or reopen a declined one).
        UsageError: the change is not allowed, or an outcome note is missing.
        RecordNotFound: no such action.
    """
    if store.user is None:
        raise NotAllowed("Sign in with your own passphrase to record what happened to an action.")
    to = status_named(to)
    action = store.actions.get(action_id)
    now, then = STATUS_LABELS[action.status], STATUS_LABELS[to]
    if to == action.status:
        raise UsageError(f"This action is {now} already.")
    reopen = action.status in FINAL
    if to not in ALLOWED[action.status]:
        if reopen:
            raise UsageError(
                f"This action is {now}; it can only be reopened as in progress, with a note."
            )
        allowed = ", ".join(
            STATUS_LABELS[s] for s in ACTION_STATUSES if s in ALLOWED[action.status]
        )
        raise UsageError(f"An action that is {now} cannot become {then}; choose: {allowed}.")
    if to == "declined":
        _require_planner(store, "decline an action")
    if reopen and action.status == "declined":
        _require_planner(store, "reopen a declined action")
    if reopen and not note.strip():
        raise UsageError("Write why the action is reopened.")
    if to in FINAL and not note.strip():
        raise UsageError(f"Write what happened (the outcome) to mark the action {then}.")
    with store.transaction():
        return store.actions.set_status(action.id, to, " ".join(note.split()))


def is_overdue(action: Action, on: date) -> bool:
    """Due before `on` (today) and not finished; an action due today is not overdue yet."""
    if action.status in FINAL or not action.details.due_on:
        return False
    try:
        return date.fromisoformat(action.details.due_on) < on
    except ValueError:
        return False


def list_actions(
    store: Store,
    *,
    school_id: str | None = None,
    child_id: str | None = None,
    overdue_on: date | None = None,
) -> list[Action]:
    """Actions of the children on the board (not withdrawn or merged), soonest due first; only
    those overdue on `overdue_on` when it is given."""
    shown = store.children.ids(school_id=school_id)
    found = [a for a in store.actions.list(child_id=child_id) if a.child_id in shown]
    if overdue_on is not None:
        found = [a for a in found if is_overdue(a, overdue_on)]
    return sorted(found, key=lambda a: (a.details.due_on or "9999-12-31", a.meta.created_at))


def overdue_actions(store: Store, on: date, school_id: str | None = None) -> list[Action]:
    """Every overdue action (of one school, or all), the longest overdue first."""
    return list_actions(store, school_id=school_id, overdue_on=on)


def open_actions_count(store: Store, on: date | None = None) -> dict[str, ActionCounts]:
    """Per child with open actions: how many are open and how many of them overdue (for the
    board and the home screen); `on` defaults to today."""
    on = on or today(store)
    counts: dict[str, ActionCounts] = {}
    for action in store.actions.list():
        if action.status in FINAL:
            continue
        was = counts.get(action.child_id, ActionCounts())
        counts[action.child_id] = ActionCounts(was.open + 1, was.overdue + is_overdue(action, on))
    return counts
