"""The weekly summary as files: HTML (self-contained, inline SVG), CSV, JSON (companion.weekly/1) and Markdown.

The visual formats and the summary window share `report_sections`, so they show the same words and numbers in
the same order; the PDF (Qt side, companion/ui/pdf_export.py) draws these sections too. Files are written to a
private temporary file and renamed, so a failed export leaves nothing half-written behind.
"""

from __future__ import annotations

import csv
import errno
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from companion.core import i18n
from companion.core.charts import Chart, render_svg, summary_charts
from companion.core.errors import ExportError
from companion.core.i18n import _, ngettext
from companion.core.paths import unusual_target, write_private_atomically
from companion.core.summary import (
    SEVERITIES,
    TIME_OF_DAY,
    DayFigures,
    Helper,
    IsoWeek,
    WeeklySummary,
    comparison_text,
    made_text,
)
from companion.core.text import date_text, decimal_text, format_duration, time_text
from companion.core.words import category_label, severity_label

SCHEMA = "companion.weekly/1"
FORMATS = {"pdf": "pdf", "html": "html", "csv": "csv", "json": "json", "markdown": "md"}
FORMAT_ALIASES = {"md": "markdown", "htm": "html"}
NO_VALUE = "–"

PdfRenderer = Callable[[WeeklySummary], bytes]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    chart: Chart | None = None
    tables: list[Table] = field(default_factory=list)


def duration_text(seconds: float) -> str:
    """'–' for nothing at all, '< 1 min' for a few seconds (a break that was taken must not read as none)."""
    if seconds <= 0:
        return NO_VALUE
    return _("< 1 min") if seconds < 60 else format_duration(seconds)


def clock_text(moment: datetime | None) -> str:
    return NO_VALUE if moment is None else time_text(moment)


def number_text(value: float | None, digits: int = 1) -> str:
    return NO_VALUE if value is None else decimal_text(value, digits)


def count_text(value: int | None) -> str:
    return NO_VALUE if value is None else str(value)


def report_sections(summary: WeeklySummary) -> list[Section]:
    """The report in the rep's language, made when it is shown (the window, HTML, PDF, Markdown)."""
    charts = {chart.key: chart for chart in summary_charts(summary)}
    brief = [*summary.sentences, *filter(None, [comparison_text(summary.changes)])]
    return [
        Section("brief", _("Your week in brief"), brief),
        _time_section(summary, charts["activity"]),
        _rough_calls_section(summary, charts["rough_calls"]),
        _cooldowns_section(summary, charts["tension"]),
        _checkins_section(summary),
        *_highlights_section(summary),
        *_unreadable_section(summary),
    ]


def _unreadable_section(summary: WeeklySummary) -> list[Section]:
    """A damaged record is one lost record: said once, so the figures that leave it out are not taken as whole."""
    count = summary.unreadable_records
    if not count:
        return []
    sentence = ngettext(
        "{count} saved entry from this week could not be read: the stored copy is damaged. The figures above leave "
        "it out; everything else is whole.",
        "{count} saved entries from this week could not be read: the stored copy is damaged. The figures above "
        "leave them out; everything else is whole.",
        count,
    ).format(count=count)
    return [Section("unreadable", _("Could not be read"), [sentence])]


