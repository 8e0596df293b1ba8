"""What one tick means: a sample of the OS in, decisions out. The features only turn decisions into widgets.

`ActivitySession` is the activity feature's tick: the tracker records the interval, the prompt gate hears about calls
and returns, the break policy says whether a break is due, and the long-day note comes once. `JournalRhythm` is the
journal's: lock it after the minutes away, offer the check-in at the start of the rep's day and closing the day after
it, each once, through core.day_schedule's one working-hours rule.

Qt-free and clocked by the injected Clock, so tests drive whole days without a QApplication.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from companion.core.activity import ActivityTracker, Observation, Sample
from companion.core.breaks import BreakPolicy, BreakStatus
from companion.core.clock import Clock
from companion.core.day_schedule import (
    WorkedBetween,
    WorkPeriod,
    auto_lock_due,
    checkin_due,
    closing_due,
    rep_day_start,
    rep_is_present,
)
from companion.core.prompt_gate import PromptGate
from companion.core.settings import Settings


@dataclass(frozen=True)
class ActivityDecision:
    """What the activity feature should do after one sample (the interval is already recorded)."""

    observation: Observation
    break_status: BreakStatus
    work_seconds: float  # continuous work since the last break, for the prompt's words
    withdraw_break_prompt: bool  # a natural break happened while the break prompt was up
    daily_notice_seconds: float | None  # today's active time, when the long-day note is due now (once a day)

    @property
    def show_break_prompt(self) -> bool:
        return self.break_status is BreakStatus.PROMPT


class ActivitySession:
    def __init__(self, tracker: ActivityTracker, policy: BreakPolicy, gate: PromptGate) -> None:
        self.tracker = tracker
        self.policy = policy
        self.gate = gate

    def tick(self, sample: Sample, *, tracking: bool, break_prompt_showing: bool) -> ActivityDecision:
        """One sample of idle time, call, lock and pause: record it, then decide."""
        observation = self.tracker.observe(sample)
        self.gate.update_call(sample.in_call)
        return self.decide(observation, tracking=tracking, break_prompt_showing=break_prompt_showing)

    def suspend(self, *, tracking: bool, break_prompt_showing: bool) -> ActivityDecision:
        """The machine is about to sleep."""
        observation = self.tracker.suspend_now()
        return self.decide(observation, tracking=tracking, break_prompt_showing=break_prompt_showing)

    def decide(self, observation: Observation, *, tracking: bool, break_prompt_showing: bool) -> ActivityDecision:
        if observation.returned:
            self.gate.note_return()
        withdraw = (
            break_prompt_showing and self.tracker.continuous_work_seconds() == 0.0 and self.policy.withdraw_prompt()
        )
        work = self.tracker.continuous_work_seconds()
        status = self.policy.evaluate(work, tracking=tracking)
        active_today = self.tracker.totals_today().active_seconds
        notice = active_today if self.policy.daily_notice_due(active_today) else None
        return ActivityDecision(observation, status, work, withdraw, notice)


@dataclass(frozen=True)
class JournalFacts:
    """What the journal's rhythm needs to know at a tick, gathered by the feature from its journal and backends."""

    unlocked: bool
    away_seconds: float  # how long the rep has been away (locked, asleep, away from the desk); 0 when here
    idle_seconds: float | None  # since the last key press or mouse move; None when the desktop cannot tell
    last_checkin: datetime | None
    last_closing: datetime | None
    worked: WorkedBetween  # was the rep active between two moments (closing the day asks)


@dataclass(frozen=True)
class JournalDecision:
    lock: bool = False
    offer_checkin: bool = False
    offer_closing: WorkPeriod | None = None
    checkin_withdrawn: bool = False  # a check-in offer still waiting is no longer wanted (done, or turned off)


class JournalRhythm:
    """The journal's day: auto-lock, the check-in once per rep's day, closing once per working day or shift."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.checkin_offered_for: datetime | None = None  # the start of the rep's day last offered a check-in
        self.closing_offered_for: date | None = None  # the working day (or shift) last offered its closing

    def decide(self, settings: Settings, facts: JournalFacts) -> JournalDecision:
        now = self._clock.now()
        lock = facts.unlocked and auto_lock_due(
            settings.privacy.auto_lock_minutes, facts.away_seconds, facts.idle_seconds
        )
        offer_checkin, withdrawn = self._checkin(now, settings, facts)
        return JournalDecision(lock, offer_checkin, self._closing(now, settings, facts), withdrawn)

    def welcomed(self, settings: Settings) -> None:
        """The first start is a welcome, not a "Good morning": no check-in and no closing prompt on the rep's day it
        happens (a closing for a day the rep never worked with Companion)."""
        day_start = rep_day_start(self._clock.now(), settings.work)
        self.checkin_offered_for = day_start
        self.closing_offered_for = day_start.date()  # the working day that starts in it

    def _checkin(self, now: datetime, settings: Settings, facts: JournalFacts) -> tuple[bool, bool]:
        if not settings.checkins.morning_checkin or not checkin_due(now, settings.work, facts.last_checkin):
            return False, True
        day_start = rep_day_start(now, settings.work)
        if self.checkin_offered_for == day_start or not rep_is_present(facts.idle_seconds):
            return False, False
        self.checkin_offered_for = day_start
        return True, False

    def _closing(self, now: datetime, settings: Settings, facts: JournalFacts) -> WorkPeriod | None:
        if not settings.checkins.end_of_day_ritual:
            return None
        period = closing_due(now, settings.work, facts.worked)
        if period is None or self.closing_offered_for == period.day:
            return None
        if facts.last_closing is not None and facts.last_closing >= period.start:
            return None  # closed already (from the tray, or an earlier offer)
        self.closing_offered_for = period.day
        return period
