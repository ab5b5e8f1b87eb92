"""The `cwtt` command: parse the command line, run one verb or the app, print errors plainly.

Slow libraries (textual, sqlite-utils, cryptography) are imported only by the verb that needs them.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from cwtt_tui import __version__, commands, config
from cwtt_tui.commands_actions import add_actions_command
from cwtt_tui.commands_board import add_board_command
from cwtt_tui.commands_bundles import add_bundle_commands
from cwtt_tui.commands_questionnaires import add_questionnaire_commands
from cwtt_tui.commands_rounds import add_rounds_commands
from cwtt_tui.commands_score import add_score_command
from cwtt_tui.errors import CwttError
from cwtt_tui.models import ROLES


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Options accepted before or after the verb (the verb's copy must not reset the main one)."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--store", metavar="PATH", default=default,
        help="the store to use (env CWTT_STORE; default: cwtt-store.db in the user data folder)",
    )  # fmt: skip
    parser.add_argument(
        "--passphrase-file", metavar="FILE", default=default,
        help="read the passphrase from the first line of FILE (else env CWTT_PASSPHRASE, else ask)",
    )  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cwtt",
        description="Child Wellbeing Tracking Tool: run without a verb to open the app.",
        epilog="Exit codes are listed in the README (Scripting). Errors go to stderr in one sentence.",
    )
    parser.add_argument("--version", action="version", version=f"cwtt {__version__}")
    _common(parser, suppress=False)
    parser.add_argument(
        "--demo", action="store_true", help="open the app on a demo store of synthetic children"
    )
    parser.add_argument("--self-check", action="store_true", help=argparse.SUPPRESS)
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")

    init = verbs.add_parser("init", help="make a new store without the setup screens")
    _common(init, suppress=True)
    init.add_argument(
        "--school",
        metavar="EMIS:NAME",
        required=True,
        help="the school, e.g. 500123456:Thembeka Primary",
    )
    init.add_argument(
        "--laptop", metavar="NAME", required=True, help="this laptop's name, e.g. 'Laptop A'"
    )
    init.add_argument("--user", metavar="NAME", required=True, help="the first user's name")
    init.add_argument(
        "--role",
        choices=ROLES,
        default="team_lead",
        help="the first user's role (default team_lead)",
    )
    init.set_defaults(handler=commands.cmd_init)

    demo = verbs.add_parser("demo", help="make or fill a demo store of synthetic children")
    _common(demo, suppress=True)
    demo.add_argument(
        "--children",
        type=int,
        default=commands.DEMO_CHILDREN,
        metavar="N",
        help="how many children (default 200)",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=commands.DEMO_SEED,
        metavar="S",
        help="random seed (same seed, same children)",
    )
    demo.set_defaults(handler=commands.cmd_demo)

    keys = verbs.add_parser("keys", help="show this laptop's fingerprint and write its public keys")
    _common(keys, suppress=True)
    keys.add_argument(
        "--out",
        metavar="FILE",
        help="where to write the public keys (default ./cwtt-keys-LAPTOP.json)",
    )
    keys.add_argument(
        "--pem", action="store_true", help="print the signing key as PEM (for openssl)"
    )
    keys.set_defaults(handler=commands.cmd_keys)

    backup = verbs.add_parser(
        "backup", help="write an encrypted copy of the store (safe while the app runs)"
    )
    _common(backup, suppress=True)
    backup.add_argument(
        "--to", metavar="DIR", help="the folder (default: the backup folder in Settings)"
    )
    backup.add_argument(
        "--recovery-key-file", metavar="FILE", help="unlock with the recovery key in FILE"
    )
    backup.set_defaults(handler=commands.cmd_backup)

    restore = verbs.add_parser("restore", help="restore a backup into the store path")
    _common(restore, suppress=True)
    restore.add_argument("file", metavar="FILE", help="the backup file")
    restore.add_argument(
        "--force", action="store_true", help="replace an existing store (it is kept beside)"
    )
    restore.add_argument(
        "--recovery-key-file",
        metavar="FILE",
        help="prove the backup opens with the recovery key in FILE",
    )
    restore.set_defaults(handler=commands.cmd_restore)

    audit = verbs.add_parser("audit", help="check the audit log")
    _common(audit, suppress=True)
    audit_verbs = audit.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = audit_verbs.add_parser("verify", help="check every link of the hash chain")
    _common(verify, suppress=True)
    verify.add_argument(
        "--recovery-key-file", metavar="FILE", help="unlock with the recovery key in FILE"
    )
    verify.set_defaults(handler=commands.cmd_audit_verify)

    users = verbs.add_parser(
        "users",
        help="list, add or remove users; change a passphrase or who asks sensitive questions",
    )
    _common(users, suppress=True)
    users.set_defaults(handler=commands.cmd_users, users_action=None)
    user_verbs = users.add_subparsers(dest="users_action", metavar="ACTION")
    user_list = user_verbs.add_parser(
        "list", help="list the users, their roles and who is trained for sensitive questions"
    )
    _common(user_list, suppress=True)
    user_add = user_verbs.add_parser("add", help="add a user with their own passphrase")
    _common(user_add, suppress=True)
    user_add.add_argument("name", metavar="NAME", help="the new user's name")
    user_add.add_argument(
        "--role", choices=ROLES, required=True, help="what the new user may do in the store"
    )
    user_add.add_argument(
        "--sensitive",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="trained to ask and see sensitive questions (abuse, HIV), e.g. a social worker, "
        "nurse or psychologist (default: yes for team_lead and coordinator, no for practitioner)",
    )
    user_add.add_argument(
        "--new-passphrase-file",
        metavar="FILE",
        help="the new user's passphrase (else env CWTT_NEW_PASSPHRASE, else ask)",
    )
    user_remove = user_verbs.add_parser("remove", help="remove a user (their records stay)")
    _common(user_remove, suppress=True)
    user_remove.add_argument("name", metavar="NAME", help="the name of the user to remove")
    user_passwd = user_verbs.add_parser(
        "passwd", help="set a new passphrase (yours, or another user's)"
    )
    _common(user_passwd, suppress=True)
    user_passwd.add_argument(
        "name", metavar="NAME", nargs="?", help="whose passphrase to set (default: yours)"
    )
    user_passwd.add_argument(
        "--new-passphrase-file",
        metavar="FILE",
        help="the new passphrase (else env CWTT_NEW_PASSPHRASE, else ask)",
    )
    user_passwd.add_argument(
        "--recovery-key-file",
        metavar="FILE",
        help="unlock with the recovery key in FILE (forgotten passphrase)",
    )
    user_sensitive = user_verbs.add_parser(
        "sensitive",
        help="say whether a user is trained for sensitive questions (team lead or coordinator)",
    )
    _common(user_sensitive, suppress=True)
    user_sensitive.add_argument("name", metavar="NAME", help="the user's name")
    user_sensitive.add_argument(
        "allowed",
        choices=("on", "off"),
        metavar="on|off",
        help="on: may ask and see sensitive questions (abuse, HIV); off: may not",
    )
    for sub in (user_list, user_add, user_remove, user_passwd, user_sensitive):
        sub.set_defaults(handler=commands.cmd_users)
    add_questionnaire_commands(verbs)
    add_score_command(verbs)
    add_board_command(verbs)
    add_actions_command(verbs)
    add_rounds_commands(verbs)
    add_bundle_commands(verbs)
    return parser  # fmt: skip


def run_app(args: argparse.Namespace) -> int:
    """Open the Textual app on the chosen store (the setup screens if there is none yet)."""
    path = commands.store_path(args)
    if args.demo:
        path = Path(args.store).expanduser() if args.store else config.demo_store_path()
        if not path.exists():
            print("Making a demo store of synthetic children (once)…", file=sys.stderr)
            commands.ensure_demo_store(path, commands.DEMO_CHILDREN, commands.DEMO_SEED)
    from cwtt_tui.app import make_app

    settings = config.load_settings()
    app = make_app(path, settings=settings)
    if args.self_check:
        from cwtt_tui.app import self_check

        return self_check(app)
    if not sys.stdout.isatty():
        raise CwttError("cwtt needs a terminal window to show the app; run it from a terminal.")
    app.run()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run `cwtt` and return its exit code; expected failures print one sentence to stderr."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        handler = getattr(args, "handler", None)
        return handler(args) if handler else run_app(args)
    except CwttError as exc:
        print(f"cwtt: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("cwtt: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` or similar, which stopped reading
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:  # a bug: keep the traceback (without locals) in a file, not on screen
        log = write_crash_log(exc)
        print(f"cwtt: an unexpected error stopped cwtt; details are in {log}.", file=sys.stderr)
        return 70


def write_crash_log(exc: BaseException) -> Path:
    """Write the traceback (never local variables, which may hold names or passphrases)."""
    folder = config.data_dir() / "crash-logs"
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = folder / f"crash-{stamp}-{os.getpid()}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    except OSError:
        return Path("(could not write a crash log)")
    return path


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
