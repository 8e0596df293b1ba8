"""The week in review in a rep's words (issue 12, item 10): plurals right in every sentence for 0, 1 and 2 of each
thing counted; no raw category key in anything a person reads (window text, PDF, HTML, Markdown) while CSV and
JSON keep the key and add the label; before and after from matched pairs only."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from companion.core.clock import FakeClock
from companion.core.rough_calls import CATEGORIES
from companion.core.summary import WeeklySummary, build_summary
from companion.core.summary_data import to_json
from companion.core.summary_documents import to_html, to_markdown
from companion.core.summary_report import report_sections
from companion.core.summary_week import IsoWeek
from companion.core.words import CATEGORY_LABELS, SEVERITY_WORDS
from tests.summary_fixtures import at, open_writer

WEEK = IsoWeek(2026, 47)
MONDAY = date(2026, 11, 16)
ONE_WITH_PLURAL = re.compile(r"\b1 (rated |rough |gratitude )?(breaks|calls|cooldowns|intentions|wins|entries)\b")
MANY_WITH_SINGULAR = re.compile(
    r"\b([02-9]|\d{2,}) (rated |rough |gratitude )?(break|call|cooldown|intention|win|entry)\b"
)


def week_with(tmp_path: Path, n: int) -> WeeklySummary:
    """A week holding exactly n of each counted thing: breaks, rough calls with their cooldowns, wins, gratitude,
    intentions, and one worked-through break when n > 0."""
    writer = open_writer(tmp_path / f"week-{n}.db")
    try:
        writer.work_day(MONDAY, [("active", "09:00", "12:00")])
        for i in range(n):
            moment = at(MONDAY, f"09:{10 + i * 10}")
            writer.break_("prompted", moment, minutes=5)
            call = writer.rough_call(moment, 5, ["blamed_me", "unreasonable_demand"])
            writer.cooldown(moment, call, before=7, after=3)
            writer.journal("win", moment, {"text": "a win", "tags": []})
            writer.journal("gratitude", moment, {"text": "thanks", "tags": []})
            writer.checkin(at(MONDAY + timedelta(days=i), "08:30"), 4, 3, "one breath")
        if n:
            writer.break_("prompted", at(MONDAY, "11:00"), minutes=5, completed=False)
        writer.cooldown(at(MONDAY, "11:30"), None, before=9, after=None)  # unmatched: never in the averages
        return build_summary(writer.store, WEEK, FakeClock(), writer.vault)
    finally:
        writer.store.close()


def every_sentence(summary: WeeklySummary) -> list[str]:
    texts = list(summary.sentences)
    for section in report_sections(summary):
        texts += section.paragraphs
    texts.append(to_markdown(summary))
    return texts


@pytest.mark.parametrize("n", [0, 1, 2])
def test_plurals_are_right_for_none_one_and_two(tmp_path: Path, n: int) -> None:
    summary = week_with(tmp_path, n)
    for text in every_sentence(summary):
        assert not ONE_WITH_PLURAL.search(text), f"a plural after 1: {text!r}"
        found = MANY_WITH_SINGULAR.search(text)
        assert not found, f"a singular after {found.group(1) if found else ''}: {text!r}"


def test_no_raw_category_key_reaches_a_reader_and_exports_keep_the_key(tmp_path: Path) -> None:
    summary = week_with(tmp_path, 2)
    readable = "\n".join(every_sentence(summary)) + to_html(summary)
    for section in report_sections(summary):
        for table in section.tables:
            readable += "\n".join(" ".join(row) for row in [table.headers, *table.rows])
    raw = [key for key in CATEGORIES if "_" in key and key in readable]
    assert raw == [], f"raw keys a rep would read: {raw}"
    assert "Blamed me personally" in readable and "Unreasonable demand" in readable
    data = json.loads(to_json(summary))
    assert data["rough_calls"]["by_category"] == {"blamed_me": 2, "unreasonable_demand": 2}
    assert data["rough_calls"]["category_labels"] == {
        "blamed_me": "Blamed me personally", "unreasonable_demand": "Unreasonable demand",
    }  # fmt: skip


def test_before_and_after_come_from_matched_pairs_only(tmp_path: Path) -> None:
    summary = week_with(tmp_path, 1)
    assert summary.rated_cooldowns == 1
    assert (summary.tension_before, summary.tension_after, summary.tension_change) == (7, 3, -4)


def test_the_panel_the_core_and_the_settings_use_the_same_severity_words() -> None:
    from companion.ui.tag_panel import chip_labels, severity_words

    assert severity_words() == SEVERITY_WORDS
    assert {key: label.replace("&", "") for key, label in chip_labels().items()} == CATEGORY_LABELS


def test_a_short_week_has_a_minutes_axis_with_round_ticks(tmp_path: Path) -> None:
    from companion.core.charts import activity_chart, nice_scale

    writer = open_writer(tmp_path / "short.db")
    try:
        writer.work_day(MONDAY, [("active", "09:00", "09:01"), ("active", "10:00", "10:25")])
        summary = build_summary(writer.store, WEEK, FakeClock(), writer.vault)
    finally:
        writer.store.close()
    chart = activity_chart(summary)
    assert chart.y_label == "Minutes" and chart.whole_numbers
    assert chart.series[0].values[0] == 26
    assert chart.value_format(chart.series[0].values[0]) == "26 min"
    top, step = nice_scale(26, whole_numbers=True)
    assert step == int(step) and top == 30


def test_a_bar_in_minutes_says_the_same_minutes_as_the_sentences(tmp_path: Path) -> None:
    """49 min 40 s of work is '49 min' in the week's sentences and table, so its bar says 49 too, not 50."""
    from companion.core.charts import activity_chart
    from companion.core.text import format_duration

    writer = open_writer(tmp_path / "short.db")
    try:
        writer.interval("active", at(MONDAY, "09:00"), at(MONDAY, "09:49") + timedelta(seconds=40))
        summary = build_summary(writer.store, WEEK, FakeClock(), writer.vault)
    finally:
        writer.store.close()
    bar = activity_chart(summary).series[0].values[0]
    assert bar is not None and activity_chart(summary).value_format(bar) == "49 min"
    assert format_duration(summary.days[0].active_seconds) == "49 min"
