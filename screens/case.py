"""A child's case: levels across rounds, the six domains with the reasons behind them, and the
actions planned for the child in this round (A plans one, U records what happened)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static

from cwtt_tui.errors import CwttError
from cwtt_tui.models import DOMAINS, Action
from cwtt_tui.planning import FINAL, PLAN_ROLES, catalogue, is_overdue, suggestions, today
from cwtt_tui.rounds import child_timeline
from cwtt_tui.sensitivity import may_see, redact_reason
from screens.widgets.action_list import ActionList
from screens.widgets.timeline import timeline_markup

if TYPE_CHECKING:
    from cwtt_tui.planning import Suggestion
    from cwtt_tui.store.store import Store

DOMAIN_TITLES = {
    "health": "Health",
    "nutrition": "Nutrition",
    "economic": "Economic & material",
    "protection": "Protection & care",
    "education": "Education",
    "psychosocial": "Psychosocial",
}
LEVEL_LABELS = {"high": "HIGH", "medium": "MEDIUM", "low": "LOW", "incomplete": "INCOMPLETE"}
LEVEL_COLOURS = {"high": "$risk-high", "medium": "$risk-medium"}
INTERVIEWS = (
    ("caregiver", "caregiver"),
    ("teacher", "teacher"),
    ("health", "health"),
    ("child_self", "child"),
)
NOT_A_PLANNER = "Only a team lead or coordinator may plan actions."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class CaseScreen(Screen[None]):
    """Escape goes back to the board; A plans an action, U records what happened to one."""

    CSS_PATH = "case.tcss"
    TITLE = "Case"
    HELP = """
Why a child is flagged: **Across rounds** shows each domain's level in every round and how it
changed since the round before. Each domain shows its level and, under it, the rules that fired
with the answers behind them. **Missing** lists what is still needed before a domain can be
called LOW (an interview not done, a skipped answer, a measurement to repeat).

**Actions** (at the end) lists what is planned for the child in this round; an action past its
due date says **OVERDUE**. Under it are the suggested actions for the flagged domains.

- **A** plans an action: a suggestion, or something else (team leads and coordinators).
- **U** records what happened to the chosen action (referred, in progress, done…). With more
  than one action, U first moves to the list: choose with the arrows, then press U or Enter.
