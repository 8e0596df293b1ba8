"""Time, passed in: every piece of the core that needs the time takes a Clock."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, tzinfo
from typing import Protocol


def utc_offset_minutes(moment: datetime) -> int:
    """The offset from UTC of an aware local time, in whole minutes, as every record stores it (0 for naive)."""
    offset = moment.utcoffset()
    return 0 if offset is None else int(offset.total_seconds() // 60)


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware local wall-clock time (can jump: NTP, DST, the rep changing it)."""
        ...

    def monotonic(self) -> float:
        """Seconds that only ever move forward; stops counting while the machine sleeps on Linux."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now().astimezone()

    def monotonic(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock that moves only when told to; wall time can jump independently of monotonic time."""

    def __init__(self, start: datetime | None = None, tz: tzinfo | None = None) -> None:
        if start is None:
            start = datetime(2026, 11, 23, 9, 0, 0)
        if start.tzinfo is None:
            start = start.replace(tzinfo=tz) if tz is not None else start.astimezone()
        self._wall = start
        self._mono = 1000.0

    def now(self) -> datetime:
        return self._wall

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        """Time passes normally: wall and monotonic move together."""
        self._wall += timedelta(seconds=seconds)
        self._mono += seconds

    def jump_wall(self, seconds: float) -> None:
        """The wall clock is set forward or back; monotonic time does not move."""
        self._wall += timedelta(seconds=seconds)

    def sleep_machine(self, seconds: float) -> None:
        """The machine is suspended: wall time passes, monotonic time (as on Linux) does not."""
        self._wall += timedelta(seconds=seconds)
