"""Benchmark phases run in fresh Python processes, each handing its figures back as one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULT = "@@ "  # a child process's figures: one JSON line with this prefix


def emit(**figures: Any) -> None:
    """In the child: print the figures for `run_module` to find."""
    print(RESULT + json.dumps(figures), flush=True)


def run_module(module: str, args: list[str], env: dict[str, str], what: str) -> dict[str, Any]:
    """Run `python -m module args` from the repository; echo what it prints, return its figures."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"{what} failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = {}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT):
            figures = json.loads(line[len(RESULT) :])
        else:
            print(line)
    return figures
