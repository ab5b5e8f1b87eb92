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
        mlkem = row.get("mlkem768_public")
        return Device(
            id=row["id"], name=data["name"], ed25519_public=row["ed25519_public"],
            x25519_public=row["x25519_public"], fingerprint=row["fingerprint"],
            trusted_since=row["trusted_since"], is_local=bool(row["is_local"]),
            mlkem768_public=bytes(mlkem) if mlkem else None, suite=row.get("suite") or "",
            revoked=bool(row["revoked"]),
        )  # fmt: skip

    def add(
        self, name: str, ed25519_public: bytes, x25519_public: bytes, *, device_id: str | None = None,
        is_local: bool = False, mlkem768_public: bytes | None = None, suite: str = "",
    ) -> Device:  # fmt: skip
        """Trust a device's public keys (the local laptop at setup, or an enrolled peer)."""
        if len(ed25519_public) != 32 or len(x25519_public) != 32:
            raise UsageError("Those public keys have the wrong length; ask for the key file again.")
        if mlkem768_public is not None and len(mlkem768_public) != 1184:
            raise UsageError(
                "The post-quantum key has the wrong length; ask for the key file again."
            )
        device_id = device_id or new_id()
        print_ = fingerprint(ed25519_public, x25519_public)
        known = self.find(print_, include_revoked=True)
        if known is not None and known.revoked:
            return self._reinstate(known, name)
        if known is not None:
            raise UsageError(f"The laptop {print_} is already enrolled; see `cwtt peers`.")
        if self.ctx.db["devices"].count_where("id = ?", [device_id]):
            raise UsageError("A laptop with that id is already enrolled; see `cwtt peers`.")
        now = self.ctx.now()
        row = {
            "id": device_id,
            "ed25519_public": ed25519_public,
            "x25519_public": x25519_public,
            "fingerprint": print_,
            "trusted_since": now,
            "is_local": int(is_local),
            "revoked": 0,
            "payload": self.ctx.seal_json(self.table, device_id, {"name": name.strip()}),
            "mlkem768_public": mlkem768_public,
            "suite": suite,
        }
        with self.ctx.db.atomic():
            self.ctx.db[self.table].insert(row)
            self.audit.record("device.trust", device_id, fingerprint=row["fingerprint"])
        return self._from_row(row)

    def _reinstate(self, device: Device, name: str) -> Device:
        """Trust a revoked laptop again (its key file was enrolled once more, on purpose)."""
        with self.ctx.db.atomic():
            self.ctx.db[self.table].update(
                device.id,
                {
                    "revoked": 0,
                    "payload": self.ctx.seal_json(self.table, device.id, {"name": name.strip()}),
                },
            )
            self.audit.record("device.reinstate", device.id, fingerprint=device.fingerprint)
        return self.get(device.id)

    def local(self) -> Device:
        rows = list(self.ctx.db.query("select * from devices where is_local = 1"))
        if not rows:
            raise RecordNotFound("This store does not know its own laptop; restore a backup.")
        return self._from_row(rows[0])

    def get(self, device_id: str) -> Device:
        rows = list(self.ctx.db.query("select * from devices where id = ?", [device_id]))
        if not rows:
            raise RecordNotFound(f"No enrolled laptop has the id {device_id}; see `cwtt peers`.")
        return self._from_row(rows[0])

    def list(self, *, include_revoked: bool = False) -> list[Device]:
        where = "1 = 1" if include_revoked else "revoked = 0"
        rows = self.ctx.db.query(f"select * from devices where {where} order by trusted_since")
        return [self._from_row(r) for r in rows]

    def find(self, fingerprint_: str, *, include_revoked: bool = False) -> Device | None:
        """The device with this fingerprint (dashes and case do not matter), if enrolled."""
        wanted = normalise_fingerprint(fingerprint_)
        for device in self.list(include_revoked=include_revoked):
            if normalise_fingerprint(device.fingerprint) == wanted:
                return device
        return None

    def peer(self, name_or_fingerprint: str) -> Device:
        """An enrolled, trusted peer by its name or fingerprint (for `--to`)."""
        peers = [d for d in self.list() if not d.is_local]
        wanted = name_or_fingerprint.strip()
        by_print = [
            d for d in peers
            if normalise_fingerprint(d.fingerprint) == normalise_fingerprint(wanted)
        ]  # fmt: skip
        by_name = [d for d in peers if d.name.casefold() == wanted.casefold()]
        found = by_print or by_name
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UsageError(
                f"Several peers are called {wanted!r}; give the fingerprint instead (see `cwtt peers`)."
            )
        raise RecordNotFound(
            f"No enrolled peer is called {wanted!r}; see `cwtt peers`, or enrol it with "
            "`cwtt peers add FILE`."
        )

    def rename(self, device_id: str, name: str) -> Device:
        if not name.strip():
            raise UsageError("Give the laptop a name, e.g. 'District office'.")
        with self.ctx.db.atomic():
            self.ctx.db[self.table].update(
                device_id,
                {"payload": self.ctx.seal_json(self.table, device_id, {"name": name.strip()})},
            )
            self.audit.record("device.rename", device_id)
        return self.get(device_id)

    def revoke(self, device_id: str) -> Device:
        """Stop trusting a peer: its bundles are refused from now on (what came before stays)."""
        device = self.get(device_id)
        if device.is_local:
            raise UsageError("This laptop cannot revoke itself.")
        with self.ctx.db.atomic():
            self.ctx.db[self.table].update(device_id, {"revoked": 1})
            self.audit.record("device.revoke", device_id, fingerprint=device.fingerprint)
        return self.get(device_id)

    def set_suite(self, device_id: str, suite: str) -> Device:
        with self.ctx.db.atomic():
            self.ctx.db[self.table].update(device_id, {"suite": suite})
            self.audit.record("device.suite", device_id, suite=suite)
        return self.get(device_id)

    def name_of(self, device_id: str) -> str:
        """A device's name for messages, or a short id when it is not enrolled here."""
        try:
            return self.get(device_id).name
        except RecordNotFound:
            return f"laptop {device_id[:8]}"


def normalise_fingerprint(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())
