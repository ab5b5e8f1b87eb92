"""Settings files, passphrase strength and passphrase files, and recovery-key formatting."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cwtt_tui.config import Settings, load_settings, save_settings, settings_path
from cwtt_tui.errors import ConfigError, UsageError
from cwtt_tui.passphrase import read_passphrase_file, resolve_passphrase, strength
from cwtt_tui.recovery_key import (
    ALPHABET,
    format_recovery_key,
    new_recovery_key,
    normalise_recovery_key,
    recovery_groups,
)

# settings


def test_settings_round_trip_through_toml(tmp_path: Path) -> None:
    """Saved settings are plain TOML that tomllib reads, and load back equal."""
    chosen = Settings(
        language="zu",
        theme="cwtt-high-contrast",
        idle_lock_minutes=12,
        backup_folder="E:/cwtt-backups",
        absence_days_threshold=15,
    )
    path = save_settings(chosen, tmp_path / "cfg" / "settings.toml")
    with open(path, "rb") as handle:
        assert tomllib.load(handle) == {
            "language": "zu",
            "theme": "cwtt-high-contrast",
            "idle_lock_minutes": 12,
            "backup_folder": "E:/cwtt-backups",
            "absence_days_threshold": 15,
            "large_text": False,
        }
    assert load_settings(path) == chosen
    assert not path.with_suffix(".toml.tmp").exists()


def test_settings_default_path_is_in_config_dir(tmp_path: Path) -> None:
    """Without a path, settings live in CWTT_CONFIG_DIR/settings.toml."""
    assert settings_path() == tmp_path / "config" / "settings.toml"
    save_settings(Settings(theme="cwtt-light"))
    assert load_settings().theme == "cwtt-light"


def test_missing_settings_file_gives_defaults(tmp_path: Path) -> None:
    """No settings file yet: the defaults, and no file is made by reading."""
    assert load_settings(tmp_path / "nowhere" / "settings.toml") == Settings()
    assert load_settings() == Settings()
    assert not (tmp_path / "config").exists()


def test_settings_file_with_bom_is_read(tmp_path: Path) -> None:
    """A settings file saved by Notepad with a UTF-8 BOM still loads."""
    path = tmp_path / "settings.toml"
    path.write_bytes(b'\xef\xbb\xbftheme = "cwtt-light"\r\nidle_lock_minutes = 9\r\n')
    assert load_settings(path) == Settings(theme="cwtt-light", idle_lock_minutes=9)


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ('theme = "cwtt-dark\n', "is not valid TOML"),
        ('colour = "blue"\n', "has unknown settings: colour."),
        ('idle_lock_minutes = "five"\n', "has a value of the wrong kind"),
        ("backup_folder = 3\n", "has a value of the wrong kind"),
        ("idle_lock_minutes = 7.5\n", "has a value of the wrong kind"),
        ("language = true\n", "has a value of the wrong kind"),
    ],
    ids=["broken-toml", "unknown-key", "word-for-number", "number-for-folder", "float", "bool"],
)
def test_bad_settings_file_names_the_file(tmp_path: Path, text: str, sentence: str) -> None:
    """A broken file, an unknown key or a value of the wrong kind: ConfigError naming the file."""
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert raised.value.message.startswith(f"The settings file {path} ")
    assert sentence in raised.value.message
    assert raised.value.exit_code == 20


def test_wrong_kind_sentence_names_setting(tmp_path: Path) -> None:
    """The wrong-kind sentence says which setting and what it should be."""
    path = tmp_path / "settings.toml"
    path.write_text('backup_folder = 3\nidle_lock_minutes = "5"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert raised.value.message == (
        f"The settings file {path} has a value of the wrong kind: "
        "backup_folder should be text in quotes."
    )


def test_unreadable_settings_file(tmp_path: Path) -> None:
    """A settings path that is a folder: ConfigError naming it, not a traceback."""
    path = tmp_path / "settings.toml"
    path.mkdir()
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert raised.value.message.startswith(f"Cannot read the settings file {path} (")


@pytest.mark.parametrize(
    ("given_values", "expected"),
    [
        ({"idle_lock_minutes": 0}, {"idle_lock_minutes": 1}),
        ({"idle_lock_minutes": 10_000}, {"idle_lock_minutes": 240}),
        ({"absence_days_threshold": -3}, {"absence_days_threshold": 1}),
        ({"absence_days_threshold": 900}, {"absence_days_threshold": 200}),
        ({"language": "fr"}, {"language": "en"}),
        ({"theme": "neon"}, {"theme": "cwtt-dark"}),
        ({"idle_lock_minutes": 30, "language": "st"}, {"idle_lock_minutes": 30, "language": "st"}),
    ],
)
def test_validated_clamps_out_of_range(
    tmp_path: Path, given_values: dict[str, object], expected: dict[str, object]
) -> None:
    """Out-of-range numbers are clamped and unknown choices go back to the default."""
    assert Settings(**given_values).validated() == Settings(**expected)  # type: ignore[arg-type]
    path = tmp_path / "settings.toml"
    body = "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in given_values.items())
    path.write_text(body, encoding="utf-8")
    assert load_settings(path) == Settings(**expected)  # type: ignore[arg-type]


# passphrases


@pytest.mark.parametrize(
    ("passphrase", "score", "hint"),
    [
        ("sunshine", 0, "Too short: use at least 10 characters, e.g. four words."),
        ("qwertyuiop", 1, "Too easy to guess: choose words that are not about school or cwtt."),
        ("aaaaaaaaaaaaaaaa", 1, "Too easy to guess: choose words that are not about school or cwtt."),
        ("kettlebrim", 2, "Fair. Add a word or two to make it stronger."),
        ("kettlebrimstone", 3, "Good. Longer is even better: add another word."),
        ("correct horse battery staple", 4, "Strong: a long passphrase is hard to guess and easy to remember."),
    ],
    ids=["too-short", "common", "one-letter", "fair", "good", "strong"],
)  # fmt: skip
def test_strength(passphrase: str, score: int, hint: str) -> None:
    """Each band of the strength check gives its score and sentence; fair is the lowest accepted."""
    judged = strength(passphrase)
    assert (judged.score, judged.hint) == (score, hint)
    assert judged.acceptable is (score >= 2)


def test_strength_ignores_surrounding_spaces() -> None:
    """Spaces around a short passphrase do not make it long enough."""
    assert strength("   sunshine    ").score == 0


def test_read_passphrase_file_strips_bom_and_crlf(tmp_path: Path) -> None:
    """A Windows-edited file (BOM, CRLF) gives the first line only, inner spaces kept."""
    path = tmp_path / "pass.txt"
    path.write_bytes(b"\xef\xbb\xbfcorrect horse battery staple\r\nsecond line\r\n")
    assert read_passphrase_file(path) == "correct horse battery staple"
    path.write_bytes("këtël lamp river stone".encode())
    assert read_passphrase_file(str(path)) == "këtël lamp river stone"


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        (b"", "The passphrase file {path} is empty."),
        (b"\xef\xbb\xbf\r\n", "The passphrase file {path} is empty."),
        (None, "The passphrase file {path} does not exist."),
        (b"\xff\xfep\x00a\x00s\x00s\x00", "The passphrase file {path} cannot be read."),
    ],
    ids=["empty", "bom-and-newline-only", "missing", "utf-16"],
)
def test_read_passphrase_file_errors(tmp_path: Path, content: bytes | None, sentence: str) -> None:
    """An empty, missing or undecodable passphrase file: UsageError with its sentence."""
    path = tmp_path / "pass.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UsageError) as raised:
        read_passphrase_file(path)
    assert raised.value.message == sentence.format(path=path)


def test_resolve_passphrase_prefers_file_over_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--passphrase-file` wins over CWTT_PASSPHRASE; an empty variable counts as none."""
    path = tmp_path / "pass.txt"
    path.write_text("from the file\n", encoding="utf-8")
    monkeypatch.setenv("CWTT_PASSPHRASE", "from the environment")
    assert resolve_passphrase(str(path)) == "from the file"
    assert resolve_passphrase(None) == "from the environment"
    monkeypatch.setenv("CWTT_PASSPHRASE", "")
    assert resolve_passphrase(None) is None


