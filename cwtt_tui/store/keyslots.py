"""Key slots in the database: one per user passphrase and one for the recovery key."""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlite_utils

from cwtt_tui.crypto.kdf import KdfParams
from cwtt_tui.crypto.slots import SlotMismatch, unwrap_data_key, wrap_data_key
from cwtt_tui.errors import StoreDamaged, WrongPassphrase
from cwtt_tui.recovery_key import normalise_recovery_key
from cwtt_tui.store.context import new_id

RECOVERY = "recovery"
PASSPHRASE = "passphrase"


@dataclass(frozen=True)
class OpenedSlot:
    slot_id: str
    kind: str
    user_id: str | None
    data_key: bytes


def add_slot(
    db: sqlite_utils.Database,
    *,
    kind: str,
    user_id: str | None,
    secret: str,
    data_key: bytes,
    params: KdfParams,
    now: str,
) -> str:
    """Wrap the data key under `secret` in a new slot; return the slot id."""
    slot_id = new_id()
    if kind == RECOVERY:
        secret = normalise_recovery_key(secret)
    params = params.with_new_salt()
    db["key_slots"].insert(
        {
            "id": slot_id,
            "kind": kind,
            "user_id": user_id,
            "kdf": json.dumps(params.to_json()),
            "wrapped": wrap_data_key(data_key, secret, params, slot_id),
            "created_at": now,
            "last_used_at": now,
        }
    )
    return slot_id


def replace_user_slot(
    db: sqlite_utils.Database,
    user_id: str,
    secret: str,
    data_key: bytes,
    params: KdfParams,
    now: str,
) -> str:
    """Give a user a new passphrase: one slot is rewritten, no data is re-encrypted."""
    with db.atomic():
        db.execute("delete from key_slots where kind = ? and user_id = ?", [PASSPHRASE, user_id])
        return add_slot(
            db, kind=PASSPHRASE, user_id=user_id, secret=secret, data_key=data_key,
            params=params, now=now,
        )  # fmt: skip


def open_slot(db: sqlite_utils.Database, secret: str, *, recovery: bool = False) -> OpenedSlot:
    """Find the slot `secret` opens, trying the most recently used first."""
    kind = RECOVERY if recovery else PASSPHRASE
    if recovery:
        secret = normalise_recovery_key(secret)
    rows = list(
        db.query("select * from key_slots where kind = ? order by last_used_at desc", [kind])
    )
    if not rows:
        raise StoreDamaged("This store has no key slots left; restore the latest backup.")
    damaged = 0
    for row in rows:
        try:
            params = KdfParams.from_json(json.loads(row["kdf"]))
            data_key = unwrap_data_key(row["wrapped"] or b"", secret, params, row["id"])
        except SlotMismatch as exc:
            if "length" in str(exc):
                damaged += 1
            continue
        except (ValueError, KeyError, TypeError):
            damaged += 1
            continue
        return OpenedSlot(row["id"], row["kind"], row["user_id"], data_key)
    if damaged == len(rows):
        raise StoreDamaged(
            f"The {kind} key slots of this store are damaged; restore the latest backup "
            "with `cwtt restore FILE`."
        )
    if recovery:
        raise WrongPassphrase("That recovery key does not open this store; check each group.")
    raise WrongPassphrase("That passphrase is not right for this store; please try again.")


def touch_slot(db: sqlite_utils.Database, slot_id: str, now: str) -> None:
    db["key_slots"].update(slot_id, {"last_used_at": now})
