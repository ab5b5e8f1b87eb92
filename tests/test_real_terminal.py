"""cwtt in a real terminal: tmux runs `python -m cwtt_tui --demo`, keys go in, the screen is read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cwtt_tui.store.peek import DEMO_PASSPHRASE

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    """An 80x24 tmux session on a private server, so nothing else is touched."""

    def __init__(self, tmp: Path) -> None:
        self.socket = f"cwtt-test-{os.getpid()}"
        env = {
            "CWTT_DATA_DIR": str(tmp / "data"),
            "CWTT_CONFIG_DIR": str(tmp / "config"),
            "CWTT_TEST_KDF": "1",
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
        }
        exports = " ".join(f"{k}={v!s}" for k, v in env.items())
        command = f"env {exports} {sys.executable} -m cwtt_tui --demo"
        self.tmux("new-session", "-d", "-s", "t", "-x", "80", "-y", "24", command)

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        """Poll the screen until `text` shows (bounded)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                # A person reads the new screen before typing; keys sent in the same instant
                # as a screen change can reach the screen that is leaving.
                time.sleep(0.5)
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "t", "-l", text)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def test_demo_unlock_register_and_first_answers_in_tmux(tmp_path: Path) -> None:
    """Unlock the demo, register a child, answer two caregiver questions, quit without backup."""
    term = Terminal(tmp_path)
    try:
        shown = term.wait_for("Unlock cwtt", timeout=60)
        assert DEMO_PASSPHRASE in shown.replace("\n", " ").replace("  ", " ") or "demo" in shown
        term.type(DEMO_PASSPHRASE)
        term.keys("Enter")
        term.wait_for("New interview")
        term.keys("1")
        term.wait_for("Whom is the interview about?")
        term.keys("C-n")
        term.wait_for("Consent (ask the caregiver first)")
        for value in ("y", "mother", "1", "y", "Thandeka", "Mokoena", "f", "2019-05-06", "1", "1A"):
            term.type(value)
            term.wait_for(value)
            term.keys("Tab")
        term.keys("C-s")
        term.wait_for("Thandeka Mokoena")
        term.keys("2")
        term.wait_for("question 1 of")
        term.keys("1")
        term.wait_for("question 2 of")
        term.type("4")
        term.keys("Enter")
        shown = term.wait_for("question 3 of")
        assert "Caregiver" in shown
        term.keys("Escape")
        term.wait_for("Whom are you interviewing?")
        assert "stopped at 2" in term.screen()
        term.keys("Escape")
        term.wait_for("Whom is the interview about?")
        term.keys("Escape")
        term.wait_for("New interview")
        term.keys("C-q")
        term.wait_for("Make a backup before you quit?")
        term.keys("C-n")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and "Make a backup" in term.screen():
            time.sleep(0.1)
    finally:
        term.close()
