"""The unlocked store: one object holding the repositories, created or unlocked from a file."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import sqlite_utils

from cwtt_tui.crypto.device_keys import DeviceKeys, new_mlkem_seed
from cwtt_tui.crypto.kdf import KdfParams
from cwtt_tui.crypto.sealing import new_data_key
from cwtt_tui.errors import (
    RecordNotFound,
    StoreDamaged,
    StoreExists,
    UsageError,
    WrongPassphrase,
)
from cwtt_tui.models import Role, School, StoreInfo, User
from cwtt_tui.recovery_key import new_recovery_key
from cwtt_tui.store.actions import Actions
from cwtt_tui.store.assessments import Assessments
from cwtt_tui.store.audit import AuditLog
from cwtt_tui.store.bundle_log import BundleLog
from cwtt_tui.store.children import Children
from cwtt_tui.store.context import Clock, StoreContext, new_id, utc_now
from cwtt_tui.store.database import connect, translate_errors
from cwtt_tui.store.devices import Devices
from cwtt_tui.store.interviews import Interviews
from cwtt_tui.store.keyslots import RECOVERY, OpenedSlot, add_slot, open_slot, touch_slot
from cwtt_tui.store.lockfile import StoreLock
from cwtt_tui.store.meetings import Meetings
from cwtt_tui.store.peek import peek_store, read_meta
from cwtt_tui.store.rounds import Rounds
from cwtt_tui.store.schema import migrate
from cwtt_tui.store.schools import Schools
from cwtt_tui.store.sync import Sync
from cwtt_tui.store.users import Users

DEVICE_KEYS = "device_keys"


class Store:
    """An unlocked store. Repositories: children, rounds, interviews, actions, devices, users,
    schools, audit. Call `close()` (or use `with`) to forget the keys and release the lock."""

    def __init__(
        self,
        path: Path,
        db: sqlite_utils.Database,
        slot: OpenedSlot,
        *,
        clock: Clock = utc_now,
        lock: StoreLock | None = None,
    ) -> None:
        self.path = path
        self.db = db
        self._lock = lock
        self._slot = slot
        meta = read_meta(db.conn)
        self.kdf = KdfParams.from_json(json.loads(meta["kdf"]))
        self.ctx = StoreContext(db, slot.data_key, meta["device_id"], clock)
        self.audit = AuditLog(self.ctx)
        self.users = Users(self.ctx, self.kdf)
        self.schools = Schools(self.ctx)
        self.children = Children(self.ctx, self.audit)
        self.rounds = Rounds(self.ctx, self.audit)
        self.interviews = Interviews(self.ctx, self.audit)
        self.actions = Actions(self.ctx, self.audit)
        self.devices = Devices(self.ctx, self.audit)
        self.assessments = Assessments(self.ctx)
        self.sync = Sync(self.ctx)
        self.bundles = BundleLog(self.ctx)
        self.meetings = Meetings(self.ctx)
        self.home_school_id = meta.get("home_school_id", "")
        if slot.user_id:
            try:
                self.ctx.user = self.users.get(slot.user_id)
            except RecordNotFound as exc:
                raise StoreDamaged(
                    "This store's list of users is damaged; restore the latest backup "
                    "with `cwtt restore FILE`."
                ) from exc

    @property
    def user(self) -> User | None:
        """The signed-in user; None after unlocking with the recovery key until one is chosen."""
        return self.ctx.user

    @property
    def opened_with_recovery_key(self) -> bool:
        return self._slot.kind == RECOVERY

    def sign_in_as(self, user_id: str) -> User:
        """After a recovery unlock: act as this user (to set their new passphrase)."""
        if not self.opened_with_recovery_key and self._slot.user_id != user_id:
            raise UsageError("Unlock with that user's own passphrase to act as them.")
        self.ctx.user = self.users.get(user_id)
        return self.ctx.user

    def info(self) -> StoreInfo:
        return peek_store(self.path)

    def home_school(self) -> School | None:
        return self.schools.get(self.home_school_id) if self.home_school_id else None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Everything inside commits together or not at all (savepoints when nested)."""
        with translate_errors(self.path), self.db.atomic():
            yield self

    def device_keys(self) -> DeviceKeys:
        row = self.db["secrets"].get(DEVICE_KEYS)
        data = self.ctx.open_json("secrets", DEVICE_KEYS, row["payload"])
        seed = data.get("mlkem768")
        return DeviceKeys(
            bytes.fromhex(data["ed25519"]),
            bytes.fromhex(data["x25519"]),
            bytes.fromhex(seed) if seed else None,
        )

    def ensure_mlkem_key(self) -> None:
        """Give a laptop made before post-quantum bundles its ML-KEM-768 key (once, at unlock)."""
        keys = self.device_keys()
        if keys.mlkem768_seed is not None:
            return
        seed = new_mlkem_seed()
        if seed is None:
            return
        keys = replace(keys, mlkem768_seed=seed)
        with self.transaction():
            self.db["secrets"].update(
                DEVICE_KEYS,
                {"payload": self.ctx.seal_json("secrets", DEVICE_KEYS, keys_json(keys))},
            )
            self.db.execute(
                "update devices set mlkem768_public = ? where is_local = 1", [keys.mlkem768_public]
            )
            self.set_meta("mlkem768_binding", (keys.mlkem_binding() or b"").hex())

    def info_value(self, key: str) -> str:
        """A clear fact kept in the store's meta table ('' when absent)."""
        row = self.db.execute("select value from meta where key = ?", [key]).fetchone()
        return row[0] if row else ""

    def set_info_value(self, key: str, value: str) -> None:
        with self.transaction():
            self.set_meta(key, value)

    def set_meta(self, key: str, value: str) -> None:
        self.db["meta"].upsert({"key": key, "value": value}, pk="key")

    @property
    def is_locked(self) -> bool:
        return not self.ctx.data_key

    def lock(self) -> None:
        """Forget the keys but keep the file open, so the app can show the same screen after unlock."""
        self.ctx.forget_keys()
        self._slot = OpenedSlot(self._slot.slot_id, self._slot.kind, self._slot.user_id, b"")

    def unlock(self, passphrase: str) -> User | None:
        """Unlock a locked store again; only the user who was signed in may do so.

        Raises WrongPassphrase (also when another user's passphrase is given).
        """
        with translate_errors(self.path):
            slot = open_slot(self.db, passphrase)
        signed_in = self.ctx.user.id if self.ctx.user else None
        if signed_in is not None and slot.user_id != signed_in:
            raise WrongPassphrase(
                "That is another user's passphrase; only the person who was working can unlock here."
            )
        self.ctx.remember_key(slot.data_key)
        self._slot = slot
        self.audit.record("store.unlock", "idle")
        return self.user

    def close(self) -> None:
        """Forget the keys, checkpoint the WAL and release the lock."""
        self.lock()
        with contextlib.suppress(Exception):
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with contextlib.suppress(Exception):
            self.db.conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def unlock_store(
    path: Path,
    secret: str,
    *,
    recovery: bool = False,
    clock: Clock = utc_now,
    exclusive: bool = True,
) -> Store:
    """Open the store at `path` with a passphrase (or the recovery key).

    Raises StoreNotFound, StoreLocked, WrongPassphrase, StoreDamaged.
    """
    path = Path(path)
    lock = StoreLock(path).acquire() if exclusive else None
    try:
        with translate_errors(path):
            db = connect(path)
            migrate(db)
            slot = open_slot(db, secret, recovery=recovery)
            store = Store(path, db, slot, clock=clock, lock=lock)
            with db.atomic():
                touch_slot(db, slot.slot_id, store.ctx.now())
                store.audit.record("store.unlock", slot.kind)
            if exclusive:
                store.ensure_mlkem_key()
            return store
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def create_store(
    path: Path,
    *,
    school_emis: str,
    school_name: str,
    laptop_name: str,
    user_name: str,
    role: Role,
    passphrase: str,
    kdf: KdfParams,
    clock: Clock = utc_now,
    demo: bool = False,
) -> tuple[Store, str]:
    """Make a new store and return it unlocked, with its recovery key (to be shown once).

    The store is built beside `path` and moved into place only when complete, so a power cut
    during setup never leaves half a store.
    """
    path = Path(path)
    if path.exists():
        raise StoreExists(f"A store already exists at {path}; choose another path.")
    if not laptop_name.strip():
        raise UsageError("Give this laptop a name, e.g. 'Laptop A'.")
    building = path.with_name(path.name + ".creating")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    recovery_key = new_recovery_key()
    data_key = new_data_key()
    keys = DeviceKeys.generate()
    with translate_errors(path):
        db = connect(building, must_exist=False)
        migrate(db)
        store_id, device_id = new_id(), new_id()
        now_ctx = StoreContext(db, data_key, device_id, clock)
        now = now_ctx.now()
        with db.atomic():
            meta = {
                "store_id": store_id,
                "device_id": device_id,
                "laptop_name": laptop_name.strip(),
                "created_at": now,
                "is_demo": "1" if demo else "0",
                "kdf": json.dumps(kdf.to_json()),
                "mlkem768_binding": (keys.mlkem_binding() or b"").hex(),
            }
            db["meta"].insert_all([{"key": k, "value": v} for k, v in meta.items()], pk="key")
            sealed_keys = now_ctx.seal_json("secrets", DEVICE_KEYS, keys_json(keys))
            db["secrets"].insert({"key": DEVICE_KEYS, "payload": sealed_keys}, pk="key")
            add_slot(
                db, kind=RECOVERY, user_id=None, secret=recovery_key, data_key=data_key,
                params=kdf, now=now,
            )  # fmt: skip
            slot = OpenedSlot("setup", "passphrase", None, data_key)
            store = Store(building, db, slot, clock=clock)
            user = store.users.add(user_name, role, passphrase)
            store.ctx.user = user
            school = store.schools.add(school_emis.strip(), school_name.strip())
            store.set_meta("home_school_id", school.id)
            store.devices.add(
                laptop_name.strip(), keys.ed25519_public, keys.x25519_public,
                device_id=device_id, is_local=True, mlkem768_public=keys.mlkem768_public,
            )  # fmt: skip
            store.audit.record("store.create", store_id, role=role)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.close()
        _fsync_file(building)
        os.replace(building, path)
        for leftover in (Path(f"{building}-wal"), Path(f"{building}-shm")):
            leftover.unlink(missing_ok=True)
    try:
        return unlock_store(path, passphrase, clock=clock), recovery_key
    except StoreDamaged:  # pragma: no cover - would mean the disk lost what we just wrote
        raise


def keys_json(keys: DeviceKeys) -> dict[str, str]:
    data = {"ed25519": keys.ed25519_private.hex(), "x25519": keys.x25519_private.hex()}
    if keys.mlkem768_seed:
        data["mlkem768"] = keys.mlkem768_seed.hex()
    return data


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