def _totals_sentence(summary: WeeklySummary) -> str:
    """'At work 2 h in all, 30 min of it on calls; 5 breaks taken, 1 postponed, 0 skipped.': one sentence per case,
    each counted by the breaks taken, so no clause is glued to another in code."""
    on_calls = summary.total("on_call_seconds")
    taken = summary.breaks_taken
    worked = int(summary.total("interrupted_breaks"))
    # In a sentence a dash for "under a minute" reads as a typo: say "none" instead.
    if on_calls < 60 and not worked:
        text = ngettext(
            "At work {total} in all, none of it on calls; {count} break taken, {postponed} postponed, "
            "{skipped} skipped.",
            "At work {total} in all, none of it on calls; {count} breaks taken, {postponed} postponed, "
            "{skipped} skipped.",
            taken,
        )
    elif on_calls < 60:
        text = ngettext(
            "At work {total} in all, none of it on calls; {count} break taken, {postponed} postponed, "
            "{skipped} skipped, {worked} worked through (not counted).",
            "At work {total} in all, none of it on calls; {count} breaks taken, {postponed} postponed, "
            "{skipped} skipped, {worked} worked through (not counted).",
            taken,
        )
    elif not worked:
        text = ngettext(
            "At work {total} in all, {calls} of it on calls; {count} break taken, {postponed} postponed, "
            "{skipped} skipped.",
            "At work {total} in all, {calls} of it on calls; {count} breaks taken, {postponed} postponed, "
            "{skipped} skipped.",
            taken,
        )
    else:
        text = ngettext(
            "At work {total} in all, {calls} of it on calls; {count} break taken, {postponed} postponed, "
            "{skipped} skipped, {worked} worked through (not counted).",
            "At work {total} in all, {calls} of it on calls; {count} breaks taken, {postponed} postponed, "
            "{skipped} skipped, {worked} worked through (not counted).",
            taken,
        )
    return text.format(
        total=duration_text(summary.total("working_seconds")),
        calls=format_duration(on_calls),
        count=taken,
        postponed=int(summary.total("postponed")),
        skipped=int(summary.total("skipped")),
        worked=worked,
    )


def _time_section(summary: WeeklySummary, chart: Chart) -> Section:
    title = _("Time at work and breaks")
    if not summary.has_activity:
        return Section("time", title, [_("No activity was recorded this week.")], chart)
    time_rows = [
        [day.weekday, duration_text(day.working_seconds), duration_text(day.on_call_seconds),
         duration_text(day.break_seconds), clock_text(day.first_activity), clock_text(day.last_activity)]
        for day in summary.days
    ]  # fmt: skip
    break_rows = [
        [day.weekday, str(day.prompted_breaks), str(day.own_breaks), str(day.natural_breaks), str(day.postponed),
         str(day.skipped), duration_text(day.longest_stretch_seconds)]
        for day in summary.days
    ]  # fmt: skip
    time_headers = [_("Day"), _("At work"), _("On calls"), _("Time on breaks"), _("First activity"),
                    _("Last activity")]  # fmt: skip
    break_headers = [_("Day"), _("Reminded"), _("On your own"), _("Natural"), _("Postponed"), _("Skipped"),
                     _("Longest stretch")]  # fmt: skip
    return Section(
        "time",
        title,
        [_totals_sentence(summary)],
        chart,
        [Table(time_headers, time_rows), Table(break_headers, break_rows)],
    )


def _count_pairs(pairs: list[tuple[str, int]]) -> str:
    """'Yelling 3, Insults 1': a label and its number, as the tables show them (no noun to agree with a count)."""
    separator = _(", ")
    return separator.join(_("{label} {count}").format(label=label, count=count) for label, count in pairs)


def _rough_calls_section(summary: WeeklySummary, chart: Chart) -> Section:
    title = _("Rough calls")
    if summary.rough_calls == 0:
        return Section("rough_calls", title, [_("No rough calls were tagged this week.")], chart)
    rows = [[day.weekday, *(str(n) for n in day.rough_calls_by_severity), str(day.rough_calls)] for day in summary.days]
    by_time = _count_pairs([(_(label), summary.rough_calls_by_time_of_day[key]) for key, label, *_rest in TIME_OF_DAY])
    paragraphs = [
        ngettext(
            "{count} rough call. By time of day: {times}.",
            "{count} rough calls. By time of day: {times}.",
            summary.rough_calls,
        ).format(count=summary.rough_calls, times=by_time)
    ]
    tables: list[Table] = []
    if summary.rough_calls_by_category is None:
        paragraphs.append(_("Unlock your journal to see the kinds of calls you tagged."))
    elif summary.rough_calls_by_category:
        kinds = _count_pairs([(category_label(name), count) for name, count in summary.rough_calls_by_category.items()])
        paragraphs.append(_("By kind: {kinds}.").format(kinds=kinds))
        tables.append(Table([_("Day"), _("Kinds of call")], [[day.weekday, _kinds_text(day)] for day in summary.days]))
    else:
        paragraphs.append(_("No kinds were given for these calls."))
    headers = [_("Day"), *(severity_label(level) for level in SEVERITIES), _("Total")]
    return Section("rough_calls", title, paragraphs, chart, [Table(headers, rows), *tables])


