"""A child's case: the six domains with their level, the reasons and the answers behind them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from cwtt_tui.models import DOMAINS

if TYPE_CHECKING:
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
INTERVIEWS = (
    ("caregiver", "caregiver"),
    ("teacher", "teacher"),
    ("health", "health"),
    ("child_self", "child"),
)


class CaseScreen(Screen[None]):
    """Read-only case view; Escape goes back to the board."""

    CSS_PATH = "case.tcss"
    TITLE = "Case"
    HELP = """
Why a child is flagged: each domain shows its level and, under it, the rules that fired with
the answers behind them. **Missing** lists what is still needed before a domain can be called
LOW (an interview not done, a skipped answer, a measurement to repeat).
**M** records the mandatory report when one is due. **O** lowers a protection HIGH (team leads
and coordinators only, with a written reason kept in their name). **Escape** goes back.
"""
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="case-back"),
        Binding("m", "report", "Record report", id="case-report"),
        Binding("o", "lower", "Lower protection", id="case-lower"),
    ]

    def __init__(self, store: Store, child_id: str, round_id: str) -> None:
        super().__init__()
        self.store = store
        self.child = store.children.get(child_id, viewed=True)
        self.result: dict[str, Any] | None = store.assessments.get(child_id, round_id)
        self.round = store.rounds.get(round_id)

    def compose(self) -> ComposeResult:
        d = self.child.details
        yield Header()
        with VerticalScroll(id="case-body"):
            yield Static(
                f"{d.full_name} · Grade {d.grade} {d.class_name} · born {d.date_of_birth} · "
                f"{self.round.name}",
                id="case-title",
            )
            if self.result is None:
                yield Static("Not scored yet: no interview of this round is finished.")
                yield Static(self._sources(), id="case-sources")
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
                yield Static(
                    f" {LEVEL_LABELS[level]:<10} {DOMAIN_TITLES[domain]}",
                    classes=f"case-level -{level}",
                )
                yield Static(self._domain(domain), classes="case-domain")
            yield Static(self._sources(), id="case-sources")

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
        from cwtt_tui.reporting import report_due
        from screens.mandatory_report import MandatoryReportScreen

        due = report_due(self.store, self.child.id, self.round.id)
        if due is None:
            self.notify("No report is due for this child, or it is already recorded.")
            return
        self.app.push_screen(MandatoryReportScreen(self.store, due, self.child.details.full_name))

    def _sources(self) -> str:
        from cwtt_tui.case_sources import interview_sources

        lines = [s.describe() for s in interview_sources(self.store, self.child.id, self.round.id)]
        return "Interviews of this round:\n" + "\n".join(f"  {line}" for line in lines)

    def _growth(self) -> str:
        growth = self.result["scales"].get("growth", {}) if self.result else {}

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
            answers = ", ".join(f"{k} = {v}" for k, v in reason.get("answers", {}).items())
            text.append(f"   - {reason['text']}")
            text.append(f"  [{reason['rule']}]\n", style="dim")
            if answers:
                text.append(f"     answers: {answers}\n", style="dim")
        for note in info.get("notes", []):
            text.append(f"   note: {note['text']}\n", style="italic")
        missing = info.get("missing", [])
        if missing:
            shown = ", ".join(missing[:6]) + (
                f" and {len(missing) - 6} more" if len(missing) > 6 else ""
            )
            text.append(f"   missing: {shown}\n", style="dim")
        return text
