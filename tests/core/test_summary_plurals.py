"""Every sentence the week in review can say with a count, for 0, 1 and 2 (issue 16): each is one whole sentence
from the catalogue (ngettext), so the English must come out right for each count, word for word."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from companion.core import i18n
from companion.core.summary import WeeklySummary, kind_sentences, unrested_sentence
from companion.core.summary_compare import Change, compare_weeks, comparison_text
from companion.core.summary_data import to_csv, to_json
from companion.core.summary_documents import to_html, to_markdown
from companion.core.summary_figures import DayFigures, Helper
from companion.core.summary_report import (
    _journal_sentence,
    _pattern_text,
    _preset_text,
    _totals_sentence,
    report_sections,
)
from companion.core.summary_week import IsoWeek

WEEK = IsoWeek(2026, 47)
HOUR = 3600.0


def summary_of(
    *,
    breaks: int = 0,
    rough_calls: int = 0,
    worked: int = 0,
    on_call_seconds: float = 0.0,
    checkin_days: int | None = 0,
    unreadable: int = 0,
    **fields: object,
) -> WeeklySummary:
    """A week with the given counts on its Monday (3 hours at work unless said otherwise)."""
    days = [DayFigures(day) for day in WEEK.days]
    monday = days[0]
    monday.active_seconds = 3 * HOUR
    monday.on_call_seconds = on_call_seconds
    monday.prompted_breaks = breaks
    monday.interrupted_breaks = worked
    monday.rough_calls_by_severity = [rough_calls, 0, 0, 0, 0]
    monday.longest_stretch_seconds = 90 * 60
    values: dict[str, object] = {
        "week": WEEK, "made_at": datetime(2026, 11, 23, 9, 0, tzinfo=UTC), "days": days, "locked": False,
        "rough_calls_by_category": {}, "rough_calls_by_time_of_day": {"morning": rough_calls, "midday": 0,
        "afternoon": 0, "evening": 0}, "rough_calls_followed_by_cooldown": 0, "tension_before": None,
        "tension_after": None, "tension_change": None, "rated_cooldowns": 0, "best_pattern": None,
        "best_preset": None, "checkin_days": checkin_days, "mood_high": None, "mood_low": None,
        "mood_average": None, "energy_high": None, "energy_low": None, "energy_average": None, "wins": 0,
        "gratitude": 0, "intentions": 0, "highlights": None, "unreadable_records": unreadable,
    }  # fmt: skip
    values.update(fields)
    return WeeklySummary(**values)  # type: ignore[arg-type]


def paragraphs(summary: WeeklySummary, key: str) -> list[str]:
    return next(section.paragraphs for section in report_sections(summary) if section.key == key)


@pytest.mark.parametrize(
    ("more_days", "expected"),
    [(1, "1 more day of check-ins will show a trend."), (2, "2 more days of check-ins will show a trend.")],
)
def test_the_trend_note_counts_the_days_still_needed(more_days: int, expected: str) -> None:
    assert summary_of(checkin_days=3 - more_days).trend_note() == expected


def test_no_check_ins_and_enough_check_ins() -> None:
    assert summary_of(checkin_days=0).trend_note() == (
        "No check-ins this week. A few days of check-ins will show how your week went."
    )
    assert summary_of(checkin_days=3).trend_note() is None


@pytest.mark.parametrize(
    ("calls", "breaks", "expected"),
    [
        (0, 0, ["No rough calls were tagged this week.",
                "No breaks were recorded; your longest stretch was 1 h 30 min. A few minutes away now and then can "
                "make the long days lighter."]),
        (1, 1, ["You took a cooldown after 0 of 1 rough call.",
                "You stepped away for 1 break; your longest stretch without one was 1 h 30 min."]),
        (2, 2, ["You took a cooldown after 0 of 2 rough calls.",
                "You stepped away for 2 breaks; your longest stretch without one was 1 h 30 min."]),
    ],
)  # fmt: skip
def test_the_week_in_brief_for_none_one_and_two(calls: int, breaks: int, expected: list[str]) -> None:
    assert kind_sentences(summary_of(rough_calls=calls, breaks=breaks)) == expected


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        (1, "You took a cooldown after 1 of 1 rough call; your tension fell by 2.5 points on average."),
        (2, "You took a cooldown after 1 of 2 rough calls; your tension fell by 2.5 points on average."),
    ],
)
def test_the_rough_call_sentence_with_the_tension_that_fell(calls: int, expected: str) -> None:
    summary = summary_of(rough_calls=calls, rough_calls_followed_by_cooldown=1, tension_change=-2.5)
    assert kind_sentences(summary)[0] == expected


@pytest.mark.parametrize(
    ("worked", "expected"),
    [
        (0, ""),
        (1, "1 more break ran while you kept working, so it is not counted."),
        (2, "2 more breaks ran while you kept working, so they are not counted."),
    ],
)
def test_breaks_worked_through(worked: int, expected: str) -> None:
    summary = summary_of(breaks=1, worked=worked)
    assert unrested_sentence(summary) == expected
    stepped = "You stepped away for 1 break; your longest stretch without one was 1 h 30 min."
    assert kind_sentences(summary)[1] == (f"{stepped} {expected}" if expected else stepped)


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [
        (2, 2, "the same number of rough calls (2)"),
        (3, 2, "1 fewer rough call"),
        (4, 2, "2 fewer rough calls"),
        (1, 2, "1 more rough call"),
        (0, 2, "2 more rough calls"),
    ],
)
def test_the_comparison_of_rough_calls(before: int, now: int, expected: str) -> None:
    changes = compare_weeks(summary_of(rough_calls=before), summary_of(rough_calls=now))
    assert changes[0].text == expected


def test_the_comparison_says_each_measure_as_a_whole_clause() -> None:
    previous = summary_of(breaks=2, on_call_seconds=0)
    current = summary_of(breaks=0, on_call_seconds=HOUR)
    current.days[0].cooldowns_completed = 1
    texts = [change.text for change in compare_weeks(previous, current)]
    assert texts == [
        "the same number of rough calls (0)",
        "breaks down from 2 to 0",
        "time at work up from 3 h 00 min to 4 h 00 min",
        "cooldowns completed up from 0 to 1",
    ]
    same = compare_weeks(summary_of(breaks=1), summary_of(breaks=1))
    assert [change.text for change in same] == ["the same number of rough calls (0)", "breaks the same (1)"]
    assert comparison_text([Change("x", 0, 1, "a"), Change("y", 1, 0, "b")]) == "Compared with last week: a; b."
    assert comparison_text([]) is None


@pytest.mark.parametrize(
    ("breaks", "worked", "on_calls", "expected"),
    [
        (0, 0, 0, "At work 3 h 00 min in all, none of it on calls; 0 breaks taken, 0 postponed, 0 skipped."),
        (1, 0, 0, "At work 3 h 00 min in all, none of it on calls; 1 break taken, 0 postponed, 0 skipped."),
        (2, 0, 0, "At work 3 h 00 min in all, none of it on calls; 2 breaks taken, 0 postponed, 0 skipped."),
        (1, 2, 0, "At work 3 h 00 min in all, none of it on calls; 1 break taken, 0 postponed, 0 skipped, "
                  "2 worked through (not counted)."),
        (2, 0, HOUR, "At work 4 h 00 min in all, 1 h 00 min of it on calls; 2 breaks taken, 0 postponed, "
                     "0 skipped."),
        (1, 1, HOUR, "At work 4 h 00 min in all, 1 h 00 min of it on calls; 1 break taken, 0 postponed, 0 skipped, "
                     "1 worked through (not counted)."),
    ],
)  # fmt: skip
def test_the_totals_sentence(breaks: int, worked: int, on_calls: float, expected: str) -> None:
    assert _totals_sentence(summary_of(breaks=breaks, worked=worked, on_call_seconds=on_calls)) == expected


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        (1, "1 rough call. By time of day: before noon 1, 12:00-14:00 0, 14:00-17:00 0, after 17:00 0."),
        (2, "2 rough calls. By time of day: before noon 2, 12:00-14:00 0, 14:00-17:00 0, after 17:00 0."),
    ],
)
def test_the_rough_calls_paragraph(calls: int, expected: str) -> None:
    assert paragraphs(summary_of(rough_calls=calls), "rough_calls")[0] == expected
    assert paragraphs(summary_of(rough_calls=0), "rough_calls") == ["No rough calls were tagged this week."]


@pytest.mark.parametrize(("rated", "noun"), [(1, "rated cooldown"), (2, "rated cooldowns")])
def test_the_tension_sentence(rated: int, noun: str) -> None:
    summary = summary_of(
        tension_before=7.0, tension_after=4.5, tension_change=-2.5, rated_cooldowns=rated, checkin_days=None
    )
    summary.days[0].cooldowns_offered = rated
    assert paragraphs(summary, "cooldowns")[1] == (
        f"Tension before a cooldown averaged 7.0 and after 4.5: a change of -2.5 points over {rated} {noun}."
    )


@pytest.mark.parametrize(("samples", "noun"), [(1, "cooldown"), (2, "cooldowns")])
def test_what_helped_most(samples: int, noun: str) -> None:
    pattern = Helper("box", "box breathing", 2.0, samples)
    preset = Helper("reset_60", "the 1-minute reset", 1.5, samples)
    assert _pattern_text(pattern) == (
        f"The breathing pattern that eased your tension most was box breathing: 2.0 points on average over "
        f"{samples} {noun}."
    )
    assert _preset_text(preset) == (
        f"The cooldown length that eased your tension most was the 1-minute reset: 1.5 points on average over "
        f"{samples} {noun}."
    )
    assert _pattern_text(None).startswith("It is too early to tell which breathing pattern eases your tension most")
    assert _preset_text(None).startswith("It is too early to tell which cooldown length eases your tension most")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "Journal: 0 wins and 0 gratitude entries written; 0 intentions set."),
        (1, "Journal: 1 win and 1 gratitude entry written; 1 intention set."),
        (2, "Journal: 2 wins and 2 gratitude entries written; 2 intentions set."),
    ],
)
def test_the_journal_sentence(n: int, expected: str) -> None:
    assert _journal_sentence(summary_of(wins=n, gratitude=n, intentions=n)) == expected
    locked = summary_of(wins=n, gratitude=n, intentions=None)
    assert _journal_sentence(locked) == expected.split(";")[0] + "."


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 saved entry from this week could not be read: the stored copy is damaged. The figures above leave "
            "it out; everything else is whole."),
        (2, "2 saved entries from this week could not be read: the stored copy is damaged. The figures above "
            "leave them out; everything else is whole."),
    ],
)  # fmt: skip
def test_records_that_could_not_be_read(n: int, expected: str) -> None:
    assert paragraphs(summary_of(unreadable=n), "unreadable") == [expected]
    assert all(section.key != "unreadable" for section in report_sections(summary_of(unreadable=0)))


def test_an_empty_week() -> None:
    summary = summary_of()
    summary.days[0].active_seconds = 0
    assert kind_sentences(summary) == [
        "Nothing was recorded this week. When Companion runs on your work days, your week will show here."
    ]


def test_the_footer_and_title_are_made_in_the_rep_s_language() -> None:
    summary = summary_of()
    assert summary.footer == "Made on this device. Nobody else can see it unless you share it."
    assert summary.title == "Your week in review: 16 to 22 November 2026 (2026-W47)"
    assert date(2026, 11, 16) == summary.days[0].day


@pytest.fixture
def german() -> Iterator[None]:
    i18n.activate("de")
    try:
        yield
    finally:
        i18n.activate("en")


@pytest.mark.usefixtures("german")
def test_the_readable_exports_write_dates_times_and_numbers_the_language_s_way() -> None:
    """HTML, Markdown (and the PDF, which draws the same sections) follow the language; JSON and CSV stay ISO."""
    summary = summary_of(rough_calls=1, tension_before=7.0, tension_after=4.5, tension_change=-2.5, rated_cooldowns=1)
    summary.days[0].cooldowns_offered = 1
    summary.days[0].first_activity = datetime(2026, 11, 16, 9, 5, tzinfo=UTC)
    markdown, page = to_markdown(summary), to_html(summary)
    assert "Montag, 23. November 2026" in markdown  # the day it was made, as German writes it
    assert "16.–22. Nov. 2026" in markdown  # the week's range
    assert "7,0" in markdown and "4,5" in markdown and "-2,5" in markdown  # decimal commas
    assert '<html lang="de">' in page and "7,0" in page
    assert "09:05" in page and "Mo., 16." in page  # a time of day, and a chart's day label
    data = json.loads(to_json(summary))
    assert data["made_at"] == "2026-11-23T09:00:00+00:00" and data["tension"]["before"] == 7.0
    assert data["days"][0]["first_activity"] == "2026-11-16T09:05:00+00:00"
    assert "2026-11-16,rough_calls_severity_1,1,count" in to_csv([summary])
