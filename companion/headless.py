"""What the headless commands (`companion export`, and any later one that reads personal content) share: opening
the journal without Qt, a tray or a running Companion. Nothing here may import PySide6 (a test blocks it)."""

from __future__ import annotations

from companion.core.clock import Clock, SystemClock
from companion.core.crypto import Vault
from companion.core.keys import KeyManager
from companion.core.keys import unlock_headless as unlock_keys_headless
from companion.core.store import Store
from companion.platform.keyring_store import detect_secret_store


def unlock_headless(store: Store, vault: Vault, clock: Clock | None = None) -> None:
    """For headless commands (`companion export --highlights`): the keyring, else a passphrase read with getpass.

    Raises KeyUnavailable (nothing set up, no terminal) or WrongPassphrase, each with a sentence for the rep.
    """
    keys = KeyManager(store, vault, detect_secret_store(), clock or SystemClock())
    unlock_keys_headless(keys)
