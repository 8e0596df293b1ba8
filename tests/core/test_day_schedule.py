"""The rep's day through the one working-hours rule: check-in, closing the day, auto-lock and the weekly nudge, for a
day shift and for a night shift. Plain datetimes, no QApplication."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from companion.core.day_schedule import (
    auto_lock_due,
    checkin_due,
    closing_due,
    current_period,
    greeting,
    rep_day_start,
    seconds_until_auto_lock,
    within_working_hours,
)
from companion.core.settings import WorkSettings
from companion.core.summary import nudge_due

ZONE = timezone(timedelta(hours=1))
DAY_SHIFT = replace(WorkSettings(), work_start="09:00", work_end="17:00", work_days=(0, 1, 2, 3, 4))
NIGHT_SHIFT = replace(WorkSettings(), work_start="22:00", work_end="06:00", work_days=(0, 1, 2, 3, 4))


def at(day: int, hhmm: str) -> datetime:
    """Monday 23 November 2026 is day 0."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime(2026, 11, 23 + day, hours, minutes, tzinfo=ZONE)


def always_worked(start: datetime, end: datetime) -> bool:
    return True


def never_worked(start: datetime, end: datetime) -> bool:
    return False


def worked_from(*moments: datetime):
    def worked(start: datetime, end: datetime) -> bool:
        return any(start <= moment < end for moment in moments)

    return worked


# --- closing the day ------------------------------------------------------------------------------------------------


def test_a_night_shift_is_closed_after_six_in_the_morning_never_at_eleven_at_night():
    assert closing_due(at(0, "23:00"), NIGHT_SHIFT, always_worked) is None  # one hour into the shift
    assert closing_due(at(1, "03:00"), NIGHT_SHIFT, always_worked) is None
    assert closing_due(at(1, "05:59"), NIGHT_SHIFT, always_worked) is None
    period = closing_due(at(1, "06:00"), NIGHT_SHIFT, always_worked)
    assert period is not None and (period.start, period.end) == (at(0, "22:00"), at(1, "06:00"))
    assert period.day == at(0, "00:00").date()  # the shift belongs to Monday, the day it started
    assert closing_due(at(1, "09:30"), NIGHT_SHIFT, always_worked) == period
    assert closing_due(at(1, "12:00"), NIGHT_SHIFT, always_worked) is None  # too long after: it is a new day


def test_a_day_shift_is_closed_from_its_end_and_only_on_a_day_with_activity():
    assert closing_due(at(0, "08:00"), DAY_SHIFT, always_worked) is None
    assert closing_due(at(0, "16:59"), DAY_SHIFT, always_worked) is None
    period = closing_due(at(0, "17:00"), DAY_SHIFT, always_worked)
    assert period is not None and (period.start, period.end) == (at(0, "09:00"), at(0, "17:00"))
    assert closing_due(at(0, "17:30"), DAY_SHIFT, never_worked) is None  # a day never worked is not closed
    worked_monday = worked_from(at(0, "10:15"))
    assert closing_due(at(0, "18:00"), DAY_SHIFT, worked_monday) == period
    assert closing_due(at(1, "18:00"), DAY_SHIFT, worked_monday) is None  # Tuesday: no activity in Tuesday's hours


def test_no_closing_on_a_day_off_or_in_the_morning_before_work():
    assert closing_due(at(5, "18:00"), DAY_SHIFT, always_worked) is None  # Saturday
    assert closing_due(at(1, "07:00"), DAY_SHIFT, always_worked) is None  # Monday's hours ended 14 hours ago


def test_the_night_shift_on_friday_is_closed_on_saturday_morning():
    period = closing_due(at(5, "06:30"), NIGHT_SHIFT, always_worked)
    assert period is not None and period.start == at(4, "22:00")


# --- the check-in and the greeting -------------------------------------------------------------------------------


def test_the_check_in_belongs_to_the_shift_not_to_the_calendar_day():
    checked_in = at(0, "21:55")  # five minutes before Monday's night shift
    assert not checkin_due(at(0, "23:30"), NIGHT_SHIFT, checked_in)
    assert not checkin_due(at(1, "00:05"), NIGHT_SHIFT, checked_in)  # midnight is not a new day for this rep
    assert not checkin_due(at(1, "05:00"), NIGHT_SHIFT, checked_in)
    assert not checkin_due(at(1, "08:00"), NIGHT_SHIFT, checked_in)  # the morning after, still Monday's shift
    assert checkin_due(at(1, "21:00"), NIGHT_SHIFT, checked_in)  # Tuesday's shift is near: a new day
    assert rep_day_start(at(1, "03:00"), NIGHT_SHIFT) == at(0, "20:00")


def test_a_day_shift_checks_in_once_a_day_also_when_arriving_early():
    assert checkin_due(at(0, "08:10"), DAY_SHIFT, None)
    checked_in = at(0, "08:10")
    assert not checkin_due(at(0, "09:30"), DAY_SHIFT, checked_in)  # the early check-in counts for the day
    assert not checkin_due(at(0, "20:29"), DAY_SHIFT, checked_in)  # staying late is the same day
    assert checkin_due(at(1, "08:00"), DAY_SHIFT, checked_in)


