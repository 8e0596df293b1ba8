"""Slow work off the GUI thread (scrypt, bulk decryption), its result delivered back on the GUI thread.

A feature owns one BackgroundWork and stops it on quit: stop() waits for the task in flight and drops its result,
so nothing fires after the feature has stopped.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it, so Qt queues the call back to the GUI thread."""

    finished = Signal(object, object)  # result, exception (one of them None)


class BackgroundWork(QObject):
    """A plain Python thread per task (callers start one at a time); results come back through `on_done` /
    `on_error` on the GUI thread. Not QThreadPool: a QRunnable the pool deletes leaves a stale Python wrapper
    behind, and shiboken may hand that wrapper out again for a new Qt object at the same address."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads: list[threading.Thread] = []
        self._in_flight = 0
        self._stopped = False
        self._collecting = gc.isenabled()

    @property
    def busy(self) -> bool:
        return self._in_flight > 0

    def run(self, task: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> None:  # fmt: skip
        if self._stopped:
            return
        relay = _Relay(self)

        def delivered(result: object, error: object) -> None:
            relay.deleteLater()
            if self._stopped:  # stop() already waited for it and put the collector back
                return
            self._in_flight -= 1
            if self._in_flight == 0 and self._collecting:
                gc.enable()
            if isinstance(error, BaseException):
                on_error(error)
            else:
                on_done(result)

        relay.finished.connect(delivered)

        def work() -> None:
            try:
                result = task()
            except BaseException as error:  # handed back to the GUI thread
                relay.finished.emit(None, error)
            else:
                relay.finished.emit(result, None)

        # Python's cyclic collector runs in whichever thread allocates; in the worker it could destroy Qt objects
        # off the GUI thread. It pauses while a task runs (under a second) and resumes when the result is back.
        if self._in_flight == 0:
            self._collecting = gc.isenabled()
            gc.disable()
        self._in_flight += 1
        self._threads = [thread for thread in self._threads if thread.is_alive()]
        thread = threading.Thread(target=work, name="companion-worker", daemon=True)
        self._threads.append(thread)
        thread.start()

    @property
    def running_threads(self) -> int:
        return sum(thread.is_alive() for thread in self._threads)

    def stop(self) -> None:
        """On quit: no new tasks, wait for the one in flight (scrypt ends by itself), drop its result."""
        self._stopped = True
        for thread in self._threads:
            thread.join()
        self._threads = []
        if self._in_flight and self._collecting:
            gc.enable()
        self._in_flight = 0
