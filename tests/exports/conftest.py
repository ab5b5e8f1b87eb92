"""Shared set-up for bundle tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_world import make_world


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    return make_world(tmp_path, monkeypatch)
