"""Probable duplicate children: same school, same date of birth, names alike.

Names are alike when they match after folding case, accents, spacing and hyphens, with first
and last name in either order (teachers and clinics often swap them), or when they differ by
one typing slip. Pairs are proposed for a person to merge, never merged here.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from cwtt_tui.models import Child


def fold(name: str) -> str:
    """`  Zánele-Mary ` → `zanelemary`."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return "".join(ch for ch in plain.casefold() if ch.isalnum())


def name_keys(child: Child) -> tuple[str, str]:
    first, last = fold(child.details.first_name), fold(child.details.last_name)
    return first + " " + last, last + " " + first


def one_slip_apart(a: str, b: str) -> bool:
    """At most one letter changed, added or dropped (`Thandeka` / `Thandekha`)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]


def alike(a: Child, b: Child) -> bool:
    forward, backward = name_keys(a)
    other, _ = name_keys(b)
    return other in (forward, backward) or (len(forward) > 5 and one_slip_apart(forward, other))


def probable_duplicates(
    children: Iterable[Child], *, among: set[str] | None = None,
    dismissed: set[str] | frozenset[str] = frozenset(),
) -> list[tuple[Child, Child]]:  # fmt: skip
    """Pairs (older record first) that are probably one child; with `among`, only pairs
    involving one of those ids (e.g. the children a bundle just brought)."""
    groups: dict[tuple[str, str], list[Child]] = defaultdict(list)
    for child in children:
        if child.withdrawn:
            continue
        groups[(child.school_id, child.details.date_of_birth.isoformat())].append(child)
    pairs = []
    for group in groups.values():
        group.sort(key=lambda c: (c.meta.created_at if c.meta else "", c.id))
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if among is not None and first.id not in among and second.id not in among:
                    continue
                if pair_key(first.id, second.id) in dismissed:
                    continue
                if alike(first, second):
                    pairs.append((first, second))
    return pairs


def pair_key(a: str, b: str) -> str:
    return ":".join(sorted((a, b)))
