"""Activity accounting on a real SQLite file with a fake clock: intervals, back-dating, sleep, clock jumps."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core.activity import SUSPEND_SLACK_SECONDS, ActivityTracker, Sample, Thresholds
from companion.core.activity_records import ActivityState, BreakLog, DayTotals, Interval, IntervalRepository
from companion.core.activity_status import status_line, stored_totals
from companion.core.clock import FakeClock
from companion.core.status import collect_status
from companion.core.store import Store

TICK = 10.0


def make_tracker(store: Store, clock: FakeClock) -> ActivityTracker:
    return ActivityTracker(clock, IntervalRepository(store), BreakLog(store), Thresholds(120, 300))


def work(tracker: ActivityTracker, clock: FakeClock, seconds: float, **sample: bool) -> None:
    """The rep types steadily for `seconds`: at every tick (each TICK seconds) a key was just pressed."""
    for _ in range(int(seconds // TICK)):
        clock.advance(TICK)
        tracker.observe(Sample(0.0, **sample))


def rest(tracker: ActivityTracker, clock: FakeClock, seconds: float, **sample: bool) -> None:
    """Nobody touches anything for `seconds`: idle time grows with each tick."""
    idle = 0.0
    for _ in range(int(seconds // TICK)):
        clock.advance(TICK)
        idle += TICK
        tracker.observe(Sample(idle, **sample))


def states(store: Store) -> list[tuple[str, float]]:
    return [(i.state.value, round(i.seconds)) for i in IntervalRepository(store).all()]


def test_going_idle_is_back_dated_to_the_last_input(store: Store, clock: FakeClock) -> None:
    tracker = make_tracker(store, clock)
    tracker.observe(Sample(0.0))
    work(tracker, clock, 600)
    rest(tracker, clock, 200)  # idle passes 120 s on the 12th tick; the idle stretch began at the last input
    work(tracker, clock, 100)
    tracker.close()
    # The first key after the rest is pressed at the next tick, 210 s after the last one before it.
    assert states(store) == [("active", 600), ("idle", 210), ("active", 90)]
    assert tracker.continuous_work_seconds() == pytest.approx(690)


def test_a_long_idle_stretch_is_away_and_counts_as_a_natural_break(store: Store, clock: FakeClock) -> None:
    tracker = make_tracker(store, clock)
    tracker.observe(Sample(0.0))
    work(tracker, clock, 1800)
    rest(tracker, clock, 400)
    assert tracker.continuous_work_seconds() == 0.0  # already a break while it goes on
    work(tracker, clock, 300)
    tracker.close()
    # The idle part became away once it passed the natural-break length: one row, not idle then away.
    assert states(store) == [("active", 1800), ("away", 410), ("active", 290)]
    assert tracker.continuous_work_seconds() == pytest.approx(290)
    assert tracker.seconds_since_last_break() == pytest.approx(290)
    natural = [row for row in BreakLog(store).rows() if row["kind"] == "natural"]
    assert len(natural) == 1 and natural[0]["ended_utc"] - natural[0]["started_utc"] == pytest.approx(410)


def test_a_call_counts_as_work_however_long_the_rep_only_listens(store: Store, clock: FakeClock) -> None:
    tracker = make_tracker(store, clock)
    tracker.observe(Sample(0.0))
    work(tracker, clock, 60)
    rest(tracker, clock, 900, in_call=True)
    work(tracker, clock, 60)
    tracker.close()
    assert [s for s, _ in states(store)] == ["active", "on_call", "active"]
    totals = tracker.totals_today()
    assert totals.active_seconds == pytest.approx(1020)
    assert totals.on_call_seconds == pytest.approx(900, abs=TICK)
    assert totals.breaks == 0


def test_sleep_is_suspended_never_active_and_tells_the_gate(store: Store, clock: FakeClock) -> None:
    tracker = make_tracker(store, clock)
    tracker.observe(Sample(0.0))
    work(tracker, clock, 300)
    clock.sleep_machine(3 * 3600)
    observation = tracker.observe(Sample(1.0))
    assert observation.returned and observation.state is ActivityState.ACTIVE
    work(tracker, clock, 60)
    tracker.close()
    assert states(store) == [("active", 300), ("suspended", 3 * 3600), ("active", 60)]
    assert tracker.continuous_work_seconds() == pytest.approx(60)  # three hours asleep are a break


def test_logind_prepare_for_sleep_closes_the_interval_at_once(store: Store, clock: FakeClock) -> None:
    tracker = make_tracker(store, clock)
    tracker.observe(Sample(0.0))
    work(tracker, clock, 120)
    assert tracker.suspend_now().away_changed is True
    clock.sleep_machine(600)
    assert tracker.observe(Sample(0.5)).away_changed is False
    tracker.close()
    assert states(store) == [("active", 120), ("suspended", 600), ("active", 0)]  # work resumes as it ends


def test_a_late_tick_without_idle_to_explain_it_is_not_counted_as_work(store: Store, clock: FakeClock) -> None:
    # Windows and macOS keep monotonic time running through sleep, so a sleep looks like one very late tick.
    tracker = make_tracker(store, clock)
    tracker.observe(Sample(0.0))
    work(tracker, clock, 100)
    clock.advance(2 * 3600)
    tracker.observe(Sample(3.0))
    tracker.close()
    active = sum(i.seconds for i in IntervalRepository(store).all() if i.state.is_work)
    assert active <= 100 + 15
    assert [s for s, _ in states(store)] == ["active", "suspended", "active"]


def test_clock_set_back_never_makes_time_run_backwards(store: Store, clock: FakeClock) -> None:
    tracker = make_tracker(store, clock)
    tracker.observe(Sample(0.0))
    work(tracker, clock, 300)
    clock.jump_wall(-3600)
    work(tracker, clock, 300)
    tracker.close()
    intervals = IntervalRepository(store).all()
    assert [(i.state.value, round(i.seconds)) for i in intervals] == [("active", 600)]
    assert tracker.continuous_work_seconds() == pytest.approx(600)


def test_a_second_run_starts_after_what_the_first_stored(store: Store, clock: FakeClock) -> None:
    first = make_tracker(store, clock)
    first.observe(Sample(0.0))
    work(first, clock, 300)
    first.close()
    clock.jump_wall(-1800)  # the rep set the clock back between runs
    second = make_tracker(store, clock)
    second.observe(Sample(0.0))
    work(second, clock, 60)
    second.close()
    intervals = IntervalRepository(store).all()
    assert all(a.end_utc <= b.start_utc for a, b in itertools.pairwise(intervals))


def test_first_activity_of_the_day_is_reported_once_per_day(store: Store) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 23, 50, tzinfo=UTC))
    tracker = make_tracker(store, clock)
    firsts = [tracker.observe(Sample(0.0)).first_activity_of_day]
    for _ in range(120):
        clock.advance(TICK)
        firsts.append(tracker.observe(Sample(1.0)).first_activity_of_day)
    assert firsts.count(True) == 2  # 23:50 today, and the first tick after midnight
    assert firsts[0] and firsts[60]  # the tick at 00:00:00


def test_status_reads_todays_figures_from_the_database(store: Store, clock: FakeClock) -> None:
    tracker = make_tracker(store, clock)
    tracker.observe(Sample(0.0))
    work(tracker, clock, 1200)
    rest(tracker, clock, 400, locked=True)
    work(tracker, clock, 600)
    rest(tracker, clock, 300, in_call=True)
    tracker.close()
    report = collect_status(store, clock)
    assert report.values["active_seconds_today"] == pytest.approx(2100, abs=TICK)
    assert report.values["on_call_seconds_today"] == pytest.approx(300, abs=TICK)
    assert report.values["breaks_today"] == 1
    assert report.values["seconds_since_last_break"] == pytest.approx(900, abs=TICK)
    assert report.values["in_call"] is None
    assert "Active 34 min today (5 min on calls) · last break 14 min ago" in report.lines
    assert stored_totals(store, clock) == tracker.totals_today()


def test_status_line_joins_two_clauses_that_each_stand_alone() -> None:
    """Each clause is one translatable sentence (issue 16); the line joins them like the tray's other parts."""
    assert status_line(DayTotals(30)) == "Active under a minute today"
    assert status_line(DayTotals(3900, 0, 0, 3900)) == "Active 1 h 05 min today · 1 h 05 min without a break"
    assert status_line(DayTotals(3900, 600, 1, 20)) == "Active 1 h 05 min today (10 min on calls) · break just now"
    assert status_line(DayTotals(3900, 0, 2, 2400)) == "Active 1 h 05 min today · last break 40 min ago"


