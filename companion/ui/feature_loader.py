"""Installing the features after the tray icon shows without freezing it (issue 15).

Each feature module is imported on a worker thread (imports are most of a feature's start: the modules, their
windows' modules, the platform backends), then installed on the GUI thread in a turn of the event loop of its
own, so the icon's menu can open between them. Importing defines classes only; no Qt object is made off the GUI
thread.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject

from companion.ui.worker import BackgroundWork

Install = Callable[[Any], None]


class FeatureLoader(QObject):
    def __init__(self, features: Sequence[Install], context: Any, done: Callable[[], None],
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._waiting = list(features)
        self._context = context
        self._done = done
        self._work = BackgroundWork(self)

    def start(self) -> None:
        self._next()

    def stop(self) -> None:
        """On quit: the import in flight finishes, nothing more is installed."""
        self._waiting = []
        self._work.stop()

    def _next(self) -> None:
        if not self._waiting:
            self._done()
            return
        feature = self._waiting.pop(0)
        module = getattr(feature, "module", None)  # a ShippedFeature names its module; others install as they are
        if module is None:
            self._install(feature)
            return
        # An import that fails on the worker fails again in install, on the GUI thread, as it always did.
        self._work.run(lambda: importlib.import_module(module), lambda _module: self._install(feature),
                       lambda _error: self._install(feature))  # fmt: skip

    def _install(self, feature: Install) -> None:
        feature(self._context)
        self._next()
