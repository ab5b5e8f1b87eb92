"""Import: the checks of a bundle in a fixed order, then one transaction that merges it.

The order: size limits and the ZIP's entries, the manifest's schema, the signature, whether
the sender is trusted here, the payload's hash, decryption with this laptop's key, every
record's schema. The first failure stops with one plain sentence and changes nothing.
"""

from __future__ import annotations

import base64
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cwtt_tui.assessing import assess_child
from cwtt_tui.errors import BundleRejected, NotAllowed, RecordNotFound, UnknownSender
from cwtt_tui.merging import dismissed_pairs
from cwtt_tui.models import Device
from cwtt_tui.store.store import Store
from exports.bundle_crypto import OwnKeys
from exports.bundle_manifest import Limits
from exports.bundle_reader import OpenedBundle
from exports.bundle_records import InvalidRecord, check_record, rejected
from exports.bundle_zip import group_bundle_files
from exports.duplicates import probable_duplicate_ids

IMPORT_ROLES = ("team_lead", "coordinator")
#: Told (records merged, records in the bundle) after each run of records.
Progress = Callable[[int, int], None]
#: Records merged together: enough to make statements few, few enough to keep memory flat.
CHUNK = 64


@dataclass
class ImportSummary:
    """What a bundle brought (or, in a preview, would bring)."""

    bundle_id: str
    sender: str
    fingerprint: str
    sequence: int
    files: tuple[str, ...]
    already_imported: bool = False
    outcomes: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # child ids
    missing: list[int] = field(default_factory=list)
    rescored: int = 0
    restarted: bool = False  # the sender's bundle numbers started again (a restored laptop)

    def count(self, kind: str, outcome: str) -> int:
        return self.outcomes.get(kind, Counter()).get(outcome, 0)

    @property
    def conflicts(self) -> int:
        return sum(c.get("conflict", 0) for c in self.outcomes.values())

    def lines(self, *, screen: bool = False, preview: bool = False) -> list[str]:
        """The summary in plain words: with the commands to type next (CLI, and the log), or
        with what to do on screen."""
        if self.already_imported:
            return [
                f"Bundle {self.sequence} from {self.sender} was already imported; nothing changed."
            ]
        out = [f"Bundle {self.sequence} from {self.sender} ({self.fingerprint}):"]
        if self.restarted:
            out.append(
                f"  {self.sender} counts its bundles again from {self.sequence} (restored from a "
                "backup?); this bundle holds everything, so it was taken in."
            )
        names = {"child": "children", "interview": "interviews", "action": "actions",
                 "assessment": "risk results", "school": "schools", "round": "rounds",
                 "audit": "audit entries"}  # fmt: skip
        for kind, noun in names.items():
            counts = self.outcomes.get(kind)
            if not counts:
                continue
            parts = [f"{counts[k]} {label}" for k, label in
                     (("new", "new"), ("updated", "updated"), ("same", "unchanged"),
                      ("older", "older than ours"), ("merged", "merged with ours"),
                      ("conflict", "changed on both sides"))
                     if counts.get(k)]  # fmt: skip
            out.append(f"  {noun}: {', '.join(parts) if parts else 'none'}")
        n = self.conflicts
        if n and not screen:
            out.append(f"  {n} record(s) need review: `cwtt conflicts`.")
        elif n and preview:
            out.append(
                f"  {n} record(s) were changed on both laptops: you will choose which version to keep."
            )
        elif n:
            out.append(f"  {n} record(s) changed on both laptops need review: press C.")
        if self.duplicates:
            where = "see `cwtt duplicates`" if not screen else "press D after importing"
            if screen and not preview:
                where = "press D to compare them"
            out.append(f"  {len(self.duplicates)} probable duplicate child(ren): {where}.")
        ask = (
            "ask for it, or for a --full export"
            if not screen
            else "ask for it, or for an export of everything"
        )
        for seq in self.missing:
            out.append(f"  Bundle {seq} from {self.sender} is missing; {ask}.")
        return out

    def to_json(self) -> dict:
        return {
            "bundle_id": self.bundle_id, "sender": self.sender, "fingerprint": self.fingerprint,
            "sequence": self.sequence, "files": list(self.files),
            "already_imported": self.already_imported,
            "outcomes": {k: dict(v) for k, v in self.outcomes.items()},
            "duplicates": [list(p) for p in self.duplicates], "missing": self.missing,
            "rescored": self.rescored, "restarted": self.restarted,
        }  # fmt: skip


