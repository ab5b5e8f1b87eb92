"""Every failure a user can meet, each with one plain sentence and an exit code.

Messages name ids and paths, never a child's name, an answer or a key.
"""

from __future__ import annotations


class CwttError(Exception):
    """Base of all expected failures; the CLI prints `message` and exits with `exit_code`."""

    exit_code = 1
    title = "Something went wrong"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(CwttError):
    """The command line or an input value does not make sense."""

    exit_code = 2
    title = "Check the command"


class StoreNotFound(CwttError):
    """No store at the path given."""

    exit_code = 10
    title = "No store here"


class StoreLocked(CwttError):
    """Another cwtt window or command holds the store."""

    exit_code = 11
    title = "Store in use"


class WrongPassphrase(CwttError):
    """The passphrase (or recovery key) opens no key slot."""

    exit_code = 12
    title = "Wrong passphrase"


class StoreDamaged(CwttError):
    """The database file or a key slot cannot be read."""

    exit_code = 13
    title = "Store damaged"


class DiskFull(CwttError):
    """A write failed because the disk (or USB stick) is full."""

    exit_code = 14
    title = "Disk full"


class StoreExists(CwttError):
    """Refusing to overwrite a store that is already there."""

    exit_code = 15
    title = "Store already exists"


class NotAllowed(CwttError):
    """The signed-in user's role may not do this."""

    exit_code = 16
    title = "Not allowed"


class RecordNotFound(CwttError):
    """A child, round, interview or user id that the store does not hold."""

    exit_code = 17
    title = "Not found"


class ConflictError(CwttError):
    """Someone else changed the record since it was read."""

    exit_code = 18
    title = "Changed elsewhere"


class AuditBroken(CwttError):
    """The audit log's hash chain does not hold."""

    exit_code = 19
    title = "Audit log broken"


class ConfigError(CwttError):
    """The settings file cannot be read."""

    exit_code = 20
    title = "Settings file"


class BundleRejected(CwttError):
    """A bundle failed one of the import checks; `on_screen` is the sentence the app shows
    where the message's advice is a command to type."""

    exit_code = 21
    title = "Bundle rejected"

    def __init__(self, message: str, *, on_screen: str = "") -> None:
        super().__init__(message)
        self.on_screen = on_screen or message


class UnknownSender(BundleRejected):
    """A bundle signed by a laptop this store has not enrolled (the app offers to enrol it)."""


class BadInstrument(CwttError):
    """A questionnaire file does not validate (`file:line: what is wrong`)."""

    exit_code = 22
    title = "Questionnaire file"


EXIT_CODES: dict[str, int] = {
    cls.__name__: cls.exit_code
    for cls in (
        CwttError,
        UsageError,
        StoreNotFound,
        StoreLocked,
        WrongPassphrase,
        StoreDamaged,
        DiskFull,
        StoreExists,
        NotAllowed,
        RecordNotFound,
        ConflictError,
        AuditBroken,
        ConfigError,
        BundleRejected,
        BadInstrument,
    )
}
