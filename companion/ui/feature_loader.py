"""Starting the features after the tray icon shows without freezing it (issue 15).

Each shipped feature's module is imported on a worker thread (imports are most of a feature's start: the modules,
their windows' modules, the platform backends), then the feature is started on the GUI thread, through the app's
own `start_one` (lifecycle's `start(services, registry)`, registered for the staged shutdown), in a turn of the
event loop of its own, so the icon's menu can open between them. Importing defines classes only; no Qt object is
made off the GUI thread.

The app stops the loader when shutdown begins: the import in flight finishes, its result is dropped, and no feature
starts after that.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject

from companion.lifecycle import Feature, Lifetime
from companion.ui.worker import BackgroundWork


class FeatureLoader(QObject):
    def __init__(self, features: Sequence[Feature], start_one: Callable[[Feature], None], done: Callable[[], None],
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._waiting = list(features)
        self._start_one = start_one
        self._done = done
        self._work = BackgroundWork(self)
        self.life = Lifetime(self)  # the turn a feature without a module starts in
        self.life.on_end(self._work.stop)

    @property
    def stopped(self) -> bool:
        return self.life.ended

    @property
    def loading(self) -> bool:
        """True until every feature has started (or the loader was stopped)."""
        return not self.life.ended

    def start(self) -> None:
        self._next()

    def stop(self) -> None:
        """Shutdown began: the import in flight finishes and is dropped; nothing more starts; `done` never runs."""
        self._waiting = []
        self.life.end()

    def _next(self) -> None:
        if self.life.ended:
            return
        if not self._waiting:
            self.life.end()  # nothing left to own
            self._done()
            return
        feature = self._waiting.pop(0)
        module = getattr(feature, "module", None)  # a ShippedFeature names its module; others start as they are
        if not isinstance(module, str):
            self.life.later(lambda: self._start(feature))
            return
        # An import that fails on the worker fails again in start, on the GUI thread, where the app logs it.
        self._work.run(lambda: importlib.import_module(module), lambda _module: self._start(feature),
                       lambda _error: self._start(feature))  # fmt: skip

    def _start(self, feature: Feature) -> None:
        if self.life.ended:
            return
        self._start_one(feature)
        self._next()
