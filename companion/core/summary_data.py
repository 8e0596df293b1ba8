"""The summary as data for other programs: JSON (schema companion.weekly/1) and tidy CSV (with an events CSV).

Keys and measures are public: extend, never rename or remove.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from companion.core.summary import WeeklySummary
from companion.core.summary_figures import SEVERITIES, DayFigures, Helper
from companion.core.words import category_label

SCHEMA = "companion.weekly/1"


# --- JSON ---------------------------------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def _seconds(value: float) -> float:
    return round(value, 1)


def _helper_json(helper: Helper | None) -> dict[str, Any] | None:
    if helper is None:
        return None
    return {
        "key": helper.key,
        "name": helper.name,
        "average_drop": round(helper.average_drop, 2),
        "samples": helper.samples,
    }


def _day_json(day: DayFigures) -> dict[str, Any]:
    return {
        "date": day.day.isoformat(),
        "weekday": day.weekday,
        "active_seconds": _seconds(day.active_seconds),
        "on_call_seconds": _seconds(day.on_call_seconds),
        "working_seconds": _seconds(day.working_seconds),
        "break_seconds": _seconds(day.break_seconds),
        "first_activity": _iso(day.first_activity),
        "last_activity": _iso(day.last_activity),
        "longest_stretch_seconds": _seconds(day.longest_stretch_seconds),
        "breaks": {
            "prompted": day.prompted_breaks,
            "own": day.own_breaks,
            "natural": day.natural_breaks,
            "taken": day.breaks_taken,
            "postponed": day.postponed,
            "skipped": day.skipped,
            "interrupted": day.interrupted_breaks,
        },
        "rough_calls": {
            "total": day.rough_calls,
            "by_severity": {str(level): day.rough_calls_by_severity[level - 1] for level in SEVERITIES},
            "by_category": day.rough_calls_by_category,
        },
        "cooldowns": {
            "offered": day.cooldowns_offered,
            "started": day.cooldowns_started,
            "completed": day.cooldowns_completed,
            "cut_short": day.cooldowns_cut_short,
        },
        "tension_before": day.tension_before,
        "tension_after": day.tension_after,
        "mood": day.mood,
        "energy": day.energy,
    }


def to_json_data(summary: WeeklySummary) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "week": str(summary.week),
        "start": summary.days[0].day.isoformat(),
        "end": summary.days[-1].day.isoformat(),
        "made_at": _iso(summary.made_at),
        "journal_locked": summary.locked,
        "days": [_day_json(day) for day in summary.days],
        "totals": {
            "working_seconds": _seconds(summary.total("working_seconds")),
            "on_call_seconds": _seconds(summary.total("on_call_seconds")),
            "break_seconds": _seconds(summary.total("break_seconds")),
            "breaks_taken": summary.breaks_taken,
            "postponed": int(summary.total("postponed")),
            "skipped": int(summary.total("skipped")),
            "interrupted": int(summary.total("interrupted_breaks")),
            "longest_stretch_seconds": _seconds(summary.longest_stretch_seconds),
            "rough_calls": summary.rough_calls,
            "cooldowns_offered": int(summary.total("cooldowns_offered")),
            "cooldowns_started": int(summary.total("cooldowns_started")),
            "cooldowns_completed": int(summary.total("cooldowns_completed")),
            "cooldowns_cut_short": int(summary.total("cooldowns_cut_short")),
        },
        "rough_calls": {
            "by_time_of_day": summary.rough_calls_by_time_of_day,
            "by_category": summary.rough_calls_by_category,
            "category_labels": _labels_for(summary.rough_calls_by_category),
            "followed_by_cooldown": summary.rough_calls_followed_by_cooldown,
        },
        "tension": {
            "before": summary.tension_before,
            "after": summary.tension_after,
            "change": summary.tension_change,
            "rated_cooldowns": summary.rated_cooldowns,
            "best_pattern": _helper_json(summary.best_pattern),
            "best_preset": _helper_json(summary.best_preset),
        },
        "checkins": {
            "days": summary.checkin_days,
            "mood": {"high": summary.mood_high, "low": summary.mood_low, "average": summary.mood_average},
            "energy": {"high": summary.energy_high, "low": summary.energy_low, "average": summary.energy_average},
            "note": summary.trend_note(),
        },
        "journal": {"wins": summary.wins, "gratitude": summary.gratitude, "intentions": summary.intentions},
        "comparison": [
            {"measure": c.measure, "previous": c.previous, "current": c.current, "text": c.text}
            for c in summary.changes
        ],
        "sentences": summary.sentences,
        "footer": summary.footer,
    }
    if summary.highlights is not None:
        data["highlights"] = [
            {"date": d.isoformat(), "kind": kind, "text": text} for d, kind, text in summary.highlights
        ]
    return data


def _labels_for(counts: dict[str, int] | None) -> dict[str, str] | None:
    """The words beside the stable keys: JSON keeps `by_category` as it was and adds what a person reads."""
    return None if counts is None else {key: category_label(key) for key in counts}


def to_json(summary: WeeklySummary) -> str:
    return json.dumps(to_json_data(summary), indent=2, ensure_ascii=False) + "\n"


# --- CSV ----------------------------------------------------------------------------------------------------------

CSV_HEADER = ["week", "date", "measure", "value", "unit"]
_DAY_MEASURES: list[tuple[str, str, Callable[[DayFigures], float | int | None]]] = [
    ("active_seconds", "seconds", lambda d: _seconds(d.active_seconds)),
    ("on_call_seconds", "seconds", lambda d: _seconds(d.on_call_seconds)),
    ("break_seconds", "seconds", lambda d: _seconds(d.break_seconds)),
    ("longest_stretch_seconds", "seconds", lambda d: _seconds(d.longest_stretch_seconds)),
    ("breaks_prompted", "count", lambda d: d.prompted_breaks),
    ("breaks_own", "count", lambda d: d.own_breaks),
    ("breaks_natural", "count", lambda d: d.natural_breaks),
    ("breaks_postponed", "count", lambda d: d.postponed),
    ("breaks_skipped", "count", lambda d: d.skipped),
    ("breaks_interrupted", "count", lambda d: d.interrupted_breaks),
    *[
        (f"rough_calls_severity_{level}", "count", lambda d, i=level - 1: d.rough_calls_by_severity[i])
        for level in SEVERITIES
    ],
    ("cooldowns_offered", "count", lambda d: d.cooldowns_offered),
    ("cooldowns_started", "count", lambda d: d.cooldowns_started),
    ("cooldowns_completed", "count", lambda d: d.cooldowns_completed),
    ("cooldowns_cut_short", "count", lambda d: d.cooldowns_cut_short),
    ("tension_before", "rating 0-10", lambda d: d.tension_before),
    ("tension_after", "rating 0-10", lambda d: d.tension_after),
    ("mood", "rating 1-5", lambda d: d.mood),
    ("energy", "rating 1-5", lambda d: d.energy),
]


def to_csv(summaries: list[WeeklySummary]) -> str:
    """Tidy rows: one per day and measure. A measure not recorded (locked or not rated) has an empty value."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for summary in summaries:
        week = str(summary.week)
        for day in summary.days:
            stamp = day.day.isoformat()
            for measure, unit, read in _DAY_MEASURES:
                value = read(day)
                writer.writerow([week, stamp, measure, "" if value is None else value, unit])
    return buffer.getvalue()


def events_csv(summaries: list[WeeklySummary]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["at", "kind", "detail"])
    for summary in summaries:
        writer.writerows([_iso(event.at), event.kind, event.detail] for event in summary.events)
    return buffer.getvalue()