# -- properties --------------------------------------------------------------------------------------------------

ticks = st.tuples(
    st.just("tick"),
    st.floats(1, 300),
    st.one_of(st.none(), st.floats(0, 4000)),
    st.booleans(),
    st.sampled_from([False, False, False, True]),
    st.sampled_from([False, False, False, False, True]),
)
sleeps = st.tuples(st.just("sleep"), st.floats(60, 12 * 3600))
jumps = st.tuples(st.just("jump"), st.floats(-4 * 3600, 4 * 3600))
lates = st.tuples(st.just("late"), st.floats(121, 6 * 3600), st.floats(0, 300))
prepares = st.tuples(st.just("prepare"))
operations = st.lists(st.one_of(ticks, ticks, ticks, sleeps, jumps, lates, prepares), min_size=1, max_size=60)
starts = st.sampled_from(
    [
        datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("Europe/Berlin")),  # the night the clocks go back
        datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("Europe/Berlin")),  # and forward
        datetime(2026, 11, 23, 23, 55, tzinfo=ZoneInfo("America/New_York")),
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=starts, ops=operations)
def test_intervals_tile_observed_time_and_never_count_sleep_lock_or_pause_as_work(
    tmp_path_factory: pytest.TempPathFactory, start: datetime, ops: list[tuple]
) -> None:
    store = Store.open(tmp_path_factory.mktemp("prop") / "companion.db")
    try:
        clock = FakeClock(start)
        tracker = make_tracker(store, clock)
        tracker.observe(Sample(0.0))
        first = tracker.now_utc()
        not_work: list[tuple[float, float]] = []  # stretches we know were not work
        previous_sample: Sample | None = None
        for op in ops:
            before = tracker.now_utc()
            if op[0] == "tick":
                _, seconds, idle, in_call, locked, paused = op
                clock.advance(seconds)
                sample = Sample(idle, in_call, locked, paused)
                tracker.observe(sample)
                if (
                    previous_sample is not None
                    and (sample.locked or sample.paused)
                    and (previous_sample.locked or previous_sample.paused)
                ):
                    not_work.append((before, tracker.now_utc()))
                previous_sample = sample
            elif op[0] == "sleep":
                clock.sleep_machine(op[1])
                tracker.observe(Sample(1.0))
                not_work.append((before, tracker.now_utc()))
                previous_sample = None
            elif op[0] == "late":
                clock.advance(op[1])
                tracker.observe(Sample(op[2]))
                previous_sample = None
            elif op[0] == "prepare":
                tracker.suspend_now()
                previous_sample = None
            else:
                clock.jump_wall(op[1])
            assert tracker.now_utc() >= before, "the timeline ran backwards"
        tracker.close()
        intervals = IntervalRepository(store).all()
        assert intervals[0].start_utc == first
        assert intervals[-1].end_utc == tracker.now_utc()
        for interval in intervals:
            assert interval.seconds >= 0
        for earlier, later in itertools.pairwise(intervals):
            assert earlier.end_utc == later.start_utc, "a gap or an overlap between intervals"
            assert earlier.state is not later.state or earlier.seconds == 0 or later.seconds == 0
        for low, high in not_work:
            overlap = sum(i.seconds_within(low, high) for i in intervals if i.state.is_work)
            # wall time that ran ahead of monotonic time by less than the slack cannot be told from read jitter
            assert overlap <= SUSPEND_SLACK_SECONDS + 1e-6, f"work counted in a known-idle stretch {low}-{high}"
        totals = tracker.totals_today()
        assert totals.active_seconds >= 0 and totals.on_call_seconds <= totals.active_seconds + 1e-6
        assert 0 <= tracker.continuous_work_seconds() <= sum(i.seconds for i in intervals if i.state.is_work) + 1e-6
    finally:
        store.close()


