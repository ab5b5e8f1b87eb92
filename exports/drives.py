"""Where bundles travel: the USB sticks plugged in, and the bundle and key files on them.

Nothing here fails: a drive that cannot be read is simply not offered.
"""

from __future__ import annotations

import getpass
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MEDIA = Path("/media")
RUN_MEDIA = Path("/run/media")
VOLUMES = Path("/Volumes")
DRIVE_REMOVABLE = 2
PART_NAME = re.compile(r"^(?P<stem>.+)\.part(?P<index>\d+)of(?P<count>\d+)\.cwtt$", re.IGNORECASE)


def removable_drives(platform: str | None = None) -> list[Path]:
    """The mounted USB sticks and other removable drives found on this computer."""
    platform = platform or sys.platform
    try:
        if platform.startswith("win"):
            return _windows_drives()
        if platform == "darwin":
            return _mac_volumes()
        return _linux_mounts()
    except Exception:  # a drive list is a convenience: never let it stop a screen
        return []


def _subfolders(folder: Path) -> list[Path]:
    try:
        found = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name.casefold())


def _linux_mounts() -> list[Path]:
    user = getpass.getuser()
    drives = [*_subfolders(MEDIA / user), *_subfolders(RUN_MEDIA / user)]
    drives += [p for p in _subfolders(MEDIA) if p.name != user and os.path.ismount(p)]
    return list(dict.fromkeys(drives))


def _mac_volumes() -> list[Path]:
    root = Path("/").resolve()
    return [p for p in _subfolders(VOLUMES) if not p.is_symlink() and p.resolve() != root]


def _kernel32() -> Any:
    import ctypes

    return ctypes.windll.kernel32  # type: ignore[attr-defined]


def _windows_drives() -> list[Path]:
    kernel32 = _kernel32()
    mask = kernel32.GetLogicalDrives()
    drives = []
    for index in range(26):
        if mask >> index & 1:
            root = f"{chr(ord('A') + index)}:\\"
            if kernel32.GetDriveTypeW(root) == DRIVE_REMOVABLE:
                drives.append(Path(root))
    return drives


def default_folder() -> Path:
    """The user's Documents folder, else their home folder."""
    home = Path.home()
    documents = home / "Documents"
    return documents if documents.is_dir() else home


@dataclass(frozen=True)
class BundleChoice:
    """One bundle found in a folder: a single `.cwtt` file, or the parts of a split one."""

    name: str
    paths: tuple[Path, ...]
    parts: int  # how many parts the bundle has (1 when not split)
    size: int

    @property
    def complete(self) -> bool:
        return len(self.paths) == self.parts


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _files(folder: Path, pattern: str) -> list[Path]:
    try:
        return sorted(p for p in folder.glob(pattern) if p.is_file())
    except OSError:
        return []


def find_bundles(folders: Iterable[Path]) -> list[BundleChoice]:
    """The `.cwtt` files directly in each folder; the parts of one bundle come as one choice."""
    groups: dict[tuple[Path, str], list[tuple[int, int, Path]]] = {}
    seen: set[Path] = set()
    for folder in folders:
        for path in _files(folder, "*.cwtt"):
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            match = PART_NAME.match(path.name)
            if match:
                key = (path.parent, f"{match['stem']}.cwtt")
                count = int(match["count"])
                groups.setdefault(key, []).append((int(match["index"]), count, path))
            else:
                groups.setdefault((path.parent, path.name), []).append((1, 1, path))
    choices = []
    for (_folder, name), parts in groups.items():
        parts.sort()
        paths = tuple(p for _, _, p in parts)
        count = max(c for _, c, _ in parts)
        choices.append(BundleChoice(name, paths, count, sum(_size(p) for p in paths)))
    return choices


def find_key_files(folders: Iterable[Path]) -> list[Path]:
    """The key files (`cwtt-keys-*.json`) directly in each folder."""
    found: list[Path] = []
    for folder in folders:
        found += _files(folder, "cwtt-keys-*.json")
    return list(dict.fromkeys(found))


def human_size(size: int) -> str:
    """Bytes as people say them: 950 bytes, 12 KB, 3.4 MB."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    return f"{size / 1_000_000:.1f} MB"
