"""Devices: this laptop and the peers it trusts, known by their public keys."""

from __future__ import annotations

from typing import Any

from cwtt_tui.crypto.device_keys import fingerprint
from cwtt_tui.errors import RecordNotFound, UsageError
from cwtt_tui.models import Device
from cwtt_tui.store.audit import AuditLog
from cwtt_tui.store.context import StoreContext, new_id


class Devices:
    table = "devices"

    def __init__(self, ctx: StoreContext, audit: AuditLog) -> None:
        self.ctx = ctx
        self.audit = audit

    def _from_row(self, row: dict[str, Any]) -> Device:
        data = self.ctx.open_json(self.table, row["id"], row["payload"])
        return Device(
            id=row["id"], name=data["name"], ed25519_public=row["ed25519_public"],
            x25519_public=row["x25519_public"], fingerprint=row["fingerprint"],
            trusted_since=row["trusted_since"], is_local=bool(row["is_local"]),
        )  # fmt: skip

    def add(
        self, name: str, ed25519_public: bytes, x25519_public: bytes, *, device_id: str | None = None,
        is_local: bool = False,
    ) -> Device:  # fmt: skip
        """Trust a device's public keys (the local laptop at setup, or an enrolled peer)."""
        if len(ed25519_public) != 32 or len(x25519_public) != 32:
            raise UsageError("Those public keys have the wrong length; ask for the key file again.")
        device_id = device_id or new_id()
        now = self.ctx.now()
        row = {
            "id": device_id,
            "ed25519_public": ed25519_public,
            "x25519_public": x25519_public,
            "fingerprint": fingerprint(ed25519_public, x25519_public),
            "trusted_since": now,
            "is_local": int(is_local),
            "revoked": 0,
            "payload": self.ctx.seal_json(self.table, device_id, {"name": name}),
        }
        with self.ctx.db.atomic():
            self.ctx.db[self.table].insert(row)
            self.audit.record("device.trust", device_id, fingerprint=row["fingerprint"])
        return self._from_row(row)

    def local(self) -> Device:
        rows = list(self.ctx.db.query("select * from devices where is_local = 1"))
        if not rows:
            raise RecordNotFound("This store does not know its own laptop; restore a backup.")
        return self._from_row(rows[0])

    def list(self, *, include_revoked: bool = False) -> list[Device]:
        where = "1 = 1" if include_revoked else "revoked = 0"
        rows = self.ctx.db.query(f"select * from devices where {where} order by trusted_since")
        return [self._from_row(r) for r in rows]
