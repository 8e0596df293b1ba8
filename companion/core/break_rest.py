"""Did the rep rest? A break counts only when it was a break: watched from the idle samples during it.

A break window that runs to its end while the rep kept typing in another window is not a break: it is recorded
as interrupted (started, not completed) and does not count as taken. Closing the window early is a skip.
"""

from __future__ import annotations

from enum import Enum

# Input within this many seconds of a sample means the rep was working during the time since the last sample.
INPUT_SLACK_SECONDS = 2.0
# More than this share of the break with input: interrupted. Reading the break idea, touching the mouse to end it
# or a quick glance at a message stay well below it.
INTERRUPTED_SHARE = 0.5


class BreakEnding(Enum):
    RESTED = "rested"  # the countdown ran out and the rep was mostly away from the keyboard
    INTERRUPTED = "interrupted"  # the countdown ran out but input continued for most of it
    SKIPPED = "skipped"  # the rep closed the break window before its end


class RestMeter:
    """Fed the idle time at each tick of a break; tells at the end whether the rep rested."""

    def __init__(self, started_mono: float) -> None:
        self._started = started_mono
        self._last = started_mono
        self.active_seconds = 0.0

    def observe(self, idle_seconds: float | None, now_mono: float) -> None:
        """One tick. Unknown idle time (None) counts as rest: a backend that cannot tell must not cost a break."""
        gap = max(0.0, now_mono - self._last)
        self._last = max(self._last, now_mono)
        if idle_seconds is not None and idle_seconds < gap + INPUT_SLACK_SECONDS:
            # Input happened since the last look: the work covers the gap, less the quiet part at its end.
            self.active_seconds += max(0.0, gap - idle_seconds) if idle_seconds < gap else min(gap, 1.0)

    def ending(self, completed: bool, now_mono: float) -> BreakEnding:
        if not completed:
            return BreakEnding.SKIPPED
        elapsed = max(now_mono - self._started, 1e-9)
        return BreakEnding.INTERRUPTED if self.active_seconds > INTERRUPTED_SHARE * elapsed else BreakEnding.RESTED
