"""The stored side of activity: the states, the `activity_intervals` rows and the `breaks` table.

The tracker (core/activity.py) writes these; the day's totals and status (core/activity_status.py), the summary and
the journal read them, so they live apart from the accounting that decides what to write.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, time
from enum import Enum
from typing import Any

from companion.core.store import Store


class ActivityState(Enum):
    ACTIVE = "active"
    ON_CALL = "on_call"
    IDLE = "idle"
    AWAY = "away"
    LOCKED = "locked"
    SUSPENDED = "suspended"
    PAUSED = "paused"

    @property
    def is_work(self) -> bool:
        return self in (ActivityState.ACTIVE, ActivityState.ON_CALL)

    @property
    def is_rest(self) -> bool:
        """Time that counts towards a natural break."""
        return self in (ActivityState.IDLE, ActivityState.AWAY, ActivityState.LOCKED, ActivityState.SUSPENDED)

    @property
    def is_away(self) -> bool:
        """The rep is not at the desk (the journal locks itself on this)."""
        return self in (ActivityState.AWAY, ActivityState.LOCKED, ActivityState.SUSPENDED)


@dataclass
class Interval:
    state: ActivityState
    start_utc: float
    end_utc: float
    utc_offset_minutes: int
    id: int | None = None

    @property
    def seconds(self) -> float:
        return self.end_utc - self.start_utc

    def seconds_within(self, start_utc: float, end_utc: float) -> float:
        return max(0.0, min(self.end_utc, end_utc) - max(self.start_utc, start_utc))


@dataclass(frozen=True)
class DayTotals:
    active_seconds: float = 0.0  # active plus on call
    on_call_seconds: float = 0.0
    breaks: int = 0
    seconds_since_last_break: float = 0.0


def local_day_start_utc(moment: datetime) -> float:
    """Local midnight of `moment`'s day, as UTC epoch seconds."""
    return datetime.combine(moment.date(), time(), tzinfo=moment.tzinfo).timestamp()


class IntervalRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def store(self) -> Store:
        return self._store

    def insert(self, interval: Interval) -> int:
        with self._store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO activity_intervals(state, start_utc, end_utc, utc_offset_minutes) VALUES (?, ?, ?, ?)",
                (interval.state.value, interval.start_utc, interval.end_utc, interval.utc_offset_minutes),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def save(self, interval: Interval) -> None:
        with self._store.transaction() as conn:
            conn.execute(
                "UPDATE activity_intervals SET state = ?, start_utc = ?, end_utc = ? WHERE id = ?",
                (interval.state.value, interval.start_utc, interval.end_utc, interval.id),
            )

    def delete(self, interval_id: int) -> None:
        with self._store.transaction() as conn:
            conn.execute("DELETE FROM activity_intervals WHERE id = ?", (interval_id,))

    def overlapping(self, start_utc: float, end_utc: float) -> list[Interval]:
        rows = self._store.connection.execute(
            "SELECT id, state, start_utc, end_utc, utc_offset_minutes FROM activity_intervals "
            "WHERE end_utc > ? AND start_utc < ? ORDER BY start_utc, id",
            (start_utc, end_utc),
        ).fetchall()
        return [_interval_from_row(row) for row in rows]

    def all(self) -> list[Interval]:
        return self.overlapping(float("-inf"), float("inf"))

    def worked_between(self, start: datetime, end: datetime) -> bool:
        """Whether the rep was active or on a call at any moment between the two (closing the day asks)."""
        return any(i.state.is_work for i in self.overlapping(start.timestamp(), end.timestamp()))

    def latest_end(self) -> float | None:
        row = self._store.connection.execute("SELECT max(end_utc) FROM activity_intervals").fetchone()
        return None if row[0] is None else float(row[0])


def _interval_from_row(row: sqlite3.Row | tuple[Any, ...]) -> Interval:
    interval_id, state, start, end, offset = row
    return Interval(ActivityState(state), float(start), float(end), int(offset), int(interval_id))


class BreakLog:
    """The `breaks` table: natural breaks found in the intervals, and prompted or manual breaks with their answers."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def record_natural(self, start_utc: float, end_utc: float, offset: int) -> int:
        with self._store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO breaks(kind, started_utc, ended_utc, completed, utc_offset_minutes) "
                "VALUES ('natural', ?, ?, 1, ?)",
                (start_utc, end_utc, offset),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def record_due(self, kind: str, due_utc: float, offset: int) -> int:
        with self._store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO breaks(kind, due_utc, utc_offset_minutes) VALUES (?, ?, ?)", (kind, due_utc, offset)
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def record_response(self, break_id: int, response: str, at_utc: float) -> None:
        with self._store.transaction() as conn:
            conn.execute(
                "UPDATE breaks SET response = ?, response_utc = ?, started_utc = CASE WHEN ? = 'started' "
                "THEN ? ELSE started_utc END WHERE id = ?",
                (response, at_utc, response, at_utc, break_id),
            )

    def record_end(self, break_id: int, at_utc: float, completed: bool) -> None:
        with self._store.transaction() as conn:
            conn.execute(
                "UPDATE breaks SET ended_utc = ?, completed = ? WHERE id = ?", (at_utc, int(completed), break_id)
            )

    def taken_between(self, start_utc: float, end_utc: float) -> int:
        """Breaks the rep actually took: natural ones and the ones started from a prompt or the tray that ran to
        their end with the rep resting (completed 0 is a break worked through: interrupted, not taken)."""
        # A natural break that overlaps a started one is the same break (the rep walked away during it).
        row = self._store.connection.execute(
            "SELECT count(*) FROM breaks AS b WHERE b.started_utc >= ? AND b.started_utc < ? AND "
            "((b.response = 'started' AND coalesce(b.completed, 1) = 1) OR (b.kind = 'natural' AND NOT EXISTS ("
            "  SELECT 1 FROM breaks AS s WHERE s.response = 'started' AND s.started_utc < b.ended_utc"
            "  AND coalesce(s.ended_utc, s.started_utc + 3600) > b.started_utc)))",
            (start_utc, end_utc),
        ).fetchone()
        return int(row[0])

    def latest_end(self) -> float | None:
        row = self._store.connection.execute(
            "SELECT max(ended_utc) FROM breaks WHERE kind = 'natural' OR (response = 'started' AND completed = 1)"
        ).fetchone()
        return None if row[0] is None else float(row[0])

    def rows(self) -> list[dict[str, object]]:
        cursor = self._store.connection.execute("SELECT * FROM breaks ORDER BY id")
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
