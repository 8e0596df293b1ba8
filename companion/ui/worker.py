"""Slow work off the GUI thread (scrypt, bulk decryption), its result delivered back on the GUI thread.

A feature owns one BackgroundWork and stops it on quit: stop() cancels the tasks in flight, waits for them and drops
their results, so nothing fires after the feature has stopped. A task given a CancelFlag can also be cancelled on its
own (a window closed during an export): its result is dropped, and the task stops early where it checks the flag.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a task that saw its flag; the task ends there and nothing is delivered."""


class CancelFlag:
    """Set from the GUI thread, read by the task: `check()` between steps ends a cancelled task early."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        """Block (another thread, never the GUI thread) until cancelled or `timeout`; True if cancelled."""
        return self._event.wait(timeout)

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it, so Qt queues the call back to the GUI thread."""

    finished = Signal(object, object)  # result, exception (one of them None)
    progress = Signal(object)  # how far the task got; queued before `finished`, so it arrives before it


class BackgroundWork(QObject):
    """A plain Python thread per task (callers start one at a time); results come back through `on_done` /
    `on_error` on the GUI thread. Not QThreadPool: a QRunnable the pool deletes leaves a stale Python wrapper
    behind, and shiboken may hand that wrapper out again for a new Qt object at the same address."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads: list[threading.Thread] = []
        self._flags: list[CancelFlag] = []
        self._in_flight = 0
        self._stopped = False
        self._collecting = gc.isenabled()

    @property
    def busy(self) -> bool:
        return self._in_flight > 0

    def run(self, task: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None], cancel: CancelFlag | None = None) -> None:  # fmt: skip
        self.run_with_progress(lambda _report: task(), None, on_done, on_error, cancel)

    def run_with_progress(
        self,
        task: Callable[[Callable[[Any], None]], Any],
        on_progress: Callable[[Any], None] | None,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        cancel: CancelFlag | None = None,
    ) -> None:
        """As run(), and `task` gets a `report` function to call in the worker with how far it got: each report
        reaches `on_progress` on the GUI thread, in order and before `on_done`, unless stopped or cancelled."""
        if self._stopped:
            return
        flag = cancel or CancelFlag()
        relay = _Relay(self)
        if on_progress is not None:
            # stop() cancels every flag, so the flag alone says whether anyone still wants to hear. (Not `self`: a
            # connection holding the work's wrapper could end up the last to, and delete it from inside the relay.)
            relay.progress.connect(lambda value: None if flag.cancelled else on_progress(value))

        def delivered(result: object, error: object) -> None:
            relay.deleteLater()
            if self._stopped:  # stop() already waited for it and put the collector back
                return
            self._in_flight -= 1
            if self._in_flight == 0 and self._collecting:
                _resume_collecting()
            self._flags = [held for held in self._flags if held is not flag]
            if flag.cancelled:  # whoever cancelled it no longer wants the answer
                return
            if isinstance(error, BaseException):
                on_error(error)
            else:
                on_done(result)

        relay.finished.connect(delivered)

        def work() -> None:
            try:
                result = task(relay.progress.emit)
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
        self._flags.append(flag)
        self._threads = [thread for thread in self._threads if thread.is_alive()]
        thread = threading.Thread(target=work, name="companion-worker", daemon=True)
        self._threads.append(thread)
        thread.start()

    @property
    def running_threads(self) -> int:
        return sum(thread.is_alive() for thread in self._threads)

    def cancel_all(self) -> None:
        """Drop the results of every task in flight; those that check their flag end early."""
        for flag in self._flags:
            flag.cancel()

    def stop(self) -> None:
        """On quit: no new tasks, cancel and wait for those in flight (scrypt ends by itself), drop their results."""
        self._stopped = True
        self.cancel_all()
        self._flags = []
        for thread in self._threads:
            thread.join()
        self._threads = []
        if self._in_flight and self._collecting:
            _resume_collecting()
        self._in_flight = 0


def _resume_collecting() -> None:
    """Everything allocated while the collector paused (a year of decrypted entries and rough-call notes: over 100,000
    objects) sits in its youngest generation, and the first collection after it walked them all on the GUI thread:
    28 ms of the journal's open (issue 15). They are mostly the task's result, kept, so they move straight to the
    oldest generation, where a steady stream of small collections would have put them; freeze() and unfreeze() only
    splice lists. A cycle among them is freed by the next full collection, as any old object's is."""
    gc.freeze()
    gc.unfreeze()
    gc.enable()
