"""Version vectors: how many changes each device made to a record, to merge without losing any.

A record edited on one laptop carries `{"<device>": 7}`; once two laptops have both changed it
the vector has two entries. Comparing two vectors says whether one copy already contains the
other's changes (a newer version wins) or whether both changed it apart (a real conflict).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Literal

import orjson

Vector = dict[str, int]
Order = Literal["same", "newer", "older", "conflict"]


def parse(text: str | None, *, device: str = "", version: int = 0) -> Vector:
    """Read a stored vector; rows older than vectors count as `version` changes by `device`."""
    if text:
        return {str(k): int(v) for k, v in json.loads(text).items()}
    return {device: version} if device and version else {}


def dump(vector: Mapping[str, int]) -> str:
    """Compact ASCII JSON with sorted keys: orjson (a bundle's import writes one per record),
    the standard library for what orjson writes differently (counts beyond 64 bits, keys that
    are not ASCII), so the text is the same either way."""
    try:
        text = orjson.dumps(vector, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        text = b""
    if text and text.isascii():
        return text.decode()
    return json.dumps(dict(sorted(vector.items())), separators=(",", ":"))


def bump(vector: Mapping[str, int], device: str) -> Vector:
    """The vector after one more change on `device`."""
    out = dict(vector)
    out[device] = out.get(device, 0) + 1
    return out


def merged(a: Mapping[str, int], b: Mapping[str, int]) -> Vector:
    """The smallest vector that contains both (used when a conflict is resolved)."""
    return {k: max(a.get(k, 0), b.get(k, 0)) for k in sorted(set(a) | set(b))}


def total(vector: Mapping[str, int]) -> int:
    """The record's version number: every change anywhere counts once."""
    return sum(vector.values())


def compare(incoming: Mapping[str, int], local: Mapping[str, int]) -> Order:
    """Where an incoming copy stands against ours."""
    keys = set(incoming) | set(local)
    ahead = any(incoming.get(k, 0) > local.get(k, 0) for k in keys)
    behind = any(incoming.get(k, 0) < local.get(k, 0) for k in keys)
    if ahead and behind:
        return "conflict"
    if ahead:
        return "newer"
    if behind:
        return "older"
    return "same"


def is_valid(vector: object) -> bool:
    """A vector from a bundle: device ids (hex, at most 64 chars) to positive counts."""
    return (
        isinstance(vector, dict)
        and 0 < len(vector) <= 64
        and all(
            isinstance(k, str) and 0 < len(k) <= 64 and isinstance(v, int) and 0 < v < 2**62
            and not isinstance(v, bool)
            for k, v in vector.items()
        )
    )  # fmt: skip
