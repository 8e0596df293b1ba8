"""The session-time schedule for desktops without system-wide idle time, driven by a fake clock through the real
tracker and break policy: work counts from the session, a "still at it?" check comes, and an unanswered check or
"I was away" becomes a natural break instead of work."""

from __future__ import annotations

from companion.core.activity import ActivityTracker, Sample, Thresholds
from companion.core.activity_records import ActivityState, BreakLog, IntervalRepository
from companion.core.breaks import BreakPolicy, BreakStatus
from companion.core.clock import FakeClock
from companion.core.prompt_gate import PromptGate
from companion.core.session_presence import (
    ANSWER_WITHIN_SECONDS,
    CHECK_EVERY_SECONDS,
    PresenceAnswer,
    SessionPresence,
)
from companion.core.settings import WorkSettings
from companion.core.store import Store

TICK = 10.0


class Session:
    """The activity feature's tick with a session presence in front of the tracker, as on a desktop without idle."""

    def __init__(self, store: Store, clock: FakeClock) -> None:
        self.clock = clock
        self.presence = SessionPresence(clock)
        log = BreakLog(store)
        self.tracker = ActivityTracker(clock, IntervalRepository(store), log, Thresholds(120.0, 300.0))
        work = WorkSettings(work_days=tuple(range(7)), work_start="00:00", work_end="23:59")
        self.policy = BreakPolicy(work, clock, PromptGate(clock), log)
        self.own_windows_idle: float | None = 10_000.0  # the rep never touches Companion's windows
        self.checks = 0

    def run(self, seconds: float) -> BreakStatus:
        status = BreakStatus.NOT_DUE
        for _ in range(int(seconds / TICK)):
            self.clock.advance(TICK)
            if self.own_windows_idle is not None:
                self.own_windows_idle += TICK
            self.tracker.observe(Sample(self.presence.idle_seconds(self.own_windows_idle)))
            if self.presence.check_due():
                self.presence.check_shown()
                self.checks += 1
            status = self.policy.evaluate(self.tracker.continuous_work_seconds())
            if status is BreakStatus.PROMPT:
                return status
        return status


def test_work_counts_from_the_session_and_the_break_comes_due(store: Store, clock: FakeClock) -> None:
    session = Session(store, clock)
    interval = session.policy.work.break_interval_minutes * 60
    session.run(CHECK_EVERY_SECONDS)
    assert session.checks == 1 and session.presence.checking
    session.presence.answer(PresenceAnswer.STILL_HERE)
    assert session.run(interval) is BreakStatus.PROMPT
    assert session.tracker.state is ActivityState.ACTIVE
    assert session.tracker.continuous_work_seconds() >= interval


def test_an_unanswered_check_is_a_natural_break_from_the_moment_it_was_shown(store: Store, clock: FakeClock) -> None:
    session = Session(store, clock)
    session.run(CHECK_EVERY_SECONDS)
    shown_at = clock.now().timestamp()
    session.run(ANSWER_WITHIN_SECONDS + 400)
    assert session.presence.presumed_away and session.tracker.state is ActivityState.AWAY
    assert session.tracker.continuous_work_seconds() == 0.0  # the absence is a natural break
    assert session.checks == 1  # no new check while presumed away
    away = [i for i in session.tracker.intervals.all() if i.state is not ActivityState.ACTIVE]
    assert abs(min(i.start_utc for i in away) - shown_at) <= TICK  # back-dated to the check, not to its timeout
    session.presence.answer(PresenceAnswer.STILL_HERE)  # back: the check was still on screen
    session.run(TICK)
    assert session.tracker.state is ActivityState.ACTIVE and not session.presence.presumed_away


def test_i_was_away_records_the_absence_since_last_seen(store: Store, clock: FakeClock) -> None:
    session = Session(store, clock)
    session.run(CHECK_EVERY_SECONDS)
    session.presence.answer(PresenceAnswer.WAS_AWAY)
    session.run(TICK)
    assert session.tracker.state is ActivityState.AWAY  # back-dated to the session start, the last time seen
    session.run(TICK)
    assert session.tracker.state is ActivityState.ACTIVE
    assert session.tracker.continuous_work_seconds() <= 2 * TICK


def test_input_in_companions_windows_counts_as_being_seen(store: Store, clock: FakeClock) -> None:
    session = Session(store, clock)
    session.run(CHECK_EVERY_SECONDS - 60)
    session.own_windows_idle = 0.0  # the rep typed a journal entry
    session.run(CHECK_EVERY_SECONDS - 60)
    assert session.checks == 0
