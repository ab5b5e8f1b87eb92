"""Settings in the platform's config folder (TOML) and the default store locations."""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from cwtt_tui.errors import ConfigError, DiskFull

APP_NAME = "cwtt"
THEMES = ("cwtt-dark", "cwtt-light", "cwtt-high-contrast")
LANGUAGES = ("en", "zu", "st", "nso", "tn", "af", "nr")
_KINDS = {int: "a whole number", bool: "true or false"}  # how each kind of setting is written


@dataclass(frozen=True)
class Settings:
    """The user's settings; defaults suit a shared school laptop."""

    language: str = "en"
    theme: str = "cwtt-dark"
    idle_lock_minutes: int = 5
    backup_folder: str = ""
    absence_days_threshold: int = 10
    large_text: bool = False  # the roomier interview layout for people who find small text hard

    def validated(self) -> Settings:
        """Return a copy with out-of-range values put back to their defaults."""
        default = Settings()
        return replace(
            self,
            language=self.language if self.language in LANGUAGES else default.language,
            theme=self.theme if self.theme in THEMES else default.theme,
            idle_lock_minutes=min(max(int(self.idle_lock_minutes), 1), 240),
            absence_days_threshold=min(max(int(self.absence_days_threshold), 1), 200),
            large_text=bool(self.large_text),
        )


def config_dir() -> Path:
    """`CWTT_CONFIG_DIR`, else the platform's user config folder."""
    override = os.environ.get("CWTT_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """`CWTT_DATA_DIR`, else the platform's user data folder (stores, demo, crash logs)."""
    override = os.environ.get("CWTT_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_store_path() -> Path:
    return data_dir() / "cwtt-store.db"


def demo_store_path() -> Path:
    return data_dir() / "cwtt-demo.db"


def settings_path() -> Path:
    return config_dir() / "settings.toml"


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing file gives the defaults, a broken one a ConfigError naming it."""
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise ConfigError(f"Cannot read the settings file {path} ({exc.strerror}).") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"The settings file {path} is not valid TOML ({exc}); fix it or delete it to use defaults."
        ) from exc
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"The settings file {path} has unknown settings: {', '.join(unknown)}.")
    defaults = Settings()
    for name, value in data.items():
        wanted = type(getattr(defaults, name))
        if type(value) is not wanted:  # exact type: TOML's true is not a number, nor 7.5 a count
            kind = _KINDS.get(wanted, "text in quotes")
            raise ConfigError(
                f"The settings file {path} has a value of the wrong kind: {name} should be {kind}."
            )
    try:
        return Settings(**data).validated()
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"The settings file {path} has a value of the wrong kind ({exc})."
        ) from exc


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write settings atomically (a power cut leaves the old file or the new one)."""
    import tomli_w

    path = path or settings_path()
    tmp = path.with_suffix(".toml.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            tomli_w.dump(asdict(settings.validated()), handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if exc.errno == 28:
            raise DiskFull(f"The disk is full; settings were not saved to {path}.") from exc
        raise ConfigError(f"Cannot write the settings file {path} ({exc.strerror}).") from exc
    return path
