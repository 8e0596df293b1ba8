"""Activity accounting: samples of idle time, calls, lock and pause become stored intervals.

The tracker keeps one open interval and writes a row per state change. Its timeline never runs backwards:
it follows the wall clock while that moves forward with monotonic time, follows monotonic time while the wall clock
is behind (set back), and records a SUSPENDED gap when the wall clock runs far ahead of monotonic time (the machine
slept) or a tick arrives so late that nobody watched the time in between. State changes are back-dated with the
idle time the OS reports, so a coarse tick still gives accurate intervals.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from companion.core.activity_records import (
    ActivityState,
    BreakLog,
    DayTotals,
    Interval,
    IntervalRepository,
    local_day_start_utc,
)
from companion.core.activity_status import day_totals
from companion.core.clock import Clock, utc_offset_minutes
from companion.core.clock_repair import clamp_future_activity

SUSPEND_SLACK_SECONDS = 1.0  # wall time may run this far ahead of monotonic time (read jitter) before it is a gap
LATE_TICK_SECONDS = 120.0  # a tick later than this means nobody watched the time in between
TICK_CREDIT_SECONDS = 15.0  # how much of an unwatched gap still belongs to the state we last saw
CHECKPOINT_SECONDS = 60.0  # how often the open interval's end is saved, so a crash loses at most this much


@dataclass(frozen=True)
class Sample:
    """What the OS says at one tick. None means the backend cannot tell now."""

    idle_seconds: float | None
    in_call: bool = False
    locked: bool = False
    paused: bool = False


@dataclass(frozen=True)
class Thresholds:
    idle_after_seconds: float = 120.0
    natural_break_seconds: float = 300.0


@dataclass
class Observation:
    """What one sample changed, for the listeners (break policy, tray, journal)."""

    state: ActivityState
    changed: bool = False
    first_activity_of_day: bool = False
    away_changed: bool | None = None  # True: went away, False: came back
    returned: bool = False  # back from lock or sleep: the prompt gate keeps quiet for a while
    natural_break_ended: bool = False


@dataclass
class _Rest:
    """The rest stretch going on now (idle, away, locked, asleep), which becomes a natural break when long enough."""

    start_utc: float
    credited: bool = False  # already long enough to count as a natural break


@dataclass
class ActivityTracker:
    """Turns samples into intervals and keeps the continuous-work counter that the break policy reads."""

    clock: Clock
    intervals: IntervalRepository
    breaks: BreakLog
    thresholds: Thresholds = field(default_factory=Thresholds)

    def __post_init__(self) -> None:
        self._current: Interval | None = None
        self._previous: Interval | None = None
        self._timeline = 0.0  # UTC seconds up to which time is accounted
        self._floor = 0.0  # nothing before this may be revised (a suspend gap, a closed interval)
        self._last_mono = 0.0
        self._last_saved = 0.0
        self._work_done = 0.0  # working seconds in closed intervals since the last break
        self._rest: _Rest | None = None
        self._last_break_end: float | None = None
        self._work_day: float | None = None  # local day start of the last working moment
        self._call_seen_at: float | None = None  # the last tick that saw a call

    # -- reading ---------------------------------------------------------------------------------------------
    @property
    def state(self) -> ActivityState | None:
        return None if self._current is None else self._current.state

    def now_utc(self) -> float:
        return self._timeline

    def continuous_work_seconds(self) -> float:
        """Working time since the last break (natural or taken); 0 while a natural break is going on."""
        if self._rest is not None and self._rest.credited:
            return 0.0
        current = self._current
        live = current.seconds if current is not None and current.state.is_work else 0.0
        return self._work_done + live

    def seconds_since_last_break(self) -> float:
        if self._rest is not None and self._rest.credited:
            return 0.0
        return max(0.0, self._timeline - self._last_break_end) if self._last_break_end is not None else 0.0

    def totals_today(self) -> DayTotals:
        day_start = local_day_start_utc(self.clock.now())
        stored = [i for i in self.intervals.overlapping(day_start, float("inf")) if i.id != _id(self._current)]
        live = [self._current] if self._current is not None else []
        totals = day_totals(stored + live, self.breaks.taken_between(day_start, float("inf")), day_start)
        return replace(totals, seconds_since_last_break=self.seconds_since_last_break())

    # -- writing ---------------------------------------------------------------------------------------------
    def observe(self, sample: Sample) -> Observation:
        wall = self.clock.now()
        wall_utc = wall.timestamp()
        mono = self.clock.monotonic()
        offset = utc_offset_minutes(wall)
        if self._current is None:
            self._call_seen_at = wall_utc if sample.in_call else None
            return self._begin(self._classify(sample), wall_utc, mono, offset)
        elapsed_mono = max(0.0, mono - self._last_mono)
        now = wall_utc if wall_utc >= self._timeline else self._timeline + elapsed_mono
        sample = self._idle_since_call(sample, now)
        new_state = self._classify(sample)
        elapsed = now - self._timeline
        previous_state = self._current.state
        returned = False
        unwatched_from: float | None = None
        if elapsed - elapsed_mono > SUSPEND_SLACK_SECONDS:
            unwatched_from = self._timeline + min(elapsed_mono, TICK_CREDIT_SECONDS)
        elif elapsed > LATE_TICK_SECONDS and (sample.idle_seconds is None or sample.idle_seconds < elapsed):
            unwatched_from = self._timeline + TICK_CREDIT_SECONDS
        self._last_mono = mono
        if unwatched_from is not None:
            self._extend_to(unwatched_from)
            self._switch(ActivityState.SUSPENDED, unwatched_from, offset)
            self._extend_to(now)
            self._floor = now
            returned = True
            if new_state is not ActivityState.SUSPENDED:
                self._switch(new_state, now, offset)
        else:
            self._extend_to(now)
            if new_state is not self._current.state:
                returned = previous_state in (ActivityState.LOCKED, ActivityState.SUSPENDED)
                self._switch(new_state, self._change_point(sample, new_state, now), offset)
        self._timeline = now
        return self._after(previous_state, returned, wall)

    def suspend_now(self) -> Observation:
        """The OS says the machine is about to sleep (logind PrepareForSleep)."""
        previous = self.state
        wall = self.clock.now()
        if self._current is None or previous is ActivityState.SUSPENDED:
            return Observation(previous or ActivityState.SUSPENDED)
        now = max(self._timeline, wall.timestamp())
        self._extend_to(now)
        self._timeline = now
        self._last_mono = self.clock.monotonic()
        self._switch(ActivityState.SUSPENDED, now, utc_offset_minutes(wall))
        self._floor = now
        return self._after(previous, False, wall)

    def note_break_taken(self) -> None:
        """A break was taken from the prompt or the tray: the work counter starts again."""
        self._reset_work(self._timeline)

    def close(self) -> None:
        """Save the open interval as it is now (on quit)."""
        if self._current is not None:
            self._store_current()

    # -- inside ----------------------------------------------------------------------------------------------
    def _idle_since_call(self, sample: Sample, now: float) -> Sample:
        """Listening on a call is work, so idle time starts counting when the call ends, not at the last key."""
        if sample.in_call:
            self._call_seen_at = now
        elif self._call_seen_at is not None and sample.idle_seconds is not None:
            since_call = max(0.0, now - self._call_seen_at)
            if sample.idle_seconds > since_call:
                return replace(sample, idle_seconds=since_call)
        return sample

    def _classify(self, sample: Sample) -> ActivityState:
        if sample.paused:
            return ActivityState.PAUSED
        if sample.locked:
            return ActivityState.LOCKED
        if sample.in_call:
            return ActivityState.ON_CALL
        if sample.idle_seconds is None:
            # The backend cannot tell now: keep what we had rather than invent a change.
            current = self.state
            return current if current is not None and not current.is_away else ActivityState.ACTIVE
        if sample.idle_seconds >= self.thresholds.natural_break_seconds:
            return ActivityState.AWAY
        if sample.idle_seconds >= self.thresholds.idle_after_seconds:
            return ActivityState.IDLE
        return ActivityState.ACTIVE

    def _change_point(self, sample: Sample, new_state: ActivityState, now: float) -> float:
        """When the change happened: the rep's last input, as far back as the open interval allows."""
        if sample.paused or sample.idle_seconds is None:
            return now
        if self.state in (ActivityState.PAUSED, ActivityState.SUSPENDED):
            return now  # the rep's last input may lie inside the pause or the sleep, which must stay as they were
        return now - max(0.0, sample.idle_seconds)

    def _begin(self, state: ActivityState, now: float, mono: float, offset: int) -> Observation:
        clamp_future_activity(self.intervals.store, now)  # an earlier run's clock far ahead must not spoil this one
        latest = self.intervals.latest_end()
        start = max(now, latest) if latest is not None else now  # never overlap what an earlier run stored
        self._timeline = self._floor = self._last_saved = start
        self._last_mono = mono
        self._last_break_end = self.breaks.latest_end()
        self._resume_work_count(latest, start)
        self._current = Interval(state, start, start, offset)
        self._current.id = self.intervals.insert(self._current)
        if state.is_rest:
            self._rest = _Rest(start)
        wall = self.clock.now()
        return self._after(None, False, wall)

    def _resume_work_count(self, latest: float | None, start: float) -> None:
        """After a restart moments ago (a crash, an update), the work since the last break still counts."""
        if latest is None or start - latest >= self.thresholds.natural_break_seconds:
            self._last_break_end = start if latest is not None else self._last_break_end
            return  # off for at least a natural break: that was a break
        since = max(self._last_break_end or float("-inf"), local_day_start_utc(self.clock.now()))
        worked = [i for i in self.intervals.overlapping(since, latest) if i.state.is_work]
        self._work_done = sum(i.seconds_within(since, latest) for i in worked)
        if worked and (self._last_break_end is None or self._last_break_end < since):
            self._last_break_end = max(since, worked[0].start_utc)

    def _extend_to(self, now: float) -> None:
        assert self._current is not None
        self._current.end_utc = max(self._current.end_utc, now)
        if now - self._last_saved >= CHECKPOINT_SECONDS:
            self._store_current()

    def _store_current(self) -> None:
        assert self._current is not None
        self.intervals.save(self._current)
        self._last_saved = self._current.end_utc

    def _switch(self, state: ActivityState, at: float, offset: int) -> None:
        """End the open interval at `at` (clamped to what may still be revised) and open one in `state`."""
        current = self._current
        assert current is not None
        if state is current.state:
            return
        at = min(max(at, current.start_utc, self._floor), current.end_utc)
        if at <= current.start_utc:
            self._relabel(state)
            return
        end = current.end_utc
        current.end_utc = at
        self._store_current()
        self._on_closed(current)
        self._previous = current
        self._current = Interval(state, at, end, offset)
        self._current.id = self.intervals.insert(self._current)
        self._on_opened(self._current)

    def _relabel(self, state: ActivityState) -> None:
        """The whole open interval turned out to be in another state (e.g. no input since it began)."""
        current = self._current
        assert current is not None
        was_work = current.state.is_work
        previous = self._previous
        if previous is not None and previous.state is state and previous.end_utc == current.start_utc:
            # Same state as the interval before: one row, not two.
            previous.end_utc = current.end_utc
            self.intervals.save(previous)
            assert current.id is not None
            self.intervals.delete(current.id)
            self._current, self._previous = previous, None
            self._last_saved = previous.end_utc
            if state.is_work:
                self._work_done = max(0.0, self._work_done - previous.seconds + current.seconds)
        else:
            current.state = state
            self._store_current()
        switched = self._current
        assert switched is not None  # set by the branches above
        if was_work and not state.is_work and self._rest is None:
            self._rest = _Rest(switched.start_utc)
        elif state.is_work and not was_work:
            self._end_rest(switched.start_utc)

    def _on_closed(self, interval: Interval) -> None:
        if interval.state.is_work:
            self._work_done += interval.seconds

    def _on_opened(self, interval: Interval) -> None:
        if interval.state.is_rest:
            if self._rest is None:
                self._rest = _Rest(interval.start_utc)
        elif interval.state.is_work:
            self._end_rest(interval.start_utc)
        else:  # paused: neither work nor rest, and it interrupts a rest stretch
            self._rest = None

    def _end_rest(self, at: float) -> None:
        rest = self._rest
        self._rest = None
        if rest is not None and at - rest.start_utc >= self.thresholds.natural_break_seconds:
            self.breaks.record_natural(rest.start_utc, at, self._current.utc_offset_minutes if self._current else 0)
            self._reset_work(at)

    def _reset_work(self, at: float) -> None:
        self._work_done = 0.0
        self._last_break_end = at
        current = self._current
        if current is not None and current.state.is_work and current.start_utc < at:
            # Only the part of the open interval after the break counts towards the next one.
            self._work_done = -(at - current.start_utc)

    def _after(self, previous: ActivityState | None, returned: bool, wall: datetime) -> Observation:
        current = self._current
        assert current is not None
        observation = Observation(current.state, changed=current.state is not previous, returned=returned)
        rest = self._rest
        if (
            rest is not None
            and not rest.credited
            and self._timeline - rest.start_utc >= self.thresholds.natural_break_seconds
        ):
            rest.credited = True  # long enough: the work counter starts again when the rep comes back
        if previous is not None and current.state.is_away != previous.is_away:
            observation.away_changed = current.state.is_away
        elif previous is None and current.state.is_away:
            observation.away_changed = True
        if current.state.is_work:
            day = local_day_start_utc(wall)
            if self._work_day != day:
                observation.first_activity_of_day = self._work_day is not None or not self._worked_today(day)
                self._work_day = day
                if self._last_break_end is None or self._last_break_end < day:
                    self._last_break_end = max(current.start_utc, day)
        observation.natural_break_ended = bool(previous and previous.is_rest and current.state.is_work)
        return observation

    def _worked_today(self, day_start: float) -> bool:
        return any(
            i.state.is_work and i.id != _id(self._current) for i in self.intervals.overlapping(day_start, float("inf"))
        )


def _id(interval: Interval | None) -> int | None:
    return None if interval is None else interval.id
