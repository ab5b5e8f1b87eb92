"""Actions: the interventions and referrals planned for a child, with their status."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from cwtt_tui.errors import UsageError
from cwtt_tui.models import ACTION_STATUSES, Action, ActionDetails, StatusChange
from cwtt_tui.store.audit import AuditLog
from cwtt_tui.store.context import SealedTable, StoreContext, new_id

DOMAINS = ("health", "nutrition", "economic", "protection", "education", "psychosocial")


def _change(entry: dict[str, Any]) -> StatusChange:
    """One stored history entry as a typed record (old entries lack `by_name`)."""
    return StatusChange(
        at=entry.get("at", ""), by=entry.get("by", ""), by_name=entry.get("by_name", ""),
        from_status=entry.get("from", ""), to=entry.get("to", ""), note=entry.get("note", ""),
    )  # fmt: skip


class Actions(SealedTable):
    table = "actions"
    noun = "action"

    def __init__(self, ctx: StoreContext, audit: AuditLog) -> None:
        super().__init__(ctx)
        self.audit = audit

    def _from_row(self, row: dict[str, Any]) -> Action:
        data = self._data(row)
        history = tuple(_change(entry) for entry in data.get("history", []))
        return Action(
            id=row["id"], child_id=row["child_id"], round_id=row["round_id"],
            domain=data["domain"], status=row["status"],
            details=ActionDetails(**data["details"]), meta=self._meta(row),
            suggestion_id=data.get("suggestion_id", ""), history=history,
        )  # fmt: skip

    def plan(
        self,
        child_id: str,
        round_id: str,
        domain: str,
        details: ActionDetails,
        *,
        suggestion_id: str = "",
    ) -> Action:
        """Plan an action; `suggestion_id` names the catalogue suggestion it came from, if any."""
        if domain not in DOMAINS:
            raise UsageError(f"The domain must be one of: {', '.join(DOMAINS)}.")
        if not details.what.strip():
            raise UsageError("Say what the action is, e.g. 'Refer to clinic for a vision test'.")
        action_id = new_id()
        data: dict[str, Any] = {"domain": domain, "details": asdict(details), "history": []}
        if suggestion_id:
            data["suggestion_id"] = suggestion_id
        clear = {"child_id": child_id, "round_id": round_id, "status": "planned"}
        with self.db.atomic():
            row = self._insert(action_id, clear, data)
            self.audit.record("action.plan", action_id, child=child_id, domain=domain)
        return self._from_row(row)

    def set_status(self, action_id: str, status: str, note: str = "") -> Action:
        """Move an action along its lifecycle; each change is dated and attributed."""
        if status not in ACTION_STATUSES:
            raise UsageError(f"The status must be one of: {', '.join(ACTION_STATUSES)}.")
        row = self._row(action_id)
        data = self._data(row)
        data.setdefault("history", []).append(
            {
                "at": self.ctx.now(),
                "by": self.ctx.user.id if self.ctx.user else "",
                "by_name": self.ctx.user.name if self.ctx.user else "",
                "from": row["status"],
                "to": status,
                "note": note,
            }
        )
        with self.db.atomic():
            row = self._update(action_id, {"status": status}, data)
            self.audit.record("action.status", action_id, status=status)
        return self._from_row(row)

    def get(self, action_id: str) -> Action:
        return self._from_row(self._row(action_id))

    def list(self, *, child_id: str | None = None, status: str | None = None) -> list[Action]:
        where, params = ["1 = 1"], []
        if child_id is not None:
            where.append("child_id = ?")
            params.append(child_id)
        if status is not None:
            where.append("status = ?")
            params.append(status)
        return [self._from_row(r) for r in self._rows(" and ".join(where), params)]
