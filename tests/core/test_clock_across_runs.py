"""Time that runs backwards across runs (issue 13): a run whose wall clock was far ahead must not spoil the runs
after it. Each run is a new tracker on the same database, as after a restart; hypothesis picks the clock errors."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core.activity import ActivityTracker, Sample, Thresholds
from companion.core.activity_records import BreakLog, IntervalRepository
from companion.core.activity_status import stored_totals
from companion.core.clock import FakeClock
from companion.core.clock_repair import CLAMP_META_KEY, FUTURE_TOLERANCE_SECONDS
from companion.core.store import Store

TICK = 10.0
DAY = 86_400.0


class WrongClock(FakeClock):
    """The machine's wall clock, off from the true time by `error` seconds (set per run)."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self.error = 0.0

    def now(self) -> datetime:
        return super().now() + timedelta(seconds=self.error)


def one_run(store: Store, clock: WrongClock, minutes: int) -> ActivityTracker:
    tracker = ActivityTracker(clock, IntervalRepository(store), BreakLog(store), Thresholds(120, 300))
    tracker.observe(Sample(0.0))
    for _ in range(int(minutes * 60 // TICK)):
        clock.advance(TICK)
        tracker.observe(Sample(0.0))
    tracker.close()
    return tracker


RUNS = st.lists(
    st.tuples(
        st.sampled_from([0.0, 0.0, 30 * DAY, 3 * DAY, 600.0, -2 * DAY, 45.0]),  # how wrong the clock is this run
        st.integers(min_value=1, max_value=20),  # minutes worked in the run
        st.integers(min_value=0, max_value=180),  # minutes off before the next run
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(RUNS)
def test_a_run_with_the_right_time_counts_today_after_any_wrong_clock(tmp_path_factory, runs):
    store = Store.open(tmp_path_factory.mktemp("runs") / "companion.db")
    clock = WrongClock(datetime(2026, 11, 23, 8, 0))
    try:
        for error, minutes, pause in runs:
            clock.error = error
            one_run(store, clock, minutes)
            clock.advance(pause * 60)
        clock.error = 0.0  # the clock is right again
        tracker = one_run(store, clock, 15)
        now = clock.now().timestamp()
        latest = IntervalRepository(store).latest_end()
        assert latest is not None and latest <= now + FUTURE_TOLERANCE_SECONDS  # nothing left in the future
        totals = stored_totals(store, clock)
        # Today is today: at least this run's work counts (earlier same-day runs may add to it).
        assert totals.active_seconds >= 15 * 60 - TICK
        assert totals.seconds_since_last_break < DAY  # never "30 days without a break"
        assert tracker.seconds_since_last_break() < DAY
    finally:
        store.close()


def test_a_month_ahead_once_then_right_files_the_next_run_on_the_real_day(tmp_path):
    store = Store.open(tmp_path / "companion.db")
    clock = WrongClock(datetime(2026, 11, 23, 9, 0))
    try:
        clock.error = 30 * DAY
        one_run(store, clock, 30)
        clock.error = 0.0
        clock.advance(3600)
        one_run(store, clock, 20)
        totals = stored_totals(store, clock)
        assert 20 * 60 - TICK <= totals.active_seconds <= 20 * 60 + TICK
        assert store.get_meta(CLAMP_META_KEY) is not None  # the gap is on record
        assert all(i.end_utc <= clock.now().timestamp() for i in IntervalRepository(store).all())
    finally:
        store.close()


def test_a_small_step_back_keeps_the_old_rule_and_never_overlaps(tmp_path):
    store = Store.open(tmp_path / "companion.db")
    clock = WrongClock(datetime(2026, 11, 23, 9, 0))
    try:
        one_run(store, clock, 10)
        clock.error = -30.0  # NTP stepped the clock back a little across the restart
        one_run(store, clock, 10)
        intervals = sorted(IntervalRepository(store).all(), key=lambda i: i.start_utc)
        for before, after in itertools.pairwise(intervals):
            assert after.start_utc >= before.end_utc
        assert store.get_meta(CLAMP_META_KEY) is None
    finally:
        store.close()