def test_interval_overlap_helper_clips_to_the_window() -> None:
    interval = Interval(ActivityState.ACTIVE, 100.0, 200.0, 0)
    assert interval.seconds_within(150.0, 400.0) == 50.0
    assert interval.seconds_within(300.0, 400.0) == 0.0


def test_a_quick_restart_keeps_counting_the_work_since_the_last_break(store: Store, clock: FakeClock) -> None:
    first = make_tracker(store, clock)
    first.observe(Sample(0.0))
    work(first, clock, 1800)
    first.close()
    clock.advance(60)  # Companion restarted after an update
    second = make_tracker(store, clock)
    second.observe(Sample(0.0))
    work(second, clock, 600)
    assert second.continuous_work_seconds() == pytest.approx(2400)
    assert second.seconds_since_last_break() == pytest.approx(2460)


def test_being_off_for_longer_than_a_natural_break_starts_the_count_again(store: Store, clock: FakeClock) -> None:
    first = make_tracker(store, clock)
    first.observe(Sample(0.0))
    work(first, clock, 1800)
    first.close()
    clock.advance(3600)  # the computer was off over lunch
    second = make_tracker(store, clock)
    second.observe(Sample(0.0))
    work(second, clock, 600)
    assert second.continuous_work_seconds() == pytest.approx(600)
    assert second.seconds_since_last_break() == pytest.approx(600)


def test_after_a_call_idle_time_counts_from_the_end_of_the_call(store: Store, clock: FakeClock) -> None:
    tracker = make_tracker(store, clock)
    tracker.observe(Sample(0.0))
    work(tracker, clock, 60)
    rest(tracker, clock, 600, in_call=True)  # ten minutes of listening, no key pressed
    clock.advance(TICK)
    after = tracker.observe(Sample(610.0))  # the call ended; the OS still counts from the last key
    assert after.state is ActivityState.ACTIVE
    idle = 610.0
    for _ in range(30):
        clock.advance(TICK)
        idle += TICK
        tracker.observe(Sample(idle))
    tracker.close()
    # The call stays work; nothing was touched after it, so from its end on the rep was away (a natural break).
    assert [s for s, _ in states(store)] == ["active", "on_call", "away"]
    assert states(store)[1][1] == pytest.approx(600, abs=TICK)
    assert states(store)[2][1] == pytest.approx(310, abs=TICK)
