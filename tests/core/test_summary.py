"""The weekly summary on hand-computed weeks, written into a real SQLite store with a real Vault."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.core.clock import FakeClock
from companion.core.crypto import Vault
from companion.core.errors import ExportError
from companion.core.settings import WorkSettings
from companion.core.summary import build_summary, nudge_due
from companion.core.summary_figures import longest_stretch
from companion.core.summary_week import IsoWeek, split_by_local_day
from tests.summary_fixtures import (
    ORDINARY_MONDAY,
    Writer,
    at,
    open_writer,
    write_ordinary_week,
    write_previous_week,
)

HOUR, MINUTE = 3600.0, 60.0
W47 = IsoWeek(2026, 47)


@pytest.fixture
def writer(tmp_path: Path) -> Writer:
    writer = open_writer(tmp_path / "companion.db")
    yield writer
    writer.store.close()


@pytest.fixture
def ordinary(writer: Writer) -> Writer:
    write_ordinary_week(writer)
    write_previous_week(writer)
    return writer


def test_ordinary_week_matches_the_hand_computed_figures(ordinary: Writer, clock: FakeClock) -> None:
    summary = build_summary(ordinary.store, W47, clock, ordinary.vault)
    monday, thursday, saturday = summary.days[0], summary.days[3], summary.days[5]
    # Each weekday: active 90 + 80 + 27 + 120 min, on calls 30 + 90 min.
    assert monday.active_seconds == 317 * MINUTE
    assert monday.on_call_seconds == 120 * MINUTE
    assert summary.total("working_seconds") == 5 * 437 * MINUTE
    assert (monday.first_activity.hour, monday.last_activity.hour) == (9, 17)
    assert monday.first_activity.utcoffset() == timedelta(hours=1)
    # Breaks: two natural ones each weekday (10 + 30 min); a 5-min prompted one Mon-Wed; Thu postponed, Fri skipped.
    assert (monday.natural_breaks, monday.prompted_breaks, monday.break_seconds) == (2, 1, 45 * MINUTE)
    assert (thursday.prompted_breaks, thursday.postponed, thursday.break_seconds) == (0, 1, 40 * MINUTE)
    assert summary.breaks_taken == 13
    assert (summary.total("postponed"), summary.total("skipped")) == (1, 1)
    # Longest stretch: 13:30-17:00 cut at 16:00-16:05 on Mon-Wed (150 min), uncut on Thu/Fri (210 min).
    assert monday.longest_stretch_seconds == 150 * MINUTE
    assert thursday.longest_stretch_seconds == 210 * MINUTE
    assert saturday.working_seconds == 0 and saturday.first_activity is None
    # Rough calls: Mon sev 2 and 4, Tue sev 5, Thu sev 3 twice.
    assert [day.rough_calls_by_severity for day in summary.days[:4]] == [
        [0, 1, 0, 1, 0], [0, 0, 0, 0, 1], [0] * 5, [0, 0, 2, 0, 0]
    ]  # fmt: skip
    assert summary.rough_calls_by_time_of_day == {"morning": 2, "midday": 1, "afternoon": 1, "evening": 1}
    assert summary.rough_calls_by_category == {"billing": 2, "abusive": 2, "long hold": 1}
    assert summary.days[0].rough_calls_by_category == {"billing": 2, "abusive": 1}
    assert (summary.days[2].rough_calls_by_category, summary.days[3].rough_calls_by_category) == ({}, {"long hold": 1})
    assert summary.rough_calls_followed_by_cooldown == 3
    # Cooldowns: 4 offered, 3 started, 2 completed, 1 cut short; tension 6->3, 8->5, 9->8.
    assert [summary.total(m) for m in ("cooldowns_offered", "cooldowns_started", "cooldowns_completed")] == [4, 3, 2]
    assert summary.total("cooldowns_cut_short") == 1
    assert summary.tension_before == pytest.approx(23 / 3)
    assert summary.tension_after == pytest.approx(16 / 3)
    assert summary.tension_change == pytest.approx(-7 / 3)
    assert summary.best_pattern is None  # box twice, cyclic sighing once: too few to tell
    assert summary.best_preset is not None and summary.best_preset.key == "default_180"
    assert summary.best_preset.samples == 3
    # Check-ins Mon (3, 4), Tue (2, 2), Fri (5, 3); intentions on Mon and Fri.
    assert [day.mood for day in summary.days] == [3, 2, None, None, 5, None, None]
    assert (summary.mood_high, summary.mood_low, summary.mood_average) == (5, 2, pytest.approx(10 / 3))
    assert (summary.energy_high, summary.energy_low, summary.energy_average) == (4, 2, 3.0)
    assert (summary.checkin_days, summary.intentions, summary.wins, summary.gratitude) == (3, 2, 2, 1)
    assert summary.trend_note() is None
    assert summary.highlights is None  # not asked for
    assert summary.events == []  # nor were the events


def test_ordinary_week_speaks_plainly_and_compares_with_last_week(ordinary: Writer, clock: FakeClock) -> None:
    summary = build_summary(ordinary.store, W47, clock, ordinary.vault)
    assert summary.sentences == [
        "You took a cooldown after 3 of 5 rough calls; your tension fell by 2.3 points on average.",
        "You stepped away for 13 breaks; your longest stretch without one was 3 h 30 min.",
    ]
    assert [change.text for change in summary.changes] == [
        "3 fewer rough calls",
        "breaks up from 2 to 13",
        "time at work up from 4 h 00 min to 36 h 25 min",
        "cooldowns completed up from 0 to 2",
    ]
    assert [(c.previous, c.current) for c in summary.changes] == [(8, 5), (2, 13), (4 * HOUR, 5 * 437 * MINUTE), (0, 2)]


def test_a_week_with_no_week_before_it_makes_no_comparison(writer: Writer, clock: FakeClock) -> None:
    write_ordinary_week(writer)
    assert build_summary(writer.store, W47, clock, writer.vault).changes == []


def test_an_empty_week_says_so_instead_of_showing_zeros_as_news(writer: Writer, clock: FakeClock) -> None:
    summary = build_summary(writer.store, W47, clock, writer.vault)
    assert not summary.has_any_data
    assert summary.total("working_seconds") == 0 and summary.rough_calls == 0
    assert summary.sentences == [
        "Nothing was recorded this week. When Companion runs on your work days, your week will show here."
    ]
    assert summary.trend_note() == "No check-ins this week. A few days of check-ins will show how your week went."
    assert summary.tension_change is None and summary.mood_average is None
    assert summary.changes == []


def test_too_few_check_ins_say_how_many_more_days_show_a_trend(writer: Writer, clock: FakeClock) -> None:
    writer.checkin(at(ORDINARY_MONDAY, "09:00"), mood=4, energy=3)
    assert build_summary(writer.store, W47, clock, writer.vault).trend_note() == (
        "2 more days of check-ins will show a trend."
    )


def test_dst_week_counts_each_day_as_lived(writer: Writer, clock: FakeClock) -> None:
    """2026-W43: Berlin leaves summer time at 03:00 on Sunday 25 October (UTC+2 becomes UTC+1)."""
    saturday, sunday, next_monday = date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)
    zone = ZoneInfo("Europe/Berlin")
    # A night shift from Saturday 23:00 (UTC+2) to Sunday 04:00 (UTC+1): six real hours, 1 on Saturday.
    writer.interval("active", at(saturday, "23:00", zone), at(sunday, "04:00", zone))
    writer.interval("active", at(date(2026, 10, 19), "09:00", zone), at(date(2026, 10, 19), "10:00", zone))
    writer.rough_call(at(sunday, "23:30", zone), 2)  # 22:30 UTC: Sunday here, though Monday at summer offset
    writer.rough_call(at(next_monday, "00:30", zone), 3)  # 23:30 UTC Sunday, but Monday for the rep: next week
    summary = build_summary(writer.store, IsoWeek(2026, 43), clock, writer.vault)
    assert [day.day for day in summary.days][-1] == sunday
    assert summary.days[5].active_seconds == 1 * HOUR
    assert summary.days[6].active_seconds == 5 * HOUR
    assert summary.days[0].active_seconds == 1 * HOUR
    assert summary.total("working_seconds") == 7 * HOUR
    assert summary.days[6].rough_calls_by_severity == [0, 1, 0, 0, 0]
    assert summary.rough_calls == 1
    next_week = build_summary(writer.store, IsoWeek(2026, 44), clock, writer.vault)
    assert next_week.days[0].rough_calls_by_severity == [0, 0, 1, 0, 0]


def test_week_53_across_new_year(writer: Writer, clock: FakeClock) -> None:
    week = IsoWeek.parse("2026-W53")
    assert (week.days[0], week.days[-1]) == (date(2026, 12, 28), date(2027, 1, 3))
    assert week.span_text() == "28 December 2026 to 3 January 2027"
    assert (str(week.next()), str(week.previous())) == ("2027-W01", "2026-W52")
    new_year_eve, new_year = date(2026, 12, 31), date(2027, 1, 1)
    writer.interval("active", at(new_year_eve, "23:00"), at(new_year, "01:00"))  # one hour in each year
    writer.rough_call(at(date(2027, 1, 2), "10:00"), 4)
    writer.rough_call(at(date(2027, 1, 4), "10:00"), 4)  # Monday of 2027-W01: not this week
    summary = build_summary(writer.store, week, clock, writer.vault)
    assert [day.working_seconds for day in summary.days] == [0, 0, 0, HOUR, HOUR, 0, 0]
    assert summary.days[4].first_activity == datetime(2027, 1, 1, 0, 0, tzinfo=summary.days[4].first_activity.tzinfo)
    assert summary.rough_calls == 1 and summary.days[5].rough_calls == 1


def test_a_year_without_week_53_refuses_it_in_words() -> None:
    with pytest.raises(ExportError, match="2027 has no week 53"):
        IsoWeek.parse("2027-W53")
    with pytest.raises(ExportError, match="write it like 2026-W47"):
        IsoWeek.parse("next tuesday")


def test_this_and_last_week_are_relative_to_today() -> None:
    assert str(IsoWeek.parse("this", today=date(2026, 11, 23))) == "2026-W48"
    assert str(IsoWeek.parse("last", today=date(2026, 11, 23))) == "2026-W47"
    assert str(IsoWeek.parse("last", today=date(2027, 1, 4))) == "2026-W53"


def test_a_suspend_over_the_weekend_is_neither_work_nor_a_break(writer: Writer, clock: FakeClock) -> None:
    friday, next_monday = date(2026, 11, 20), date(2026, 11, 23)
    writer.interval("active", at(friday, "09:00"), at(friday, "17:00"))
    writer.interval("suspended", at(friday, "17:00"), at(next_monday, "08:55"))
    writer.interval("active", at(next_monday, "08:55"), at(next_monday, "12:00"))
    summary = build_summary(writer.store, W47, clock, writer.vault)
    assert [day.working_seconds for day in summary.days] == [0, 0, 0, 0, 8 * HOUR, 0, 0]
    assert summary.days[4].longest_stretch_seconds == 8 * HOUR
    assert summary.days[4].last_activity.hour == 17
    assert summary.total("break_seconds") == 0 and summary.breaks_taken == 0
    following = build_summary(writer.store, W47.next(), clock, writer.vault)
    assert following.days[0].working_seconds == 3 * HOUR + 5 * MINUTE
    assert (following.days[0].first_activity.hour, following.days[0].first_activity.minute) == (8, 55)
    assert following.days[0].longest_stretch_seconds == 3 * HOUR + 5 * MINUTE


def test_locked_journal_keeps_plain_counts_and_says_what_needs_unlocking(ordinary: Writer, clock: FakeClock) -> None:
    summary = build_summary(ordinary.store, W47, clock, Vault(), include_highlights=True)
    assert summary.locked
    assert summary.rough_calls == 5 and summary.total("cooldowns_completed") == 2
    assert (summary.wins, summary.gratitude) == (2, 1)  # kinds and times are plain
    assert summary.rough_calls_by_category is None
    assert all(day.rough_calls_by_category is None for day in summary.days)
    assert summary.tension_before is None and summary.tension_change is None
    assert summary.checkin_days is None and summary.intentions is None and summary.highlights is None
    assert summary.trend_note() == "Unlock your journal to see your mood and energy through the week."
    assert summary.sentences[0] == "You took a cooldown after 3 of 5 rough calls."


def test_highlights_only_when_asked_and_unlocked(ordinary: Writer, clock: FakeClock) -> None:
    summary = build_summary(ordinary.store, W47, clock, ordinary.vault, include_highlights=True)
    assert summary.highlights == [
        (date(2026, 11, 17), "win", "Calmed an angry caller"),
        (date(2026, 11, 19), "win", "Closed the billing backlog"),
        (date(2026, 11, 19), "gratitude", "A kind colleague"),
    ]


def test_a_record_sealed_with_another_key_is_left_out_not_fatal(ordinary: Writer, clock: FakeClock) -> None:
    other = Vault()
    other.unlock_with_data_key(b"\x01" * 32)
    summary = build_summary(ordinary.store, W47, clock, other)
    assert summary.rough_calls == 5
    assert summary.rough_calls_by_category == {} and summary.tension_before is None


def test_best_pattern_needs_enough_rated_cooldowns(writer: Writer, clock: FakeClock) -> None:
    for minute, (pattern, before, after) in enumerate(
        [("box", 8, 6), ("box", 7, 5), ("box", 6, 4), ("paced", 9, 3), ("paced", 8, 3), ("paced", 7, 2)]
    ):
        call = writer.rough_call(at(ORDINARY_MONDAY, f"10:{minute:02d}"), 3)
        writer.cooldown(at(ORDINARY_MONDAY, f"10:{minute:02d}"), call, before=before, after=after, pattern=pattern)
    summary = build_summary(writer.store, W47, clock, writer.vault)
    assert summary.best_pattern is not None
    assert (summary.best_pattern.key, summary.best_pattern.name) == ("paced", "paced breathing")
    assert summary.best_pattern.average_drop == pytest.approx(16 / 3)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 11, 20, 17, 29), None),  # Friday, before the end of the day
        (datetime(2026, 11, 20, 17, 30), "2026-W47"),
        (datetime(2026, 11, 21, 9, 0), "2026-W47"),  # Saturday: Friday's evening passed without Companion
        (datetime(2026, 11, 19, 18, 0), None),  # Thursday
    ],
)
def test_weekly_nudge_comes_after_the_last_working_day(now: datetime, expected: str | None) -> None:
    clock = FakeClock(now, tz=UTC)
    due = nudge_due(clock.now(), WorkSettings(), last_nudged_week=None)
    assert (None if due is None else str(due)) == expected


def test_weekly_nudge_comes_once_and_follows_the_working_days() -> None:
    friday_evening = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
    assert nudge_due(friday_evening, WorkSettings(), last_nudged_week="2026-W47") is None
    four_days = WorkSettings(work_days=(0, 1, 2, 3), work_end="16:00")
    assert str(nudge_due(datetime(2026, 11, 19, 16, 0, tzinfo=UTC), four_days, None)) == "2026-W47"
    assert nudge_due(datetime(2026, 11, 20, 18, 0, tzinfo=UTC), WorkSettings(work_days=()), None) is None


@given(
    start=st.floats(min_value=1.7e9, max_value=1.8e9),
    length=st.floats(min_value=0, max_value=5 * 86400),
    offset=st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_splitting_at_local_midnight_keeps_every_second_on_one_day(start: float, length: float, offset: int) -> None:
    pieces = list(split_by_local_day(start, start + length, offset))
    assert sum(end - begin for _, begin, end in pieces) == pytest.approx(length, abs=1e-3)
    for day, begin, end in pieces:
        local_begin = datetime.fromtimestamp(begin + offset * 60, UTC)
        assert local_begin.date() == day
        assert end - begin <= 86400 + 1e-6
    assert len({day for day, _, _ in pieces}) == len(pieces)


@given(
    pieces=st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 2_000)), max_size=12),
    breaks=st.lists(st.tuples(st.integers(0, 12_000), st.integers(1, 600)), max_size=5),
)
def test_longest_stretch_is_never_more_than_the_time_worked_or_the_span(
    pieces: list[tuple[int, int]], breaks: list[tuple[int, int]]
) -> None:
    spans = [(float(start), float(start + length)) for start, length in pieces]
    cuts = [(float(start), float(start + length)) for start, length in breaks]
    longest = longest_stretch(spans, cuts)
    assert longest >= 0
    if spans:
        assert longest <= max(end for _, end in spans) - min(start for start, _ in spans)
    if not cuts:
        assert longest >= max((end - start for start, end in spans), default=0)