def test_on_a_day_off_the_calendar_day_is_the_day():
    saturday = at(5, "11:00")
    assert rep_day_start(saturday, DAY_SHIFT) == at(5, "00:00")
    assert checkin_due(saturday, DAY_SHIFT, at(4, "09:00"))
    assert not checkin_due(at(5, "15:00"), DAY_SHIFT, saturday)


def test_the_greeting_follows_the_hour_of_arrival():
    assert greeting(at(0, "08:10")) == "Good morning"
    assert greeting(at(0, "13:00")) == "Good afternoon"
    assert greeting(at(0, "20:29")) == "Good evening"  # never "Good morning" in the evening
    assert greeting(at(1, "01:00")) == "Good evening"


# --- auto-lock -------------------------------------------------------------------------------------------------------


def test_auto_lock_after_the_chosen_minutes_away_or_idle_and_never_when_off():
    assert not auto_lock_due(10, away_seconds=599, idle_seconds=30)
    assert auto_lock_due(10, away_seconds=600, idle_seconds=None)
    assert auto_lock_due(10, away_seconds=0, idle_seconds=600)
    assert not auto_lock_due(0, away_seconds=10_000, idle_seconds=10_000)


# --- the one working-hours rule ------------------------------------------------------------------------------------


def test_working_hours_of_a_night_shift_belong_to_the_day_it_starts():
    assert within_working_hours(at(0, "22:00"), NIGHT_SHIFT)
    assert within_working_hours(at(1, "05:59"), NIGHT_SHIFT)
    assert not within_working_hours(at(1, "06:00"), NIGHT_SHIFT)
    assert within_working_hours(at(5, "02:00"), NIGHT_SHIFT)  # Friday's shift runs into Saturday
    assert not within_working_hours(at(6, "02:00"), NIGHT_SHIFT)  # Saturday started no shift
    assert not within_working_hours(at(0, "02:00"), NIGHT_SHIFT)  # Sunday started no shift


def _old_rule(moment: datetime, work: WorkSettings) -> bool:
    """The comparison of '%H:%M' strings the break policy used before: the schedule must agree with it."""
    clock_time = moment.strftime("%H:%M")
    if work.work_start <= work.work_end:
        return moment.weekday() in work.work_days and work.work_start <= clock_time < work.work_end
    if clock_time >= work.work_start:
        return moment.weekday() in work.work_days
    return (moment.weekday() - 1) % 7 in work.work_days and clock_time < work.work_end


@given(
    minutes=st.integers(0, 14 * 24 * 60 - 1),
    start=st.integers(0, 24 * 60 - 1),
    end=st.integers(0, 24 * 60 - 1),
    days=st.sets(st.integers(0, 6)),
)
def test_the_schedule_agrees_with_the_minute_by_minute_rule(minutes: int, start: int, end: int, days: set[int]):
    work = replace(
        WorkSettings(),
        work_start=f"{start // 60:02d}:{start % 60:02d}",
        work_end=f"{end // 60:02d}:{end % 60:02d}",
        work_days=tuple(sorted(days)),
    )
    moment = at(0, "00:00") + timedelta(minutes=minutes, seconds=30)
    assert within_working_hours(moment, work) is _old_rule(moment, work)
    period = current_period(moment, work)
    assert period is None or period.contains(moment)


# --- the weekly nudge uses the same periods -------------------------------------------------------------------------


def test_the_weekly_nudge_waits_for_the_last_night_shift_to_end():
    assert nudge_due(at(4, "23:00"), NIGHT_SHIFT, None) is None  # Friday night, the shift goes on
    assert str(nudge_due(at(5, "06:00"), NIGHT_SHIFT, None)) == "2026-W48"
    sunday_shifts = replace(NIGHT_SHIFT, work_days=(6,))
    # Sunday's shift ends on Monday morning, in the next ISO week: it is still its own week's last shift.
    assert str(nudge_due(at(7, "06:30"), sunday_shifts, None)) == "2026-W48"
    assert nudge_due(at(7, "06:30"), sunday_shifts, "2026-W48") is None
    assert str(nudge_due(at(4, "17:00"), DAY_SHIFT, None)) == "2026-W48"
    assert nudge_due(at(4, "16:59"), DAY_SHIFT, None) is None


def test_seconds_until_auto_lock_counts_down_what_auto_lock_due_counts_up() -> None:
    assert seconds_until_auto_lock(15, away_seconds=0.0, idle_seconds=None) == 900.0
    assert seconds_until_auto_lock(15, away_seconds=60.0, idle_seconds=300.0) == 600.0  # the longer of the two
    assert seconds_until_auto_lock(15, away_seconds=1000.0, idle_seconds=None) == 0.0  # already due: now
    assert seconds_until_auto_lock(0, away_seconds=1000.0, idle_seconds=1000.0) is None  # turned off
    for away in (0.0, 899.0, 900.0):
        remaining = seconds_until_auto_lock(15, away, None)
        assert remaining is not None
        assert auto_lock_due(15, away + remaining, None) and (remaining == 0 or not auto_lock_due(15, away, None))
