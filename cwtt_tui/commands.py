"""One handler per `cwtt` verb: each resolves its inputs, calls a service and prints the outcome.

Output rules: results go to stdout; prompts and progress go to stderr; errors are raised as
CwttError and printed once by `__main__`.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cwtt_tui import config
from cwtt_tui.errors import AuditBroken, RecordNotFound, StoreExists, UsageError
from cwtt_tui.passphrase import ENV_VAR, read_passphrase_file, resolve_passphrase, strength

if TYPE_CHECKING:
    from cwtt_tui.crypto.kdf import KdfParams
    from cwtt_tui.store.store import Store

NEW_ENV_VAR = "CWTT_NEW_PASSPHRASE"
DEMO_CHILDREN = 200
DEMO_SEED = 7


def store_path(args: argparse.Namespace) -> Path:
    """`--store`, else `CWTT_STORE`, else the default store in the user data folder."""
    chosen = getattr(args, "store", None) or os.environ.get("CWTT_STORE")
    return Path(chosen).expanduser() if chosen else config.default_store_path()


def kdf_params() -> KdfParams:
    """Argon2id calibrated on this laptop; `CWTT_TEST_KDF=1` makes it cheap, for tests only."""
    from cwtt_tui.crypto.kdf import TEST_KDF, calibrate_kdf

    return TEST_KDF if os.environ.get("CWTT_TEST_KDF") == "1" else calibrate_kdf()


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def ask_passphrase(args: argparse.Namespace, prompt: str = "Passphrase: ") -> str:
    """The passphrase from `--passphrase-file`, `CWTT_PASSPHRASE`, or a prompt on a terminal."""
    value = resolve_passphrase(getattr(args, "passphrase_file", None))
    if value:
        return value
    if not _interactive():
        raise UsageError(
            f"No passphrase given: set {ENV_VAR} or use --passphrase-file (no terminal to ask on)."
        )
    return getpass.getpass(prompt)


def ask_new_passphrase(
    args: argparse.Namespace, file_attr: str = "passphrase_file", env_var: str = ENV_VAR
) -> str:
    """A new passphrase from a file, the environment, or typed twice; weak ones are refused."""
    file_value = getattr(args, file_attr, None)
    value = read_passphrase_file(file_value) if file_value else os.environ.get(env_var) or None
    if not value:
        if not _interactive():
            flag = "--" + file_attr.replace("_", "-")
            raise UsageError(
                f"No passphrase given: set {env_var} or use {flag} (no terminal to ask on)."
            )
        value = getpass.getpass("New passphrase: ")
        print(strength(value).hint, file=sys.stderr)
        if getpass.getpass("Type it again: ") != value:
            raise UsageError("The two passphrases are not the same; nothing was changed.")
    judged = strength(value)
    if not judged.acceptable:
        raise UsageError(f"That passphrase is too weak. {judged.hint}")
    return value


def secret_for_unlock(args: argparse.Namespace) -> tuple[str, bool]:
    """(secret, is_recovery_key): `--recovery-key-file` wins over the passphrase."""
    recovery_file = getattr(args, "recovery_key_file", None)
    if recovery_file:
        return read_passphrase_file(recovery_file), True
    return ask_passphrase(args), False


def open_store(args: argparse.Namespace, *, exclusive: bool = True) -> Store:
    from cwtt_tui.store.store import unlock_store

    path = store_path(args)
    from cwtt_tui.store.peek import peek_store

    peek_store(path)  # a plain "no store here" before asking for a passphrase
    secret, recovery = secret_for_unlock(args)
    return unlock_store(path, secret, recovery=recovery, exclusive=exclusive)


def cmd_init(args: argparse.Namespace) -> int:
    from cwtt_tui.store.store import create_store

    path = store_path(args)
    if path.exists():
        raise StoreExists(f"A store already exists at {path}; use it, or choose another --store.")
    emis, _, name = (args.school or "").partition(":")
    if not emis.strip() or not name.strip():
        raise UsageError(
            "Give the school as --school EMIS:NAME, e.g. --school 500123456:Thembeka Primary."
        )
    passphrase = ask_new_passphrase(args)
    store, recovery_key = create_store(
        path, school_emis=emis, school_name=name, laptop_name=args.laptop, user_name=args.user,
        role=args.role, passphrase=passphrase, kdf=kdf_params(),
    )  # fmt: skip
    with store:
        info = store.info()
    print(f"Made a new store at {path} for {name.strip()} on {args.laptop}.")
    print(f"This laptop's fingerprint: {info.fingerprint}")
    print("Recovery key (write it down now and keep it locked away; it is shown only once):")
    print(f"    {recovery_key}")
    return 0


def ensure_demo_store(path: Path, children: int, seed: int) -> tuple[bool, int]:
    """Create (or fill) a demo store; return (created, children added)."""
    from cwtt_tui.crypto.kdf import TEST_KDF
    from cwtt_tui.demo import fill_demo
    from cwtt_tui.store.peek import DEMO_PASSPHRASE, peek_store
    from cwtt_tui.store.store import create_store, unlock_store

    created = False
    if path.exists():
        if not peek_store(path).is_demo:
            raise UsageError(
                f"The store at {path} holds real data; demo children go only into a demo store."
            )
        store = unlock_store(path, DEMO_PASSPHRASE)
    else:
        # Synthetic children only: cheap key derivation keeps the demo quick to open.
        store, _ = create_store(
            path, school_emis="500111222", school_name="Thembeka Primary", laptop_name="Demo laptop",
            user_name="Demo Coordinator", role="coordinator", passphrase=DEMO_PASSPHRASE,
            kdf=TEST_KDF, demo=True,
        )  # fmt: skip
        created = True
    with store:
        summary = fill_demo(store, children=children, seed=seed)
    return created, summary.children


def cmd_demo(args: argparse.Namespace) -> int:
    path = (
        store_path(args)
        if (args.store or os.environ.get("CWTT_STORE"))
        else config.demo_store_path()
    )
    from cwtt_tui.store.peek import DEMO_PASSPHRASE

    created, added = ensure_demo_store(path, args.children, args.seed)
    verb = "Made" if created else "Filled"
    print(f"{verb} the demo store {path} with {added} synthetic children.")
    print(f"Its passphrase is: {DEMO_PASSPHRASE}")
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    from cwtt_tui.crypto.device_keys import public_pem
    from cwtt_tui.peers import write_key_file
    from cwtt_tui.store.peek import local_public_keys

    path = store_path(args)
    if args.pem:
        ed_pub = local_public_keys(path)[0]
        print(public_pem(ed_pub), end="")
        return 0
    info, out = write_key_file(path, Path(args.out) if args.out else None)
    print(f"Laptop: {info.laptop_name}")
    print(f"Fingerprint: {info.fingerprint}")
    print(f"Public keys written to {out} (give this file to the peer who will trust this laptop).")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from cwtt_tui.store.backup import backup_store

    folder = args.to or config.load_settings().backup_folder
    if not folder:
        raise UsageError(
            "Say where to put the backup: --to DIR (or set a backup folder in Settings)."
        )
    with open_store(args, exclusive=False) as store:
        target = backup_store(store, Path(folder).expanduser())
    print(f"Backup written to {target}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from cwtt_tui.store.backup import restore_store

    target = store_path(args)
    if target.exists() and not args.force:
        raise StoreExists(
            f"A store already exists at {target}; add --force to replace it "
            "(the current store is kept beside it)."
        )
    secret, recovery = secret_for_unlock(args)
    kept = restore_store(Path(args.file), target, secret, recovery=recovery, force=args.force)
    print(f"Restored {args.file} into {target}.")
    if kept:
        print(f"The store that was there is kept as {kept}.")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with open_store(args, exclusive=False) as store:
        report = store.audit.verify()
    if report.first_broken is not None:
        raise AuditBroken(
            f"The audit log is broken at entry {report.first_broken}: {report.reason}."
        )
    print(f"The audit log holds: {report.entries} entries, every link checked.")
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    from cwtt_tui.models import ROLE_LABELS

    action = args.users_action or "list"
    with open_store(args) as store:
        if action == "list":
            for user in store.users.list():
                print(
                    f"{user.name}\t{ROLE_LABELS[user.role]}\tsince {user.created_at[:10]}"
                    f"\t{_trained(user.sensitive)}"
                )
        elif action == "add":
            new = ask_new_passphrase(args, "new_passphrase_file", NEW_ENV_VAR)
            user = store.users.add(args.name, args.role, new, sensitive=args.sensitive)
            print(f"Added {user.name} as {ROLE_LABELS[user.role]}, {_trained(user.sensitive)}.")
        elif action == "sensitive":
            user = store.users.set_sensitive(store.users.find(args.name).id, args.allowed == "on")
            if user.sensitive:
                print(f"{user.name} may now ask and see sensitive questions.")
            else:
                print(f"{user.name} may no longer ask or see sensitive questions.")
        elif action == "remove":
            store.users.remove(store.users.find(args.name).id)
            print(f"Removed {args.name}; their records and audit entries stay.")
        elif action == "passwd":
            if store.user is None:  # opened with the recovery key
                if not args.name:
                    raise UsageError(
                        "With the recovery key, name the user whose passphrase to set."
                    )
                store.sign_in_as(store.users.find(args.name).id)
            target = store.users.find(args.name) if args.name else store.user
            if target is None:
                raise RecordNotFound("No user to change.")
            new = ask_new_passphrase(args, "new_passphrase_file", NEW_ENV_VAR)
            store.users.set_passphrase(target.id, new)
            print(f"The passphrase of {target.name} is changed.")
    return 0


def _trained(sensitive: bool) -> str:
    return "trained for sensitive questions" if sensitive else "not trained for sensitive questions"
