"""The verbs that move records between laptops: peers, export, verify, import, conflicts and
duplicates. Each prints plain sentences; refusals exit with the codes in the README."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cwtt_tui.commands import open_store, store_path
from cwtt_tui.errors import NotAllowed, UsageError

PEER_ROLES = ("team_lead", "coordinator")


def _need_role(store: Any, what: str) -> None:
    if store.user is None or store.user.role not in PEER_ROLES:
        raise NotAllowed(f"Only a team lead or coordinator may {what}.")


# ----- peers -----


def cmd_peers(args: argparse.Namespace) -> int:
    from cwtt_tui.peers import enrol_peer
    from exports.bundle_crypto import SUITE_CLASSIC
    from exports.bundle_export import suite_for

    with open_store(args) as store:
        action = args.peers_action or "list"
        if action == "list":
            local = store.devices.local()
            print(f"This laptop: {local.name}  {local.fingerprint}")
            peers = [d for d in store.devices.list(include_revoked=True) if not d.is_local]
            if not peers:
                print("No peers enrolled yet: `cwtt peers add KEYFILE`.")
            for peer in peers:
                state = "REVOKED" if peer.revoked else "trusted"
                suite = "post-quantum hybrid" if suite_for(peer) != SUITE_CLASSIC else "classic"
                missing = store.bundles.missing_from(peer.id)
                gap = f"; missing bundles {', '.join(map(str, missing))}" if missing else ""
                print(
                    f"{peer.name:<24} {peer.fingerprint}  {state} since {peer.trusted_since[:10]}, {suite}{gap}"
                )
            return 0
        _need_role(store, "change the trusted peers")
        if action == "add":
            device = enrol_peer(store, Path(args.file), name=args.name, classic=args.classic)
            local = store.devices.local()
            print(f"Enrolled {device.name}.")
            print(f"  Its fingerprint:  {device.fingerprint}")
            print(f"  This laptop's:    {local.fingerprint}")
            print("Read both aloud with the other laptop's owner; they must match exactly.")
            return 0
        peer = store.devices.peer(args.peer)
        if action == "rename":
            store.devices.rename(peer.id, args.name)
            print(f"Renamed {peer.fingerprint} to {args.name.strip()}.")
        elif action == "revoke":
            store.devices.revoke(peer.id)
            print(
                f"{peer.name} ({peer.fingerprint}) is no longer trusted; its bundles will be refused."
            )
        return 0


# ----- export / verify / import -----


def cmd_export(args: argparse.Namespace) -> int:
    from exports.bundle_export import export_bundle

    if args.split_mb is not None and args.split_mb < 0.07:
        raise UsageError("--split-mb must be at least 0.07 (70 KB).")
    with open_store(args) as store:
        result = export_bundle(
            store, args.to, Path(args.out), full=args.full, split_mb=args.split_mb,
            include_drafts=args.drafts,
        )  # fmt: skip
    kind = "full" if result.full else "changes since the last bundle"
    counts = ", ".join(f"{n} {k}" for k, n in sorted(result.counts.items())) or "nothing new"
    print(f"Bundle {result.sequence} for {result.peer} ({kind}): {counts}.")
    for path in result.paths:
        print(f"  {path}  ({path.stat().st_size:,} bytes)")
    print(f"The receiver will see this laptop's fingerprint: {result.fingerprint}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from exports.bundle_verify import verify_files

    path = store_path(args)
    report = verify_files([Path(f) for f in args.files], path if path.exists() else None)
    for line in report.lines():
        print(line)
    return 0 if report.ok else 21


def cmd_import(args: argparse.Namespace) -> int:
    from exports.bundle_import import import_bundles

    with open_store(args) as store:
        summaries = import_bundles(store, [Path(f) for f in args.files], preview=args.preview)
    for summary in summaries:
        if args.preview and not summary.already_imported:
            print("Preview only, nothing was changed:")
        for line in summary.lines():
            print(line)
    return 0


# ----- conflicts / duplicates -----


def _describe(record: dict[str, Any] | None) -> str:
    if record is None:
        return "(not held here)"
    return f"changed {record['updated_at']} on laptop {record['updated_by_device'][:8]}"


def cmd_conflicts(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if args.conflict_id:
            _need_role(store, "resolve conflicts")
            if args.keep not in ("mine", "theirs"):
                raise UsageError("Say which version to keep: --keep mine or --keep theirs.")
            with store.transaction():
                store.sync.resolve(args.conflict_id, args.keep)
                store.audit.record("conflict.resolve", args.conflict_id, keep=args.keep)
            print(f"Kept {args.keep}; the choice will travel with the next bundles.")
            return 0
        conflicts = store.sync.conflicts()
        if not conflicts:
            print("No records need review.")
        for c in conflicts:
            print(f"{c['id']}  {c['kind']} {c['record_id'][:8]}")
            print(f"    mine:   {_describe(c['mine'])}")
            print(f"    theirs: {_describe(c['theirs'])} (bundle {c['bundle_id'][:8]})")
        if conflicts:
            print("Resolve one with `cwtt conflicts ID --keep mine|theirs`.")
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    from cwtt_tui.merging import (
        dismiss_pair,
        dismissed_pairs,
        list_merges,
        merge_children,
        undo_merge,
    )
    from exports.duplicates import probable_duplicates

    with open_store(args) as store:
        action = args.dup_action or "list"
        if action == "merge":
            merge = merge_children(store, args.keep, args.other)
            print(f"Merged {merge.merged_id[:8]} into {merge.kept_id[:8]}: "
                  f"{len(merge.interviews)} interviews, {len(merge.actions)} actions moved. "
                  f"Undo with `cwtt duplicates undo {merge.id}`.")  # fmt: skip
        elif action == "undo":
            merge = undo_merge(store, args.merge_id)
            print(f"Undone: {merge.merged_id[:8]} is a separate child again.")
        elif action == "dismiss":
            dismiss_pair(store, args.first, args.second)
            print("Noted: these two are different children and will not be proposed again.")
        elif action == "merged":
            for merge in list_merges(store):
                print(
                    f"{merge.id}  {merge.merged_id[:8]} into {merge.kept_id[:8]}  {merge.status} {merge.created_at[:10]}"
                )
        else:
            schools = {s.id: s.name for s in store.schools.list()}
            pairs = probable_duplicates(store.children.list(), dismissed=dismissed_pairs(store))
            if not pairs:
                print("No probable duplicates.")
            for a, b in pairs:
                print(f"{schools.get(a.school_id, '')}, born {a.details.date_of_birth}:")
                for c in (a, b):
                    d = c.details
                    print(
                        f"    {c.id}  {d.first_name} {d.last_name}, grade {d.grade} {d.class_name}"
                    )
            if pairs:
                print("Merge with `cwtt duplicates merge KEEP_ID OTHER_ID`, or "
                      "`cwtt duplicates dismiss ID ID` if they are different children.")  # fmt: skip
    return 0


def add_bundle_commands(verbs: argparse._SubParsersAction) -> None:
    from cwtt_tui.__main__ import _common  # here, not at the top: __main__ imports this module

    def verb(name: str, help_: str, **kw: Any) -> argparse.ArgumentParser:
        parser = (kw.pop("parent", None) or verbs).add_parser(name, help=help_, **kw)
        _common(parser, suppress=True)
        return parser

    peers = verb("peers", "list, enrol, rename or revoke the laptops this store trusts")
    peers.set_defaults(handler=cmd_peers, peers_action=None)
    peer_verbs = peers.add_subparsers(dest="peers_action", metavar="ACTION")
    verb("list", "list the trusted laptops and their fingerprints", parent=peer_verbs)
    add = verb(
        "add", "trust a laptop's public-key file (from `cwtt keys --out`)", parent=peer_verbs
    )
    add.add_argument("file", metavar="KEYFILE", help="the key file the other laptop wrote")
    add.add_argument("--name", help="what to call the laptop here (default: its own name)")
    add.add_argument(
        "--classic", action="store_true",
        help="encrypt bundles to it with X25519 only (default: the post-quantum hybrid when both can)",
    )  # fmt: skip
    rename = verb("rename", "give a peer another name", parent=peer_verbs)
    rename.add_argument("peer", metavar="PEER", help="its name or fingerprint")
    rename.add_argument("name", metavar="NEW_NAME", help="the new name")
    revoke = verb("revoke", "stop trusting a peer (its bundles are refused)", parent=peer_verbs)
    revoke.add_argument("peer", metavar="PEER", help="its name or fingerprint")
    for sub in peer_verbs.choices.values():
        sub.set_defaults(handler=cmd_peers)

    export = verb("export", "write a signed, encrypted bundle for a peer (USB or e-mail)")
    export.add_argument(
        "--to", required=True, metavar="PEER", help="the peer's name or fingerprint"
    )
    export.add_argument(
        "--out", required=True, metavar="PATH", help="a folder or a .cwtt file name"
    )
    export.add_argument("--full", action="store_true", help="everything, not just what changed")
    export.add_argument("--split-mb", type=float, metavar="N", help="parts below N MB each")
    export.add_argument("--drafts", action="store_true", help="include unfinished interviews")
    export.set_defaults(handler=cmd_export)

    verify = verb("verify", "check a bundle's signature and say who sent it (no passphrase)")
    verify.add_argument(
        "files", nargs="+", metavar="FILE", help="the .cwtt file(s); give all parts"
    )
    verify.set_defaults(handler=cmd_verify)

    imp = verb("import", "check and merge bundles from enrolled peers (parts are joined)")
    imp.add_argument("files", nargs="+", metavar="FILE", help="the .cwtt file(s); parts are joined")
    imp.add_argument(
        "--preview", action="store_true", help="show what would change; change nothing"
    )
    imp.set_defaults(handler=cmd_import)

    conflicts = verb("conflicts", "records changed on two laptops apart: list, or keep one")
    conflicts.add_argument("conflict_id", nargs="?", metavar="ID", help="the conflict to resolve")
    conflicts.add_argument(
        "--keep", choices=("mine", "theirs"), help="keep this laptop's version or the other's"
    )
    conflicts.set_defaults(handler=cmd_conflicts)

    dups = verb("duplicates", "probable duplicate children: list, merge, undo or dismiss")
    dups.set_defaults(handler=cmd_duplicates, dup_action=None)
    dup_verbs = dups.add_subparsers(dest="dup_action", metavar="ACTION")
    merge = verb("merge", "merge OTHER into KEEP (every interview is kept)", parent=dup_verbs)
    merge.add_argument("keep", metavar="KEEP_ID", help="the child record to keep")
    merge.add_argument("other", metavar="OTHER_ID", help="the duplicate to merge into it")
    undo = verb("undo", "undo a merge", parent=dup_verbs)
    undo.add_argument("merge_id", metavar="MERGE_ID", help="from `cwtt duplicates merged`")
    dismiss = verb("dismiss", "say two children are different", parent=dup_verbs)
    dismiss.add_argument("first", metavar="ID", help="one child")
    dismiss.add_argument("second", metavar="ID", help="the other child")
    verb("merged", "list merges (to undo one)", parent=dup_verbs)
    for sub in dup_verbs.choices.values():
        sub.set_defaults(handler=cmd_duplicates)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Run `cwtt` instead.")
