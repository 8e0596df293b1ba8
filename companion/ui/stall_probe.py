"""For benchmarks only: a 10 ms timer on the GUI thread that writes every gap between its ticks to a file.

The app starts it when COMPANION_STALL_PROBE names a file (benchmarks/stall_probe.py sets it). Each line is
`<time.monotonic()> <gap in ms>`; CLOCK_MONOTONIC is shared by every process on the machine, so the benchmark can
cut the day into steps with its own clock. A tick that comes late means the event loop was busy that long: the
menu did not open and the socket did not answer.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

PROBE_ENV = "COMPANION_STALL_PROBE"
TICK_MS = 10


class StallProbe(QObject):
    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._file = path.open("a", encoding="ascii", buffering=1)  # one line per tick, readable while it runs
        self._last = time.monotonic()
        self._file.write(f"{self._last:.4f} start\n")
        from PySide6.QtCore import Qt  # not at import: the app imports this module before its tray icon shows

        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self._file.write(f"{now:.4f} {(now - self._last) * 1000:.2f}\n")
        self._last = now

    def stop(self) -> None:
        self._timer.stop()
        self._file.close()


def probe_from_environment(parent: QObject | None = None) -> StallProbe | None:
    """The probe if the benchmark asked for one, else None (a rep's app never has it)."""
    target = os.environ.get(PROBE_ENV)
    return StallProbe(Path(target), parent) if target else None
