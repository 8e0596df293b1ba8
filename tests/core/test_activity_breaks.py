"""Break policy with the fake clock, driven by the real tracker on a real SQLite file."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from companion.core.activity import ActivityTracker, Sample, Thresholds
from companion.core.activity_records import BreakLog, IntervalRepository
from companion.core.breaks import Answer, BreakPolicy, BreakStatus
from companion.core.clock import FakeClock
from companion.core.day_schedule import within_working_hours
from companion.core.prompt_gate import CALL_GRACE_SECONDS, RETURN_QUIET_SECONDS, PromptGate
from companion.core.settings import WorkSettings
from companion.core.store import Store

TICK = 10.0
MONDAY_9 = datetime(2026, 11, 23, 9, 0)


class Day:
    """A rep's day: the tracker, the gate and the policy wired as the app wires them, stepped tick by tick."""

    def __init__(self, store: Store, work: WorkSettings | None = None, start: datetime = MONDAY_9) -> None:
        self.work = work or WorkSettings()
        self.clock = FakeClock(start)
        self.gate = PromptGate(self.clock)
        self.log = BreakLog(store)
        self.tracker = ActivityTracker(
            self.clock, IntervalRepository(store), self.log, Thresholds(120, self.work.natural_break_minutes * 60)
        )
        self.policy = BreakPolicy(self.work, self.clock, self.gate, self.log)
        self.idle = 0.0
        self.in_call = False
        self.statuses: list[BreakStatus] = []
        self.tick(Sample(0.0))

    def tick(self, sample: Sample) -> BreakStatus:
        observation = self.tracker.observe(sample)
        self.gate.update_call(sample.in_call)
        if observation.returned:
            self.gate.note_return()
        status = self.policy.evaluate(self.tracker.continuous_work_seconds())
        self.statuses.append(status)
        return status

    def step(self, seconds: float, *, typing: bool = True, in_call: bool = False) -> BreakStatus:
        """Let `seconds` pass; returns the last status and stops early at a prompt."""
        status = BreakStatus.NOT_DUE
        for _ in range(int(seconds // TICK)):
            self.clock.advance(TICK)
            self.idle = 0.0 if typing else self.idle + TICK
            status = self.tick(Sample(self.idle, in_call=in_call))
            if status is BreakStatus.PROMPT:
                break
        return status

    def minutes_until_prompt(self, limit_minutes: float = 300, **kwargs: bool) -> float:
        start = self.clock.monotonic()
        while self.clock.monotonic() - start < limit_minutes * 60:
            if self.step(TICK, **kwargs) is BreakStatus.PROMPT:
                return (self.clock.monotonic() - start) / 60
        raise AssertionError(f"no prompt within {limit_minutes} min; last {self.statuses[-1]}")


def test_a_break_falls_due_after_the_interval_of_continuous_work(store: Store) -> None:
    day = Day(store)
    assert day.minutes_until_prompt() == pytest.approx(day.work.break_interval_minutes, abs=TICK / 60)
    assert day.step(TICK) is BreakStatus.PROMPTING  # one prompt, not one per tick
    assert BreakLog(store).rows()[0]["kind"] == "prompted"


def test_a_natural_break_resets_the_counter(store: Store) -> None:
    day = Day(store)
    day.step(45 * 60)
    day.step(day.work.natural_break_minutes * 60 + TICK, typing=False)
    day.step(45 * 60)
    assert BreakStatus.PROMPT not in day.statuses
    assert day.minutes_until_prompt() == pytest.approx(5, abs=0.5)
    assert day.tracker.totals_today().breaks == 1


def test_a_short_pause_does_not_reset_the_counter(store: Store) -> None:
    day = Day(store)
    day.step(40 * 60)
    day.step(3 * 60, typing=False)  # idle, but shorter than a natural break
    # Idle time is not work: the prompt comes after 50 minutes of work, not 50 minutes since the start.
    assert day.minutes_until_prompt() == pytest.approx(10 + 10 / 60, abs=0.5)


def test_postpone_brings_the_prompt_back_and_has_a_daily_limit(store: Store) -> None:
    work = replace(WorkSettings(), postpone_limit_per_day=2, postpone_minutes=5)
    day = Day(store, work)
    day.minutes_until_prompt()
    for _ in range(2):
        assert day.policy.answer(Answer.POSTPONE, day.tracker.continuous_work_seconds()) is Answer.POSTPONE
        assert day.minutes_until_prompt() == pytest.approx(5, abs=TICK / 60)
    assert day.policy.postpones_left == 0
    # The third "in 5 min" is past the limit: it counts as a skip, and the next prompt is a full interval away.
    assert day.policy.answer(Answer.POSTPONE, day.tracker.continuous_work_seconds()) is Answer.SKIP
    assert day.minutes_until_prompt() == pytest.approx(work.break_interval_minutes, abs=TICK / 60)
    responses = [row["response"] for row in BreakLog(store).rows()]
    assert responses == ["postponed", "postponed", "skipped", None]


def test_the_postpone_limit_starts_again_the_next_day(store: Store) -> None:
    work = replace(WorkSettings(), postpone_limit_per_day=1, work_days=(0, 1, 2, 3, 4, 5, 6))
    day = Day(store, work, start=datetime(2026, 11, 23, 16, 0))
    day.minutes_until_prompt()
    day.policy.answer(Answer.POSTPONE, day.tracker.continuous_work_seconds())
    assert day.policy.postpones_left == 0
    day.clock.advance(18 * 3600)
    assert day.policy.postpones_left == 1


def test_a_prompt_that_falls_due_during_a_call_waits_for_the_call_to_end_and_a_grace(store: Store) -> None:
    day = Day(store)
    day.step(45 * 60)
    assert day.step(20 * 60, typing=False, in_call=True) is BreakStatus.WAITING
    assert BreakStatus.PROMPT not in day.statuses
    waited = day.minutes_until_prompt()
    assert waited * 60 == pytest.approx(CALL_GRACE_SECONDS + TICK, abs=TICK)


def test_no_prompt_right_after_resume(store: Store) -> None:
    day = Day(store)
    day.step(49 * 60 + 50)
    day.clock.sleep_machine(60)  # a one-minute sleep: not a natural break, but the rep just came back
    assert day.tick(Sample(0.0)) is BreakStatus.NOT_DUE
    # Due ten seconds later, but the gate keeps quiet for a minute after the resume.
    waited = day.minutes_until_prompt()
    assert day.statuses.count(BreakStatus.WAITING) == RETURN_QUIET_SECONDS // TICK - 1
    assert waited * 60 == pytest.approx(RETURN_QUIET_SECONDS, abs=TICK)


def test_no_prompt_outside_working_hours(store: Store) -> None:
    day = Day(store, start=datetime(2026, 11, 23, 17, 0))
    assert day.step(90 * 60) is BreakStatus.NOT_DUE
    assert BreakStatus.PROMPT not in day.statuses


def test_a_started_break_is_recorded_and_resets_the_schedule(store: Store) -> None:
    day = Day(store)
    day.minutes_until_prompt()
    day.policy.answer(Answer.START, day.tracker.continuous_work_seconds())
    assert day.step(TICK) is BreakStatus.ON_BREAK
    day.clock.advance(day.work.break_length_minutes * 60)
    day.policy.finish_break(completed=True)
    day.tracker.note_break_taken()
    assert day.minutes_until_prompt() == pytest.approx(day.work.break_interval_minutes, abs=TICK / 60)
    first = BreakLog(store).rows()[0]
    assert (first["response"], first["completed"]) == ("started", 1)
    assert first["ended_utc"] - first["started_utc"] == pytest.approx(day.work.break_length_minutes * 60 + TICK)
    assert day.tracker.totals_today().breaks == 1


def test_a_manual_break_ended_early_is_recorded_as_not_completed(store: Store) -> None:
    day = Day(store)
    day.step(10 * 60)
    assert day.policy.start_manual()
    assert not day.policy.start_manual()  # one break at a time
    day.clock.advance(60)
    day.policy.finish_break(completed=False)
    row = BreakLog(store).rows()[0]
    assert (row["kind"], row["response"], row["completed"]) == ("manual", "started", 0)


def test_the_daily_active_time_notice_comes_once(store: Store) -> None:
    work = replace(WorkSettings(), daily_notice_hours=1.0)
    day = Day(store, work)
    assert not day.policy.daily_notice_due(59 * 60)
    assert day.policy.daily_notice_due(3600)
    assert not day.policy.daily_notice_due(2 * 3600)


@pytest.mark.parametrize(
    ("moment", "start", "end", "expected"),
    [
        (datetime(2026, 11, 23, 8, 59), "09:00", "17:30", False),
        (datetime(2026, 11, 23, 9, 0), "09:00", "17:30", True),
        (datetime(2026, 11, 23, 17, 30), "09:00", "17:30", False),
        (datetime(2026, 11, 28, 10, 0), "09:00", "17:30", False),  # a Saturday
        (datetime(2026, 11, 23, 23, 0), "22:00", "06:00", True),  # a night shift starting Monday
        (datetime(2026, 11, 24, 5, 0), "22:00", "06:00", True),  # the same shift after midnight
        (datetime(2026, 11, 23, 5, 0), "22:00", "06:00", False),  # Monday 05:00 belongs to Sunday's shift
    ],
)
def test_working_hours(moment: datetime, start: str, end: str, expected: bool) -> None:
    assert within_working_hours(moment, replace(WorkSettings(), work_start=start, work_end=end)) is expected


def test_walking_away_during_a_started_break_is_one_break_not_two(store: Store) -> None:
    day = Day(store)
    day.step(20 * 60)
    day.policy.start_manual()
    day.step(7 * 60, typing=False)  # long enough to be a natural break as well
    day.policy.finish_break(completed=True)
    day.tracker.note_break_taken()
    day.step(60)
    kinds = sorted(row["kind"] for row in BreakLog(store).rows())
    assert kinds == ["manual", "natural"]
    assert day.tracker.totals_today().breaks == 1
