"""Interviews: every answer saved the moment it is given, in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cwtt_tui.errors import UsageError
from cwtt_tui.models import RESPONDENTS, SKIP_REASONS, Answer, Interview
from cwtt_tui.store.audit import AuditLog
from cwtt_tui.store.context import SealedTable, StoreContext, new_id


def answers_to_json(answers: Mapping[str, Answer]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for qid, answer in answers.items():
        item: dict[str, Any] = {"at": answer.at}
        if answer.skipped:
            item["skipped"] = answer.skipped
        else:
            item["value"] = answer.value
        out[qid] = item
    return out


def answers_from_json(data: Mapping[str, Any]) -> dict[str, Answer]:
    return {
        qid: Answer(value=item.get("value"), skipped=item.get("skipped"), at=item.get("at", ""))
        for qid, item in data.items()
    }


class Interviews(SealedTable):
    table = "interviews"
    noun = "interview"

    def __init__(self, ctx: StoreContext, audit: AuditLog) -> None:
        super().__init__(ctx)
        self.audit = audit

    def _from_row(self, row: dict[str, Any]) -> Interview:
        data = self._data(row)
        return Interview(
            id=row["id"],
            child_id=row["child_id"],
            round_id=row["round_id"],
            respondent=row["respondent"],
            status=row["status"],
            instrument_id=data["instrument_id"],
            instrument_version=data["instrument_version"],
            language=data["language"],
            interviewer_id=data["interviewer_id"],
            device_id=data["device_id"],
            started_at=data["started_at"],
            completed_at=data.get("completed_at"),
            position=data.get("position"),
            answers=answers_from_json(data.get("answers", {})),
            meta=self._meta(row),
        )

    @staticmethod
    def _to_json(interview: Interview) -> dict[str, Any]:
        return {
            "instrument_id": interview.instrument_id,
            "instrument_version": interview.instrument_version,
            "language": interview.language,
            "interviewer_id": interview.interviewer_id,
            "device_id": interview.device_id,
            "started_at": interview.started_at,
            "completed_at": interview.completed_at,
            "position": interview.position,
            "answers": answers_to_json(interview.answers),
        }

    def start(
        self,
        child_id: str,
        round_id: str,
        respondent: str,
        *,
        instrument_id: str,
        instrument_version: str,
        language: str = "en",
    ) -> Interview:
        """Begin a draft interview of one respondent about one child in one round."""
        return self._create(
            child_id, round_id, respondent, {}, instrument_id=instrument_id,
            instrument_version=instrument_version, language=language, complete=False,
        )  # fmt: skip

    def _create(
        self,
        child_id: str,
        round_id: str,
        respondent: str,
        answers: Mapping[str, Answer],
        *,
        instrument_id: str,
        instrument_version: str,
        language: str,
        complete: bool,
    ) -> Interview:
        if respondent not in RESPONDENTS:
            raise UsageError(f"The respondent must be one of: {', '.join(RESPONDENTS)}.")
        interview_id = new_id()
        now = self.ctx.now()
        status = "complete" if complete else "draft"
        interview = Interview(
            id=interview_id, child_id=child_id, round_id=round_id, respondent=respondent,  # type: ignore[arg-type]
            status=status, instrument_id=instrument_id, instrument_version=instrument_version,
            language=language, interviewer_id=self.ctx.user.id if self.ctx.user else "",
            device_id=self.ctx.device_id, started_at=now, completed_at=now if complete else None,
            position=None, answers=dict(answers),
        )  # fmt: skip
        clear = {
            "child_id": child_id,
            "round_id": round_id,
            "respondent": respondent,
            "status": status,
        }
        with self.db.atomic():
            row = self._insert(interview_id, clear, self._to_json(interview))
            self.audit.record(
                "interview.start", interview_id, child=child_id, respondent=respondent
            )
        return self._from_row(row)

    def record(
        self,
        child_id: str,
        round_id: str,
        respondent: str,
        answers: Mapping[str, Answer],
        *,
        instrument_id: str,
        instrument_version: str,
        language: str = "en",
        complete: bool = True,
    ) -> Interview:
        """Store a whole interview at once (answers captured on paper, or demo data)."""
        return self._create(
            child_id, round_id, respondent, answers, instrument_id=instrument_id,
            instrument_version=instrument_version, language=language, complete=complete,
        )  # fmt: skip

    def save_answer(
        self, interview_id: str, question_id: str, answer: Answer, *, position: str | None = None
    ) -> Interview:
        """Save one answer (or a skip) and where the interview stands, in one transaction."""
        if answer.skipped is not None and answer.skipped not in SKIP_REASONS:
            raise UsageError(f"A skip reason must be one of: {', '.join(SKIP_REASONS)}.")
        with self.db.atomic():
            current = self._from_row(self._row(interview_id))
            stamped = Answer(answer.value, answer.skipped, answer.at or self.ctx.now())
            answers = {**current.answers, question_id: stamped}
            data = self._to_json(current)
            data["answers"] = answers_to_json(answers)
            data["position"] = position if position is not None else question_id
            row = self._update(interview_id, {"status": current.status}, data)
        return self._from_row(row)

    def clear_answer(self, interview_id: str, question_id: str) -> Interview:
        """Forget one answer (when skip logic hides a question after an earlier answer changed)."""
        with self.db.atomic():
            current = self._from_row(self._row(interview_id))
            answers = {k: v for k, v in current.answers.items() if k != question_id}
            data = self._to_json(current)
            data["answers"] = answers_to_json(answers)
            row = self._update(interview_id, {"status": current.status}, data)
        return self._from_row(row)

    def complete(self, interview_id: str) -> Interview:
        with self.db.atomic():
            current = self._from_row(self._row(interview_id))
            data = self._to_json(current)
            data["completed_at"] = self.ctx.now()
            row = self._update(interview_id, {"status": "complete"}, data)
            self.audit.record("interview.complete", interview_id)
        return self._from_row(row)

    def reopen(self, interview_id: str) -> Interview:
        """Turn a complete interview back into a draft so that an answer can be corrected."""
        with self.db.atomic():
            current = self._from_row(self._row(interview_id))
            data = self._to_json(current)
            data["completed_at"] = None
            row = self._update(interview_id, {"status": "draft"}, data)
            self.audit.record("interview.reopen", interview_id)
        return self._from_row(row)

    def get(self, interview_id: str) -> Interview:
        return self._from_row(self._row(interview_id))

    def list(
        self,
        *,
        child_id: str | None = None,
        round_id: str | None = None,
        status: str | None = None,
    ) -> list[Interview]:
        where, params = ["1 = 1"], []
        for column, value in (("child_id", child_id), ("round_id", round_id), ("status", status)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        return [self._from_row(r) for r in self._rows(" and ".join(where), params)]

    def draft_count(self) -> int:
        """How many interviews are unfinished, without decrypting."""
        row = self.db.execute("select count(*) from interviews where status = 'draft'").fetchone()
        return int(row[0])

    def drafts(self) -> list[Interview]:
        """Unfinished interviews, most recently touched first."""
        return sorted(self.list(status="draft"), key=lambda i: i.meta.updated_at, reverse=True)  # type: ignore[union-attr]
