"""Typed errors. Each carries a sentence meant for the rep, not a traceback."""

from __future__ import annotations


class CompanionError(Exception):
    """Base class: `str(error)` is a sentence the rep can read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreError(CompanionError):
    pass


class DatabaseTooNew(StoreError):
    pass


class DatabaseCorrupt(StoreError):
    pass


class DatabaseLocked(StoreError):
    pass


class DatabaseReadOnly(StoreError):
    """The file, its folder or its disk refuses writes: not damage, so never quarantined."""


class DiskFull(StoreError):
    """No room to write; waiting (and freeing space) fixes it."""


class DatabaseNeedsUpdate(StoreError):
    """The schema is older than this version knows, and only the tray app migrates."""


class KeyUnavailable(CompanionError):
    """The data key cannot be unwrapped right now (keyring missing or locked, journal locked)."""


class WrongPassphrase(CompanionError):
    pass


class DecryptionFailed(CompanionError):
    """Ciphertext was tampered with, bound to other data, or sealed with another key."""


class ExportError(CompanionError):
    pass
