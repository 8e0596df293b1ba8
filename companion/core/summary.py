"""The weekly summary: what the store holds for one ISO week (Monday to Sunday, as the rep lived it), as plain data.

Records are assigned to local days with their own UTC offset, so a DST week, travel or a week across New Year
count each day as it was lived. Sealed content (categories, tensions, moods, intentions, highlights) is read only
through an unlocked Vault; while it is locked those figures are None and the summary says so plainly.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from companion.core import i18n, locale_format
from companion.core import summary_store as rows
from companion.core.clock import Clock
from companion.core.crypto import Vault
from companion.core.day_schedule import last_period_of_week
from companion.core.errors import CompanionError, ExportError
from companion.core.i18n import N_, _, ngettext
from companion.core.settings import WorkSettings
from companion.core.store import Store
from companion.core.text import MONTH_NAMES, WEEKDAY_NAMES, date_text, decimal_text, format_duration, time_text

log = logging.getLogger(__name__)

DAY_SECONDS = 86400
# Local days are found from each record's own offset; reading a day more on each side covers every time zone.
WINDOW_MARGIN_SECONDS = DAY_SECONDS
WORK_STATES = frozenset({"active", "on_call"})
STRETCH_STATES = frozenset({"active", "on_call", "idle"})  # a short idle moment is not a break
STRETCH_JOIN_SECONDS = 1.0  # intervals this close count as one stretch (tick jitter)
TREND_MIN_DAYS = 3  # fewer days of check-ins than this is not a trend yet
BEST_HELP_MIN_SAMPLES = 3  # cooldowns with both ratings before we say a pattern helps this rep most
SEVERITIES = (1, 2, 3, 4, 5)
# (key, label, first hour, hour after the last): the labels are English marked with N_, translated when shown.
TIME_OF_DAY = (("morning", N_("before noon"), 0, 12), ("midday", "12:00-14:00", 12, 14),
               ("afternoon", "14:00-17:00", 14, 17), ("evening", N_("after 17:00"), 17, 24))  # fmt: skip
# The names the JSON keeps (English, with the stable key beside them); the sentences translate them when shown.
PATTERN_NAMES = {
    "cyclic_sighing": N_("cyclic sighing"),
    "paced": N_("paced breathing"),
    "box": N_("box breathing"),
    "four_seven_eight": N_("4-7-8 breathing"),
}
PRESET_NAMES = {
    "reset_60": N_("the 1-minute reset"),
    "default_180": N_("the 3-minute cooldown"),
    "full_300": N_("the 5-minute cooldown"),
}
FOOTER = N_("Made on this device. Nobody else can see it unless you share it.")
_WEEK_TEXT = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
WEEK_YEARS = (1971, 9998)  # the weeks `--week` accepts: well inside what datetime and the OS clock can convert


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    def __post_init__(self) -> None:
        try:
            date.fromisocalendar(self.year, self.week, 1)
        except ValueError:
            raise ExportError(_("{year} has no week {week}.").format(year=self.year, week=self.week)) from None

    @classmethod
    def parse(cls, text: str, today: date | None = None) -> IsoWeek:
        """'2026-W47', '2026W47', 'this' or 'last' (relative to `today`)."""
        cleaned = text.strip().lower()
        if cleaned in {"this", "last"}:
            if today is None:
                raise ValueError("'this' and 'last' need today's date")  # i18n: not for reps (a caller's mistake)
            current = cls.of(today)
            return current if cleaned == "this" else current.previous()
        match = _WEEK_TEXT.match(text.strip())
        if not match:
            raise ExportError(
                _("'{text}' is not a week; write it like 2026-W47, or say 'this' or 'last'.").format(text=text)
            )
        year = int(match.group(1))
        if not WEEK_YEARS[0] <= year <= WEEK_YEARS[1]:
            # Week arithmetic and local-time conversions overflow near the calendar's ends (year 1, year 9999).
            raise ExportError(
                _(
                    "'{text}' is too far from today to hold anything Companion recorded; write a week like 2026-W47."
                ).format(text=text)
            )
        return cls(year, int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        year, week, _weekday = day.isocalendar()
        return cls(year, week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=offset) for offset in range(7)]

    def previous(self) -> IsoWeek:
        return IsoWeek.of(self.monday - timedelta(days=7))

    def next(self) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(days=7))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"  # i18n: not for reps (ISO 8601, read by scripts and --week)

    def span_text(self) -> str:
        """'16 to 22 November 2026', the way a person reads a week."""
        first, last = self.days[0], self.days[-1]
        if i18n.current_language() != i18n.SOURCE_LANGUAGE:
            return locale_format.span_text(first, last)
        # English only (another language has its own way above), so these are not marked for translation.
        if first.year != last.year:
            return f"{date_text(first)} to {date_text(last)}"  # i18n: not for reps (English only)
        if first.month != last.month:
            return f"{first.day} {MONTH_NAMES[first.month - 1]} to {date_text(last)}"  # i18n: not for reps
        return f"{first.day} to {date_text(last)}"  # i18n: not for reps (English only)


@dataclass
class DayFigures:
    day: date
    active_seconds: float = 0.0  # at the computer, not on a call
    on_call_seconds: float = 0.0
    break_seconds: float = 0.0  # time in breaks that were taken (prompted, own, natural)
    first_activity: datetime | None = None  # aware, in the offset the rep lived it
    last_activity: datetime | None = None
    prompted_breaks: int = 0  # a reminder came and the rep took it
    own_breaks: int = 0  # started by the rep from the tray
    natural_breaks: int = 0  # stepped away long enough on their own
    postponed: int = 0
    skipped: int = 0
    interrupted_breaks: int = 0  # a break window ran to its end while input went on: not counted as taken
    longest_stretch_seconds: float = 0.0
    rough_calls_by_severity: list[int] = field(default_factory=lambda: [0] * len(SEVERITIES))
    rough_calls_by_category: dict[str, int] | None = None  # None while the journal is locked
    cooldowns_offered: int = 0
    cooldowns_started: int = 0
    cooldowns_completed: int = 0
    cooldowns_cut_short: int = 0
    tension_before: float | None = None  # day averages; None when locked or not rated
    tension_after: float | None = None
    mood: int | None = None  # the day's last check-in
    energy: int | None = None

    @property
    def working_seconds(self) -> float:
        return self.active_seconds + self.on_call_seconds

    @property
    def breaks_taken(self) -> int:
        return self.prompted_breaks + self.own_breaks + self.natural_breaks

    @property
    def rough_calls(self) -> int:
        return sum(self.rough_calls_by_severity)

    @property
    def weekday(self) -> str:
        if i18n.current_language() != i18n.SOURCE_LANGUAGE:
            return locale_format.weekday_name(self.day.weekday())
        return WEEKDAY_NAMES[self.day.weekday()]


@dataclass(frozen=True)
class Helper:
    """A breathing pattern or preset and how much it eased this rep's tension on average."""

    key: str
    name: str
    average_drop: float
    samples: int


