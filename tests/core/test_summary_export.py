"""Every text format made from the same fixture week, parsed back, and failures that leave nothing behind."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from companion.core.charts import (
    SEVERITY_COLOURS,
    activity_chart,
    nice_scale,
    render_svg,
    rough_calls_chart,
    summary_charts,
    tension_chart,
)
from companion.core.clock import FakeClock
from companion.core.crypto import Vault
from companion.core.errors import ExportError
from companion.core.summary import WeeklySummary, build_summary
from companion.core.summary_data import SCHEMA, events_csv, to_csv, to_json
from companion.core.summary_documents import to_html, to_markdown
from companion.core.summary_export import default_file_name, events_path, export_summary, render, save_export
from companion.core.summary_week import IsoWeek
from tests.summary_fixtures import Writer, at, open_writer, ordinary_weeks

W47 = IsoWeek(2026, 47)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def writer(tmp_path: Path) -> Writer:
    with ordinary_weeks(tmp_path / "companion.db") as writer:
        yield writer


@pytest.fixture
def summary(writer: Writer, clock: FakeClock) -> WeeklySummary:
    return build_summary(writer.store, W47, clock, writer.vault, include_highlights=True, events=True)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_one_self_contained_file_with_three_inline_charts(summary: WeeklySummary) -> None:
    page = to_html(summary)
    parsed = _Collector()
    parsed.feed(page)
    tags = [tag for tag, _ in parsed.tags]
    assert tags.count("svg") == 3
    assert {"script", "link", "img", "iframe", "object", "embed"}.isdisjoint(tags)
    for _, attrs in parsed.tags:
        for name, value in attrs.items():
            if name == "xmlns":
                continue  # a namespace name, never fetched
            assert not (name in {"src", "href"} or (value or "").startswith(("http:", "https:", "//"))), (name, value)
    assert "url(http" not in page and "@import" not in page
    text = " ".join(parsed.text)
    for expected in ("Made Monday 23 November 2026 at 09:00.", "3 of 5 rough calls", "36 h 25 min",
                     "Compared with last week: 3 fewer rough calls;",
                     "Calmed an angry caller", "Nobody else can see it unless you share it"):  # fmt: skip
        assert expected in text


def test_html_leaves_out_highlights_unless_asked(writer: Writer, clock: FakeClock) -> None:
    page = to_html(build_summary(writer.store, W47, clock, writer.vault))
    assert "Calmed an angry caller" not in page and "Highlights" not in page


def test_the_reps_words_are_escaped_in_html_and_markdown(writer: Writer, clock: FakeClock) -> None:
    writer.journal("win", at(W47.monday, "12:00"), {"text": "<b>*Stayed calm*</b> [me](http://x)", "tags": []})
    summary = build_summary(writer.store, W47, clock, writer.vault, include_highlights=True)
    assert "<b>*Stayed" not in to_html(summary) and "&lt;b&gt;*Stayed calm*&lt;/b&gt;" in to_html(summary)
    assert r"\<b\>\*Stayed calm\*\</b\> \[me\](http://x)" in to_markdown(summary)


def test_json_follows_the_versioned_schema_in_seconds_and_iso_times(summary: WeeklySummary) -> None:
    data = json.loads(to_json(summary))
    assert data["schema"] == SCHEMA == "companion.weekly/1"
    assert (data["week"], data["start"], data["end"]) == ("2026-W47", "2026-11-16", "2026-11-22")
    monday = data["days"][0]
    assert monday["active_seconds"] == summary.days[0].active_seconds == 317 * 60
    assert monday["first_activity"] == "2026-11-16T09:00:00+01:00"
    assert monday["rough_calls"]["by_severity"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}
    assert monday["rough_calls"]["by_category"] == {"billing": 2, "abusive": 1}
    assert data["totals"]["working_seconds"] == summary.total("working_seconds")
    assert data["totals"]["breaks_taken"] == 13 and data["totals"]["rough_calls"] == 5
    assert data["tension"]["change"] == pytest.approx(-7 / 3)
    assert data["tension"]["best_preset"]["key"] == "default_180"
    assert data["checkins"]["mood"] == {"high": 5, "low": 2, "average": pytest.approx(10 / 3)}
    assert data["journal"] == {"wins": 2, "gratitude": 1, "intentions": 2}
    assert next(c["text"] for c in data["comparison"]) == "3 fewer rough calls"
    assert data["highlights"][2] == {"date": "2026-11-19", "kind": "gratitude", "text": "A kind colleague"}


def test_json_without_highlights_has_no_words_of_the_rep(writer: Writer, clock: FakeClock) -> None:
    data = to_json(build_summary(writer.store, W47, clock, writer.vault))
    assert "highlights" not in json.loads(data) and "Calmed" not in data and "Take the breaks" not in data


def test_csv_is_tidy_and_reads_back_to_the_same_figures(summary: WeeklySummary) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv([summary]))))
    assert set(rows[0]) == {"week", "date", "measure", "value", "unit"}
    assert len({(row["date"], row["measure"]) for row in rows}) == len(rows)  # one row per day and measure
    values = {(row["date"], row["measure"]): row["value"] for row in rows}
    for day in summary.days:
        stamp = day.day.isoformat()
        assert float(values[stamp, "active_seconds"]) == day.active_seconds
        assert float(values[stamp, "break_seconds"]) == day.break_seconds
        assert float(values[stamp, "longest_stretch_seconds"]) == day.longest_stretch_seconds
        assert int(values[stamp, "breaks_natural"]) == day.natural_breaks
        for level in range(1, 6):
            assert int(values[stamp, f"rough_calls_severity_{level}"]) == day.rough_calls_by_severity[level - 1]
        assert values[stamp, "mood"] == ("" if day.mood is None else str(day.mood))
    assert sum(float(row["value"]) for row in rows if row["measure"] == "on_call_seconds") == 10 * 3600


def test_events_csv_lists_plain_events_only(summary: WeeklySummary, tmp_path: Path) -> None:
    written = export_summary(summary, "csv", tmp_path / "week.csv", events=True)
    assert written == [tmp_path / "week.csv", tmp_path / "week-events.csv"] == [written[0], events_path(written[0])]
    events = list(csv.DictReader(io.StringIO(written[1].read_text())))
    kinds = [event["kind"] for event in events]
    assert (kinds.count("rough_call"), kinds.count("cooldown"), kinds.count("break")) == (5, 4, 15)
    assert events[0]["at"] == "2026-11-16T09:30:00+01:00"
    assert "private note" not in events_csv([summary]) and "billing" not in events_csv([summary])


def test_markdown_pastes_as_a_note(summary: WeeklySummary) -> None:
    text = to_markdown(summary)
    assert text.startswith("# Your week in review: 16 to 22 November 2026 (2026-W47)\n")
    assert "| Monday | 7 h 17 min | 2 h 00 min | 45 min | 09:00 | 17:00 |" in text
    assert "| Monday | 0 | 1 | 0 | 1 | 0 | 2 |" in text
    assert "| Monday | billing 2, abusive 1 |" in text and "| Wednesday | – |" in text
    assert "\nMade Monday 23 November 2026 at 09:00.\n" in text
    assert text.rstrip().endswith("*Made on this device. Nobody else can see it unless you share it.*")


def test_locked_journal_exports_say_what_is_missing(writer: Writer, clock: FakeClock) -> None:
    summary = build_summary(writer.store, W47, clock, Vault(), include_highlights=True)
    text = to_markdown(summary)
    assert "Your highlights need the journal unlocked; they were left out." in text
    assert "Unlock your journal to see how tense you felt before and after your cooldowns." in text
    assert "Calmed" not in text and json.loads(to_json(summary))["journal_locked"] is True


def test_default_file_names() -> None:
    assert default_file_name(W47, "pdf") == "companion-week-2026-W47.pdf"
    assert default_file_name(IsoWeek(2027, 1), "markdown") == "companion-week-2027-W01.md"
    assert default_file_name(W47, "MD") == "companion-week-2026-W47.md"
    with pytest.raises(ExportError, match="choose one of pdf, html, csv, json or markdown"):
        default_file_name(W47, "docx")


def test_pdf_needs_its_renderer(summary: WeeklySummary) -> None:
    with pytest.raises(ExportError, match="PDF export needs"):
        render(summary, "pdf")


def test_saving_into_a_missing_folder_says_so_and_leaves_nothing(summary: WeeklySummary, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"The folder .*missing does not exist"):
        export_summary(summary, "html", tmp_path / "missing" / "week.html")
    assert not (tmp_path / "missing").exists()


def test_saving_over_a_folder_says_so_and_keeps_the_folder(summary: WeeklySummary, tmp_path: Path) -> None:
    (tmp_path / "week.html").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export_summary(summary, "html", tmp_path / "week.html")
    assert (tmp_path / "week.html").is_dir()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".week")] == []


def test_saving_under_a_file_instead_of_a_folder(summary: WeeklySummary, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="does not exist"):
        save_export(tmp_path / "notes.txt" / "week.json", b"{}")
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_full_disk_gives_a_clear_message_and_keeps_the_old_file(tmp_path: Path) -> None:
    """A real write that the OS refuses (file size limit, EFBIG), in a child process so the limit stays there."""
    target = tmp_path / "week.html"
    target.write_text("the previous export")
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from companion.core.errors import ExportError\n"
        "from companion.core.summary_export import save_export\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))\n"
        "try:\n"
        "    save_export(Path(sys.argv[1]), b'x' * 100_000)\n"
        "except ExportError as error:\n"
        "    print(error.message)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(target)], capture_output=True, text=True, timeout=60, cwd=Path.cwd()
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"There is not enough room to save week.html in {tmp_path}. Free some space or choose another place."
    )
    assert target.read_text() == "the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "week.html"]


def test_exports_are_private(summary: WeeklySummary, tmp_path: Path) -> None:
    path = export_summary(summary, "json", tmp_path / "week.json")[0]
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600


# --- charts -----------------------------------------------------------------------------------------------------


def _luma(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue


def test_each_chart_is_valid_svg_with_labelled_axes_and_a_text_description(summary: WeeklySummary) -> None:
    for chart in summary_charts(summary):
        root = ET.fromstring(render_svg(chart))
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        texts = [element.text for element in root.iter(f"{SVG}text")]
        assert chart.title in texts and chart.y_label in texts
        assert all(label in texts for label in chart.x_labels)
        assert all(series.name in texts for series in chart.series)  # a legend, not colour alone
        assert root.find(f"{SVG}desc").text == chart.describe()
        assert not any(e.get("href") or e.get("{http://www.w3.org/1999/xlink}href") for e in root.iter())


def test_chart_values_come_from_the_summary(summary: WeeklySummary) -> None:
    activity = activity_chart(summary)
    assert activity.series[0].values[0] == round(317 / 60, 2) and activity.series[1].values[0] == 2.0
    assert rough_calls_chart(summary).series[3].values[:2] == [1.0, 0.0]  # severity 4: Monday 1
    tension = tension_chart(summary)
    assert tension.series[0].values[0] == 7.0 and tension.series[1].values[0] == 4.0  # Monday: (6+8)/2, (3+5)/2
    assert "Mon 16: Before 7.0, After 4.0" in tension.describe()
    svg = render_svg(rough_calls_chart(summary))
    assert '<text x="' in svg and ">2</text>" in svg  # Monday's total written on its bar


def test_chart_colours_stay_apart_in_greyscale(summary: WeeklySummary) -> None:
    for chart in summary_charts(summary):
        lightness = sorted(_luma(series.colour) for series in chart.series)
        assert min(b - a for a, b in itertools.pairwise(lightness)) >= 25, chart.key
    assert [_luma(c) for c in SEVERITY_COLOURS] == sorted((_luma(c) for c in SEVERITY_COLOURS), reverse=True)


def test_an_empty_chart_says_why_in_words(tmp_path: Path, clock: FakeClock) -> None:
    writer = open_writer(tmp_path / "empty.db")
    locked = build_summary(writer.store, W47, clock, Vault())
    assert "Unlock your journal to see your tension" in render_svg(tension_chart(locked))
    assert "No activity was recorded this week." in render_svg(activity_chart(locked))
    writer.store.close()


@pytest.mark.parametrize(("top", "whole", "expected"), [(8.0, False, (8.0, 2.0)), (2, True, (2.0, 1.0)),
                                                        (0, False, (1.0, 1.0)), (37, False, (40.0, 10.0))])  # fmt: skip
def test_axis_scales_are_round(top: float, whole: bool, expected: tuple[float, float]) -> None:
    assert nice_scale(top, whole) == expected


def test_a_quiet_week_reads_as_sentences_one_break_and_no_calls(tmp_path: Path, clock: FakeClock) -> None:
    writer = open_writer(tmp_path / "quiet.db")
    try:
        monday = W47.monday
        writer.work_day(monday, [("active", "09:00", "09:50")])
        writer.break_("manual", at(monday, "09:50"), minutes=5)
        summary = build_summary(writer.store, W47, clock, writer.vault)
    finally:
        writer.store.close()
    text = to_markdown(summary)
    assert "At work 50 min in all, none of it on calls; 1 break taken, 0 postponed, 0 skipped." in text


def test_a_short_break_reads_as_under_a_minute_not_as_none():
    from companion.core.summary_report import NO_VALUE, duration_text

    assert duration_text(0) == NO_VALUE
    assert duration_text(12) == "< 1 min"
    assert duration_text(125 * 60) == "2 h 05 min"
