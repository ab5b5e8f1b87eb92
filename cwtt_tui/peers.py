"""Enrolling peers: reading another laptop's public-key file and trusting it."""

from __future__ import annotations

import base64
import binascii
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cwtt_tui.errors import UsageError

if TYPE_CHECKING:  # `cwtt keys` stays light: it needs neither the store nor its SQL library
    from cwtt_tui.models import Device, StoreInfo
    from cwtt_tui.store.store import Store

KEY_FILE_FORMAT = "cwtt-device-keys/1"
CLASSIC_SUITE = "HPKE/DHKEM(X25519,HKDF-SHA256)/HKDF-SHA256/AES-256-GCM"
PEER_ROLES = ("team_lead", "coordinator")


def may_manage_peers(store: Store) -> bool:
    """Whether the signed-in user may trust, rename or revoke laptops and resolve conflicts."""
    return store.user is not None and store.user.role in PEER_ROLES


def read_key_file(path: Path) -> dict[str, Any]:
    """A peer's public-key file (`cwtt keys --out`), checked field by field."""
    from cwtt_tui.crypto.device_keys import fingerprint, verify_binding

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(f"There is no key file {path}.") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(
            f"{path} is not a cwtt key file; ask for the file `cwtt keys --out` writes."
        ) from exc
    if not isinstance(data, dict) or data.get("format") != KEY_FILE_FORMAT:
        raise UsageError(
            f"{path} is not a cwtt key file; ask for the file `cwtt keys --out` writes."
        )
    try:
        ed = base64.b64decode(data["ed25519"], validate=True)
        x = base64.b64decode(data["x25519"], validate=True)
        mlkem = base64.b64decode(data["mlkem768"], validate=True) if data.get("mlkem768") else None
        binding = base64.b64decode(data.get("mlkem768_sig") or "", validate=True)
    except (KeyError, TypeError, binascii.Error) as exc:
        raise UsageError(f"The key file {path} is damaged; ask for it again.") from exc
    if len(ed) != 32 or len(x) != 32:
        raise UsageError(f"The key file {path} is damaged; ask for it again.")
    if mlkem is not None and not verify_binding(ed, mlkem, binding):
        raise UsageError(
            f"The post-quantum key in {path} is not vouched for by the laptop's signing key; "
            "ask for the key file again."
        )
    return {
        "device_id": str(data.get("device_id", "")),
        "name": str(data.get("name", "")).strip() or "peer",
        "ed25519": ed,
        "x25519": x,
        "mlkem768": mlkem,
        "fingerprint": fingerprint(ed, x),
    }


def key_file_name(laptop_name: str) -> str:
    """`cwtt-keys-<laptop>.json`, the name `cwtt keys` gives the file by default."""
    safe = re.sub(r"[^A-Za-z0-9]+", "-", laptop_name).strip("-") or "laptop"
    return f"cwtt-keys-{safe}.json"


def write_key_file(store_path: Path, out: Path | None = None) -> tuple[StoreInfo, Path]:
    """Write this laptop's public keys for a peer to enrol; `out` may be a file or a folder.

    Needs no passphrase: the public keys are kept in clear.
    """
    from cwtt_tui.store.peek import local_public_keys, peek_store

    info = peek_store(store_path)
    ed_pub, x_pub, mlkem_pub, binding = local_public_keys(store_path)
    key_file = {
        "format": KEY_FILE_FORMAT,
        "device_id": info.device_id,
        "name": info.laptop_name,
        "ed25519": base64.b64encode(ed_pub).decode(),
        "x25519": base64.b64encode(x_pub).decode(),
        "fingerprint": info.fingerprint,
    }
    if mlkem_pub and binding:
        key_file["mlkem768"] = base64.b64encode(mlkem_pub).decode()
        key_file["mlkem768_sig"] = base64.b64encode(binding).decode()
    name = key_file_name(info.laptop_name)
    target = Path(name) if out is None else out / name if out.is_dir() else out
    try:
        target.write_text(json.dumps(key_file, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"Cannot write the key file {target} ({exc.strerror}).") from exc
    return info, target


def enrol_peer(
    store: Store, path: Path, *, name: str | None = None, classic: bool = False
) -> Device:
    """Trust the laptop whose key file this is; `classic` keeps bundles to it X25519-only."""
    key = read_key_file(path)
    if key["fingerprint"] == store.devices.local().fingerprint:
        raise UsageError("That is this laptop's own key file; enrol the other laptop's file.")
    return store.devices.add(
        (name or key["name"]).strip(), key["ed25519"], key["x25519"],
        device_id=key["device_id"] or None, mlkem768_public=key["mlkem768"],
        suite=CLASSIC_SUITE if classic else "",
    )  # fmt: skip
