"""A run whose wall clock was far ahead (set wrong, a dead RTC battery, a VM restored from a snapshot) filed its
activity in the future. Left alone, every later run starts after it: activity lands on that future date, today
reads 0 and the last break weeks ago (issue 13). At the start of a run with the right time, the future part is cut
back to now, and a note of the gap is kept in the log and in `meta`."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from companion.core.store import Store

log = logging.getLogger(__name__)

# A restart moments after a small clock step back (NTP) keeps the old rule, starting after what was stored; only a
# lead larger than this is taken for a wrong clock.
FUTURE_TOLERANCE_SECONDS = 120.0
CLAMP_META_KEY = "clock_ahead_clamped"


@dataclass(frozen=True)
class FutureClamp:
    ahead_seconds: float  # how far past now the stored activity reached
    intervals_removed: int
    breaks_removed: int


def clamp_future_activity(store: Store, now_utc: float) -> FutureClamp | None:
    """Cut activity and breaks stored after `now_utc` back to it, when they reach beyond the tolerance."""
    row = store.connection.execute(
        "SELECT max(m) FROM (SELECT max(end_utc) AS m FROM activity_intervals "
        "UNION ALL SELECT max(coalesce(ended_utc, started_utc, response_utc, due_utc)) FROM breaks)"
    ).fetchone()
    latest = None if row is None or row[0] is None else float(row[0])
    if latest is None or latest <= now_utc + FUTURE_TOLERANCE_SECONDS:
        return None
    with store.transaction() as conn:
        intervals = conn.execute("DELETE FROM activity_intervals WHERE start_utc >= ?", (now_utc,)).rowcount
        conn.execute("UPDATE activity_intervals SET end_utc = ? WHERE end_utc > ?", (now_utc, now_utc))
        breaks = conn.execute(
            "DELETE FROM breaks WHERE coalesce(started_utc, response_utc, due_utc) >= ?", (now_utc,)
        ).rowcount
        conn.execute("UPDATE breaks SET ended_utc = ? WHERE ended_utc > ?", (now_utc, now_utc))
        conn.execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (CLAMP_META_KEY, f"{now_utc:.0f} {latest - now_utc:.0f}"),
        )
    clamp = FutureClamp(latest - now_utc, intervals, breaks)
    log.warning(
        "an earlier run's clock was %.0f s ahead: %d intervals and %d breaks filed in the future were dropped, and "
        "intervals reaching past now were cut back to now",
        clamp.ahead_seconds, intervals, breaks,
    )  # fmt: skip
    return clamp
