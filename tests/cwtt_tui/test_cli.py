"""The `cwtt` command line: exit codes and the exact sentence each failure prints."""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cwtt_tui import commands
from cwtt_tui.__main__ import build_parser, main
from cwtt_tui.store.peek import DEMO_PASSPHRASE, peek_store
from cwtt_tui.store.store import unlock_store

REPO = Path(__file__).resolve().parents[2]
NEW_PASSPHRASE = "purple tractor under the moon"
THABO_PASSPHRASE = "kettle lamp river stone"
RECOVERY_KEY_RE = re.compile(r"^ {4}([0-9A-HJKMNP-TV-Z]{5}(?:-[0-9A-HJKMNP-TV-Z]{5}){5})$", re.M)
FINGERPRINT_RE = re.compile(r"^[A-Z2-7]{4}(?:-[A-Z2-7]{4}){4}$")
INIT_ARGS = ["--school", "500123456:Thembeka Primary", "--laptop", "Laptop A", "--user", "Nomsa"]


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as a script does: stdin is not a terminal, so cwtt must never prompt."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    """Call `main` and return (exit code, stdout, stderr)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_secret(path: Path, secret: str) -> Path:
    path.write_text(secret + "\n", encoding="utf-8")
    return path


def make_backup(capsys: pytest.CaptureFixture[str], store: Path, folder: Path) -> Path:
    code, out, err = run(capsys, "--store", store, "backup", "--to", folder)
    assert (code, err) == (0, "")
    (backup,) = folder.glob("cwtt-backup-*.db")
    assert out == f"Backup written to {backup}\n"
    return backup


# init


def test_init_from_env_prints_recovery_key_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, store_path: Path
) -> None:
    """`init` with CWTT_PASSPHRASE asks nothing and shows the recovery key once, 6 groups of 5."""
    monkeypatch.setenv("CWTT_PASSPHRASE", NEW_PASSPHRASE)
    code, out, err = run(capsys, "init", "--store", store_path, *INIT_ARGS)
    assert (code, err) == (0, "")
    assert out.startswith(f"Made a new store at {store_path} for Thembeka Primary on Laptop A.\n")
    (key,) = RECOVERY_KEY_RE.findall(out)
    assert out.count(key) == 1
    assert [len(group) for group in key.split("-")] == [5] * 6
    with unlock_store(store_path, NEW_PASSPHRASE) as store:
        assert store.user is not None and store.user.role == "team_lead"
    with unlock_store(store_path, key, recovery=True) as store:
        assert store.opened_with_recovery_key


def test_init_passphrase_file_with_bom_and_crlf(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_path: Path
) -> None:
    """A passphrase file saved by a Windows editor (UTF-8 BOM, CRLF) gives the bare passphrase."""
    secret_file = tmp_path / "pass.txt"
    secret_file.write_bytes(b"\xef\xbb\xbf" + NEW_PASSPHRASE.encode() + b"\r\n")
    code, out, err = run(
        capsys, "--passphrase-file", secret_file, "init", "--store", store_path, *INIT_ARGS
    )
    assert (code, err) == (0, "")
    assert len(RECOVERY_KEY_RE.findall(out)) == 1
    unlock_store(store_path, NEW_PASSPHRASE).close()


def test_init_on_existing_store_is_refused(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    made_store: tuple[Path, str, str],
) -> None:
    """`init` never overwrites a store: exit 15 and the file is unchanged."""
    path, passphrase, _ = made_store
    before = digest(path)
    monkeypatch.setenv("CWTT_PASSPHRASE", NEW_PASSPHRASE)
    code, out, err = run(capsys, "init", "--store", path, *INIT_ARGS)
    assert (code, out) == (15, "")
    assert err == f"cwtt: A store already exists at {path}; use it, or choose another --store.\n"
    assert digest(path) == before


