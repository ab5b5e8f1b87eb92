"""The large-text setting: off by default, saved as true or false, refused in any other kind."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cwtt_tui.config import Settings, load_settings, save_settings
from cwtt_tui.errors import ConfigError


def test_large_text_is_off_by_default(tmp_path: Path) -> None:
    """A new laptop, or a settings file from before the setting existed: off."""
    assert Settings().large_text is False
    path = tmp_path / "settings.toml"
    path.write_text('theme = "cwtt-light"\n', encoding="utf-8")
    assert load_settings(path).large_text is False


def test_large_text_round_trips_through_toml(tmp_path: Path) -> None:
    """Saved as a TOML boolean beside the others, and loaded back."""
    path = save_settings(Settings(large_text=True, language="zu"), tmp_path / "settings.toml")
    saved = tomllib.loads(path.read_text(encoding="utf-8"))
    assert saved["large_text"] is True and saved["language"] == "zu"
    assert load_settings(path) == Settings(large_text=True, language="zu")
    save_settings(Settings(), path)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["large_text"] is False


@pytest.mark.parametrize("value", ["1", '"yes"', '"true"'])
def test_large_text_must_be_true_or_false(tmp_path: Path, value: str) -> None:
    """A number or text for large_text: ConfigError saying it should be true or false."""
    path = tmp_path / "settings.toml"
    path.write_text(f"large_text = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert raised.value.message == (
        f"The settings file {path} has a value of the wrong kind: "
        "large_text should be true or false."
    )


def test_validated_keeps_large_text_a_boolean() -> None:
    """validated() turns a truthy value given in code into True, and keeps False."""
    assert Settings(large_text=1).validated().large_text is True  # type: ignore[arg-type]
    assert Settings(large_text=False).validated().large_text is False
