"""The tray app's start after its icon shows: one stage per turn of the event loop (launch.py).

Before, everything from the log to the features' services ran before the icon, 1.4 to 1.9 times a bare PySide6
tray's start (benchmarks/footprint.py). Now the icon shows first and each stage (the log, the windows' helpers, the
rep's language, the app) runs in a turn of its own, its modules imported on a worker thread first, as the features'
are (ui/feature_loader.py): the menu's status line answers between the stages, and no stage holds the event loop
for long (benchmarks/stall_probe.py's start step). Importing defines classes only; no Qt object is made off the GUI
thread.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from companion.ui.worker import BackgroundWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stage:
    run: Callable[[], None]  # on the GUI thread, in a turn of its own
    modules: Sequence[str] = ()  # imported on the worker first: most of a stage's time is its imports


class StagedStart(QObject):
    """Runs `stages` in order, one per event-loop turn, from the first turn of the loop on.

    A stage that raises ends the event loop with 1 and the rest do not run; `raise_failure` raises it again after
    the loop, so a broken start ends as it did when it all ran before `exec` (the app's excepthook says why). An
    import that fails on the worker is tried again by the stage itself, on the GUI thread, where it fails as above.
    """

    def __init__(self, qapp: QCoreApplication, stages: Sequence[Stage]) -> None:
        super().__init__()
        self._qapp = qapp
        self._stages = list(stages)
        self._failure: BaseException | None = None
        self._work = BackgroundWork(self)
        self._turn = QTimer(self)
        self._turn.setSingleShot(True)
        self._turn.setInterval(0)
        self._turn.timeout.connect(self._prepare_next)
        if self._stages:
            self._turn.start()

    @property
    def running(self) -> bool:
        return bool(self._stages) and self._failure is None

    def _prepare_next(self) -> None:
        if not self._stages:
            return
        modules = self._stages[0].modules
        if not modules:
            self._run_next()
            return
        self._work.run(lambda: [importlib.import_module(name) for name in modules],
                       lambda _modules: self._run_next(), lambda _error: self._run_next())  # fmt: skip

    def _run_next(self) -> None:
        if not self._stages:  # stopped while the worker imported
            return
        stage = self._stages.pop(0)
        try:
            stage.run()
        except BaseException as error:  # kept and raised again once the loop has ended
            log.exception("Companion could not finish starting")
            self._failure = error
            self._stages.clear()
            self._qapp.exit(1)
            return
        if self._stages:
            self._turn.start()

    def raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def stop(self) -> None:
        """No further stage runs (the loop ended before they did); an import in flight finishes and is dropped.
        Harmless twice."""
        self._turn.stop()
        self._stages.clear()
        self._work.stop()
