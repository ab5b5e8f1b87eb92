"""Finding USB sticks and the bundles on them, with the roots moved into tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports import drives


@pytest.fixture
def roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(drives, "MEDIA", tmp_path / "media")
    monkeypatch.setattr(drives, "RUN_MEDIA", tmp_path / "run-media")
    monkeypatch.setattr(drives, "VOLUMES", tmp_path / "Volumes")
    monkeypatch.setattr(drives.getpass, "getuser", lambda: "thandi")
    return tmp_path


def test_linux_user_mounts_and_media_mount_points(
    roots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in ("media/thandi/STICK", "run-media/thandi/KINGSTON", "media/usb0", "media/cdrom"):
        (roots / folder).mkdir(parents=True)
    (roots / "media/thandi/.hidden").mkdir()
    monkeypatch.setattr(drives.os.path, "ismount", lambda p: Path(p).name == "usb0")
    assert drives.removable_drives("linux") == [
        roots / "media/thandi/STICK",
        roots / "run-media/thandi/KINGSTON",
        roots / "media/usb0",
    ]


def test_no_media_folders_means_no_drives(roots: Path) -> None:
    assert drives.removable_drives("linux") == []


def test_mac_volumes_leave_out_the_system_volume(roots: Path) -> None:
    (roots / "Volumes/NO NAME").mkdir(parents=True)
    (roots / "Volumes/Macintosh HD").symlink_to("/")
    assert drives.removable_drives("darwin") == [roots / "Volumes/NO NAME"]


def test_windows_keeps_only_removable_letters(monkeypatch: pytest.MonkeyPatch) -> None:
    class Kernel32:
        def GetLogicalDrives(self) -> int:  # noqa: N802 (the Windows name)
            return 0b10110  # B, C, E

        def GetDriveTypeW(self, root: str) -> int:  # noqa: N802
            return {"C:\\": 3, "E:\\": 2, "B:\\": 2}[root]

    monkeypatch.setattr(drives, "_kernel32", Kernel32)
    assert drives.removable_drives("win32") == [Path("B:\\"), Path("E:\\")]


def test_errors_give_an_empty_list(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> object:
        raise OSError("no windll here")

    monkeypatch.setattr(drives, "_kernel32", broken)
    assert drives.removable_drives("win32") == []


def test_parts_of_one_bundle_are_one_choice(tmp_path: Path) -> None:
    (tmp_path / "cwtt-a-001.cwtt").write_bytes(b"x" * 10)
    for index in (2, 1):
        (tmp_path / f"cwtt-a-002.part{index}of3.cwtt").write_bytes(b"y" * 100)
    (tmp_path / "notes.txt").write_text("not a bundle")
    choices = drives.find_bundles([tmp_path, tmp_path])
    assert [(c.name, c.parts, c.size, c.complete) for c in choices] == [
        ("cwtt-a-001.cwtt", 1, 10, True),
        ("cwtt-a-002.cwtt", 3, 200, False),
    ]
    assert [p.name for p in choices[1].paths] == [
        "cwtt-a-002.part1of3.cwtt",
        "cwtt-a-002.part2of3.cwtt",
    ]


def test_key_files_and_sizes(tmp_path: Path) -> None:
    (tmp_path / "cwtt-keys-Laptop-A.json").write_text("{}")
    assert drives.find_key_files([tmp_path, tmp_path / "missing"]) == [
        tmp_path / "cwtt-keys-Laptop-A.json"
    ]
    assert [drives.human_size(n) for n in (950, 11_913, 3_400_000)] == [
        "950 bytes",
        "12 KB",
        "3.4 MB",
    ]
