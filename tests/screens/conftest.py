"""Fixtures for driving the real app at 80×24: a demo store made once, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cwtt_tui.app import CwttApp
from cwtt_tui.config import Settings
from cwtt_tui.crypto.kdf import TEST_KDF
from cwtt_tui.demo import fill_demo
from cwtt_tui.models import StoreInfo
from cwtt_tui.store.peek import DEMO_PASSPHRASE
from cwtt_tui.store.store import create_store

FIXED_FINGERPRINT = "KAYT-HYCP-YXT3-YZ3S-N5JQ"


def fixed_clock() -> datetime:
    return datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


class SteadyApp(CwttApp):
    """The real app with a fixed fingerprint shown (device keys are random per store)."""

    def peek_store(self) -> StoreInfo:
        return replace(super().peek_store(), fingerprint=FIXED_FINGERPRINT)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CWTT_TEST_KDF", "1")
    monkeypatch.setenv("CWTT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CWTT_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store, _ = create_store(
        path, school_emis="500111222", school_name="Thembeka Primary", laptop_name="Demo laptop",
        user_name="Demo Coordinator", role="coordinator", passphrase=DEMO_PASSPHRASE,
        kdf=TEST_KDF, clock=fixed_clock, demo=True,
    )  # fmt: skip
    with store:
        fill_demo(store, children=30, seed=11)
    return path


@pytest.fixture
def demo_path(demo_master: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copy(demo_master, path)
    return path


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., CwttApp]:
    def build(path: Path, **settings: object) -> CwttApp:
        return SteadyApp(
            path,
            settings=Settings(**settings),  # type: ignore[arg-type]
            settings_file=tmp_path / "config" / "settings.toml",
            clock=fixed_clock,
            kdf=lambda: TEST_KDF,
            idle_check_seconds=3600,
        )

    return build
