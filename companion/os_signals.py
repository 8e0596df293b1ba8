"""SIGTERM, SIGINT and SIGHUP reach the Qt event loop without a polling timer.

Python runs a signal handler only when the interpreter gets control, which a waiting Qt event loop does not give it.
`signal.set_wakeup_fd` writes the signal number to a socket at C level; a QSocketNotifier on the other end wakes the
loop, and the app quits through its staged shutdown.
"""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

log = logging.getLogger(__name__)

QUIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))


class SignalWakeup(QObject):
    """Calls `on_signal(signum)` from the event loop for each quit signal. `close()` restores what was there."""

    def __init__(self, on_signal: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous_handlers = {signum: signal.signal(signum, self._noted) for signum in QUIT_SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._wake)
        self._closed = False

    @staticmethod
    def _noted(signum: int, frame: object) -> None:
        """Replaces the default action (die at once); the wakeup socket carries the signal to `_wake`."""

    def _wake(self) -> None:
        try:
            data = self._reader.recv(64)
        except (BlockingIOError, InterruptedError):
            return
        for signum in data:
            log.info("signal %d received: quitting", signum)
            self._on_signal(signum)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler)
        self._reader.close()
        self._writer.close()
