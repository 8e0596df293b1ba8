"""The rep's day: when it starts, when the working day or shift ends, and what is due when (the check-in, closing
the day, the journal's auto-lock, the weekly nudge). One working-hours rule serves them all and the break policy.

Working hours are a start and an end on the working days; an end before the start means a shift past midnight
(22:00 to 06:00), which belongs to the day it starts on. The rep's day is not the
calendar day: a night-shift rep's Monday runs from Monday evening into Tuesday morning, so closing the day is offered
after 06:00 on Tuesday, never at 23:00 on Monday, and the check-in at 00:00 is not a new day.

Pure functions of an aware local time and the settings, so the tests step through whole weeks with plain datetimes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from companion.core.i18n import N_, _
from companion.core.settings import WorkSettings

# A rep who starts a little early is already in that day: the check-in belongs to it.
EARLY_ARRIVAL = timedelta(hours=2)
# After the working day or shift ends, closing it stays possible this long (staying late, logging off slowly); past
# that, "closing the day" would land on the next morning.
AFTER_WORK = timedelta(hours=6)
# The journal's auto-lock counts the rep as back once input is this recent (a key press, a mouse move).
PRESENT_IDLE_SECONDS = 60.0


WorkedBetween = Callable[[datetime, datetime], bool]  # was the rep active between these two moments?


@dataclass(frozen=True)
class WorkPeriod:
    """One working day or shift, as aware local datetimes; `end` is on the next day for a shift past midnight."""

    start: datetime
    end: datetime

    @property
    def day(self) -> date:
        """The working day it belongs to: the day it starts on."""
        return self.start.date()

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def opens(self) -> datetime:
        """From when the rep counts as in this day: a little before it starts."""
        return self.start - EARLY_ARRIVAL


def _clock_time(hhmm: str) -> time:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return time(hours, minutes)


def period_starting_on(day: date, work: WorkSettings, moment: datetime) -> WorkPeriod | None:
    """The working day or shift that starts on `day`, in `moment`'s time zone; None when `day` is not a working day."""
    if day.weekday() not in work.work_days:
        return None
    start, end = _clock_time(work.work_start), _clock_time(work.work_end)
    end_day = day + timedelta(days=1) if end < start else day
    return WorkPeriod(
        datetime.combine(day, start, tzinfo=moment.tzinfo), datetime.combine(end_day, end, tzinfo=moment.tzinfo)
    )


def _periods_around(moment: datetime, work: WorkSettings) -> Iterator[WorkPeriod]:
    """The periods that start from two days before `moment` to one day after it, in order."""
    for offset in (-2, -1, 0, 1):
        period = period_starting_on(moment.date() + timedelta(days=offset), work, moment)
        if period is not None:
            yield period


def current_period(moment: datetime, work: WorkSettings) -> WorkPeriod | None:
    """The working day or shift going on at `moment`, if any."""
    return next((period for period in _periods_around(moment, work) if period.contains(moment)), None)


def within_working_hours(moment: datetime, work: WorkSettings) -> bool:
    """Working days and hours; an end before the start means a shift past midnight. The one working-hours rule."""
    return current_period(moment, work) is not None


def last_ended_period(moment: datetime, work: WorkSettings) -> WorkPeriod | None:
    """The most recent working day or shift that had ended by `moment`."""
    ended = [period for period in _periods_around(moment, work) if period.end <= moment]
    return ended[-1] if ended else None


def rep_day_start(moment: datetime, work: WorkSettings) -> datetime:
    """When the rep's current day began, as their working hours see it.

    Inside a working day or shift, or a little before one, or in the hours after one: that period's day (from
    EARLY_ARRIVAL before its start). Otherwise a day off or the hours well away from work: the calendar day, but not
    before the last shift's after-work hours are over (a night-shift rep's morning after is still their shift's day).
    """
    periods = list(_periods_around(moment, work))
    for period in periods:
        if period.opens <= moment < period.end + AFTER_WORK:
            # The earliest such period: a night shift's after-work hours outrank the next shift's early arrival.
            return period.opens
    midnight = datetime.combine(moment.date(), time(), tzinfo=moment.tzinfo)
    ended = [period.end + AFTER_WORK for period in periods if period.end + AFTER_WORK <= moment]
    return max([midnight, *ended])


def checkin_due(moment: datetime, work: WorkSettings, last_checkin: datetime | None) -> bool:
    """The morning check-in, at the first activity of the rep's day: due when they have not checked in since it
    began (the caller asks only while the rep is at the desk, and offers it once)."""
    return last_checkin is None or last_checkin < rep_day_start(moment, work)


GOOD_MORNING, GOOD_AFTERNOON, GOOD_EVENING = N_("Good morning"), N_("Good afternoon"), N_("Good evening")
GREETINGS = (GOOD_MORNING, GOOD_AFTERNOON, GOOD_EVENING)  # the English, as tests look for them


def greeting(moment: datetime) -> str:
    """How the check-in greets the rep at the hour they arrive: 'Good morning' only in the morning."""
    hour = moment.hour
    if 5 <= hour < 12:
        return _(GOOD_MORNING)
    if 12 <= hour < 18:
        return _(GOOD_AFTERNOON)
    return _(GOOD_EVENING)


def closing_due(moment: datetime, work: WorkSettings, worked: WorkedBetween) -> WorkPeriod | None:
    """The working day or shift to close now, or None.

    Closing the day comes after the working day or shift has ended (for 22:00 to 06:00: after 06:00 the next morning,
    never at 23:00), within AFTER_WORK of its end, while no next shift has begun, and only if the rep worked in it:
    `worked(start, end)` says whether there was activity between the two. The caller offers it once per period.
    """
    if current_period(moment, work) is not None:
        return None
    period = last_ended_period(moment, work)
    if period is None or moment >= period.end + AFTER_WORK:
        return None
    return period if worked(period.start, period.end) else None


def auto_lock_due(auto_lock_minutes: int, away_seconds: float, idle_seconds: float | None) -> bool:
    """The journal locks itself when the rep has been away (locked screen, asleep, away from the desk) or has not
    touched keyboard or mouse for the minutes they chose; 0 minutes turns it off."""
    if auto_lock_minutes <= 0:
        return False
    return max(away_seconds, idle_seconds or 0.0) >= auto_lock_minutes * 60


def seconds_until_auto_lock(auto_lock_minutes: int, away_seconds: float, idle_seconds: float | None) -> float | None:
    """How long until `auto_lock_due` turns true if the rep stays away and untouched; None when auto-lock is off."""
    if auto_lock_minutes <= 0:
        return None
    return max(0.0, auto_lock_minutes * 60 - max(away_seconds, idle_seconds or 0.0))


def rep_is_present(idle_seconds: float | None) -> bool:
    """At the desk now: input within the last minute (unknown idle time counts as present: the prompt still waits
    for the gate)."""
    return idle_seconds is None or idle_seconds < PRESENT_IDLE_SECONDS


def last_period_of_week(monday: date, work: WorkSettings, moment: datetime) -> WorkPeriod | None:
    """The last working day or shift of the week that starts on `monday` (the weekly nudge waits for its end)."""
    if not work.work_days:
        return None
    return period_starting_on(monday + timedelta(days=max(work.work_days)), work, moment)
