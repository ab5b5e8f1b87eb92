"""Rounds: assessment waves (baseline, follow-up 1, …) with their dates."""

from __future__ import annotations

from typing import Any

from cwtt_tui.errors import UsageError
from cwtt_tui.models import Round, RoundActivity
from cwtt_tui.store.audit import AuditLog
from cwtt_tui.store.context import SealedTable, StoreContext, new_id


class Rounds(SealedTable):
    table = "rounds"
    noun = "round"

    def __init__(self, ctx: StoreContext, audit: AuditLog) -> None:
        super().__init__(ctx)
        self.audit = audit

    def _from_row(self, row: dict[str, Any]) -> Round:
        data = self._data(row)
        return Round(
            id=row["id"], number=row["number"], name=data["name"], starts_on=data["starts_on"],
            ends_on=data["ends_on"], status=row["status"], meta=self._meta(row),
        )  # fmt: skip

    def open(self, name: str, starts_on: str, ends_on: str = "") -> Round:
        """Open the next round; earlier open rounds stay open until closed."""
        if not name.strip():
            raise UsageError("A round needs a name, e.g. 'Baseline 2026'.")
        numbers = [r.number for r in self.list()]
        round_id = new_id()
        data = {"name": name.strip(), "starts_on": starts_on, "ends_on": ends_on}
        with self.db.atomic():
            row = self._insert(
                round_id, {"number": max(numbers, default=0) + 1, "status": "open"}, data
            )
            self.audit.record("round.open", round_id)
        return self._from_row(row)

    def close(self, round_id: str) -> Round:
        current = self.get(round_id)
        data = {"name": current.name, "starts_on": current.starts_on, "ends_on": current.ends_on}
        with self.db.atomic():
            row = self._update(round_id, {"status": "closed"}, data)
            self.audit.record("round.close", round_id)
        return self._from_row(row)

    def get(self, round_id: str) -> Round:
        return self._from_row(self._row(round_id))

    def list(self) -> list[Round]:
        return sorted((self._from_row(r) for r in self._rows()), key=lambda r: r.number)

    def current(self) -> Round | None:
        """The latest open round, where new interviews go."""
        open_rounds = [r for r in self.list() if r.status == "open"]
        return open_rounds[-1] if open_rounds else None

    def activity(self) -> dict[str, RoundActivity]:
        """Per round id: children scored, finished interviews and drafts (counts only).

        Withdrawn and merged children are left out, as on the board.
        """
        live = "c.withdrawn = 0 and c.merged_into is null"
        scored = dict(
            self.db.execute(
                "select a.round_id, count(*) from assessments a join children c "
                f"on c.id = a.child_id where {live} group by a.round_id"
            ).fetchall()
        )
        done: dict[str, int] = {}
        drafts: dict[str, int] = {}
        for round_id, status, count in self.db.execute(
            "select i.round_id, i.status, count(*) from interviews i join children c "
            f"on c.id = i.child_id where {live} group by i.round_id, i.status"
        ).fetchall():
            (done if status == "complete" else drafts)[round_id] = count
        return {
            r: RoundActivity(scored.get(r, 0), done.get(r, 0), drafts.get(r, 0))
            for r in {*scored, *done, *drafts}
        }
