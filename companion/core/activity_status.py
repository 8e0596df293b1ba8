"""The day's activity figures: totals from the intervals and breaks, their `status --json` keys and status line.

Read from the database alone (`companion status`, no running instance needed) or from the live tracker.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from companion.core.activity_records import (
    ActivityState,
    BreakLog,
    DayTotals,
    Interval,
    IntervalRepository,
    local_day_start_utc,
)
from companion.core.clock import Clock
from companion.core.i18n import _
from companion.core.status_part import StatusPart
from companion.core.store import Store
from companion.core.text import format_duration


def day_totals(intervals: Iterable[Interval], breaks_taken: int, day_start: float) -> DayTotals:
    day_end = day_start + 86400.0 + 3600.0  # a DST day can be 25 h long
    active = on_call = 0.0
    for interval in intervals:
        seconds = interval.seconds_within(day_start, day_end)
        if interval.state.is_work:
            active += seconds
        if interval.state is ActivityState.ON_CALL:
            on_call += seconds
    return DayTotals(active, on_call, breaks_taken)


def stored_totals(store: Store, clock: Clock) -> DayTotals:
    """Today's totals from the database alone (no running instance needed)."""
    now = clock.now()
    day_start = local_day_start_utc(now)
    intervals = IntervalRepository(store).overlapping(day_start, float("inf"))
    log = BreakLog(store)
    totals = day_totals(intervals, log.taken_between(day_start, float("inf")), day_start)
    work_starts = [i.start_utc for i in intervals if i.state.is_work]
    if not work_starts:
        return totals
    last_rest_end = max((log.latest_end() or day_start), day_start, min(work_starts))
    return replace(totals, seconds_since_last_break=max(0.0, now.timestamp() - last_rest_end))


def totals_status_values(totals: DayTotals, in_call: bool | None) -> dict[str, object]:
    """The day's figures under their public `status --json` keys: read from the database, or live from the tracker."""
    return {
        "active_seconds_today": round(totals.active_seconds),
        "on_call_seconds_today": round(totals.on_call_seconds),
        "breaks_today": totals.breaks,
        "seconds_since_last_break": round(totals.seconds_since_last_break),
        "in_call": in_call,
    }


def activity_status(store: Store, clock: Clock) -> StatusPart:
    totals = stored_totals(store, clock)
    # in_call: only a running Companion knows; its live status replaces this
    return StatusPart(totals_status_values(totals, in_call=None), [status_line(totals)])


def status_line(totals: DayTotals) -> str:
    """'Active 3 h 05 min today · last break 40 min ago': the tray's first line and `companion status`."""
    # Two clauses that each stand alone, joined like the tray's other status parts.
    active = format_duration(totals.active_seconds)
    if totals.on_call_seconds >= 60:
        worked = _("Active {active} today ({on_calls} on calls)").format(
            active=active, on_calls=format_duration(totals.on_call_seconds)
        )
    else:
        worked = _("Active {active} today").format(active=active)
    if totals.active_seconds < 60:
        return worked
    since = format_duration(totals.seconds_since_last_break)
    if totals.breaks == 0:
        rested = _("{since} without a break").format(since=since)
    elif totals.seconds_since_last_break < 60:
        rested = _("break just now")
    else:
        rested = _("last break {since} ago").format(since=since)
    return f"{worked} · {rested}"
