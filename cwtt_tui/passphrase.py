"""Passphrases: where scripts get them from, and a plain-words strength hint."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cwtt_tui.errors import UsageError

ENV_VAR = "CWTT_PASSPHRASE"
MIN_LENGTH = 10

_COMMON = {
    "password", "passphrase", "123456789", "qwertyuiop", "iloveyou", "letmein", "welcome",
    "admin", "school", "teacher", "children", "cwtt", "monkey", "dragon", "sunshine",
}  # fmt: skip


@dataclass(frozen=True)
class Strength:
    """A score from 0 (unusable) to 4 (strong) and one plain sentence about it."""

    score: int
    hint: str

    @property
    def acceptable(self) -> bool:
        return self.score >= 2


def strength(passphrase: str) -> Strength:
    """Judge a passphrase by length and variety; long word groups beat short symbol soup."""
    text = passphrase.strip()
    if len(text) < MIN_LENGTH:
        return Strength(0, f"Too short: use at least {MIN_LENGTH} characters, e.g. four words.")
    if text.lower() in _COMMON or len(set(text)) <= 3:
        return Strength(1, "Too easy to guess: choose words that are not about school or cwtt.")
    classes = sum(
        (
            any(c.islower() for c in text),
            any(c.isupper() for c in text),
            any(c.isdigit() for c in text),
            any(not c.isalnum() for c in text),
        )
    )
    words = len(text.split())
    if len(text) >= 20 or (words >= 4 and len(text) >= 16):
        return Strength(4, "Strong: a long passphrase is hard to guess and easy to remember.")
    if len(text) >= 14 or classes >= 3:
        return Strength(3, "Good. Longer is even better: add another word.")
    return Strength(2, "Fair. Add a word or two to make it stronger.")


def read_passphrase_file(path: str | Path) -> str:
    """Read a passphrase from a file: first line only, BOM and line ending stripped."""
    try:
        raw = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise UsageError(f"The passphrase file {path} does not exist.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"The passphrase file {path} cannot be read.") from exc
    line = raw.splitlines()[0] if raw.splitlines() else ""
    if not line:
        raise UsageError(f"The passphrase file {path} is empty.")
    return line


def resolve_passphrase(passphrase_file: str | None) -> str | None:
    """A passphrase from `--passphrase-file`, else from `CWTT_PASSPHRASE`, else None."""
    if passphrase_file:
        return read_passphrase_file(passphrase_file)
    value = os.environ.get(ENV_VAR)
    return value if value else None