def test_init_without_passphrase_or_terminal(
    capsys: pytest.CaptureFixture[str], store_path: Path
) -> None:
    """With no passphrase and no terminal to ask on, `init` stops with exit 2 and makes nothing."""
    code, out, err = run(capsys, "init", "--store", store_path, *INIT_ARGS)
    assert (code, out) == (2, "")
    assert err == (
        "cwtt: No passphrase given: set CWTT_PASSPHRASE or use --passphrase-file "
        "(no terminal to ask on).\n"
    )
    assert not store_path.exists()


@pytest.mark.parametrize(
    ("school", "passphrase", "sentence"),
    [
        (
            "500123456:Thembeka Primary",
            "short",
            "That passphrase is too weak. Too short: use at least 10 characters, e.g. four words.",
        ),
        (
            "Thembeka Primary",
            NEW_PASSPHRASE,
            "Give the school as --school EMIS:NAME, e.g. --school 500123456:Thembeka Primary.",
        ),
    ],
    ids=["weak-passphrase", "school-without-emis"],
)
def test_init_refuses_bad_input(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    store_path: Path,
    school: str,
    passphrase: str,
    sentence: str,
) -> None:
    """A weak passphrase or a school without its EMIS number: exit 2, one sentence, no store."""
    monkeypatch.setenv("CWTT_PASSPHRASE", passphrase)
    argv = ["init", "--store", store_path, "--school", school, "--laptop", "A", "--user", "N"]
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (2, "", f"cwtt: {sentence}\n")
    assert not store_path.exists()


# --store and CWTT_STORE


@pytest.mark.parametrize("where", ["before-verb", "after-verb", "after-action", "env"])
def test_store_option_places(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    made_store: tuple[Path, str, str],
    where: str,
) -> None:
    """`--store` works before or after the verb, and CWTT_STORE stands in for it."""
    path, passphrase, _ = made_store
    monkeypatch.setenv("CWTT_PASSPHRASE", passphrase)
    argv: list[object] = {
        "before-verb": ["--store", path, "users", "list"],
        "after-verb": ["users", "--store", path, "list"],
        "after-action": ["users", "list", "--store", path],
        "env": ["users", "list"],
    }[where]
    if where == "env":
        monkeypatch.setenv("CWTT_STORE", str(path))
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    assert re.fullmatch(
        r"Nomsa Dlamini\tTeam lead\tsince \d{4}-\d\d-\d\d\ttrained for sensitive questions\n", out
    )


def test_store_option_beats_environment(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    made_store: tuple[Path, str, str],
    tmp_path: Path,
) -> None:
    """An explicit `--store` wins over CWTT_STORE."""
    path, passphrase, _ = made_store
    monkeypatch.setenv("CWTT_PASSPHRASE", passphrase)
    monkeypatch.setenv("CWTT_STORE", str(tmp_path / "elsewhere.db"))
    code, _, err = run(capsys, "users", "list", "--store", path)
    assert (code, err) == (0, "")


# keys


def test_keys_prints_fingerprint_and_writes_key_file(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    made_store: tuple[Path, str, str],
    tmp_path: Path,
) -> None:
    """`keys` needs no passphrase, prints a 5x4 fingerprint and writes the JSON key file."""
    path, _, _ = made_store
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "keys", "--store", path)
    assert (code, err) == (0, "")
    key_file = tmp_path / "cwtt-keys-Laptop-A.json"
    fingerprint = peek_store(path).fingerprint
    assert FINGERPRINT_RE.fullmatch(fingerprint)
    assert out == (
        "Laptop: Laptop A\n"
        f"Fingerprint: {fingerprint}\n"
        f"Public keys written to {key_file.name} "
        "(give this file to the peer who will trust this laptop).\n"
    )
    data = json.loads(key_file.read_text(encoding="utf-8"))
    assert data["format"] == "cwtt-device-keys/1"
    assert data["name"] == "Laptop A"
    assert data["fingerprint"] == fingerprint
    assert data["device_id"] == peek_store(path).device_id
    assert len(base64.b64decode(data["ed25519"])) == 32
    assert len(base64.b64decode(data["x25519"])) == 32


