"""Reading the journal's key from the keyring without blocking the tray: the helper child as a QProcess.

The start-up keyring conversation takes a few hundred ms (a child process, D-Bus, the Secret Service); while it
runs the event loop keeps turning, so the tray menu opens and `companion status` answers. Stores that are not the
helper (in-process keyrings, the stores tests inject) answer at once, as they always did.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QProcess, QTimer

from companion.core.errors import KeyUnavailable
from companion.core.i18n import _
from companion.core.interfaces import SecretStore
from companion.platform.keyring_helper import (
    CHILD_TIMEOUT_SECONDS,
    HelperSecretStore,
    decode_value,
    helper_command,
    no_answer,
    read_reply,
)

log = logging.getLogger(__name__)

OnSecret = Callable[[bytes | None], None]
OnUnavailable = Callable[[KeyUnavailable], None]


class KeyringRead(QObject):
    """One `get` in flight. Exactly one of the callbacks runs, later, on the GUI thread, unless stop() came first."""

    def __init__(self, account: str, on_secret: OnSecret, on_unavailable: OnUnavailable,
                 timeout_seconds: float = CHILD_TIMEOUT_SECONDS, parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._account = account
        self._on_secret = on_secret
        self._on_unavailable = on_unavailable
        self._timeout_seconds = timeout_seconds
        self._answered = False
        self._process = QProcess(self)
        self._process.finished.connect(self._finished)
        self._process.errorOccurred.connect(self._error)
        self._limit = QTimer(self)
        self._limit.setSingleShot(True)
        self._limit.setInterval(int(timeout_seconds * 1000))
        self._limit.timeout.connect(self._too_slow)

    @property
    def running(self) -> bool:
        return not self._answered

    def start(self) -> None:
        program, *arguments = helper_command()
        self._process.start(program, arguments)
        self._process.write(json.dumps({"op": "get", "account": self._account}).encode("utf-8"))
        self._process.closeWriteChannel()
        self._limit.start()

    def stop(self) -> None:
        """On quit or lock: end the child, and no callback will run."""
        self._answered = True
        self._limit.stop()
        if self._process.state() != QProcess.ProcessState.NotRunning:
            self._process.kill()
            self._process.waitForFinished(1000)

    def _finished(self, exit_code: int, _status: QProcess.ExitStatus) -> None:
        if self._answered:
            return
        stdout = bytes(self._process.readAllStandardOutput().data()).decode("utf-8", "replace")
        stderr = bytes(self._process.readAllStandardError().data()).decode("utf-8", "replace")
        try:
            secret = decode_value(read_reply(stdout, stderr, exit_code))
        except KeyUnavailable as error:
            self._answer_unavailable(error)
            return
        self._answered = True
        self._limit.stop()
        self._on_secret(secret)

    def _error(self, error: QProcess.ProcessError) -> None:
        if error is QProcess.ProcessError.FailedToStart:
            log.warning("the keyring helper could not start: %s", self._process.errorString())
            self._answer_unavailable(KeyUnavailable(_("The keyring could not be reached.")))

    def _too_slow(self) -> None:
        error = no_answer("get", self._timeout_seconds)
        self.stop()
        self._answered = False
        self._answer_unavailable(error)

    def _answer_unavailable(self, error: KeyUnavailable) -> None:
        if self._answered:
            return
        self._answered = True
        self._limit.stop()
        self._on_unavailable(error)


def read_secret(store: SecretStore, account: str, on_secret: OnSecret, on_unavailable: OnUnavailable,
                parent: QObject | None = None) -> KeyringRead | None:  # fmt: skip
    """Read `account` from `store`: through an asynchronous child for the helper store (returned, for its owner to
    stop), at once for any other store (None returned, a callback has already run)."""
    if isinstance(store, HelperSecretStore):
        read = KeyringRead(account, on_secret, on_unavailable, parent=parent)
        read.start()
        return read
    try:
        secret = store.get(account)
    except KeyUnavailable as error:
        on_unavailable(error)
        return None
    on_secret(secret)
    return None
