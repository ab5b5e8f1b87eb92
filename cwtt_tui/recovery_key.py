"""Recovery keys: random, shown once in short groups, forgiving of how they are typed back (text only)."""

from __future__ import annotations

import secrets

# Crockford's base32: no I, L, O or U, so that handwriting is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 6
GROUP_LEN = 5  # 30 characters, 150 random bits
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_recovery_key() -> str:
    """A fresh recovery key, formatted as groups: `7K2QD-…`."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LEN))
    return format_recovery_key(raw)


def format_recovery_key(raw: str) -> str:
    raw = normalise_recovery_key(raw)
    return "-".join(raw[i : i + GROUP_LEN] for i in range(0, len(raw), GROUP_LEN))


def normalise_recovery_key(text: str) -> str:
    """Uppercase, drop spaces and dashes, and read O as 0 and I/L as 1."""
    kept = "".join(ch for ch in text.upper() if not ch.isspace() and ch != "-")
    return kept.translate(_CONFUSABLE)


def recovery_groups(key: str) -> list[str]:
    return format_recovery_key(key).split("-")
