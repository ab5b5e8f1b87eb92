"""Users, their roles and their training for sensitive questions, each with a key slot."""

from __future__ import annotations

from dataclasses import replace

from cwtt_tui.crypto.kdf import KdfParams
from cwtt_tui.errors import NotAllowed, RecordNotFound, UsageError
from cwtt_tui.models import ROLES, Role, User, sensitive_default
from cwtt_tui.store.audit import AuditLog
from cwtt_tui.store.context import StoreContext, new_id
from cwtt_tui.store.keyslots import PASSPHRASE, add_slot, replace_user_slot

MANAGERS = ("team_lead", "coordinator")


class Users:
    """Add, list, remove users; change passphrases and who is trained for sensitive questions."""

    table = "users"

    def __init__(self, ctx: StoreContext, kdf: KdfParams) -> None:
        self.ctx = ctx
        self._kdf = kdf

    def _require_manager(self) -> None:
        user = self.ctx.user
        if user is not None and user.role not in MANAGERS:
            raise NotAllowed("Only a team lead or coordinator may add or remove users.")

    def add(self, name: str, role: Role, passphrase: str, *, sensitive: bool | None = None) -> User:
        """Add a user with their own passphrase slot.

        `sensitive`: trained for sensitive questions (None: as their role is by default).
        """
        name = name.strip()
        if not name:
            raise UsageError("A user needs a name.")
        if role not in ROLES:
            raise UsageError(f"The role must be one of: {', '.join(ROLES)}.")
        self._require_manager()
        if any(u.name.casefold() == name.casefold() for u in self.list()):
            raise UsageError(f"There is already a user called {name}.")
        if sensitive is None:
            sensitive = sensitive_default(role)
        user_id = new_id()
        now = self.ctx.now()
        with self.ctx.db.atomic():
            self.ctx.db["users"].insert(
                {
                    "id": user_id,
                    "active": 1,
                    "created_at": now,
                    "updated_at": now,
                    "payload": self.ctx.seal_json(
                        self.table, user_id, {"name": name, "role": role, "sensitive": sensitive}
                    ),
                }
            )
            add_slot(
                self.ctx.db, kind=PASSPHRASE, user_id=user_id, secret=passphrase,
                data_key=self.ctx.data_key, params=self._kdf, now=now,
            )  # fmt: skip
            user = User(user_id, name, role, now, sensitive)
            if self.ctx.user is not None:
                AuditLog(self.ctx).record("user.add", user_id, role=role, sensitive=sensitive)
        return user

    def list(self) -> list[User]:
        users = []
        for row in self.ctx.db.query("select * from users where active = 1 order by created_at"):
            data = self.ctx.open_json(self.table, row["id"], row["payload"])
            sensitive = data.get("sensitive")
            if not isinstance(sensitive, bool):  # a user made before the permission existed
                sensitive = sensitive_default(data["role"])
            users.append(User(row["id"], data["name"], data["role"], row["created_at"], sensitive))
        return users

    def get(self, user_id: str) -> User:
        for user in self.list():
            if user.id == user_id:
                return user
        raise RecordNotFound(f"There is no user with id {user_id} in this store.")

    def find(self, name: str) -> User:
        for user in self.list():
            if user.name.casefold() == name.strip().casefold():
                return user
        raise RecordNotFound(f"There is no user called {name} in this store.")

    def remove(self, user_id: str) -> None:
        """Deactivate a user and delete their key slot (their records and audit entries stay)."""
        self._require_manager()
        user = self.get(user_id)
        if self.ctx.user is not None and self.ctx.user.id == user_id:
            raise UsageError("You cannot remove yourself; ask another team lead or coordinator.")
        remaining = [u for u in self.list() if u.id != user_id]
        if not remaining:
            raise UsageError("You cannot remove the last user of a store.")
        if user.role in MANAGERS and not any(u.role in MANAGERS for u in remaining):
            raise UsageError("Keep at least one team lead or coordinator, who can add users.")
        with self.ctx.db.atomic():
            self.ctx.db["users"].update(user_id, {"active": 0, "updated_at": self.ctx.now()})
            self.ctx.db.execute(
                "delete from key_slots where kind = ? and user_id = ?", [PASSPHRASE, user_id]
            )
            AuditLog(self.ctx).record("user.remove", user_id)

    def set_passphrase(self, user_id: str, new_passphrase: str) -> None:
        """Rewrite one user's slot; the signed-in user may change their own, a manager anyone's."""
        if self.ctx.user is not None and self.ctx.user.id != user_id:
            self._require_manager()
        self.get(user_id)
        with self.ctx.db.atomic():
            replace_user_slot(
                self.ctx.db, user_id, new_passphrase, self.ctx.data_key, self._kdf, self.ctx.now()
            )
            AuditLog(self.ctx).record("user.passphrase", user_id)

    def set_sensitive(self, user_id: str, allowed: bool) -> User:
        """Say whether a user is trained for sensitive questions (a team lead or coordinator)."""
        manager = self.ctx.user
        if manager is None or manager.role not in MANAGERS:
            raise NotAllowed(
                "Only a team lead or coordinator may say who is trained for sensitive questions."
            )
        self.get(user_id)
        row = self.ctx.db["users"].get(user_id)
        data = self.ctx.open_json(self.table, user_id, row["payload"])
        data["sensitive"] = bool(allowed)
        with self.ctx.db.atomic():
            self.ctx.db["users"].update(
                user_id,
                {
                    "payload": self.ctx.seal_json(self.table, user_id, data),
                    "updated_at": self.ctx.now(),
                },
            )
            AuditLog(self.ctx).record("user.sensitive", user_id, allowed=bool(allowed))
        user = self.get(user_id)
        if manager.id == user_id:
            self.ctx.user = replace(manager, sensitive=user.sensitive)
        return user
