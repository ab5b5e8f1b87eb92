"""Where a verb's report goes: a file, or stdout as UTF-8 bytes exactly as made."""

from __future__ import annotations

import sys
from pathlib import Path

from cwtt_tui.errors import UsageError


def emit(text: str) -> None:
    """Write UTF-8 bytes to stdout as they are (no newline translation, whatever the console)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def write_file(path: Path, text: str, what: str) -> None:
    """Write `text` as UTF-8 to `path`, making its folder; a failure is one plain sentence."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    except OSError as exc:
        raise UsageError(
            f"Cannot write {what} to {path} ({exc.strerror}); choose another place."
        ) from exc