def test_keys_pem_loads_as_ed25519(
    capsys: pytest.CaptureFixture[str], made_store: tuple[Path, str, str], tmp_path: Path
) -> None:
    """`keys --pem` prints the signing key as PEM that `cryptography` loads as Ed25519."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    path, _, _ = made_store
    code, _, _ = run(capsys, "keys", "--store", path, "--out", tmp_path / "k.json")
    assert code == 0
    raw = base64.b64decode(json.loads((tmp_path / "k.json").read_text())["ed25519"])
    code, pem, err = run(capsys, "keys", "--store", path, "--pem")
    assert (code, err) == (0, "")
    assert pem.startswith("-----BEGIN PUBLIC KEY-----\n")
    key = serialization.load_pem_public_key(pem.encode())
    assert isinstance(key, Ed25519PublicKey)
    encoding, fmt = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    assert key.public_bytes(encoding, fmt) == raw


# unlocking


def test_wrong_passphrase_exit_12(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    made_store: tuple[Path, str, str],
) -> None:
    """A wrong passphrase: exit 12 with the plain sentence, and the store is not left locked."""
    path, passphrase, _ = made_store
    monkeypatch.setenv("CWTT_PASSPHRASE", "not the passphrase at all")
    code, out, err = run(capsys, "--store", path, "users", "list")
    assert (code, out) == (12, "")
    assert err == "cwtt: That passphrase is not right for this store; please try again.\n"
    monkeypatch.setenv("CWTT_PASSPHRASE", passphrase)
    assert run(capsys, "--store", path, "users", "list")[0] == 0


@pytest.mark.parametrize("verb", [["users", "list"], ["keys"], ["audit", "verify"], ["backup"]])
def test_missing_store_exit_10(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    verb: list[str],
) -> None:
    """No store at the default path: exit 10, naming the path, before any passphrase is asked."""
    expected = tmp_path / "data" / "cwtt-store.db"
    code, out, err = run(capsys, *verb, *(["--to", tmp_path / "b"] if verb == ["backup"] else []))
    assert (code, out) == (10, "")
    assert err == f"cwtt: There is no cwtt store at {expected}; run `cwtt init` to make one.\n"


# audit


def test_audit_verify_ok(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    made_store: tuple[Path, str, str],
) -> None:
    """`audit verify` on a sound store says how many entries it checked and exits 0."""
    path, passphrase, _ = made_store
    monkeypatch.setenv("CWTT_PASSPHRASE", passphrase)
    code, out, err = run(capsys, "audit", "verify", "--store", path)
    assert (code, err) == (0, "")
    assert re.fullmatch(r"The audit log holds: \d+ entries, every link checked\.\n", out)


def test_audit_verify_reports_first_broken_link(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    made_store: tuple[Path, str, str],
) -> None:
    """An entry edited behind cwtt's back (trigger dropped): exit 19 naming that entry."""
    path, passphrase, _ = made_store
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("drop trigger audit_no_update")
        conn.execute("update audit set action = 'child.view' where seq = 2")
    conn.close()
    monkeypatch.setenv("CWTT_PASSPHRASE", passphrase)
    code, out, err = run(capsys, "--store", path, "audit", "verify")
    assert (code, out) == (19, "")
    assert err == (
        "cwtt: The audit log is broken at entry 2: entry 2 was changed after it was written.\n"
    )


# users


@pytest.fixture
def team(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    made_store: tuple[Path, str, str],
) -> tuple[Path, str, str]:
    """The made store plus a practitioner, Thabo; CWTT_PASSPHRASE is the team lead's."""
    path, passphrase, recovery_key = made_store
    monkeypatch.setenv("CWTT_PASSPHRASE", passphrase)
    monkeypatch.setenv("CWTT_NEW_PASSPHRASE", THABO_PASSPHRASE)
    code, out, err = run(capsys, "--store", path, "users", "add", "Thabo", "--role", "practitioner")
    assert (code, out, err) == (
        0,
        "Added Thabo as Practitioner, not trained for sensitive questions.\n",
        "",
    )
    monkeypatch.delenv("CWTT_NEW_PASSPHRASE")
    return path, passphrase, recovery_key