def _kinds_text(day: DayFigures) -> str:
    kinds = day.rough_calls_by_category or {}
    ordered = sorted(kinds.items(), key=lambda item: -item[1])
    return _count_pairs([(category_label(name), count) for name, count in ordered]) or NO_VALUE


def _pattern_text(helper: Helper | None) -> str:
    if helper is None:
        return _("It is too early to tell which breathing pattern eases your tension most; a few more rated "
                 "cooldowns will show it.")  # fmt: skip
    return ngettext(
        "The breathing pattern that eased your tension most was {name}: {points} points on average over {count} "
        "cooldown.",
        "The breathing pattern that eased your tension most was {name}: {points} points on average over {count} "
        "cooldowns.",
        helper.samples,
    ).format(name=_(helper.name), points=decimal_text(helper.average_drop), count=helper.samples)


def _preset_text(helper: Helper | None) -> str:
    if helper is None:
        return _("It is too early to tell which cooldown length eases your tension most; a few more rated "
                 "cooldowns will show it.")  # fmt: skip
    return ngettext(
        "The cooldown length that eased your tension most was {name}: {points} points on average over {count} "
        "cooldown.",
        "The cooldown length that eased your tension most was {name}: {points} points on average over {count} "
        "cooldowns.",
        helper.samples,
    ).format(name=_(helper.name), points=decimal_text(helper.average_drop), count=helper.samples)


def _signed(value: float) -> str:
    """'+1.5', '-2.0': a change with its sign, in the language's digits."""
    return ("+" if value >= 0 else "-") + decimal_text(abs(value))


def _cooldowns_section(summary: WeeklySummary, chart: Chart) -> Section:
    title = _("Cooldowns")
    offered = int(summary.total("cooldowns_offered"))
    if offered == 0:
        return Section("cooldowns", title, [_("No cooldowns were offered this week.")], chart)
    paragraphs = [
        _("{offered} offered, {started} started, {completed} completed, {cut_short} cut short.").format(
            offered=offered,
            started=int(summary.total("cooldowns_started")),
            completed=int(summary.total("cooldowns_completed")),
            cut_short=int(summary.total("cooldowns_cut_short")),
        )
    ]
    if summary.locked:
        paragraphs.append(_("Unlock your journal to see how tense you felt before and after your cooldowns."))
    elif summary.rated_cooldowns == 0:
        paragraphs.append(_("None of this week's cooldowns were rated, so there is no before and after to show."))
    else:
        change = summary.tension_change or 0.0
        paragraphs.append(
            ngettext(
                "Tension before a cooldown averaged {before} and after {after}: a change of {change} points over "
                "{count} rated cooldown.",
                "Tension before a cooldown averaged {before} and after {after}: a change of {change} points over "
                "{count} rated cooldowns.",
                summary.rated_cooldowns,
            ).format(
                before=number_text(summary.tension_before),
                after=number_text(summary.tension_after),
                change=_signed(change),
                count=summary.rated_cooldowns,
            )
        )
        paragraphs.append(_pattern_text(summary.best_pattern))
        paragraphs.append(_preset_text(summary.best_preset))
    return Section("cooldowns", title, paragraphs, chart)


def _journal_sentence(summary: WeeklySummary) -> str:
    """'Journal: 2 wins and 1 gratitude entry written; 3 intentions set.' Three counts cannot share one ngettext, so
    each count is its own counted phrase, placed into one translated sentence (never glued with words from code)."""
    wins = ngettext("{count} win", "{count} wins", summary.wins).format(count=summary.wins)
    gratitude = ngettext("{count} gratitude entry", "{count} gratitude entries", summary.gratitude).format(
        count=summary.gratitude
    )
    if summary.intentions is None:
        return _("Journal: {wins} and {gratitude} written.").format(wins=wins, gratitude=gratitude)
    intentions = ngettext("{count} intention", "{count} intentions", summary.intentions).format(
        count=summary.intentions
    )
    return _("Journal: {wins} and {gratitude} written; {intentions} set.").format(
        wins=wins, gratitude=gratitude, intentions=intentions
    )


