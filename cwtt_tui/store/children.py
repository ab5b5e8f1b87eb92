"""Children: one case per child, everything but ids and the school link sealed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import date
from typing import Any

from cwtt_tui.errors import NotAllowed, UsageError
from cwtt_tui.models import GRADES, Child, ChildDetails, ChildName, Consent
from cwtt_tui.store.audit import AuditLog
from cwtt_tui.store.context import SealedTable, StoreContext, new_id


def details_to_json(details: ChildDetails) -> dict[str, Any]:
    data = asdict(details)
    data["date_of_birth"] = details.date_of_birth.isoformat()
    return data


def details_from_json(data: dict[str, Any]) -> ChildDetails:
    consent = data.get("consent")
    return ChildDetails(
        first_name=data["first_name"],
        last_name=data["last_name"],
        grade=data["grade"],
        class_name=data["class_name"],
        date_of_birth=date.fromisoformat(data["date_of_birth"]),
        sex=data["sex"],
        home_language=data.get("home_language", "en"),
        caregiver_name=data.get("caregiver_name", ""),
        caregiver_contact=data.get("caregiver_contact", ""),
        consent=Consent(**consent) if consent else None,
    )


def check_details(details: ChildDetails, today: date) -> None:
    """Refuse impossible registrations with a plain sentence."""
    if not details.first_name.strip() or not details.last_name.strip():
        raise UsageError("A child needs a first name and a last name.")
    if details.grade not in GRADES:
        raise UsageError(f"The grade must be one of R, 1, 2 or 3 (got {details.grade!r}).")
    if details.sex not in ("male", "female"):
        raise UsageError("Sex must be male or female, as the growth charts need it.")
    if details.date_of_birth > today:
        raise UsageError("The date of birth is in the future; check the year.")
    age_years = (today - details.date_of_birth).days / 365.25
    if not 3 <= age_years <= 14:
        raise UsageError(
            "A Foundation Phase learner is between 3 and 14 years old; check the date."
        )


class Children(SealedTable):
    """Register, read, update and withdraw children."""

    table = "children"
    noun = "child"

    def __init__(self, ctx: StoreContext, audit: AuditLog) -> None:
        super().__init__(ctx)
        self.audit = audit

    def _from_row(self, row: dict[str, Any]) -> Child:
        return Child(
            id=row["id"],
            school_id=row["school_id"],
            withdrawn=bool(row["withdrawn"]),
            details=details_from_json(self._data(row)),
            meta=self._meta(row),
            merged_into=row.get("merged_into"),
        )

    def add(self, school_id: str, details: ChildDetails) -> Child:
        """Register a child; the caregiver's consent and the child's assent must be recorded."""
        check_details(details, self.ctx.clock().date())
        if details.consent is None or not details.consent.caregiver_consent:
            raise NotAllowed("Record the caregiver's consent before registering a child.")
        child_id = new_id()
        with self.db.atomic():
            row = self._insert(
                child_id, {"school_id": school_id, "withdrawn": 0}, details_to_json(details)
            )
            self.audit.record("child.add", child_id)
        return self._from_row(row)

    def get(self, child_id: str, *, viewed: bool = False) -> Child:
        """Read one child; `viewed=True` writes the view to the audit log (opening a case)."""
        child = self._from_row(self._row(child_id))
        if viewed:
            self.audit.record("child.view", child_id)
        return child

    def list(
        self, *, school_id: str | None = None, include_withdrawn: bool = False,
        include_merged: bool = False,
    ) -> list[Child]:  # fmt: skip
        return list(
            self.each(
                school_id=school_id, include_withdrawn=include_withdrawn,
                include_merged=include_merged,
            )
        )  # fmt: skip

    def shown_count(self) -> int:
        """How many children are on the board (not withdrawn or merged), without decrypting."""
        row = self.db.execute(
            "select count(*) from children where withdrawn = 0 and merged_into is null"
        ).fetchone()
        return int(row[0])

    def ids(self, *, school_id: str | None = None) -> set[str]:
        """The ids of the children on the board (not withdrawn or merged), without decrypting."""
        where, params = "withdrawn = 0 and merged_into is null", []
        if school_id:
            where += " and school_id = ?"
            params.append(school_id)
        return {r[0] for r in self.db.execute(f"select id from children where {where}", params)}

    def each(
        self, *, school_id: str | None = None, include_withdrawn: bool = False,
        include_merged: bool = False,
    ) -> Iterator[Child]:  # fmt: skip
        """The children one at a time (a scan that keeps few in memory)."""
        where, params = ["1 = 1"], []
        if not include_merged:
            where.append("merged_into is null")
        if school_id:
            where.append("school_id = ?")
            params.append(school_id)
        if not include_withdrawn:
            where.append("withdrawn = 0")
        for row in self._rows(" and ".join(where), params):
            yield self._from_row(row)

    def names(self) -> Iterator[ChildName]:
        """The children on the board as the fields probable duplicates compare: one scan that
        opens their payloads a chunk at a time and builds no whole children."""
        rows = self.db.conn.execute(
            "select id, school_id, created_at, payload from children "
            "where merged_into is null and withdrawn = 0 order by created_at, id"
        )
        while chunk := rows.fetchmany(500):
            ids, sealed = [row[0] for row in chunk], [row[3] for row in chunk]
            opened = self.ctx.open_json_many(self.table, ids, sealed)
            for (child_id, school_id, created_at, _), details in zip(chunk, opened, strict=True):
                yield ChildName(child_id, school_id, details["date_of_birth"],
                                created_at, details["first_name"], details["last_name"])  # fmt: skip

    def update(self, child: Child, details: ChildDetails) -> Child:
        """Save changed details; fails if the child changed since `child` was read."""
        check_details(details, self.ctx.clock().date())
        with self.db.atomic():
            row = self._update(child.id, {}, details_to_json(details), child.meta.version)
            self.audit.record("child.update", child.id)
        return self._from_row(row)

    def withdraw(self, child_id: str, reason: str) -> Child:
        """Withdraw a child: the data stays (per policy) but the board never shows them."""
        child = self.get(child_id)
        with self.db.atomic():
            row = self._update(child_id, {"withdrawn": 1}, details_to_json(child.details))
            self.audit.record("child.withdraw", child_id, reason=reason)
        return self._from_row(row)

    def with_consent(self, child: Child, consent: Consent) -> Child:
        return self.update(child, replace(child.details, consent=consent))

    def set_merged_into(self, child_id: str, into: str | None) -> Child:
        """Hide a duplicate record behind the child it was merged into (None: undo)."""
        child = self.get(child_id)
        with self.db.atomic():
            row = self._update(child_id, {"merged_into": into}, details_to_json(child.details))
        return self._from_row(row)