def test_users_list_shows_added_user(
    capsys: pytest.CaptureFixture[str], team: tuple[Path, str, str]
) -> None:
    """`users` (no action) lists every user with their role label."""
    code, out, err = run(capsys, "--store", team[0], "users")
    assert (code, err) == (0, "")
    assert [line.split("\t")[:2] for line in out.splitlines()] == [
        ["Nomsa Dlamini", "Team lead"],
        ["Thabo", "Practitioner"],
    ]


def test_users_add_by_practitioner_not_allowed(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    team: tuple[Path, str, str],
) -> None:
    """A practitioner may not add users: exit 16 and nobody is added."""
    path = team[0]
    monkeypatch.setenv("CWTT_PASSPHRASE", THABO_PASSPHRASE)
    monkeypatch.setenv("CWTT_NEW_PASSPHRASE", "another long passphrase")
    code, out, err = run(capsys, "--store", path, "users", "add", "Sipho", "--role", "team_lead")
    assert (code, out) == (16, "")
    assert err == "cwtt: Only a team lead or coordinator may add or remove users.\n"
    assert "Sipho" not in run(capsys, "--store", path, "users", "list")[1]


def test_users_add_without_new_passphrase(
    capsys: pytest.CaptureFixture[str], team: tuple[Path, str, str]
) -> None:
    """`users add` with no new passphrase and no terminal: exit 2 naming the env var and flag."""
    code, out, err = run(
        capsys, "--store", team[0], "users", "add", "Sipho", "--role", "coordinator"
    )
    assert (code, out) == (2, "")
    assert err == (
        "cwtt: No passphrase given: set CWTT_NEW_PASSPHRASE or use --new-passphrase-file "
        "(no terminal to ask on).\n"
    )


def test_users_passwd_with_recovery_key(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    team: tuple[Path, str, str],
    tmp_path: Path,
) -> None:
    """A forgotten passphrase: the recovery key and a NAME set a new one, which then unlocks."""
    path, old, recovery_key = team
    monkeypatch.delenv("CWTT_PASSPHRASE")
    key_file = write_secret(tmp_path / "recovery.txt", recovery_key.lower())
    new_file = write_secret(tmp_path / "new.txt", NEW_PASSPHRASE)
    code, out, err = run(
        capsys, "--store", path, "users", "passwd", "Nomsa Dlamini",
        "--recovery-key-file", key_file, "--new-passphrase-file", new_file,
    )  # fmt: skip
    assert (code, out, err) == (0, "The passphrase of Nomsa Dlamini is changed.\n", "")
    with unlock_store(path, NEW_PASSPHRASE) as store:
        assert store.user is not None and store.user.name == "Nomsa Dlamini"
    monkeypatch.setenv("CWTT_PASSPHRASE", old)
    assert run(capsys, "--store", path, "users", "list")[0] == 12


def test_users_passwd_with_recovery_key_needs_a_name(
    capsys: pytest.CaptureFixture[str], team: tuple[Path, str, str], tmp_path: Path
) -> None:
    """With the recovery key there is no signed-in user, so the user must be named: exit 2."""
    path, _, recovery_key = team
    key_file = write_secret(tmp_path / "recovery.txt", recovery_key)
    code, out, err = run(
        capsys, "--store", path, "users", "passwd", "--recovery-key-file", key_file
    )
    assert (code, out) == (2, "")
    assert err == "cwtt: With the recovery key, name the user whose passphrase to set.\n"