def _checkins_section(summary: WeeklySummary) -> Section:
    paragraphs = []
    tables = []
    note = summary.trend_note()
    if summary.checkin_days:
        paragraphs.append(
            _("Mood (1 to 5): high {mood_high}, low {mood_low}, average {mood_average}. "
              "Energy: high {energy_high}, low {energy_low}, average {energy_average}.").format(
                mood_high=count_text(summary.mood_high),
                mood_low=count_text(summary.mood_low),
                mood_average=number_text(summary.mood_average),
                energy_high=count_text(summary.energy_high),
                energy_low=count_text(summary.energy_low),
                energy_average=number_text(summary.energy_average),
            )
        )  # fmt: skip
        tables.append(Table([_("Day"), _("Mood"), _("Energy")], [_mood_row(day) for day in summary.days]))
    if note:
        paragraphs.append(note)
    paragraphs.append(_journal_sentence(summary))
    return Section("checkins", _("Check-ins and journal"), paragraphs, None, tables)


def _mood_row(day: DayFigures) -> list[str]:
    return [day.weekday, count_text(day.mood), count_text(day.energy)]


def _highlights_section(summary: WeeklySummary) -> list[Section]:
    if not summary.highlights_asked:
        return []
    title = _("Highlights")
    if summary.highlights is None:
        return [Section("highlights", title, [_("Your highlights need the journal unlocked; they were left out.")])]
    if not summary.highlights:
        return [Section("highlights", title, [_("No wins or gratitude were written this week.")])]
    rows = [
        [date_text(day, short=True), _("Win") if kind == "win" else _("Gratitude"), words]
        for day, kind, words in summary.highlights
    ]
    return [Section("highlights", title, [], None, [Table([_("Day"), _("Kind"), _("In your words")], rows)])]


# --- HTML ---------------------------------------------------------------------------------------------------------

_CSS = """
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #1a1a1a; background: #fff; margin: 0 auto;
       max-width: 760px; padding: 24px; line-height: 1.45; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #999; padding-bottom: 0.2em; }
.chart svg { max-width: 100%; height: auto; }
.chart, table { break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #999; padding: 3px 8px; text-align: left; }
th { background: #eee; }
footer { margin-top: 2em; font-size: 0.85em; color: #333; border-top: 1px solid #999; padding-top: 0.5em; }
@page { margin: 16mm; }
@media print { body { padding: 0; max-width: none; } }
""".strip()


def to_html(summary: WeeklySummary) -> str:
    """One self-contained page: inline styles and SVG charts, no scripts, nothing fetched from anywhere."""
    body = [f"<h1>{escape(summary.title)}</h1>", f"<p>{made_text(summary.made_at)}</p>"]
    for section in report_sections(summary):
        body.append(f'<section id="{section.key}"><h2>{escape(section.title)}</h2>')
        body.extend(f"<p>{escape(paragraph)}</p>" for paragraph in section.paragraphs)
        if section.chart is not None:
            body.append(f'<figure class="chart">{render_svg(section.chart)}</figure>')
        body.extend(html_table(table) for table in section.tables)
        body.append("</section>")
    body.append(f"<footer>{escape(summary.footer)}</footer>")
    return (
        f'<!DOCTYPE html>\n<html lang="{html_language()}"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{escape(summary.title)}</title><style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def html_language() -> str:
    """The page's lang attribute (BCP 47: pt-BR), so screen readers speak it in the rep's language."""
    return i18n.current_language().replace("_", "-")


def html_table(table: Table, attributes: str = "") -> str:
    """A table as HTML; Qt's rich text (PDF, window) takes `attributes` such as border="1" where CSS cannot reach."""
    head = "".join(f'<th scope="col" align="left">{escape(cell)}</th>' for cell in table.headers)
    rows = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in table.rows)
    opening = f"<table {attributes}>" if attributes else "<table>"
    return f"{opening}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


# --- Markdown -----------------------------------------------------------------------------------------------------


