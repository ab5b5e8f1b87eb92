"""The questionnaires layer uses the standard library only (shared/README.md section 2)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import questionnaires

PACKAGE = Path(questionnaires.__file__).parent
FORBIDDEN = {"textual", "rich", "sqlite3", "sqlite_utils", "cryptography", "platformdirs"}
FORBIDDEN |= {"cwtt_tui", "screens", "scoring", "exports", "tomli_w"}


def test_no_module_imports_outside_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"questionnaires"}
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = [node.module.split(".")[0]]
            else:
                continue
            assert set(roots) <= allowed, f"{path.name}:{node.lineno} imports {roots}"


def test_importing_loads_nothing_heavy() -> None:
    """In a fresh interpreter, loading every instrument pulls in no UI, SQL or crypto module."""
    code = (
        "import sys, questionnaires, questionnaires.flow\n"
        "questionnaires.load_all()\n"
        f"print(sorted(set({sorted(FORBIDDEN)!r}) & {{m.split('.')[0] for m in sys.modules}}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
    )
    assert result.stdout.strip() == "[]"
