"""What the unlock screen shows before any passphrase: kept apart from `cwtt_tui.models`, whose
thirty record types would otherwise be built before the first frame (17 ms on a slow laptop)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoreInfo:
    """What can be read from a store without its passphrase."""

    path: str
    store_id: str
    laptop_name: str
    device_id: str
    fingerprint: str
    schema_version: int
    created_at: str
    last_backup_at: str | None
    is_demo: bool
    demo_passphrase: str | None = None
