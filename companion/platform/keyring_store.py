"""The OS keyring through `keyring`: Secret Service on Linux, Keychain on macOS, Credential Locker on Windows.

It holds one random wrapping key per journal, never the rep's passphrase. Backends that would keep the secret in
plain text (keyrings.alt) or that store nothing (fail, null) are refused: the caller then asks for the passphrase.
Companion never makes the keyring put up a prompt: a Secret Service keyring that is locked or has no default
collection yet counts as unavailable, and the rep is asked for the passphrase or recovery code instead, with the
reason. Every call also runs with a time limit, so a keyring that does not answer cannot freeze the tray.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from companion.core.errors import KeyUnavailable
from companion.core.i18n import _

log = logging.getLogger(__name__)

SERVICE = "Companion"
CALL_TIMEOUT_SECONDS = 5.0
_REFUSED_MODULES = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")
T = TypeVar("T")


def _refused(backend: object) -> bool:
    return type(backend).__module__.startswith(_REFUSED_MODULES)


def acceptable_backends(backend: object) -> list[object]:
    """The real keyrings behind `backend` (a chainer holds several); empty if none may hold our key."""
    inner = getattr(backend, "backends", None)
    candidates = list(inner) if inner is not None else [backend]
    return [candidate for candidate in candidates if not _refused(candidate)]


class KeyringSecretStore:
    """SecretStore over one `keyring` backend; every failure becomes KeyUnavailable with a sentence for the rep
    (the journal's dialogs show it), in the language active when it is raised. A keyring helper child has none
    active, so its sentences cross to the tray app in English and keyring_helper translates them there."""

    def __init__(self, backend: object, timeout: float = CALL_TIMEOUT_SECONDS) -> None:
        usable = acceptable_backends(backend)
        if not usable:
            raise KeyUnavailable(_("No system keyring is available on this computer."))
        self._backend = usable[0]
        self._timeout = timeout
        self.name = f"keyring ({type(self._backend).__module__}.{type(self._backend).__name__})"
        self._uses_secret_service = type(self._backend).__module__ == "keyring.backends.SecretService"

    @classmethod
    def detect(cls, timeout: float = CALL_TIMEOUT_SECONDS) -> KeyringSecretStore:
        """The best keyring for the current environment, detected afresh (the session bus may have changed)."""
        import keyring

        def detect() -> object:
            keyring.core.init_backend()
            return keyring.get_keyring()

        return cls(_with_time_limit(detect, timeout, "look for a keyring"), timeout)  # i18n: not for reps

    def get(self, account: str) -> bytes | None:
        value = self._call(lambda: self._backend.get_password(SERVICE, account), "read from")  # i18n: not for reps
        if value is None:
            return None
        try:
            return base64.b64decode(value, validate=True)
        except ValueError:
            raise KeyUnavailable(_("The keyring entry for Companion is damaged.")) from None

    def put(self, account: str, secret: bytes) -> None:
        encoded = base64.b64encode(secret).decode("ascii")
        self._call(lambda: self._backend.set_password(SERVICE, account, encoded), "write to")  # i18n: not for reps

    def delete(self, account: str) -> None:
        from keyring.errors import PasswordDeleteError

        def delete_if_there() -> None:
            with contextlib.suppress(PasswordDeleteError):  # already gone is what we wanted
                self._backend.delete_password(SERVICE, account)

        self._call(delete_if_there, "remove an entry from")  # i18n: not for reps

    def _call(self, action: Callable[[], T], doing: str) -> T:
        def checked() -> T:
            if self._uses_secret_service:
                _refuse_to_prompt()
            return action()

        return _with_time_limit(checked, self._timeout, f"{doing} the keyring")  # for the log; i18n: not for reps


def _refuse_to_prompt() -> None:
    """keyring would ask the Secret Service to create or unlock the default collection, which puts up a prompt
    (and hangs where nobody can answer it). Look first, without prompting, and say what is wrong instead."""
    import secretstorage
    from jeepney.bus_messages import message_bus
    from secretstorage.exceptions import ItemNotFoundException

    with contextlib.closing(secretstorage.dbus_init()) as connection:
        # Asking an activatable but stopped service would start it, locked or empty, and it would want a prompt.
        running = connection.send_and_get_reply(message_bus.NameHasOwner("org.freedesktop.secrets")).body[0]
        if not running:
            raise KeyUnavailable(_("No keyring service is running in this session."))
        try:
            collection = secretstorage.get_collection_by_alias(connection, "default")
        except ItemNotFoundException:
            raise KeyUnavailable(_("Your keyring has not been set up yet (it has no default keyring).")) from None
        if collection.is_locked():
            raise KeyUnavailable(_("Your keyring is locked."))


class NoSecretStore:
    """The fallback where no keyring works: every call says so, and the journal asks for the passphrase."""

    name = "none"

    def __init__(self, reason: str | None = None) -> None:
        self.reason = reason if reason is not None else _("No system keyring is available on this computer.")

    def get(self, account: str) -> bytes | None:
        raise KeyUnavailable(self.reason)

    def put(self, account: str, secret: bytes) -> None:
        raise KeyUnavailable(self.reason)

    def delete(self, account: str) -> None:
        raise KeyUnavailable(self.reason)


def detect_secret_store() -> KeyringSecretStore | NoSecretStore:
    try:
        return KeyringSecretStore.detect()
    except KeyUnavailable as error:
        log.info("no usable keyring: %s", error.message)
        return NoSecretStore(error.message)


def _with_time_limit(action: Callable[[], T], timeout: float, doing: str) -> T:
    """Run a keyring call in a daemon thread so a prompt nobody answers cannot freeze the app."""
    from keyring.errors import KeyringError, KeyringLocked

    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = action()
        except BaseException as error:  # handed back to the caller's thread below
            outcome["error"] = error

    worker = threading.Thread(target=run, name="keyring-call", daemon=True)
    # Python's cyclic GC runs in whichever thread allocates; in the worker it would destroy Qt objects off the GUI
    # thread. The caller waits anyway, so collection simply pauses for the call.
    collecting = gc.isenabled()
    gc.disable()
    try:
        worker.start()
        worker.join(timeout)
    finally:
        if collecting:
            gc.enable()
    if worker.is_alive():
        log.warning("the keyring did not answer within %.0f s (%s)", timeout, doing)
        raise KeyUnavailable(_("The keyring did not answer; it may be waiting to be unlocked."))
    error = outcome.get("error")
    if isinstance(error, KeyUnavailable):
        raise error
    if isinstance(error, KeyringLocked):
        raise KeyUnavailable(_("Your keyring is locked.")) from error
    if isinstance(error, KeyringError):
        log.warning("keyring refused to %s: %s", doing, type(error).__name__)
        raise KeyUnavailable(_("The keyring refused Companion's request.")) from error
    if isinstance(error, Exception):
        # Secret Service and D-Bus errors come through unwrapped; to the rep they all mean "no keyring now".
        log.warning("keyring failed to %s: %s", doing, type(error).__name__)
        raise KeyUnavailable(_("The keyring could not be reached.")) from error
    if error is not None:
        raise error  # KeyboardInterrupt and friends
    return outcome["value"]  # type: ignore[return-value]
