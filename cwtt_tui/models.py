"""Typed records that cross the store's boundary: screens and the CLI see these, never rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, NamedTuple

from cwtt_tui.store_info import StoreInfo as StoreInfo  # read before the store is unlocked

Role = Literal["practitioner", "team_lead", "coordinator"]
ROLES: tuple[Role, ...] = ("practitioner", "team_lead", "coordinator")
ROLE_LABELS: dict[str, str] = {
    "practitioner": "Practitioner",
    "team_lead": "Team lead",
    "coordinator": "Coordinator",
}
#: Roles trained for sensitive questions unless said otherwise (users made before the permission).
SENSITIVE_BY_DEFAULT: tuple[Role, ...] = ("team_lead", "coordinator")

Respondent = Literal["child", "caregiver", "teacher", "health"]
RESPONDENTS: tuple[Respondent, ...] = ("child", "caregiver", "teacher", "health")

INTERVIEW_STATUSES = ("draft", "complete")
ACTION_STATUSES = ("planned", "referred", "in_progress", "done", "declined", "could_not_reach")
GRADES = ("R", "1", "2", "3")
#: Why a question has no answer; `trained_staff` is recorded by cwtt, never chosen by a person.
SKIP_REASONS = ("refused", "dont_know", "not_applicable", "trained_staff")
TRAINED_STAFF = "trained_staff"


@dataclass(frozen=True)
class RecordMeta:
    """What every record carries so that bundles can upsert idempotently and spot conflicts."""

    created_at: str
    updated_at: str
    updated_by_device: str
    version: int
    via_bundle: str | None = None  # the bundle that brought the latest change (None: made here)


@dataclass(frozen=True)
class School:
    id: str
    emis: str
    name: str


@dataclass(frozen=True)
class User:
    id: str
    name: str
    role: Role
    created_at: str
    sensitive: bool = False  # trained for sensitive questions: may ask and see them


def sensitive_default(role: str) -> bool:
    """Whether a user of `role` is trained for sensitive questions when nobody has said."""
    return role in SENSITIVE_BY_DEFAULT


@dataclass(frozen=True)
class Consent:
    """Caregiver consent and child assent, as POPIA needs them before any other question."""

    caregiver_consent: bool
    child_assent: bool
    given_by: str
    recorded_by: str
    recorded_on: str
    method: str  # written, verbal, thumbprint


@dataclass(frozen=True)
class ChildDetails:
    """The sealed part of a child's record."""

    first_name: str
    last_name: str
    grade: str
    class_name: str
    date_of_birth: date
    sex: Literal["male", "female"]
    home_language: str = "en"
    caregiver_name: str = ""
    caregiver_contact: str = ""
    consent: Consent | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Child:
    id: str
    school_id: str
    withdrawn: bool
    details: ChildDetails
    meta: RecordMeta
    merged_into: str | None = None  # set when this record was merged into another child's


class ChildName(NamedTuple):
    """What probable duplicates compare: school, date of birth (ISO) and names."""

    id: str
    school_id: str
    date_of_birth: str
    created_at: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class Round:
    id: str
    number: int
    name: str
    starts_on: str
    ends_on: str
    status: Literal["open", "closed"]
    meta: RecordMeta


@dataclass(frozen=True)
class RoundActivity:
    """How much a round holds: children scored, finished interviews and drafts."""

    scored: int = 0
    interviews: int = 0
    drafts: int = 0


@dataclass(frozen=True)
class Answer:
    """One answer: a value, or a skip with its reason (one of SKIP_REASONS)."""

    value: Any = None
    skipped: str | None = None
    at: str = ""


@dataclass(frozen=True)
class Interview:
    id: str
    child_id: str
    round_id: str
    respondent: Respondent
    status: Literal["draft", "complete"]
    instrument_id: str
    instrument_version: str
    language: str
    interviewer_id: str
    device_id: str
    started_at: str
    completed_at: str | None
    position: str | None
    answers: Mapping[str, Answer] = field(default_factory=dict)
    meta: RecordMeta | None = None

    def values(self) -> dict[str, Any]:
        """Answers as the flow engine and scoring read them: the value, or `{"skipped": reason}`."""
        return {
            qid: {"skipped": a.skipped} if a.skipped else a.value for qid, a in self.answers.items()
        }


@dataclass(frozen=True)
class ActionDetails:
    what: str
    responsible: str = ""
    department: str = ""
    due_on: str = ""
    notes: str = ""


@dataclass(frozen=True)
class StatusChange:
    """One step of an action's lifecycle: when, by whom (user id and name), from, to, and why."""

    at: str
    by: str
    by_name: str
    from_status: str
    to: str
    note: str = ""


@dataclass(frozen=True)
class Action:
    id: str
    child_id: str
    round_id: str
    domain: str
    status: str
    details: ActionDetails
    meta: RecordMeta
    suggestion_id: str = ""  # the catalogue suggestion it was planned from ("" = written by hand)
    history: tuple[StatusChange, ...] = ()


@dataclass(frozen=True)
class Device:
    """This laptop or an enrolled peer, known by its public keys."""

    id: str
    name: str
    ed25519_public: bytes
    x25519_public: bytes
    fingerprint: str
    trusted_since: str
    is_local: bool
    mlkem768_public: bytes | None = None
    suite: str = ""  # how bundles to this peer are encrypted ("" = the best both can use)
    revoked: bool = False


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    user_id: str
    device_id: str
    action: str
    target: str
    detail: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditReport:
    """The outcome of checking the audit chain: `first_broken` is None when it holds."""

    entries: int
    first_broken: int | None
    reason: str = ""


@dataclass(frozen=True)
class NewStore:
    """What the setup wizard collects before a store is made."""

    school_emis: str
    school_name: str
    laptop_name: str
    user_name: str
    role: Role
    passphrase: str


LEVEL_CODES = {"high": "H", "medium": "M", "low": "L", "incomplete": "-"}
DOMAINS = ("health", "nutrition", "economic", "protection", "education", "psychosocial")


@dataclass(frozen=True)
class BoardSummary:
    """One child's line on the risk board for one round: what the board decrypts, nothing more.

    `levels` holds one code per domain in DOMAINS order: H, M, L or - (incomplete).
    """

    child_id: str
    name: str
    school_id: str
    grade: str
    class_name: str
    levels: str
    highs: int
    last_interview: str
    mandatory_report: bool

    FIELD_SEPARATOR = "\x1f"

    def encode(self) -> str:
        fields = (
            self.name, self.school_id, self.grade, self.class_name, self.levels,
            str(self.highs), self.last_interview, "1" if self.mandatory_report else "0",
        )  # fmt: skip
        return self.FIELD_SEPARATOR.join(fields)

    @classmethod
    def decode(cls, child_id: str, text: str) -> BoardSummary:
        name, school, grade, klass, levels, highs, last, report = text.split(cls.FIELD_SEPARATOR)
        return cls(child_id, name, school, grade, klass, levels, int(highs), last, report == "1")
