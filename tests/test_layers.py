"""The folders are layers: each imports only what sits below it (shared README §2, style.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("questionnaires", "scoring", "cwtt_tui", "exports", "screens")
THIRD_PARTY_UI = {"textual", "rich"}
SQL = {"sqlite3", "sqlite_utils"}
CRYPTO = {"cryptography"}

# folder -> top-level modules it must never import
FORBIDDEN: dict[str, set[str]] = {
    "questionnaires": THIRD_PARTY_UI | SQL | CRYPTO | {"cwtt_tui", "screens", "exports", "scoring"},
    "scoring": THIRD_PARTY_UI | SQL | CRYPTO | {"cwtt_tui", "screens", "exports"},
    "exports": THIRD_PARTY_UI | SQL | {"screens"},
    "screens": SQL | CRYPTO,
}
COMPOSITION_ROOT = {"cwtt_tui/app.py", "cwtt_tui/app_interviews.py", "cwtt_tui/__main__.py"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (lazy imports inside functions count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_folder_imports_only_lower_layers(package: str) -> None:
    """No module of a layer imports a forbidden package."""
    offences = [
        f"{rel(path)} imports {module}"
        for path in python_files(package)
        for module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN[package]
    ]
    assert offences == []


def test_only_the_store_speaks_sql_and_only_crypto_imports_cryptography() -> None:
    """SQL stays in cwtt_tui/store, cryptography in cwtt_tui/crypto, screens only in the root."""
    offences = []
    for path in python_files("cwtt_tui"):
        name = rel(path)
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in SQL and not name.startswith("cwtt_tui/store/"):
                offences.append(f"{name} imports {module}")
            if top in CRYPTO and not name.startswith("cwtt_tui/crypto/"):
                offences.append(f"{name} imports {module}")
            if top == "screens" and name not in COMPOSITION_ROOT:
                offences.append(f"{name} imports {module}")
            if top in THIRD_PARTY_UI and name not in COMPOSITION_ROOT:
                offences.append(f"{name} imports {module}")
    assert offences == []


def test_pure_layers_and_the_cli_load_no_heavy_libraries() -> None:
    """`import scoring, questionnaires` and building the CLI load no textual, SQL or crypto."""
    code = (
        "import sys, scoring, questionnaires, cwtt_tui.__main__ as m; m.build_parser(); "
        "print(sorted(k for k in ('textual','sqlite3','sqlite_utils','cryptography','rich') "
        "if k in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


def test_showing_the_unlock_screen_needs_no_sql_library_or_crypto() -> None:
    """The app module and the unlock screen import neither sqlite-utils nor cryptography."""
    code = (
        "import sys, cwtt_tui.app, screens.unlock; "
        "print(sorted(k for k in ('sqlite_utils','cryptography') if k in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
