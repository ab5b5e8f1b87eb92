"""The schema every record in a bundle must meet before anything is applied."""

from __future__ import annotations

import re
from typing import Any

from cwtt_tui.errors import BundleRejected
from cwtt_tui.models import ACTION_STATUSES, RESPONDENTS
from cwtt_tui.store import version_vectors
from cwtt_tui.store.sync import CLEAR_COLUMNS

HEX_ID = re.compile(r"[0-9a-f]{32}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
KINDS = (*CLEAR_COLUMNS, "audit")
CLEAR_KEYS = {kind: frozenset(columns) for kind, columns in CLEAR_COLUMNS.items()}
# The order a bundle lists its kinds in: whatever a record refers to comes before it.
ORDER = {kind: n for n, kind in enumerate(KINDS)}


class InvalidRecord(ValueError):
    """One record does not meet the schema (the message says which field)."""


def _need(condition: bool, what: str) -> None:
    if not condition:
        raise InvalidRecord(what)


_hex = HEX_ID.fullmatch
_time = TIMESTAMP.fullmatch


def _is_id(value: object) -> bool:
    return isinstance(value, str) and _hex(value) is not None


def _is_time(value: object) -> bool:
    return isinstance(value, str) and _time(value) is not None


def _str(data: dict[str, Any], key: str, *, optional: bool = False) -> None:
    value = data.get(key)
    _need(isinstance(value, str) or (optional and value is None), f"{key} must be text")


def _strs(data: dict[str, Any], keys: tuple[str, ...]) -> None:
    """Every key's value is text (checked in one pass; the first that is not is named)."""
    if set(map(type, map(data.get, keys))) <= {str}:
        return
    for key in keys:
        _str(data, key)


def check_record(record: Any) -> None:
    """Raise InvalidRecord naming the first field that is wrong.

    The common fields are tested in one expression first (a bundle holds a hundred thousand
    records); only a record that fails goes field by field to name the one that is wrong.
    """
    _need(isinstance(record, dict), "a record must be an object")
    kind = record.get("kind")
    _need(kind in KINDS, f"unknown kind {str(kind)[:20]!r}")
    if kind == "audit":
        _need(_is_id(record.get("device_id")), "device_id")
        _need(isinstance(record.get("seq"), int) and record["seq"] >= 1, "seq")
        _strs(record, ("at", "user_id", "action", "target", "hash", "prev_hash"))
        _need(isinstance(record.get("data"), dict), "data")
        return
    get = record.get
    head = (get("id"), get("updated_by_device"), get("created_at"), get("updated_at"))
    clear, data = get("clear"), get("data")
    if not (
        set(map(type, head)) == {str}
        and _hex(head[0]) and _hex(head[1]) and _time(head[2]) and _time(head[3])
        and type(clear) is dict and clear.keys() == CLEAR_KEYS[kind] and type(data) is dict
    ):  # fmt: skip
        _need(_is_id(head[0]), "id")
        _need(_is_time(head[2]) and _is_time(head[3]), "timestamps")
        _need(_is_id(head[1]), "updated_by_device")
        _need(version_vectors.is_valid(get("vv")), "vv")
        _need(isinstance(clear, dict) and set(clear) == set(CLEAR_COLUMNS[kind]), "clear columns")
        _need(isinstance(data, dict), "data")
    _need(version_vectors.is_valid(get("vv")), "vv")
    CHECKS[kind](clear, data, record)


def _school(clear: dict, data: dict, record: dict) -> None:
    _str(data, "emis")
    _str(data, "name")


def _round(clear: dict, data: dict, record: dict) -> None:
    _need(isinstance(clear["number"], int) and clear["number"] >= 1, "round number")
    _need(clear["status"] in ("open", "closed"), "round status")
    _str(data, "name")


def _child(clear: dict, data: dict, record: dict) -> None:
    from cwtt_tui.store.children import details_from_json

    _need(_is_id(clear["school_id"]), "school_id")
    _need(clear["withdrawn"] in (0, 1), "withdrawn")
    _need(clear["merged_into"] is None or _is_id(clear["merged_into"]), "merged_into")
    try:
        details = details_from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidRecord("child details") from exc
    _need(details.sex in ("male", "female"), "sex")
    for key in ("first_name", "last_name", "grade", "class_name"):
        _str(data, key)


def _linked(clear: dict) -> None:
    _need(_is_id(clear["child_id"]) and _is_id(clear["round_id"]), "child_id or round_id")


def _interview(clear: dict, data: dict, record: dict) -> None:
    _linked(clear)
    _need(clear["respondent"] in RESPONDENTS, "respondent")
    _need(clear["status"] in ("draft", "complete"), "status")
    _strs(data, ("instrument_id", "instrument_version", "language", "started_at"))
    answers = data.get("answers")
    _need(isinstance(answers, dict), "answers")
    # Types as sets: one C-level pass each (a bundle holds tens of thousands of answers).
    _need(set(map(type, answers.values())) <= {dict}, "an answer")
    _need(set(map(type, answers)) <= {str}, "a question id")


def _action(clear: dict, data: dict, record: dict) -> None:
    _linked(clear)
    _need(clear["status"] in ACTION_STATUSES, "status")
    _str(data, "domain")
    _need(isinstance(data.get("details"), dict), "details")
    _need(isinstance(data.get("history", []), list), "history")


def _assessment(clear: dict, data: dict, record: dict) -> None:
    _linked(clear)
    _need(isinstance(data.get("domains"), dict), "domains")
    _need(isinstance(record.get("summary"), str), "summary")


CHECKS = {
    "school": _school,
    "round": _round,
    "child": _child,
    "interview": _interview,
    "action": _action,
    "assessment": _assessment,
}


def rejected(number: int, exc: InvalidRecord, sender: str) -> BundleRejected:
    return BundleRejected(
        f"Record {number} of this bundle is not valid ({exc}); nothing was imported. "
        f"Ask {sender} to update cwtt and export again."
    )
