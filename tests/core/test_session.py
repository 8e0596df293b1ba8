"""One tick as a decision: samples in, decisions out, for whole days on the fake clock and a real SQLite file; and
the journal's rhythm (auto-lock, check-in, closing the day) for a day shift and a night shift. No QApplication."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from companion.core.activity import ActivityTracker, Sample, Thresholds
from companion.core.activity_records import BreakLog, IntervalRepository
from companion.core.breaks import Answer, BreakPolicy, BreakStatus
from companion.core.clock import FakeClock
from companion.core.prompt_gate import CALL_GRACE_SECONDS, PromptGate
from companion.core.session import ActivitySession, JournalFacts, JournalRhythm
from companion.core.settings import Settings, WorkSettings
from companion.core.store import Store

TICK = 10.0


def session_for(store: Store, clock: FakeClock, work: WorkSettings) -> ActivitySession:
    log = BreakLog(store)
    gate = PromptGate(clock)
    tracker = ActivityTracker(clock, IntervalRepository(store), log, Thresholds(120, work.natural_break_minutes * 60))
    return ActivitySession(tracker, BreakPolicy(work, clock, gate, log), gate)


def test_a_morning_of_ticks_gives_one_break_prompt_then_waits_through_a_call(store: Store):
    clock = FakeClock(datetime(2026, 11, 23, 9, 0))
    session = session_for(store, clock, WorkSettings())
    first = session.tick(Sample(0.0), tracking=True, break_prompt_showing=False)
    assert first.observation.first_activity_of_day and first.break_status is BreakStatus.NOT_DUE
    decisions = []
    for _ in range(int(50 * 60 / TICK)):
        clock.advance(TICK)
        decisions.append(session.tick(Sample(0.0, in_call=True), tracking=True, break_prompt_showing=False))
    assert decisions[-1].break_status is BreakStatus.WAITING  # due, but the rep is on a call
    clock.advance(TICK)
    after_call = session.tick(Sample(0.0), tracking=True, break_prompt_showing=False)
    assert after_call.break_status is BreakStatus.WAITING  # the grace after a call
    clock.advance(CALL_GRACE_SECONDS)
    due = session.tick(Sample(0.0), tracking=True, break_prompt_showing=False)
    assert due.show_break_prompt and due.work_seconds >= 50 * 60
    assert [d.show_break_prompt for d in decisions].count(True) == 0
    clock.advance(TICK)
    assert session.tick(Sample(0.0), tracking=True, break_prompt_showing=True).break_status is BreakStatus.PROMPTING
    session.policy.answer(Answer.SKIP, session.tracker.continuous_work_seconds())
    assert IntervalRepository(store).worked_between(clock.now() - timedelta(hours=1), clock.now())


def test_a_natural_break_while_the_prompt_is_up_withdraws_it(store: Store):
    clock = FakeClock(datetime(2026, 11, 23, 9, 0))
    session = session_for(store, clock, WorkSettings())
    decision = session.tick(Sample(0.0), tracking=True, break_prompt_showing=False)
    while not decision.show_break_prompt:
        clock.advance(TICK)
        decision = session.tick(Sample(0.0), tracking=True, break_prompt_showing=False)
    idle = 0.0
    withdrawn = False
    for _ in range(int(6 * 60 / TICK)):
        clock.advance(TICK)
        idle += TICK
        withdrawn = session.tick(Sample(idle), tracking=True, break_prompt_showing=True).withdraw_break_prompt
        if withdrawn:
            break
    assert withdrawn  # the rep walked away for the natural-break minutes: nothing left to ask


def test_the_long_day_note_comes_once(store: Store):
    clock = FakeClock(datetime(2026, 11, 23, 9, 0))
    session = session_for(store, clock, replace(WorkSettings(), daily_notice_hours=0.5, break_interval_minutes=240))
    notices = []
    for _ in range(int(45 * 60 / TICK)):
        clock.advance(TICK)
        notices.append(session.tick(Sample(0.0), tracking=True, break_prompt_showing=False).daily_notice_seconds)
    given = [seconds for seconds in notices if seconds is not None]
    assert len(given) == 1 and given[0] >= 30 * 60


def test_a_pause_stops_breaks_being_due(store: Store):
    clock = FakeClock(datetime(2026, 11, 23, 9, 0))
    session = session_for(store, clock, WorkSettings())
    statuses = set()
    for _ in range(int(60 * 60 / TICK)):
        clock.advance(TICK)
        statuses.add(session.tick(Sample(0.0, paused=True), tracking=False, break_prompt_showing=False).break_status)
    assert statuses == {BreakStatus.NOT_DUE}


# --- the journal's rhythm --------------------------------------------------------------------------------------------

NIGHT = replace(Settings(), work=replace(WorkSettings(), work_start="22:00", work_end="06:00"))


def facts(**changes: object) -> JournalFacts:
    base = JournalFacts(True, 0.0, 0.0, None, None, lambda start, end: True)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_night_shift_checks_in_once_and_closes_after_six_never_at_eleven():
    clock = FakeClock(datetime(2026, 11, 23, 21, 50))  # Monday, ten minutes before the shift
    rhythm = JournalRhythm(clock)
    first = rhythm.decide(NIGHT, facts())
    assert first.offer_checkin and first.offer_closing is None
    checked_in = clock.now()
    clock.advance(70 * 60)  # 23:00
    at_eleven = rhythm.decide(NIGHT, facts(last_checkin=checked_in))
    assert not at_eleven.offer_checkin and at_eleven.offer_closing is None
    clock.advance(70 * 60)  # 00:10 Tuesday: the calendar's new day, not the rep's
    assert not rhythm.decide(NIGHT, facts(last_checkin=checked_in)).offer_checkin
    clock.advance(6 * 3600)  # 06:10
    closing = rhythm.decide(NIGHT, facts(last_checkin=checked_in)).offer_closing
    assert closing is not None and closing.start == datetime(2026, 11, 23, 22, 0).astimezone(closing.start.tzinfo)
    clock.advance(60)
    assert rhythm.decide(NIGHT, facts(last_checkin=checked_in)).offer_closing is None  # once


def test_no_closing_for_a_day_never_worked_and_none_after_closing_from_the_tray():
    clock = FakeClock(datetime(2026, 11, 23, 17, 45))
    rhythm = JournalRhythm(clock)
    assert rhythm.decide(Settings(), facts(worked=lambda start, end: False)).offer_closing is None
    closed = clock.now() - timedelta(minutes=5)
    assert rhythm.decide(Settings(), facts(last_closing=closed)).offer_closing is None
    assert rhythm.decide(Settings(), facts()).offer_closing is not None


def test_auto_lock_and_a_check_in_only_when_the_rep_is_at_the_desk():
    clock = FakeClock(datetime(2026, 11, 23, 9, 0))
    rhythm = JournalRhythm(clock)
    minutes = Settings().privacy.auto_lock_minutes
    assert rhythm.decide(Settings(), facts(away_seconds=minutes * 60)).lock
    assert not rhythm.decide(Settings(), facts(unlocked=False, away_seconds=minutes * 60)).lock
    rhythm = JournalRhythm(clock)
    away = rhythm.decide(Settings(), facts(idle_seconds=600.0))
    assert not away.offer_checkin and not away.checkin_withdrawn  # waits for the rep to come back
    assert rhythm.decide(Settings(), facts(idle_seconds=2.0)).offer_checkin
    off = replace(Settings(), checkins=replace(Settings().checkins, morning_checkin=False))
    assert rhythm.decide(off, facts()).checkin_withdrawn


def test_the_welcome_day_has_no_check_in_and_no_closing_but_the_next_day_does():
    clock = FakeClock(datetime(2026, 11, 23, 10, 0))  # Monday: Companion is set up mid-morning
    rhythm = JournalRhythm(clock)
    rhythm.welcomed(Settings())
    assert not rhythm.decide(Settings(), facts()).offer_checkin
    clock.advance(8 * 3600)  # 18:00, the working day over and worked
    assert rhythm.decide(Settings(), facts()).offer_closing is None
    clock.advance(15 * 3600)  # 09:00 Tuesday
    assert rhythm.decide(Settings(), facts()).offer_checkin
