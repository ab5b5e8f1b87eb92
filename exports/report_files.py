"""Writing reports into a folder the user chose: dated names that never overwrite a file."""

from __future__ import annotations

import errno
from pathlib import Path

from cwtt_tui.errors import DiskFull, UsageError

__all__ = ["free_names", "write_files"]

MAX_TRIES = 1000


def free_names(folder: Path, stem: str, suffixes: tuple[str, ...]) -> tuple[Path, ...]:
    """`folder/stem.suffix` for each suffix, or `stem-2`, `stem-3`, … when any of them exists."""
    for number in range(1, MAX_TRIES):
        name = stem if number == 1 else f"{stem}-{number}"
        paths = tuple(folder / f"{name}{suffix}" for suffix in suffixes)
        if not any(path.exists() for path in paths):
            return paths
    raise UsageError(f"The folder {folder} is full of reports named {stem}; choose another.")


def write_files(folder: Path, stem: str, texts: dict[str, str]) -> tuple[Path, ...]:
    """Write each text (UTF-8) as `stem` + its suffix in `folder`, made when missing.

    Raises:
        UsageError: the folder cannot be made or written to.
        DiskFull: the disk is full.
    """
    folder = Path(folder).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        paths = free_names(folder, stem, tuple(texts))
        for path, text in zip(paths, texts.values(), strict=True):
            path.write_bytes(text.encode("utf-8"))
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DiskFull(f"The disk holding {folder} is full; choose another place.") from exc
        reason = exc.strerror or "it cannot be written to"
        raise UsageError(f"Cannot write to {folder} ({reason}); choose another folder.") from exc
    return paths
