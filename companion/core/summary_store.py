"""Every SQL read the weekly summary makes, in one place, so it can later be pointed at the feature repositories.

Each function returns plain rows for records whose time falls in [start_utc, end_utc). The caller widens that
window by a day on each side and assigns records to local days itself, using each record's own UTC offset.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.core.store import Store


@dataclass(frozen=True)
class IntervalRow:
    state: str
    start_utc: float
    end_utc: float
    utc_offset_minutes: int


@dataclass(frozen=True)
class BreakRow:
    kind: str  # prompted, manual, natural
    response: str | None  # started, postponed, skipped
    at_utc: float  # when it happened: started, else answered, else due
    started_utc: float | None
    ended_utc: float | None
    completed: bool | None
    utc_offset_minutes: int


@dataclass(frozen=True)
class RoughCallRow:
    id: int
    uid: str
    at_utc: float
    utc_offset_minutes: int
    severity: int
    content: bytes | None


@dataclass(frozen=True)
class CooldownRow:
    id: int
    uid: str
    rough_call_id: int | None
    offered_utc: float
    utc_offset_minutes: int
    response: str
    started_utc: float | None
    ended_utc: float | None
    outcome: str | None
    pattern: str | None
    preset: str | None
    content: bytes | None


@dataclass(frozen=True)
class JournalRow:
    uid: str
    kind: str
    created_utc: float
    utc_offset_minutes: int
    content: bytes


def intervals_between(store: Store, start_utc: float, end_utc: float) -> list[IntervalRow]:
    """Intervals that overlap the window (an interval may start before it: a night of sleep, a long weekend)."""
    rows = store.connection.execute(
        "SELECT state, start_utc, end_utc, utc_offset_minutes FROM activity_intervals "
        "WHERE end_utc > ? AND start_utc < ? ORDER BY start_utc",
        (start_utc, end_utc),
    )
    return [IntervalRow(*row) for row in rows]


def breaks_between(store: Store, start_utc: float, end_utc: float) -> list[BreakRow]:
    # The same expression as the breaks_due index, so SQLite can use it.
    rows = store.connection.execute(
        "SELECT kind, response, coalesce(started_utc, response_utc, due_utc) AS at_utc, started_utc, ended_utc, "
        "completed, utc_offset_minutes FROM breaks "
        "WHERE coalesce(started_utc, response_utc, due_utc) >= ? AND coalesce(started_utc, response_utc, due_utc) < ? "
        "ORDER BY at_utc",
        (start_utc, end_utc),
    )
    return [
        BreakRow(kind, response, at, started, ended, None if done is None else bool(done), offset)
        for kind, response, at, started, ended, done, offset in rows
    ]


def rough_calls_between(store: Store, start_utc: float, end_utc: float) -> list[RoughCallRow]:
    rows = store.connection.execute(
        "SELECT id, uid, at_utc, utc_offset_minutes, severity, content FROM rough_calls "
        "WHERE at_utc >= ? AND at_utc < ? ORDER BY at_utc",
        (start_utc, end_utc),
    )
    return [RoughCallRow(*row) for row in rows]


def cooldowns_between(store: Store, start_utc: float, end_utc: float) -> list[CooldownRow]:
    rows = store.connection.execute(
        "SELECT id, uid, rough_call_id, offered_utc, utc_offset_minutes, response, started_utc, ended_utc, outcome, "
        "pattern, preset, content FROM cooldowns WHERE offered_utc >= ? AND offered_utc < ? ORDER BY offered_utc",
        (start_utc, end_utc),
    )
    return [CooldownRow(*row) for row in rows]


def journal_between(store: Store, start_utc: float, end_utc: float) -> list[JournalRow]:
    rows = store.connection.execute(
        "SELECT uid, kind, created_utc, utc_offset_minutes, content FROM journal_entries "
        "WHERE created_utc >= ? AND created_utc < ? ORDER BY created_utc",
        (start_utc, end_utc),
    )
    return [JournalRow(*row) for row in rows]


def first_record_utc(store: Store) -> float | None:
    """When this database first saw the rep at work (None: nothing recorded yet), so the picker knows where to stop."""
    row = store.connection.execute("SELECT min(start_utc) FROM activity_intervals").fetchone()
    return None if row is None or row[0] is None else float(row[0])