class _Preview(Exception):
    """Raised inside the transaction to roll a preview back."""


def trusted_sender(store: Store, manifest: dict) -> Device:
    """The enrolled device that signed the bundle, or a refusal naming its fingerprint."""
    sender = manifest["sender"]
    ed_pub = base64.b64decode(sender["ed25519"])
    for device in store.devices.list(include_revoked=True):
        if device.ed25519_public == ed_pub:
            if device.revoked:
                raise BundleRejected(
                    f"This bundle comes from {device.name} ({device.fingerprint}), which this "
                    "laptop no longer trusts (revoked); it was not imported."
                )
            return device
    who = (
        f"This bundle comes from a laptop this store has not enrolled: {sender['name'][:40]!r}, "
        f"fingerprint {sender['fingerprint'][:24]}. If you expected it, compare that fingerprint "
        "with its owner, then"
    )
    raise UnknownSender(
        f"{who} trust it with `cwtt peers add KEYFILE` and import again.",
        on_screen=f"{who} press P (Trusted laptops) to add its key file, and import again.",
    )


def own_keys(store: Store) -> OwnKeys:
    keys = store.device_keys()
    local = store.devices.local()
    return OwnKeys(local.fingerprint, keys.x25519_private, keys.mlkem768_seed)


def import_bundles(
    store: Store, paths: Sequence[Path], *, preview: bool = False, limits: Limits | None = None,
    progress: Progress | None = None,
) -> list[ImportSummary]:  # fmt: skip
    """Import one or more bundles (parts are joined); each bundle is one transaction."""
    if store.user is None or store.user.role not in IMPORT_ROLES:
        raise NotAllowed("Only a team lead or coordinator may import bundles.")
    missing = [p for p in paths if not Path(p).is_file()]
    if missing:
        raise RecordNotFound(f"There is no file {missing[0]}; check the name and the USB stick.")
    limits = limits or Limits()
    groups = group_bundle_files([Path(p) for p in paths], limits)
    if not preview:
        return [
            import_one(store, g, preview=False, limits=limits, progress=progress) for g in groups
        ]
    # A preview of several bundles sees what the earlier ones bring, then rolls all of it back.
    summaries: list[ImportSummary] = []
    try:
        with store.transaction():
            for group in groups:
                summaries.append(
                    import_one(store, group, preview=False, limits=limits, progress=progress)
                )
            raise _Preview
    except _Preview:
        pass
    return summaries


def import_one(
    store: Store, paths: Sequence[Path], *, preview: bool, limits: Limits,
    progress: Progress | None = None,
) -> ImportSummary:  # fmt: skip
    bundle = OpenedBundle.open(paths, limits)
    manifest = bundle.manifest
    bundle.verify_signature()
    sender = trusted_sender(store, manifest)
    bundle.verify_payload()
    content_key = bundle.content_key(own_keys(store))
    bundle_id, sequence = manifest["bundle_id"], manifest["sequence"]
    summary = ImportSummary(
        bundle_id, sender.name, sender.fingerprint, sequence, tuple(p.name for p in paths)
    )
    if store.bundles.imported(bundle_id) is not None:
        summary.already_imported = True
        return summary
    earlier = store.bundles.imported_sequence(sender.id, sequence)
    if earlier is not None:
        if not _numbers_started_again(manifest, earlier.details):
            raise BundleRejected(
                f"A different bundle {sequence} from {sender.name} was already imported on "
                f"{earlier.at[:10]}; this one is refused. If {sender.name} was restored from a "
                "backup, ask for a new export with --full."
            )
        summary.restarted = True
    try:
        with store.transaction():
            _apply(store, bundle, content_key, summary, sender, progress)
            if preview:
                raise _Preview
    except _Preview:
        pass
    return summary


