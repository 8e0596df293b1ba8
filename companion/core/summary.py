"""The weekly summary: what the store holds for one ISO week (Monday to Sunday, as the rep lived it), as plain data.

Records are assigned to local days with their own UTC offset, so a DST week, travel or a week across New Year
count each day as it was lived. Sealed content (categories, tensions, moods, intentions, highlights) is read only
through an unlocked Vault; while it is locked those figures are None and the summary says so plainly.

The week and its local days live in core/summary_week.py, what the rows say per day in core/summary_figures.py and
the comparison with the week before in core/summary_compare.py; this module puts them together into a
WeeklySummary and says the week's sentences.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from companion.core import summary_store as rows
from companion.core.clock import Clock
from companion.core.crypto import Vault
from companion.core.day_schedule import last_period_of_week
from companion.core.i18n import N_, _, ngettext
from companion.core.settings import WorkSettings
from companion.core.store import Store
from companion.core.summary_compare import Change, compare_weeks
from companion.core.summary_figures import (
    DayFigures,
    Event,
    Helper,
    SealedReader,
    add_activity,
    cooldown_figures,
    journal_figures,
    rough_call_figures,
    week_events,
)
from companion.core.summary_week import IsoWeek, local_day, week_window_utc
from companion.core.text import date_text, decimal_text, format_duration, time_text

log = logging.getLogger(__name__)

TREND_MIN_DAYS = 3  # fewer days of check-ins than this is not a trend yet
FOOTER = N_("Made on this device. Nobody else can see it unless you share it.")


@dataclass
class WeeklySummary:
    week: IsoWeek
    made_at: datetime
    days: list[DayFigures]
    locked: bool  # the journal was locked: sealed figures are None
    rough_calls_by_category: dict[str, int] | None
    rough_calls_by_time_of_day: dict[str, int]
    rough_calls_followed_by_cooldown: int
    tension_before: float | None
    tension_after: float | None
    tension_change: float | None  # average of (after - before) over cooldowns rated both times; negative is easier
    rated_cooldowns: int
    best_pattern: Helper | None
    best_preset: Helper | None
    checkin_days: int | None
    mood_high: int | None
    mood_low: int | None
    mood_average: float | None
    energy_high: int | None
    energy_low: int | None
    energy_average: float | None
    wins: int
    gratitude: int
    intentions: int | None
    highlights: list[tuple[date, str, str]] | None  # (day, "win"/"gratitude", words); None unless asked and unlocked
    highlights_asked: bool = False
    changes: list[Change] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    footer: str = field(default_factory=lambda: _(FOOTER))  # made when the summary is: in the rep's language
    unreadable_records: int = 0  # sealed records (notes, reflections, check-ins) whose stored copy is damaged

    # Week totals, so every renderer says the same numbers.
    def total(self, measure: str) -> float:
        return float(sum(getattr(day, measure) for day in self.days))

    @property
    def rough_calls(self) -> int:
        return int(self.total("rough_calls"))

    @property
    def breaks_taken(self) -> int:
        return int(self.total("breaks_taken"))

    @property
    def has_activity(self) -> bool:
        return self.total("working_seconds") > 0

    @property
    def has_any_data(self) -> bool:
        return (
            self.has_activity
            or self.rough_calls > 0
            or self.total("cooldowns_offered") > 0
            or self.wins + self.gratitude > 0
            or bool(self.checkin_days)
            or self.breaks_taken + self.total("postponed") + self.total("skipped") > 0
        )

    @property
    def longest_stretch_seconds(self) -> float:
        return max(day.longest_stretch_seconds for day in self.days)

    @property
    def title(self) -> str:
        return _("Your week in review: {span} ({week})").format(span=self.week.span_text(), week=self.week)

    def trend_note(self) -> str | None:
        """Said instead of a trend line when there is too little to show one."""
        if self.locked:
            return _("Unlock your journal to see your mood and energy through the week.")
        days = self.checkin_days or 0
        if days >= TREND_MIN_DAYS:
            return None
        more = TREND_MIN_DAYS - days
        if days == 0:
            return _("No check-ins this week. A few days of check-ins will show how your week went.")
        return ngettext(
            "{count} more day of check-ins will show a trend.",
            "{count} more days of check-ins will show a trend.",
            more,
        ).format(count=more)


def made_text(moment: datetime) -> str:
    return _("Made {date} at {time}.").format(date=date_text(moment.date(), weekday=True), time=time_text(moment))


def build_summary(
    store: Store,
    week: IsoWeek,
    clock: Clock,
    vault: Vault | None = None,
    *,
    include_highlights: bool = False,
    compare: bool = True,
    events: bool = False,
) -> WeeklySummary:
    """Everything the store knows about `week`; with `compare`, also how it differs from the week before, and with
    `events`, each plain event of the week (for the events CSV)."""
    vault = vault if vault is not None and vault.is_unlocked else None
    days = {day: DayFigures(day) for day in week.days}
    start, end = week_window_utc(week)
    breaks = rows.breaks_between(store, start, end)
    add_activity(days, rows.intervals_between(store, start, end), breaks)
    sealed = SealedReader(vault)
    calls = [
        row
        for row in rows.rough_calls_between(store, start, end)
        if local_day(row.at_utc, row.utc_offset_minutes) in days
    ]
    cooldowns = [
        row
        for row in rows.cooldowns_between(store, start, end)
        if local_day(row.offered_utc, row.utc_offset_minutes) in days
    ]
    journal = [
        row
        for row in rows.journal_between(store, start, end)
        if local_day(row.created_utc, row.utc_offset_minutes) in days
    ]
    summary = WeeklySummary(
        week=week,
        made_at=clock.now(),
        days=list(days.values()),
        locked=vault is None,
        **rough_call_figures(days, calls, cooldowns, sealed),
        **cooldown_figures(days, cooldowns, sealed),
        **journal_figures(days, journal, sealed, include_highlights),
    )
    summary.highlights_asked = include_highlights
    if events:
        summary.events = week_events(days, calls, breaks, cooldowns)
    if sealed.damaged:
        log.warning("summary %s: %d sealed records could not be opened", week, sealed.damaged)
        summary.unreadable_records = sealed.damaged
    if compare:
        previous = build_summary(store, week.previous(), clock, vault, compare=False)
        summary.changes = compare_weeks(previous, summary) if previous.has_any_data else []
    summary.sentences = kind_sentences(summary)
    return summary


def unrested_sentence(summary: WeeklySummary) -> str:
    """'1 more break ran while you kept working, so it is not counted.' or nothing.

    Breaks closed early are counted as skipped in the totals line; only worked-through ones need a word here."""
    worked = int(summary.total("interrupted_breaks"))
    if not worked:
        return ""
    return ngettext(
        "{count} more break ran while you kept working, so it is not counted.",
        "{count} more breaks ran while you kept working, so they are not counted.",
        worked,
    ).format(count=worked)


def _then(sentence: str, more: str) -> str:
    """Two whole sentences as one paragraph."""
    return f"{sentence} {more}" if more else sentence


def kind_sentences(summary: WeeklySummary) -> list[str]:
    """One or two plain, kind sentences about the week. Observations only, never a diagnosis."""
    if not summary.has_any_data:
        return [_("Nothing was recorded this week. When Companion runs on your work days, your week will show here.")]
    sentences = []
    calls = summary.rough_calls
    if calls:
        followed = summary.rough_calls_followed_by_cooldown
        change = summary.tension_change
        if change is not None and change <= -0.05:
            sentence = ngettext(
                "You took a cooldown after {followed} of {count} rough call; "
                "your tension fell by {points} points on average.",
                "You took a cooldown after {followed} of {count} rough calls; "
                "your tension fell by {points} points on average.",
                calls,
            ).format(followed=followed, count=calls, points=decimal_text(-change))
        else:
            sentence = ngettext(
                "You took a cooldown after {followed} of {count} rough call.",
                "You took a cooldown after {followed} of {count} rough calls.",
                calls,
            ).format(followed=followed, count=calls)
        sentences.append(sentence)
    elif summary.has_activity:
        sentences.append(_("No rough calls were tagged this week."))
    stretch = format_duration(summary.longest_stretch_seconds)
    if summary.breaks_taken:
        stepped = ngettext(
            "You stepped away for {count} break; your longest stretch without one was {stretch}.",
            "You stepped away for {count} breaks; your longest stretch without one was {stretch}.",
            summary.breaks_taken,
        ).format(count=summary.breaks_taken, stretch=stretch)
        sentences.append(_then(stepped, unrested_sentence(summary)))
    elif summary.has_activity:
        none_taken = _(
            "No breaks were recorded; your longest stretch was {stretch}. "
            "A few minutes away now and then can make the long days lighter."
        ).format(stretch=stretch)
        sentences.append(_then(none_taken, unrested_sentence(summary)))
    return sentences[:2]


def nudge_due(now: datetime, work: WorkSettings, last_nudged_week: str | None) -> IsoWeek | None:
    """The week to nudge about, once the last working day (or shift) of the week has ended; else None.

    Also later in the week: a rep who closed the laptop early on Friday hears about it on Saturday. A night shift
    that starts on the week's last day and ends in the next week is still its week's last shift.
    """
    this_week = IsoWeek.of(now.date())
    for week in (this_week, this_week.previous()):
        last = last_period_of_week(week.monday, work, now)
        if last is None or now < last.end or (week != this_week and last.end.date() < this_week.monday):
            continue
        return None if str(week) == last_nudged_week else week
    return None