def test_users_remove_practitioner(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    team: tuple[Path, str, str],
) -> None:
    """A removed user disappears from the list and their passphrase no longer unlocks."""
    path = team[0]
    code, out, err = run(capsys, "--store", path, "users", "remove", "thabo")
    assert (code, err) == (0, "")
    assert out == "Removed thabo; their records and audit entries stay.\n"
    assert "Thabo" not in run(capsys, "--store", path, "users", "list")[1]
    monkeypatch.setenv("CWTT_PASSPHRASE", THABO_PASSPHRASE)
    assert run(capsys, "--store", path, "users", "list")[0] == 12


def test_users_remove_last_manager_refused(
    capsys: pytest.CaptureFixture[str], team: tuple[Path, str, str]
) -> None:
    """The last team lead (only a manager may remove) cannot remove herself: exit 2, unchanged."""
    path, passphrase, _ = team
    code, out, err = run(capsys, "--store", path, "users", "remove", "Nomsa Dlamini")
    assert (code, out) == (2, "")
    assert err == "cwtt: You cannot remove yourself; ask another team lead or coordinator.\n"
    assert "Nomsa Dlamini\tTeam lead" in run(capsys, "--store", path, "users", "list")[1]
    unlock_store(path, passphrase).close()


def test_users_add_sensitive_list_and_change(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    team: tuple[Path, str, str],
) -> None:
    """`add --sensitive`/`--no-sensitive` overrides the role's default; `sensitive NAME on|off`
    changes it (audit-logged); `list` shows it."""
    path = team[0]
    monkeypatch.setenv("CWTT_NEW_PASSPHRASE", "sister dube measures children")
    code, out, err = run(
        capsys, "--store", path, "users", "add", "Sister Dube", "--role", "practitioner",
        "--sensitive",
    )  # fmt: skip
    assert (code, out, err) == (
        0,
        "Added Sister Dube as Practitioner, trained for sensitive questions.\n",
        "",
    )
    code, out, _ = run(
        capsys, "--store", path, "users", "add", "Lerato", "--role", "coordinator", "--no-sensitive"
    )
    assert (code, out) == (0, "Added Lerato as Coordinator, not trained for sensitive questions.\n")
    code, out, err = run(capsys, "--store", path, "users", "sensitive", "thabo", "on")
    assert (code, out, err) == (0, "Thabo may now ask and see sensitive questions.\n", "")
    code, out, _ = run(capsys, "--store", path, "users", "sensitive", "Sister Dube", "off")
    assert (code, out) == (0, "Sister Dube may no longer ask or see sensitive questions.\n")
    code, out, _ = run(capsys, "--store", path, "users", "list")
    rows = [line.split("\t") for line in out.splitlines()]
    assert [(r[0], r[3]) for r in rows] == [
        ("Nomsa Dlamini", "trained for sensitive questions"),
        ("Thabo", "trained for sensitive questions"),
        ("Sister Dube", "not trained for sensitive questions"),
        ("Lerato", "not trained for sensitive questions"),
    ]
    with unlock_store(path, team[1]) as store:
        changes = [e for e in store.audit.entries() if e.action == "user.sensitive"]
        assert [e.detail for e in changes] == [{"allowed": True}, {"allowed": False}]


def test_users_sensitive_by_practitioner_not_allowed(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    team: tuple[Path, str, str],
) -> None:
    """A practitioner may not say who is trained: exit 16, nothing changes."""
    path = team[0]
    monkeypatch.setenv("CWTT_PASSPHRASE", THABO_PASSPHRASE)
    code, out, err = run(capsys, "--store", path, "users", "sensitive", "Thabo", "on")
    assert (code, out) == (16, "")
    assert err == (
        "cwtt: Only a team lead or coordinator may say who is trained for sensitive questions.\n"
    )
    assert "Thabo\tPractitioner" in run(capsys, "--store", path, "users", "list")[1]
    with pytest.raises(SystemExit) as stopped:
        main(["--store", str(path), "users", "sensitive", "Thabo", "maybe"])
    assert stopped.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_users_remove_unknown_user(
    capsys: pytest.CaptureFixture[str], team: tuple[Path, str, str]
) -> None:
    """Removing a name the store does not hold: exit 17 with the name in the sentence."""
    code, out, err = run(capsys, "--store", team[0], "users", "remove", "Nobody")
    assert (code, out, err) == (17, "", "cwtt: There is no user called Nobody in this store.\n")


