"""The last resort: input seen by Companion's own windows only.

Honest about what it is (system_wide = False), so the tray says that system-wide idle detection is not available.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from companion.core.clock import Clock
from companion.core.i18n import N_

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class OwnWindowsIdleSource(QObject):
    name = N_("Companion's own windows only")
    system_wide = False

    def __init__(self, qapp: QApplication, clock: Clock) -> None:
        super().__init__(qapp)
        self._clock = clock
        self._last_input = clock.monotonic()
        self._qapp = qapp
        qapp.installEventFilter(self)

    def close(self) -> None:
        """Stop watching input (the app closes its backends at shutdown); harmless twice."""
        self._qapp.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._last_input = self._clock.monotonic()
        return False

    def seconds_since_last_input(self) -> float | None:
        return max(0.0, self._clock.monotonic() - self._last_input)