- **M** records the mandatory report when one is due.
- **O** lowers a protection HIGH (team leads and coordinators, with a written reason).
- **Escape** goes back.
"""
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="case-back"),
        Binding("a", "plan", "Plan action", id="case-plan"),
        Binding("u", "update", "Update action", id="case-update"),
        Binding("m", "report", "Report", id="case-report"),
        Binding("o", "lower", "Lower protection", show=False, id="case-lower"),
    ]

    def __init__(self, store: Store, child_id: str, round_id: str) -> None:
        super().__init__()
        self.store = store
        self.child = store.children.get(child_id, viewed=True)
        self.result: dict[str, Any] | None = store.assessments.get(child_id, round_id)
        self.round = store.rounds.get(round_id)
        self.actions: list[Action] = []
        self.titles: dict[str, str] = {}  # suggestion id -> its short title
        self.may_see_sensitive = may_see(store.user)

    def compose(self) -> ComposeResult:
        d = self.child.details
        yield Header()
        with VerticalScroll(id="case-body"):
            yield Static(
                f"{d.full_name} · Grade {d.grade} {d.class_name} · born {d.date_of_birth} · "
                f"{self.round.name}",
                id="case-title",
            )
            yield Static(self._timeline(), id="case-timeline")
            yield Static("", id="case-actions-line")
            yield from self._levels()
            yield Static("Actions of this round", id="case-actions-title")
            yield ActionList(id="case-actions")
            yield Static("", id="case-suggestions")
            yield Static(self._sources(), id="case-sources")
        yield Footer()

    def _levels(self) -> ComposeResult:
        if self.result is None:
            yield Static("Not scored yet: no interview of this round is finished.")
            return
        flags = self.result.get("flags", {})
        if flags.get("mandatory_report"):
            yield Static(
                "! A report to a designated social worker is required (Children's Act s110).",
                id="case-report",
            )
        if flags.get("urgent_referral"):
            who = ", ".join(flags["urgent_referral"])
            yield Static(f"! Urgent same-day referral: {who}.", id="case-urgent")
        yield Static(self._growth(), id="case-growth")
        for domain in DOMAINS:
            level = self.result["domains"][domain]["level"]
            text = self._domain(domain)
            yield Static(
                f" {LEVEL_LABELS[level]:<10} {DOMAIN_TITLES[domain]}",
                classes=f"case-level -{level}" + ("" if text else " -alone"),
            )
            if text:
                yield Static(text, classes="case-domain")

    def on_mount(self) -> None:
        self.show_actions()

    # -- actions ---------------------------------------------------------------------------------
    @property
    def may_plan(self) -> bool:
        user = self.store.user
        return user is not None and user.role in PLAN_ROLES

    def show_actions(self, select: str | None = None) -> None:
        """Load this child's actions of this round and the suggestions not planned yet."""
        store, on = self.store, today(self.store)
        self.actions = [
            a for a in store.actions.list(child_id=self.child.id) if a.round_id == self.round.id
        ]
        try:
            found = catalogue()
            self.titles = {s.id: s.title.get() for s in found.suggestions}
            offered = suggestions(store, self.child.id, self.round.id, found=found)
            problem = ""
        except CwttError as exc:
            offered, problem = [], exc.message
        listed = self.query_one(ActionList)
        listed.show(self.actions, on, self.titles, DOMAIN_TITLES, select)
        listed.display = bool(self.actions)
        heading = "Actions of this round" + ("" if self.actions else ": none planned yet")
        self.query_one("#case-actions-title", Static).update(heading)
        self.query_one("#case-actions-line", Static).update(self._summary(on, len(offered)))
        self.query_one("#case-suggestions", Static).update(problem or self._offered(offered))

    def _summary(self, on: date, offered: int) -> str:
        """One line near the top: how many actions are open, overdue and finished."""
        finished = sum(a.status in FINAL for a in self.actions)
        still = len(self.actions) - finished
        overdue = sum(is_overdue(a, on) for a in self.actions)
        parts = [f"{still} open" + (f" ([b $error]{overdue} OVERDUE[/])" if overdue else "")]
        if finished:
            parts.append(f"{finished} finished")
        done = ", ".join(parts) if self.actions else "none planned yet"
        if offered:
            return f"Actions: {done}; {offered} suggested · see Actions below"
        return f"Actions: {done}" + (" · see Actions below" if self.actions else "")

    def _offered(self, offered: list[Suggestion]) -> str:
        """The suggestions per flagged domain, high levels first (the order they come in)."""
        if not offered:
            return "No suggested actions: no domain is flagged, or all are planned."
        lines = [
            "Suggested (press A to plan one):" if self.may_plan else "Suggested for this child:"
        ]
        domain = ""
        for suggestion in offered:
            if suggestion.domain != domain:
                domain = suggestion.domain
                level = self._level(domain)
                word = LEVEL_LABELS.get(level, "")
                colour = LEVEL_COLOURS.get(level, "$text")
                lines.append(f" [b {colour}]{word}[/] [b]{DOMAIN_TITLES[domain]}[/]")
            report = " → opens the report form" if suggestion.mandatory_report else ""
            lines.append(f"   · {escape(suggestion.title.get())}{report}")
        if not self.may_plan:
            lines.append(f"{NOT_A_PLANNER} You can record what happened to one (U).")
        return "\n".join(lines)

    def _level(self, domain: str) -> str:
        if not self.result:
            return ""
        return str(self.result["domains"].get(domain, {}).get("level", ""))

    def action_plan(self) -> None:
        from screens.plan_action import PlanActionScreen

        if not self.may_plan:
            self.notify(NOT_A_PLANNER, severity="warning")
            return
        levels = {d: self._level(d) for d in DOMAINS}
        screen = PlanActionScreen(
            self.store, self.child.id, self.round.id, self.child.details.full_name, levels
        )
        self.app.push_screen(screen, self._planned)

    def _planned(self, result: Action | str | None) -> None:
        if result == "report":
            self._report(from_suggestion=True)
        elif isinstance(result, Action):
            self.show_actions(select=result.id)
            self.query_one(ActionList).focus()
            due = f", due {result.details.due_on}" if result.details.due_on else ""
            self.notify(f"Action planned{due}. U records what happened to it.")

    def action_update(self) -> None:
        listed = self.query_one(ActionList)
        if not self.actions:
            hint = "Press A to plan one." if self.may_plan else ""
            self.notify(f"No action is planned for this child in this round. {hint}".strip())
            return
        if self.focused is not listed and len(self.actions) > 1:
            listed.focus()
            self.notify("Choose the action with the arrows, then press U or Enter.")
            return
        self._open_status(listed.highlighted_id)

    @on(OptionList.OptionSelected, "#case-actions")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._open_status(event.option.id)

    def _open_status(self, action_id: str | None) -> None:
        from screens.action_status import ActionStatusScreen

        action = next((a for a in self.actions if a.id == action_id), None)
        if action is None:
            return
        what = self.titles.get(action.suggestion_id) or action.details.what
        title = f"{DOMAIN_TITLES[action.domain]}: {what}"
        self.app.push_screen(ActionStatusScreen(self.store, action, title), self._changed)

    def _changed(self, action: Action | None) -> None:
        if action is None:
            return
        self.show_actions(select=action.id)
        self.query_one(ActionList).focus()
        self.notify(f"Saved: the action is now {action.status.replace('_', ' ')}.")

    # -- report and lowering ---------------------------------------------------------------------
    def action_lower(self) -> None:
        from cwtt_tui.assessing import lower_protection
        from screens.lower_level import LowerLevelScreen

        user = self.store.user
        name = user.name if user else ""

        def lower(level: str, reason: str) -> object:
            return lower_protection(self.store, self.child, self.round.id, level, reason)

        def done(changed: bool | None) -> None:
            if changed:
                self.app.pop_screen()
                self.app.push_screen(CaseScreen(self.store, self.child.id, self.round.id))

        self.app.push_screen(LowerLevelScreen(name, lower), done)

    def action_report(self) -> None:
        self._report(from_suggestion=False)

    def _report(self, *, from_suggestion: bool) -> None:
        """The mandatory-report panel; from the s110 suggestion it opens even without the flag."""
        from cwtt_tui.reporting import ReportDue, report_due
        from screens.mandatory_report import MandatoryReportScreen

        due = report_due(self.store, self.child.id, self.round.id)
        if due is None and from_suggestion:
            due = ReportDue(self.child.id, self.round.id, ())
        if due is None:
            self.notify("No report is due for this child, or it is already recorded.")
            return
        screen = MandatoryReportScreen(self.store, due, self.child.details.full_name)
        self.app.push_screen(screen, lambda recorded: self.show_actions() if recorded else None)

    # -- texts -----------------------------------------------------------------------------------
    def _timeline(self) -> str:
        try:
            points = child_timeline(self.store, self.child.id)
        except CwttError as exc:
            return f"Across rounds: {exc.message}"
        return timeline_markup(points, self.round.id, DOMAIN_TITLES)

    def _sources(self) -> str:
        from cwtt_tui.case_sources import interview_sources

        lines = [s.describe() for s in interview_sources(self.store, self.child.id, self.round.id)]
        return "Interviews of this round:\n" + "\n".join(f"  {line}" for line in lines)

    def _growth(self) -> str:
        growth = self.result.get("scales", {}).get("growth", {}) if self.result else {}

        def z(name: str) -> str:
            value = growth.get(name)
            return "no reference" if value is None else f"{value:+.2f}"

        flags = ", ".join(growth.get("flags", [])) or "none"
        return (
            f"Growth (WHO 2007): height-for-age {z('haz')}, weight-for-age {z('waz')}, "
            f"BMI-for-age {z('baz')}; flags: {flags}"
        )

    def _domain(self, domain: str) -> Text:
        info = self.result["domains"][domain] if self.result else {}
        text = Text()
        override = info.get("override")
        if override:
            text.append(
                f"   Lowered from HIGH by {override['by']} on {override['at'][:10]}: "
                f"{override['reason']}\n",
                style="bold",
            )
        for reason in info.get("reasons", []):
            reason = redact_reason(reason, self.may_see_sensitive)
            answers = ", ".join(f"{k} = {v}" for k, v in reason.get("answers", {}).items())
            text.append(f"   - {reason['text']}")
            text.append(f"  [{reason['rule']}]\n", style="dim")
            if answers:
                text.append(f"     answers: {answers}\n", style="dim")
        for note in info.get("notes", []):
            note = redact_reason(note, self.may_see_sensitive)
            text.append(f"   note: {note['text']}\n", style="italic")
        missing = info.get("missing", [])
        if missing:
            shown = ", ".join(missing[:6]) + (
                f" and {len(missing) - 6} more" if len(missing) > 6 else ""
            )
            text.append(f"   missing: {shown}\n", style="dim")
        text.rstrip()
        return text