def to_markdown(summary: WeeklySummary) -> str:
    lines = [f"# {summary.title}", "", made_text(summary.made_at), ""]
    for section in report_sections(summary):
        lines += [f"## {section.title}", ""]
        for paragraph in section.paragraphs:
            lines += [_md_escape(paragraph), ""]
        for table in section.tables:
            lines.append("| " + " | ".join(table.headers) + " |")
            lines.append("|" + "---|" * len(table.headers))
            lines += [
                "| " + " | ".join(_md_escape(cell).replace("|", "\\|") for cell in row) + " |" for row in table.rows
            ]
            lines.append("")
    lines += ["---", "", f"*{summary.footer}*", ""]
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    """The rep's own words stay words: no accidental headings, lists, links or emphasis in their note app."""
    for char in "\\`*_[]<>#":
        text = text.replace(char, "\\" + char)
    return text


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


# --- files --------------------------------------------------------------------------------------------------------


def normalise_format(name: str) -> str:
    cleaned = FORMAT_ALIASES.get(name.strip().lower(), name.strip().lower())
    if cleaned not in FORMATS:
        raise ExportError(
            _("Companion cannot export '{name}'; choose one of pdf, html, csv, json or markdown.").format(name=name)
        )
    return cleaned


def default_file_name(week: IsoWeek, fmt: str) -> str:
    return f"companion-week-{week}.{FORMATS[normalise_format(fmt)]}"  # i18n: not for reps (a file name)


def events_path(path: Path) -> Path:
    """Where the events CSV goes: beside the main CSV, `-events` added to its name."""
    return path.with_name(f"{path.stem}-events{path.suffix or '.csv'}")


def render(summary: WeeklySummary, fmt: str, pdf: PdfRenderer | None = None) -> bytes:
    fmt = normalise_format(fmt)
    if fmt == "pdf":
        if pdf is None:
            raise ExportError(_("PDF export needs Companion's display parts, which are not available here."))
        return pdf(summary)
    text = {"html": to_html, "json": to_json, "markdown": to_markdown}.get(fmt)
    return (text(summary) if text else to_csv([summary])).encode("utf-8")


def export_summary(
    summary: WeeklySummary,
    fmt: str,
    path: Path,
    *,
    events: bool = False,
    pdf: PdfRenderer | None = None,
    before_write: Callable[[], None] = lambda: None,
) -> list[Path]:
    """Write the summary as `fmt` to `path` (and the events CSV beside it if asked); the files written.

    `before_write` runs once everything is rendered and nothing is written yet: an export on a worker raises there
    when the rep closed the window meanwhile, so a cancelled export leaves no file."""
    fmt = normalise_format(fmt)
    data = render(summary, fmt, pdf)
    events_data = events_csv([summary]).encode("utf-8") if events and fmt == "csv" else None
    before_write()
    written = [save_export(path, data)]
    if events_data is not None:
        written.append(save_export(events_path(path), events_data))
    return written


def save_export(path: Path, data: bytes) -> Path:
    """Write atomically; a failure becomes an ExportError with a sentence, and no partial file is left."""
    refuse_unusual_target(path)
    try:
        write_private_atomically(path, data)
    except OSError as error:
        raise ExportError(_explain_write_error(path, error)) from error
    return path


def refuse_unusual_target(path: Path) -> None:
    """Only regular files are written: a link, pipe, device or folder at `path` is refused with a sentence."""
    found = unusual_target(path)
    if found is not None:
        raise ExportError(
            _(
                "{path} is {found}, not an ordinary file, so Companion did not write there. Choose a new file name."
            ).format(path=path, found=found)
        )


def _explain_write_error(path: Path, error: OSError) -> str:
    name, parent = path.name, path.parent
    if error.errno in {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}:
        return _(
            "There is not enough room to save {name} in {parent}. Free some space or choose another place."
        ).format(name=name, parent=parent)
    if error.errno in {errno.EACCES, errno.EPERM, errno.EROFS}:
        return _("Companion is not allowed to save in {parent}. Choose another folder, such as your Documents.").format(
            parent=parent
        )
    if error.errno in {errno.ENOENT, errno.ENOTDIR}:
        return _("The folder {parent} does not exist. Choose another place to save {name}.").format(
            name=name, parent=parent
        )
    if error.errno == errno.EISDIR:
        return _("{path} is a folder. Choose a file name to save the summary as.").format(path=path)
    return _("Companion could not save {name} in {parent} ({reason}).").format(
        name=name, parent=parent, reason=error.strerror or error
    )
