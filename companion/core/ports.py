"""Capabilities one feature offers another, declared here so neither imports the other.

A feature offers a port through the registry at start (`registry.offer_journal_access(...)`); another reads it from
`services.ports` when it needs it. Each port has a harmless default, so a feature works without the one that offers
it (the tests start features alone).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol, TypeVar

from companion.core.interfaces import SecretStore

Action = Callable[[], None]
T = TypeVar("T")


class JournalAccess(Protocol):
    """Run an action that needs personal content: now if the journal is unlocked, else once the rep unlocks it."""

    def when_unlocked(self, action: Action, reason: str = "") -> None: ...

    def unlocking(self) -> bool:
        """True while the journal is on its way to unlocking (the keyring answering at start, scrypt working): an
        action given to when_unlocked now runs within moments, so content can wait in memory instead of being
        dropped."""
        ...


class KeyControls(Protocol):
    """What the Settings window's Privacy page asks of the journal's key manager.

    Each call runs its own dialogs with `parent` (a QWidget) as their parent. switch_key_storage updates
    settings.privacy.key_storage once the data key is re-wrapped; if the rep cancels or it fails, the setting stays
    as it was, and the window shows the setting again.
    """

    def switch_key_storage(self, method: str, parent: object, moved: Callable[[str], None] | None = None) -> bool:
        """True when the key is on its way now, with nothing to ask the rep first (it takes a second or so, off the
        GUI thread): `moved` is then called once, when the move ends, with "" if the key went (or the settings
        meanwhile said to leave it) or the sentence saying why it stayed. False when the rep is asked first (a
        passphrase, an unlock): the setting follows their answer, and `moved` is never called."""
        ...

    def change_passphrase(self, parent: object) -> None: ...

    def show_recovery_code(self, parent: object) -> None: ...

    def new_recovery_code(self, parent: object) -> None:
        """A fresh code replaces the old one; the window has asked the rep first (the old code stops working)."""
        ...


class GlobalShortcuts(Protocol):
    """The global hotkeys really working now, offered by the hotkeys feature: a tray item shows its key beside it
    only when the key works whichever application has the focus."""

    def bound(self) -> Mapping[str, str]:
        """By action ("tag", "call", the socket command the key runs): the keys as Qt writes them ("Ctrl+Alt+R")."""
        ...


class NoGlobalShortcuts:
    """The default GlobalShortcuts when no hotkeys feature runs: no key is bound."""

    def bound(self) -> Mapping[str, str]:
        return {}


class OpenJournal:
    """The default JournalAccess when no journal feature runs: nothing is locked, so the action runs now."""

    def when_unlocked(self, action: Action, reason: str = "") -> None:
        action()

    def unlocking(self) -> bool:
        return False


class Ports:
    """The ports offered so far. Features read them; only the registry sets them, each once."""

    def __init__(self) -> None:
        self._journal: JournalAccess | None = None
        self._key_controls: KeyControls | None = None
        self._secret_store: SecretStore | None = None
        self._global_shortcuts: GlobalShortcuts | None = None

    @property
    def journal(self) -> JournalAccess:
        return self._journal if self._journal is not None else OpenJournal()

    @property
    def key_controls(self) -> KeyControls | None:
        return self._key_controls

    @property
    def secret_store(self) -> SecretStore | None:
        """The keyring behind the journal key (erase everything removes its entry through it)."""
        return self._secret_store

    @property
    def global_shortcuts(self) -> GlobalShortcuts:
        return self._global_shortcuts if self._global_shortcuts is not None else NoGlobalShortcuts()

    def offer_journal(self, access: JournalAccess) -> None:
        self._journal = _once("journal access", self._journal, access)  # i18n: not for reps

    def offer_key_controls(self, controls: KeyControls) -> None:
        self._key_controls = _once("key controls", self._key_controls, controls)  # i18n: not for reps

    def offer_secret_store(self, store: SecretStore) -> None:
        self._secret_store = store  # replaced when the journal finds its keyring later than it started

    def offer_global_shortcuts(self, shortcuts: GlobalShortcuts) -> None:
        self._global_shortcuts = _once("global shortcuts", self._global_shortcuts, shortcuts)  # i18n: not for reps

    def withdraw_all(self) -> None:
        self._journal = self._key_controls = None
        self._global_shortcuts = None


def _once(name: str, current: T | None, offered: T) -> T:
    if current is not None and current is not offered:
        raise RuntimeError(f"{name} is already offered by another feature")  # i18n: not for reps
    return offered
