"""The record schema: a valid record of each kind passes; each broken field is named."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from exports.bundle_records import InvalidRecord, check_record

ID, DEVICE, OTHER = "a" * 32, "b" * 32, "c" * 32
TIME = "2026-11-24T07:00:00Z"


def record(kind: str, clear: dict[str, Any], data: dict[str, Any], **extra: Any) -> dict:
    return {"kind": kind, "id": ID, "created_at": TIME, "updated_at": TIME,
            "updated_by_device": DEVICE, "vv": {DEVICE: 2}, "clear": clear, "data": data,
            **extra}  # fmt: skip


INTERVIEW = record(
    "interview",
    {"child_id": OTHER, "round_id": OTHER, "respondent": "teacher", "status": "complete"},
    {"instrument_id": "teacher", "instrument_version": "1", "language": "en",
     "started_at": TIME, "answers": {"t.q1": {"value": 2}}},
)  # fmt: skip
ASSESSMENT = record(
    "assessment", {"child_id": OTHER, "round_id": OTHER}, {"domains": {}}, summary="{}"
)
AUDIT = {"kind": "audit", "device_id": DEVICE, "seq": 3, "at": TIME, "user_id": OTHER,
         "action": "child.add", "target": OTHER, "hash": "0" * 64, "prev_hash": "1" * 64,
         "data": {}}  # fmt: skip


def broken(base: dict, path: tuple[str, ...], value: Any) -> dict:
    out = copy.deepcopy(base)
    target = out
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return out


DELETE = object()


@pytest.mark.parametrize("good", [INTERVIEW, ASSESSMENT, AUDIT])
def test_valid_records_pass(good: dict) -> None:
    check_record(copy.deepcopy(good))


@pytest.mark.parametrize(
    ("base", "path", "value", "named"),
    [
        (INTERVIEW, ("kind",), "pupil", "unknown kind 'pupil'"),
        (INTERVIEW, ("id",), "A" * 32, "id"),
        (INTERVIEW, ("id",), int("1" * 32), "id"),  # digits, but not text
        (INTERVIEW, ("id",), DELETE, "id"),
        (INTERVIEW, ("created_at",), "2026-11-24 07:00", "timestamps"),
        (INTERVIEW, ("updated_at",), None, "timestamps"),
        (INTERVIEW, ("updated_by_device",), "b" * 31, "updated_by_device"),
        (INTERVIEW, ("vv",), {DEVICE: 0}, "vv"),
        (INTERVIEW, ("clear", "extra"), 1, "clear columns"),
        (INTERVIEW, ("clear", "status"), DELETE, "clear columns"),
        (INTERVIEW, ("clear",), [], "clear columns"),
        (INTERVIEW, ("data",), "answers", "data"),
        (INTERVIEW, ("clear", "respondent"), "uncle", "respondent"),
        (INTERVIEW, ("data", "answers", "t.q1"), 2, "an answer"),
        (INTERVIEW, ("data", "language"), 5, "language must be text"),
        (ASSESSMENT, ("summary",), None, "summary"),
        (AUDIT, ("seq",), 0, "seq"),
        (AUDIT, ("hash",), None, "hash must be text"),
        # two faults: the first in the schema's order is named
        (broken(INTERVIEW, ("vv",), {}), ("data",), None, "vv"),
    ],
)
def test_each_broken_field_is_named(
    base: dict, path: tuple[str, ...], value: Any, named: str
) -> None:
    with pytest.raises(InvalidRecord) as raised:
        check_record(broken(base, path, value))
    assert str(raised.value) == named


def test_a_record_must_be_an_object() -> None:
    with pytest.raises(InvalidRecord, match="object"):
        check_record(["kind", "child"])