def _apply(
    store: Store, bundle: OpenedBundle, content_key: bytes, summary: ImportSummary,
    sender: Device, progress: Progress | None,
) -> None:  # fmt: skip
    manifest = bundle.manifest
    new_children: set[str] = set()
    birthdays: set[tuple[str, object]] = set()  # (school, date of birth) of the new children
    expected = sum(n for n in manifest["counts"].values())
    with store.sync.batch():
        for first, chunk in _chunks(bundle.records(content_key), sender.name):
            outcomes = store.sync.apply_many(chunk, manifest["bundle_id"])
            kind = chunk[0]["kind"]  # a run holds one kind
            summary.outcomes[kind].update(outcomes)
            if kind == "child":
                for record, outcome in zip(chunk, outcomes, strict=True):
                    if outcome == "new":
                        new_children.add(record["id"])
                        school = store.sync.local_id("school", record["clear"]["school_id"])
                        birthdays.add((school, record["data"].get("date_of_birth")))
            if progress is not None:
                progress(first + len(chunk) - 1, expected)
    summary.rescored = _rescore(store, manifest["bundle_id"])
    if new_children:  # only children sharing a school and birthday with a new one are kept
        alike = (n for n in store.children.names() if (n.school_id, n.date_of_birth) in birthdays)
        summary.duplicates = probable_duplicate_ids(
            alike, among=new_children, dismissed=dismissed_pairs(store)
        )
    full = manifest["delta_after"] == 0
    store.bundles.record(
        "in", manifest["bundle_id"], sender.id, manifest["sequence"],
        delta_after=manifest["delta_after"], full=full, result="imported",
        details={**summary.to_json(), "created_at": manifest["created_at"]},
    )  # fmt: skip
    summary.missing = store.bundles.missing_from(sender.id)
    store.audit.record(
        "bundle.import", manifest["bundle_id"], sender=sender.id, sequence=manifest["sequence"]
    )


def _chunks(
    records: Iterator[dict[str, Any]], sender: str
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Checked records in runs of one kind, at most CHUNK long, each with the number of its
    first record: a run is merged with a few statements, and memory stays flat."""
    chunk: list[dict[str, Any]] = []
    first = 1
    for number, record in enumerate(records, start=1):
        try:
            check_record(record)
        except InvalidRecord as exc:
            raise rejected(number, exc, sender) from exc
        if chunk and (len(chunk) == CHUNK or record["kind"] != chunk[0]["kind"]):
            yield first, chunk
            chunk, first = [], number
        chunk.append(record)
    if chunk:
        yield first, chunk


def _numbers_started_again(manifest: dict[str, Any], earlier: dict[str, Any]) -> bool:
    """A laptop restored from a backup counts its bundles again from where the backup stood:
    a full bundle made after the one we hold under its number is taken in (merging by version
    vectors, so nothing older replaces anything newer); any other repeat is refused."""
    made = str(earlier.get("created_at", ""))
    return manifest["delta_after"] == 0 and bool(made) and manifest["created_at"] > made


def _rescore(store: Store, bundle_id: str) -> int:
    """Score again the cases the bundle changed whose interviews now come from more than one
    laptop, or that arrived without a result (see `Sync.cases_to_rescore`)."""
    rescored = 0
    for child_id, round_id in store.sync.cases_to_rescore(bundle_id):
        child = store.children.get(child_id)
        if child.merged_into is None:
            assess_child(store, child, round_id)
            rescored += 1
    return rescored
