"""Argon2id parameters for passphrase key slots, and their calibration on this laptop."""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

# OWASP's floor for Argon2id is 19 MiB with 2 passes; we start at 64 MiB and scale passes.
DEFAULT_MEMORY_KIB = 64 * 1024
TARGET_SECONDS = 0.5


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost, stored beside each key slot so that a slot opens on any laptop."""

    salt: bytes
    iterations: int = 3
    memory_kib: int = DEFAULT_MEMORY_KIB
    lanes: int = 1
    algorithm: str = "argon2id"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["salt"] = self.salt.hex()
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> KdfParams:
        return cls(
            salt=bytes.fromhex(str(data["salt"])),
            iterations=int(data["iterations"]),  # type: ignore[arg-type]
            memory_kib=int(data["memory_kib"]),  # type: ignore[arg-type]
            lanes=int(data["lanes"]),  # type: ignore[arg-type]
            algorithm=str(data.get("algorithm", "argon2id")),
        )

    def with_new_salt(self) -> KdfParams:
        return KdfParams(os.urandom(16), self.iterations, self.memory_kib, self.lanes)

    def derive(self, secret: bytes) -> bytes:
        """Return a 32-byte key-encryption key from `secret`."""
        if self.algorithm != "argon2id":
            raise ValueError(f"unknown key derivation {self.algorithm!r}")
        kdf = Argon2id(
            salt=self.salt,
            length=32,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        )
        return kdf.derive(secret)


# Cheap parameters for tests and the throw-away demo store only: never for real children.
TEST_KDF = KdfParams(salt=b"\0" * 16, iterations=1, memory_kib=8, lanes=1)


def calibrate_kdf(
    target_seconds: float = TARGET_SECONDS, memory_kib: int = DEFAULT_MEMORY_KIB
) -> KdfParams:
    """Pick Argon2id passes so that one derivation takes about `target_seconds` here.

    The slot keeps its parameters, so a store moved to a slower laptop still opens (more slowly).
    """
    probe = KdfParams(os.urandom(16), iterations=1, memory_kib=memory_kib)
    start = time.perf_counter()
    probe.derive(b"calibration")
    one_pass = max(time.perf_counter() - start, 1e-3)
    iterations = max(2, min(10, round(target_seconds / one_pass)))
    return KdfParams(os.urandom(16), iterations=iterations, memory_kib=memory_kib)
