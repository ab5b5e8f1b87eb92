"""`cwtt verify`: who signed a bundle, when, what it holds, whether the signature and contents
hold, and whether this store can open it. Needs no passphrase (public keys are in clear)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

from cwtt_tui.errors import BundleRejected
from cwtt_tui.store.peek import peek_store, trusted_devices
from exports.bundle_manifest import Limits
from exports.bundle_reader import OpenedBundle
from exports.bundle_zip import group_bundle_files


@dataclass
class VerifyReport:
    ok: bool = True
    out: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return self.out


def verify_files(
    paths: list[Path], store: Path | None, limits: Limits | None = None
) -> VerifyReport:
    """Check each bundle (parts joined) and describe it in plain lines."""
    limits = limits or Limits()
    report = VerifyReport()
    for path in paths:
        if not path.is_file():
            report.ok = False
            report.out.append(f"{path}: there is no such file.")
            return report
    try:
        groups = group_bundle_files(paths, limits)
    except BundleRejected as exc:
        report.ok = False
        report.out.append(f"Refused: {exc.message}")
        return report
    for group in groups:
        _verify_group(group, store, limits, report)
    return report


def _verify_group(
    group: list[Path], store: Path | None, limits: Limits, report: VerifyReport
) -> None:
    names = ", ".join(p.name for p in group)
    try:
        bundle = OpenedBundle.open(group, limits)
    except BundleRejected as exc:
        report.ok = False
        report.out.append(f"{names}: refused: {exc.message}")
        return
    m = bundle.manifest
    sender = m["sender"]
    report.out.append(f"{names}")
    report.out.append(f"  Signed by:   {sender['name'][:60]} ({sender['fingerprint'][:24]})")
    report.out.append(f"  Made at:     {m['created_at'][:20]}, bundle {m['sequence']}"
                      + (" (full)" if m["delta_after"] == 0 else f" (changes after bundle {m['delta_after']})"))  # fmt: skip
    counts = ", ".join(f"{n} {k}" for k, n in sorted(m["counts"].items())) or "nothing"
    report.out.append(f"  Holds:       {counts}")
    for check, label in (
        (bundle.verify_signature, "Signature:  "),
        (bundle.verify_payload, "Contents:   "),
    ):
        try:
            check()
        except BundleRejected as exc:
            report.ok = False
            report.out.append(f"  {label} DOES NOT HOLD: {exc.message}")
            return
        report.out.append(f"  {label} holds")
    if store is None:
        report.out.append("  This laptop: no store here to compare with.")
        return
    local_print = peek_store(store).fingerprint
    ed_pub = base64.b64decode(sender["ed25519"])
    known = [d for d in trusted_devices(store) if d[0] == ed_pub]
    if not known:
        trust = "NOT enrolled here (compare its fingerprint, then `cwtt peers add KEYFILE`)"
    elif known[0][3]:
        trust = "REVOKED here: its bundles are refused"
    else:
        trust = "enrolled and trusted here"
    report.out.append(f"  Sender:      {trust}")
    can_open = local_print in bundle.recipients
    report.out.append(
        "  This laptop: can open it"
        if can_open
        else "  This laptop: CANNOT open it (made for another laptop)"
    )
