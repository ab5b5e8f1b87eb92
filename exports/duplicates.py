"""Probable duplicate children: same school, same date of birth, names alike.

Names are alike when they match after folding case, accents, spacing and hyphens, with first
and last name in either order (teachers and clinics often swap them), or when they differ by
one typing slip. Pairs are proposed for a person to merge, never merged here.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from cwtt_tui.models import Child, ChildName


def fold(name: str) -> str:
    """`  Zánele-Mary ` → `zanelemary`."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return "".join(ch for ch in plain.casefold() if ch.isalnum())


def name_keys(first_name: str, last_name: str) -> tuple[str, str]:
    first, last = fold(first_name), fold(last_name)
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


def alike(a: ChildName, b: ChildName) -> bool:
    forward, backward = name_keys(a.first_name, a.last_name)
    other, _ = name_keys(b.first_name, b.last_name)
    return other in (forward, backward) or (len(forward) > 5 and one_slip_apart(forward, other))


def child_name(child: Child) -> ChildName:
    d = child.details
    created = child.meta.created_at if child.meta else ""
    return ChildName(child.id, child.school_id, d.date_of_birth.isoformat(), created,
                     d.first_name, d.last_name)  # fmt: skip


def probable_duplicates(
    children: Iterable[Child], *, among: set[str] | None = None,
    dismissed: set[str] | frozenset[str] = frozenset(),
) -> list[tuple[Child, Child]]:  # fmt: skip
    """Pairs (older record first) that are probably one child; with `among`, only pairs
    involving one of those ids (e.g. the children a bundle just brought)."""
    by_id = {child.id: child for child in children if not child.withdrawn}
    names = (child_name(child) for child in by_id.values())
    return [(by_id[a], by_id[b]) for a, b in probable_duplicate_ids(names, among=among,
                                                                      dismissed=dismissed)]  # fmt: skip


def probable_duplicate_ids(
    names: Iterable[ChildName], *, among: set[str] | None = None,
    dismissed: set[str] | frozenset[str] = frozenset(),
) -> list[tuple[str, str]]:  # fmt: skip
    """`probable_duplicates` on the few fields it compares (a bundle's import reads only
    these, not whole children): pairs of ids, the older record first."""
    groups: dict[tuple[str, str], list[ChildName]] = defaultdict(list)
    for name in names:
        groups[(name.school_id, name.date_of_birth)].append(name)
    pairs = []
    for group in groups.values():
        if len(group) < 2 or (among is not None and not any(n.id in among for n in group)):
            continue
        group.sort(key=lambda n: (n.created_at, n.id))
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if among is not None and first.id not in among and second.id not in among:
                    continue
                if pair_key(first.id, second.id) in dismissed:
                    continue
                if alike(first, second):
                    pairs.append((first.id, second.id))
    return pairs


def pair_key(a: str, b: str) -> str:
    return ":".join(sorted((a, b)))
