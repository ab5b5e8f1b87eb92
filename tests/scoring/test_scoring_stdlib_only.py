"""The scale-scoring modules import the standard library only (the layer rule)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SCORING = Path(__file__).resolve().parents[2] / "scoring"
MODULES = ["_answers", "cfm", "errors", "growth", "scales"]


@pytest.mark.parametrize("module", MODULES)
def test_imports_are_stdlib_or_scoring(module: str) -> None:
    """Every import is stdlib or scoring itself: no UI, SQL, crypto or third-party package."""
    tree = ast.parse((SCORING / f"{module}.py").read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.partition(".")[0]
            assert top in sys.stdlib_module_names or top == "scoring", (module, name)


def test_import_loads_no_heavy_packages() -> None:
    """Importing the scorers in a fresh interpreter loads no textual, rich, sqlite or crypto."""
    code = (
        "import sys, scoring.growth, scoring.scales, scoring.cfm;"
        "print(sorted(m for m in ('textual', 'rich', 'sqlite3', 'sqlite_utils',"
        " 'cryptography', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=SCORING.parent,
    )
    assert result.stdout.strip() == "[]"