@dataclass(frozen=True)
class Change:
    measure: str
    previous: float
    current: float
    text: str


@dataclass(frozen=True)
class Event:
    """One plain record of the week for the events CSV (no sealed content)."""

    at: datetime
    kind: str  # rough_call, break, cooldown
    detail: str


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


def local_datetime(utc: float, offset_minutes: int) -> datetime:
    return datetime.fromtimestamp(utc, timezone(timedelta(minutes=offset_minutes)))


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def local_day(utc: float, offset_minutes: int) -> date:
    # Arithmetic, not datetime.fromtimestamp: this runs for every record of a year-long export.
    return date.fromordinal(_EPOCH_ORDINAL + int((utc + offset_minutes * 60) // DAY_SECONDS))


def local_hour(utc: float, offset_minutes: int) -> int:
    return int((utc + offset_minutes * 60) % DAY_SECONDS // 3600)


def split_by_local_day(start_utc: float, end_utc: float, offset_minutes: int) -> Iterable[tuple[date, float, float]]:
    """Pieces of [start, end) cut at the rep's local midnights: (local day, piece start UTC, piece end UTC)."""
    shift = offset_minutes * 60
    cursor = start_utc
    while cursor < end_utc:
        local = cursor + shift
        next_midnight_utc = (local // DAY_SECONDS + 1) * DAY_SECONDS - shift
        piece_end = min(end_utc, next_midnight_utc)
        yield datetime.fromtimestamp(local, UTC).date(), cursor, piece_end
        cursor = piece_end


def week_window_utc(week: IsoWeek) -> tuple[float, float]:
    """A UTC window sure to contain every record of the week, in any time zone (trimmed by local day later)."""
    start = datetime.combine(week.monday, time(), UTC).timestamp() - WINDOW_MARGIN_SECONDS
    return start, start + 7 * DAY_SECONDS + 2 * WINDOW_MARGIN_SECONDS


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
    _add_activity(days, rows.intervals_between(store, start, end), breaks)
    sealed = _Sealed(vault)
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
        **_rough_call_figures(days, calls, cooldowns, sealed),
        **_cooldown_figures(days, cooldowns, sealed),
        **_journal_figures(days, journal, sealed, include_highlights),
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


def week_events(
    days: dict[date, DayFigures],
    calls: list[rows.RoughCallRow],
    breaks: list[rows.BreakRow],
    cooldowns: list[rows.CooldownRow],
) -> list[Event]:
    events = [
        Event(local_datetime(c.at_utc, c.utc_offset_minutes), "rough_call", f"severity {c.severity}") for c in calls
    ]
    for row in breaks:
        if local_day(row.at_utc, row.utc_offset_minutes) in days:
            detail = f"{row.kind} {row.response or 'started'}"
            events.append(Event(local_datetime(row.at_utc, row.utc_offset_minutes), "break", detail))
    for cooldown in cooldowns:
        parts = (cooldown.response, cooldown.outcome, cooldown.pattern, cooldown.preset)
        detail = " ".join(part for part in parts if part)
        events.append(Event(local_datetime(cooldown.offered_utc, cooldown.utc_offset_minutes), "cooldown", detail))
    return sorted(events, key=lambda event: event.at)


class _Sealed:
    """Opens sealed content when the vault is unlocked; a damaged record is counted and left out, never fatal."""

    def __init__(self, vault: Vault | None) -> None:
        self.vault = vault
        self.damaged = 0

    def open(self, kind: str, uid: str, blob: bytes | None) -> dict[str, Any] | None:
        if self.vault is None or blob is None:
            return None
        try:
            return self.vault.open_record(kind, uid, blob)
        except (CompanionError, ValueError):
            self.damaged += 1
            return None


def _add_activity(days: dict[date, DayFigures], intervals: list[rows.IntervalRow], breaks: list[rows.BreakRow]) -> None:
    stretches: dict[date, list[tuple[float, float]]] = {day: [] for day in days}
    for interval in intervals:
        for day, start, end in split_by_local_day(interval.start_utc, interval.end_utc, interval.utc_offset_minutes):
            figures = days.get(day)
            if figures is None:
                continue
            if interval.state in STRETCH_STATES:
                stretches[day].append((start, end))
            if interval.state not in WORK_STATES:
                continue
            if interval.state == "active":
                figures.active_seconds += end - start
            else:
                figures.on_call_seconds += end - start
            first, last = (
                local_datetime(start, interval.utc_offset_minutes),
                local_datetime(end, interval.utc_offset_minutes),
            )
            if figures.first_activity is None or first < figures.first_activity:
                figures.first_activity = first
            if figures.last_activity is None or last > figures.last_activity:
                figures.last_activity = last
    taken_periods: list[tuple[float, float]] = []
    for row in breaks:
        figures = days.get(local_day(row.at_utc, row.utc_offset_minutes))
        if figures is None:
            continue
        if row.response == "postponed":
            figures.postponed += 1
        elif row.response == "skipped":
            figures.skipped += 1
        elif row.started_utc is not None and row.kind != "natural" and row.completed == 0:
            figures.interrupted_breaks += 1  # the rep kept working through it: not a break taken
        elif row.started_utc is not None:
            if row.kind == "prompted":
                figures.prompted_breaks += 1
            elif row.kind == "manual":
                figures.own_breaks += 1
            else:
                figures.natural_breaks += 1
            if row.ended_utc is not None:
                figures.break_seconds += row.ended_utc - row.started_utc
                taken_periods.append((row.started_utc, row.ended_utc))
    for day, pieces in stretches.items():
        days[day].longest_stretch_seconds = longest_stretch(pieces, taken_periods)


def longest_stretch(pieces: list[tuple[float, float]], breaks: list[tuple[float, float]]) -> float:
    """The longest run of touching work time (active, on a call, briefly idle) that no taken break cut."""
    runs: list[list[float]] = []
    for start, end in sorted(pieces):
        if runs and start - runs[-1][1] <= STRETCH_JOIN_SECONDS:
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end])
    longest = 0.0
    for start, end in runs:
        cuts = sorted(
            (max(b_start, start), min(b_end, end)) for b_start, b_end in breaks if b_start < end and b_end > start
        )
        cursor = start
        for cut_start, cut_end in cuts:
            longest = max(longest, cut_start - cursor)
            cursor = max(cursor, cut_end)
        longest = max(longest, end - cursor)
    return longest


def _rough_call_figures(
    days: dict[date, DayFigures], calls: list[rows.RoughCallRow], cooldowns: list[rows.CooldownRow], sealed: _Sealed
) -> dict[str, Any]:
    by_time = {key: 0 for key, *_rest in TIME_OF_DAY}
    if sealed.vault is not None:
        for figures in days.values():
            figures.rough_calls_by_category = {}
    categories: Counter[str] = Counter()
    for call in calls:
        days[local_day(call.at_utc, call.utc_offset_minutes)].rough_calls_by_severity[call.severity - 1] += 1
        hour = local_hour(call.at_utc, call.utc_offset_minutes)
        by_time[next(key for key, _label, low, high in TIME_OF_DAY if low <= hour < high)] += 1
        content = sealed.open("rough_call", call.uid, call.content)
        if content:
            names = [str(name) for name in content.get("categories", []) if name]
            categories.update(names)
            day_categories = days[local_day(call.at_utc, call.utc_offset_minutes)].rough_calls_by_category
            if day_categories is not None:
                for name in names:
                    day_categories[name] = day_categories.get(name, 0) + 1
    call_ids = {call.id for call in calls}
    followed = {row.rough_call_id for row in cooldowns if row.started_utc is not None and row.rough_call_id in call_ids}
    return {
        "rough_calls_by_category": None if sealed.vault is None else dict(categories.most_common()),
        "rough_calls_by_time_of_day": by_time,
        "rough_calls_followed_by_cooldown": len(followed),
    }


def _cooldown_figures(
    days: dict[date, DayFigures], cooldowns: list[rows.CooldownRow], sealed: _Sealed
) -> dict[str, Any]:
    befores: dict[date, list[int]] = {day: [] for day in days}
    afters: dict[date, list[int]] = {day: [] for day in days}
    drops: list[float] = []
    by_pattern: dict[str, list[float]] = {}
    by_preset: dict[str, list[float]] = {}
    for row in cooldowns:
        figures = days[local_day(row.offered_utc, row.utc_offset_minutes)]
        figures.cooldowns_offered += 1
        if row.started_utc is None:
            continue
        figures.cooldowns_started += 1
        figures.cooldowns_completed += row.outcome == "completed"
        figures.cooldowns_cut_short += row.outcome == "cut_short"
        content = sealed.open("cooldown", row.uid, row.content) or {}
        before, after = _rating(content.get("tension_before")), _rating(content.get("tension_after"))
        # Only matched pairs: the chart's before and after bars and the sentence's change must describe the same
        # cooldowns, or a before from two sessions and an after from one tell a story that never happened.
        if before is not None and after is not None:
            befores[figures.day].append(before)
            afters[figures.day].append(after)
            drops.append(before - after)
            by_pattern.setdefault(row.pattern or "", []).append(before - after)
            by_preset.setdefault(row.preset or "", []).append(before - after)
    for day, figures in days.items():
        figures.tension_before = _mean(befores[day])
        figures.tension_after = _mean(afters[day])
    all_before = [value for values in befores.values() for value in values]
    all_after = [value for values in afters.values() for value in values]
    return {
        "tension_before": _mean(all_before),
        "tension_after": _mean(all_after),
        "tension_change": None if not drops else -statistics.fmean(drops),
        "rated_cooldowns": len(drops),
        "best_pattern": _best_helper(by_pattern, PATTERN_NAMES),
        "best_preset": _best_helper(by_preset, PRESET_NAMES),
    }


def _best_helper(drops: dict[str, list[float]], names: dict[str, str]) -> Helper | None:
    candidates = [
        Helper(key, names.get(key, key.replace("_", " ")), statistics.fmean(values), len(values))
        for key, values in drops.items()
        if key and len(values) >= BEST_HELP_MIN_SAMPLES
    ]
    best = max(candidates, key=lambda helper: (helper.average_drop, helper.samples), default=None)
    return best if best is not None and best.average_drop > 0 else None


def _journal_figures(
    days: dict[date, DayFigures], entries: list[rows.JournalRow], sealed: _Sealed, include_highlights: bool
) -> dict[str, Any]:
    kinds = Counter(entry.kind for entry in entries)
    intentions = 0
    highlights: list[tuple[date, str, str]] = []
    for entry in entries:
        wanted = entry.kind == "checkin" or (include_highlights and entry.kind in {"win", "gratitude"})
        if not wanted or sealed.vault is None:
            continue
        day = local_day(entry.created_utc, entry.utc_offset_minutes)
        content = sealed.open("journal", entry.uid, entry.content)
        if content is None:
            continue
        if entry.kind == "checkin":
            days[day].mood = _rating(content.get("mood")) or days[day].mood
            days[day].energy = _rating(content.get("energy")) or days[day].energy
            intentions += bool(str(content.get("intention") or "").strip())
        elif str(content.get("text") or "").strip():
            highlights.append((day, entry.kind, str(content["text"]).strip()))
    moods = [day.mood for day in days.values() if day.mood is not None]
    energies = [day.energy for day in days.values() if day.energy is not None]
    unlocked = sealed.vault is not None
    return {
        "checkin_days": sum(1 for day in days.values() if day.mood is not None or day.energy is not None)
        if unlocked
        else None,
        "mood_high": max(moods, default=None),
        "mood_low": min(moods, default=None),
        "mood_average": _mean(moods),
        "energy_high": max(energies, default=None),
        "energy_low": min(energies, default=None),
        "energy_average": _mean(energies),
        "wins": kinds["win"],
        "gratitude": kinds["gratitude"],
        "intentions": intentions if unlocked else None,
        "highlights": highlights if include_highlights and unlocked else None,
    }


def _rating(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _mean(values: list[int] | list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def compare_weeks(previous: WeeklySummary, current: WeeklySummary) -> list[Change]:
    """What moved since last week, in plain words: '3 fewer rough calls', 'breaks up from 9 to 14'.

    Each change is a whole clause, said by one translated sentence (a count by ngettext): nothing is built from
    words chosen in code, so a language can say each its own way."""
    changes = []
    before, now = previous.rough_calls, current.rough_calls
    if now < before:
        text = ngettext("{count} fewer rough call", "{count} fewer rough calls", before - now).format(
            count=before - now
        )
    elif now > before:
        text = ngettext("{count} more rough call", "{count} more rough calls", now - before).format(count=now - before)
    else:
        text = _("the same number of rough calls ({now})").format(now=now)
    changes.append(Change("rough_calls", before, now, text))
    changes.append(_moved("breaks_taken", previous.breaks_taken, current.breaks_taken))
    work_before, work_now = previous.total("working_seconds"), current.total("working_seconds")
    if abs(work_now - work_before) >= 60:
        if work_now > work_before:
            text = _("time at work up from {before} to {now}")
        else:
            text = _("time at work down from {before} to {now}")
        text = text.format(before=format_duration(work_before), now=format_duration(work_now))
        changes.append(Change("working_seconds", work_before, work_now, text))
    done_before, done_now = int(previous.total("cooldowns_completed")), int(current.total("cooldowns_completed"))
    if done_before or done_now:
        changes.append(_moved("cooldowns_completed", done_before, done_now))
    return changes


def comparison_text(changes: list[Change]) -> str | None:
    """'Compared with last week: 3 fewer rough calls; breaks up from 2 to 13.': a list of whole clauses."""
    if not changes:
        return None
    return _("Compared with last week: {changes}.").format(changes=_("; ").join(change.text for change in changes))


# Per measure, how a change is said: (the same, up, down). Whole clauses, so no word is chosen in code.
_MOVES: dict[str, tuple[str, str, str]] = {
    "breaks_taken": (
        N_("breaks the same ({now})"),
        N_("breaks up from {before} to {now}"),
        N_("breaks down from {before} to {now}"),
    ),
    "cooldowns_completed": (
        N_("cooldowns completed the same ({now})"),
        N_("cooldowns completed up from {before} to {now}"),
        N_("cooldowns completed down from {before} to {now}"),
    ),
}


def _moved(measure: str, before: int, now: int) -> Change:
    same, up, down = _MOVES[measure]
    text = same if now == before else up if now > before else down
    return Change(measure, before, now, _(text).format(before=before, now=now))


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