# demo


def demo_children(path: Path) -> list[tuple[str, ...]]:
    with unlock_store(path, DEMO_PASSPHRASE) as store:
        return sorted(
            (c.details.first_name, c.details.last_name, c.details.grade, c.details.class_name)
            for c in store.children.list()
        )


def test_demo_same_seed_same_children(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`demo --children 20 --seed 3` twice (two stores) gives the same children."""
    first, second = tmp_path / "demo-1.db", tmp_path / "demo-2.db"
    for path in (first, second):
        code, out, err = run(capsys, "demo", "--store", path, "--children", 20, "--seed", 3)
        assert (code, err) == (0, "")
        assert out == (
            f"Made the demo store {path} with 20 synthetic children.\n"
            f"Its passphrase is: {DEMO_PASSPHRASE}\n"
        )
    names = demo_children(first)
    assert len(names) == 20
    assert names == demo_children(second)
    assert peek_store(first).is_demo


def test_demo_fills_an_existing_demo_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A second `demo` on the same demo store adds children to it."""
    path = tmp_path / "demo.db"
    assert run(capsys, "demo", "--store", path, "--children", 5, "--seed", 1)[0] == 0
    code, out, _ = run(capsys, "demo", "--store", path, "--children", 5, "--seed", 2)
    assert code == 0
    assert out.startswith(f"Filled the demo store {path} with 5 synthetic children.\n")
    assert len(demo_children(path)) == 10


def test_demo_refuses_real_store(
    capsys: pytest.CaptureFixture[str], made_store: tuple[Path, str, str]
) -> None:
    """`demo` never puts synthetic children into a store with real data: exit 2, unchanged."""
    path = made_store[0]
    before = digest(path)
    code, out, err = run(capsys, "demo", "--store", path, "--children", 3)
    assert (code, out) == (2, "")
    assert err == (
        f"cwtt: The store at {path} holds real data; demo children go only into a demo store.\n"
    )
    assert digest(path) == before


# backup and restore


def test_backup_uses_folder_from_settings(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    made_store: tuple[Path, str, str],
    tmp_path: Path,
) -> None:
    """Without `--to`, `backup` writes to the backup folder from Settings."""
    from cwtt_tui.config import Settings, save_settings

    path, passphrase, _ = made_store
    save_settings(Settings(backup_folder=str(tmp_path / "usb")))
    monkeypatch.setenv("CWTT_PASSPHRASE", passphrase)
    code, out, err = run(capsys, "--store", path, "backup")
    assert (code, err) == (0, "")
    assert len(list((tmp_path / "usb").glob("cwtt-backup-Laptop-A-*.db"))) == 1


def test_backup_without_folder(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    made_store: tuple[Path, str, str],
) -> None:
    """No `--to` and no folder in Settings: exit 2 saying where to set one."""
    monkeypatch.setenv("CWTT_PASSPHRASE", made_store[1])
    code, out, err = run(capsys, "--store", made_store[0], "backup")
    assert (code, out) == (2, "")
    assert err == (
        "cwtt: Say where to put the backup: --to DIR (or set a backup folder in Settings).\n"
    )


def test_backup_then_restore_into_new_path(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    made_store: tuple[Path, str, str],
    tmp_path: Path,
) -> None:
    """A backup restored to a new path opens with the same passphrase and the recovery key."""
    path, passphrase, recovery_key = made_store
    monkeypatch.setenv("CWTT_PASSPHRASE", passphrase)
    backup = make_backup(capsys, path, tmp_path / "usb")
    target = tmp_path / "restored" / "cwtt-store.db"
    code, out, err = run(capsys, "--store", target, "restore", backup)
    assert (code, out, err) == (0, f"Restored {backup} into {target}.\n", "")
    assert peek_store(target).store_id == peek_store(path).store_id
    with unlock_store(target, passphrase) as store:
        assert [u.name for u in store.users.list()] == ["Nomsa Dlamini"]
        assert store.audit.verify().first_broken is None
    unlock_store(target, recovery_key, recovery=True).close()


def test_restore_proved_with_recovery_key_file(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    made_store: tuple[Path, str, str],
    tmp_path: Path,
) -> None:
    """`restore --recovery-key-file` checks the backup with the recovery key, no passphrase."""
    path, passphrase, recovery_key = made_store
    monkeypatch.setenv("CWTT_PASSPHRASE", passphrase)
    backup = make_backup(capsys, path, tmp_path / "usb")
    monkeypatch.delenv("CWTT_PASSPHRASE")
    key_file = write_secret(tmp_path / "recovery.txt", recovery_key)
    target = tmp_path / "new.db"
    code, _, err = run(
        capsys, "restore", backup, "--store", target, "--recovery-key-file", key_file
    )
    assert (code, err) == (0, "")
    unlock_store(target, passphrase).close()


@pytest.fixture
def two_stores(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    made_store: tuple[Path, str, str],
    tmp_path: Path,
) -> tuple[Path, Path, str]:
    """(backup of the made store, another existing store on 'Laptop B', shared passphrase)."""
    from cwtt_tui.crypto.kdf import TEST_KDF
    from cwtt_tui.store.store import create_store

    path, passphrase, _ = made_store
    monkeypatch.setenv("CWTT_PASSPHRASE", passphrase)
    backup = make_backup(capsys, path, tmp_path / "usb")
    other = tmp_path / "laptop-b" / "cwtt-store.db"
    store, _ = create_store(
        other, school_emis="500333444", school_name="Kgotso Primary", laptop_name="Laptop B",
        user_name="Sipho", role="coordinator", passphrase=passphrase, kdf=TEST_KDF,
    )  # fmt: skip
    store.close()
    return backup, other, passphrase


def test_restore_onto_existing_store_needs_force(
    capsys: pytest.CaptureFixture[str], two_stores: tuple[Path, Path, str]
) -> None:
    """Restore onto an existing store without `--force`: exit 15 and nothing changes."""
    backup, target, _ = two_stores
    before = digest(target)
    code, out, err = run(capsys, "--store", target, "restore", backup)
    assert (code, out) == (15, "")
    assert err == (
        f"cwtt: A store already exists at {target}; add --force to replace it "
        "(the current store is kept beside it).\n"
    )
    assert digest(target) == before
    assert list(target.parent.glob("*before-restore*")) == []


def test_restore_force_keeps_old_store_beside(
    capsys: pytest.CaptureFixture[str], two_stores: tuple[Path, Path, str]
) -> None:
    """`restore --force` replaces the store and keeps the old one beside it, still openable."""
    backup, target, passphrase = two_stores
    code, out, err = run(capsys, "--store", target, "restore", backup, "--force")
    assert (code, err) == (0, "")
    (kept,) = target.parent.glob("cwtt-store.before-restore-*.db")
    assert out == (
        f"Restored {backup} into {target}.\nThe store that was there is kept as {kept}.\n"
    )
    assert peek_store(target).laptop_name == "Laptop A"
    assert peek_store(kept).laptop_name == "Laptop B"
    with unlock_store(kept, passphrase) as store:
        assert [u.name for u in store.users.list()] == ["Sipho"]
    unlock_store(target, passphrase).close()


@pytest.mark.parametrize("case", ["not-a-store", "missing-file", "wrong-passphrase"])
def test_restore_failures_leave_target_untouched(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_stores: tuple[Path, Path, str],
    tmp_path: Path,
    case: str,
) -> None:
    """A bad backup file, a missing one or a wrong passphrase: its exit code, target unchanged."""
    backup, target, _ = two_stores
    if case == "not-a-store":
        backup = tmp_path / "holiday-photo.db"
        backup.write_bytes(b"\xff\xd8\xff\xe0 not a database" * 100)
        expected = (
            13,
            f"cwtt: The file {backup} is not a cwtt backup or is damaged; check you chose the right file, or try an older backup.\n",
        )
    elif case == "missing-file":
        backup = tmp_path / "usb" / "gone.db"
        expected = (10, f"cwtt: The backup file {backup} does not exist.\n")
    else:
        monkeypatch.setenv("CWTT_PASSPHRASE", "not the passphrase at all")
        expected = (12, "cwtt: That passphrase is not right for this store; please try again.\n")
    before = digest(target)
    code, out, err = run(capsys, "--store", target, "restore", backup, "--force")
    assert (code, err) == expected
    assert out == ""
    assert digest(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "cwtt-store.db",
        "cwtt-store.db.lock",
    ]


# crashes and the command line itself


def test_unexpected_error_writes_crash_log_without_locals(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A bug exits 70 and names a crash log holding the traceback but no local variable."""

    def broken_keys(args: argparse.Namespace) -> int:
        secret = "SENTINEL-PASSPHRASE-123"
        raise RuntimeError(f"a bug after reading {len(secret)} characters")

    monkeypatch.setattr(commands, "cmd_keys", broken_keys)
    code, out, err = run(capsys, "keys")
    assert (code, out) == (70, "")
    (log,) = (tmp_path / "data" / "crash-logs").glob("crash-*.log")
    assert err == f"cwtt: an unexpected error stopped cwtt; details are in {log}.\n"
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "in broken_keys" in text
    assert "RuntimeError: a bug after reading 23 characters" in text
    assert "SENTINEL-PASSPHRASE-123" not in text
    assert "SENTINEL" not in err


def test_import_loads_no_slow_library() -> None:
    """Building the parser imports neither textual, sqlite-utils nor cryptography."""
    code = (
        "import cwtt_tui.__main__ as m; import sys; m.build_parser(); "
        "print(sorted(k for k in ('textual','sqlite_utils','cryptography') if k in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"


def test_module_help_exits_0() -> None:
    """`python -m cwtt_tui --help` prints usage and exits 0."""
    done = subprocess.run(
        [sys.executable, "-m", "cwtt_tui", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: cwtt")
    for verb in ("init", "demo", "keys", "backup", "restore", "audit", "users"):
        assert verb in done.stdout


def all_parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser and sub-parser with the words that reach it."""
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += all_parsers(sub, (*path, name))
    return found


PARSERS = all_parsers(build_parser())
HIDDEN = {"--self-check"}  # CI's headless start-up check, hidden on purpose


@pytest.mark.parametrize(
    ("path", "parser"), PARSERS, ids=[" ".join(p) or "cwtt" for p, _ in PARSERS]
)
def test_every_option_has_help(
    capsys: pytest.CaptureFixture[str], path: tuple[str, ...], parser: argparse.ArgumentParser
) -> None:
    """Each verb's `--help` exits 0 and every option, argument and action has a help text."""
    with pytest.raises(SystemExit) as stopped:
        main([*path, "--help"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("usage: cwtt")
    missing = []
    for action in parser._actions:
        name = action.option_strings[-1] if action.option_strings else action.dest
        if isinstance(action, argparse._SubParsersAction):
            missing += [f"{name} {c.dest}" for c in action._choices_actions if not c.help]
        elif action.help == argparse.SUPPRESS:
            assert name in HIDDEN
        elif not action.help:
            missing.append(name)
    assert missing == [], f"`cwtt {' '.join(path)}` lacks help for: {', '.join(missing)}"
