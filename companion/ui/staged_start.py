"""The tray app's start after its icon shows: one stage per turn of the event loop (launch.py).

Before, everything from the log to the features' services ran before the icon, about 150 ms more than a bare
PySide6 tray (benchmarks/footprint.py). Now the icon shows first and each stage (log, windows' helpers, the rep's
language, the app's modules, the app) runs in its own turn, so the menu's status line answers between them and
no single stage holds the event loop for long (benchmarks/stall_probe.py's start step).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer

log = logging.getLogger(__name__)


class StagedStart(QObject):
    """Runs `stages` in order, one per event-loop turn, from the first turn of the loop on.

    A stage that raises ends the event loop with 1 and the rest do not run; `raise_failure` raises it again after
    the loop, so a broken start ends as it did when it all ran before `exec` (the app's excepthook says why).
    """

    def __init__(self, qapp: QCoreApplication, stages: list[Callable[[], None]]) -> None:
        super().__init__()
        self._qapp = qapp
        self._stages = list(stages)
        self._failure: BaseException | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._next)
        if self._stages:
            self._timer.start()

    @property
    def running(self) -> bool:
        return bool(self._stages) and self._failure is None

    def _next(self) -> None:
        stage = self._stages.pop(0)
        try:
            stage()
        except BaseException as error:  # kept and raised again once the loop has ended
            log.exception("Companion could not finish starting")
            self._failure = error
            self._stages.clear()
            self._qapp.exit(1)
            return
        if self._stages:
            self._timer.start()

    def raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def stop(self) -> None:
        """No further stage runs (the loop ended before they did). Harmless twice."""
        self._timer.stop()
        self._stages.clear()