# recovery keys


def test_new_recovery_key_shape() -> None:
    """A new recovery key is 6 groups of 5 characters from Crockford's alphabet."""
    key = new_recovery_key()
    groups = recovery_groups(key)
    assert [len(g) for g in groups] == [5] * 6
    assert set("".join(groups)) <= set(ALPHABET)
    assert format_recovery_key(key) == key


def test_recovery_key_typed_back_loosely() -> None:
    """Lower case, spaces instead of dashes, O for 0 and I/L for 1 still give the same key."""
    key = "0K2QD-1TEQ3-N7Y4J-5MDVQ-X6QHH-E38E1"
    typed = " ok2qd ITEQ3 n7y4j-5mdvq x6qhh e38el "
    assert normalise_recovery_key(typed) == normalise_recovery_key(key)


KEYISH = st.text(alphabet=ALPHABET + ALPHABET.lower() + "OILUoilu -\t", max_size=60)


@settings(derandomize=True, max_examples=100)
@given(st.text(max_size=80))
def test_strength_never_raises(passphrase: str) -> None:
    """Any text at all gets a score from 0 to 4 and a hint."""
    judged = strength(passphrase)
    assert 0 <= judged.score <= 4
    assert judged.hint


@settings(derandomize=True, max_examples=100)
@given(KEYISH)
def test_format_then_normalise_is_normalise(text: str) -> None:
    """Formatting a key into groups never changes what it normalises to."""
    assert normalise_recovery_key(format_recovery_key(text)) == normalise_recovery_key(text)
    assert set(normalise_recovery_key(text)) <= set(ALPHABET)
