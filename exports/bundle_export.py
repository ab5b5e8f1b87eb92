"""Export: everything that changed since the last bundle to a peer, signed and sealed for it."""

from __future__ import annotations

import base64
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cwtt_tui.errors import UsageError
from cwtt_tui.models import Device
from cwtt_tui.store.store import Store
from exports.bundle_crypto import SUITE_CLASSIC, SUITE_HYBRID, Recipient, hybrid_available
from exports.bundle_writer import BundleWriter

#: Told (records written, records to write) as the bundle fills.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 200


@dataclass(frozen=True)
class ExportResult:
    paths: tuple[Path, ...]
    bundle_id: str
    peer: str
    sequence: int
    full: bool
    counts: dict[str, int]
    total_bytes: int
    fingerprint: str  # the sender's, which the receiver sees and compares


def suite_for(device: Device) -> str:
    """The peer's chosen suite, else the post-quantum hybrid wherever both ends can use it."""
    if device.suite == SUITE_CLASSIC or not (device.mlkem768_public and hybrid_available()):
        return SUITE_CLASSIC
    return SUITE_HYBRID


def recipient(device: Device) -> Recipient:
    suite = suite_for(device)
    return Recipient(
        fingerprint=device.fingerprint,
        suite=suite,
        x25519_public=device.x25519_public,
        mlkem768_public=device.mlkem768_public if suite == SUITE_HYBRID else None,
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:30] or "x"


def bundle_name(store: Store, sequence: int, peer: str) -> str:
    """`cwtt-<school>-<laptop>-to-<peer>-<YYYYMMDD>-<sequence>.cwtt`: who, for whom, when and
    which, at a glance (numbers count per peer, so the peer keeps two bundles apart)."""
    school = slug(store.home_school().name if store.home_school() else "school")
    day = store.ctx.clock().strftime("%Y%m%d")
    laptop = slug(store.devices.local().name)
    return f"cwtt-{school}-{laptop}-to-{slug(peer)}-{day}-{sequence:03d}.cwtt"


def export_bundle(
    store: Store,
    peer_name: str,
    out: Path,
    *,
    full: bool = False,
    split_mb: float | None = None,
    include_drafts: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Write a bundle for one enrolled peer into `out` (a folder, or a `.cwtt` file name)."""
    peer = store.devices.peer(peer_name)
    local = store.devices.local()
    last = store.bundles.last_export(peer.id)
    sequence = (last.sequence if last else 0) + 1
    delta = last is not None and not full
    since = last.details.get("high_water") if delta and last else None
    out = Path(out)
    target = out if out.suffix == ".cwtt" else out / bundle_name(store, sequence, peer.name)
    if not target.parent.is_dir():
        raise UsageError(
            f"The folder {target.parent} does not exist; plug in the USB stick or choose another place."
        )
    split = int(split_mb * 1_000_000) if split_mb else None
    high_water = store.sync.high_water()
    counts: Counter[str] = Counter()
    schools = [{"emis": s.emis, "name": s.name} for s in store.schools.list()]
    skip = store.bundles.bundles_from(peer.id)
    expected = store.sync.count_outgoing(since, skip_bundles=skip, include_drafts=include_drafts)
    with BundleWriter(target.parent) as writer:
        if progress is not None:
            progress(0, expected)
        for record in store.sync.outgoing(since, skip_bundles=skip, include_drafts=include_drafts):
            writer.add(record)
            counts[record["kind"]] += 1
            if progress is not None and writer.records % PROGRESS_EVERY == 0:
                progress(writer.records, expected)
        keys = store.device_keys()
        fields = {
            "sender": {
                "device_id": local.id,
                "name": local.name,
                "fingerprint": local.fingerprint,
                "ed25519": base64.b64encode(local.ed25519_public).decode(),
            },
            "to": {"device_id": peer.id, "name": peer.name, "fingerprint": peer.fingerprint},
            "created_at": store.ctx.now(),
            "schools": schools,
            "sequence": sequence,
            "delta_after": last.sequence if delta and last else 0,
            "counts": dict(sorted(counts.items())),
        }
        paths = writer.finish(
            target, fields=fields, sign=keys.sign,
            recipients=[recipient(peer), recipient(local)], split_bytes=split,
        )  # fmt: skip
        bundle_id = writer.bundle_id
    total = sum(p.stat().st_size for p in paths)
    with store.transaction():
        store.bundles.record(
            "out", bundle_id, peer.id, sequence, delta_after=fields["delta_after"], full=not delta,
            result="written",
            details={"high_water": high_water, "counts": dict(counts), "bytes": total,
                     "files": [p.name for p in paths]},
        )  # fmt: skip
        store.audit.record("bundle.export", bundle_id, peer=peer.id, sequence=sequence)
    return ExportResult(
        paths=tuple(paths), bundle_id=bundle_id, peer=peer.name, sequence=sequence,
        full=not delta, counts=dict(counts), total_bytes=total, fingerprint=local.fingerprint,
    )  # fmt: skip
