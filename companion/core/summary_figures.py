"""What the store's rows say about each local day of a week: the per-day figures and the week's plain events.

Sealed content (categories, tensions, moods, intentions, highlights) is read only through an unlocked Vault; while
it is locked those figures stay None. The functions that return dicts give WeeklySummary's fields by name
(core/summary.py puts them together).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from companion.core import i18n, locale_format
from companion.core import summary_store as rows
from companion.core.crypto import Vault
from companion.core.errors import CompanionError
from companion.core.i18n import N_
from companion.core.summary_week import local_datetime, local_day, local_hour, split_by_local_day
from companion.core.text import WEEKDAY_NAMES

WORK_STATES = frozenset({"active", "on_call"})
STRETCH_STATES = frozenset({"active", "on_call", "idle"})  # a short idle moment is not a break
STRETCH_JOIN_SECONDS = 1.0  # intervals this close count as one stretch (tick jitter)
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
class Event:
    """One plain record of the week for the events CSV (no sealed content)."""

    at: datetime
    kind: str  # rough_call, break, cooldown
    detail: str


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


class SealedReader:
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


def add_activity(days: dict[date, DayFigures], intervals: list[rows.IntervalRow], breaks: list[rows.BreakRow]) -> None:
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


def rough_call_figures(
    days: dict[date, DayFigures],
    calls: list[rows.RoughCallRow],
    cooldowns: list[rows.CooldownRow],
    sealed: SealedReader,
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


def cooldown_figures(
    days: dict[date, DayFigures], cooldowns: list[rows.CooldownRow], sealed: SealedReader
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


def journal_figures(
    days: dict[date, DayFigures], entries: list[rows.JournalRow], sealed: SealedReader, include_highlights: bool
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
