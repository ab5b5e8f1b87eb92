"""Schools, known by EMIS number and name (both sealed)."""

from __future__ import annotations

from cwtt_tui.models import School
from cwtt_tui.store.context import SealedTable, new_id


class Schools(SealedTable):
    table = "schools"
    noun = "school"

    def add(self, emis: str, name: str) -> School:
        """Add a school, or return the one already held with this EMIS number."""
        for school in self.list():
            if school.emis == emis:
                return school
        school_id = new_id()
        with self.db.atomic():
            self._insert(school_id, {}, {"emis": emis, "name": name})
        return School(school_id, emis, name)

    def get(self, school_id: str) -> School:
        row = self._row(school_id)
        data = self._data(row)
        return School(row["id"], data["emis"], data["name"])

    def list(self) -> list[School]:
        schools = []
        for row in self._rows():
            data = self._data(row)
            schools.append(School(row["id"], data["emis"], data["name"]))
        return sorted(schools, key=lambda s: s.name.casefold())
