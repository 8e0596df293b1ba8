"""The weekly summary as a report in the rep's language: sections of sentences, a chart and tables.

The summary window, HTML, Markdown and the PDF (Qt side, companion/ui/pdf_export.py) all draw these sections, so
they show the same words and numbers in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from companion.core.charts import Chart, summary_charts
from companion.core.i18n import _, ngettext
from companion.core.summary import WeeklySummary
from companion.core.summary_compare import comparison_text
from companion.core.summary_figures import SEVERITIES, TIME_OF_DAY, DayFigures, Helper
from companion.core.text import date_text, decimal_text, format_duration, time_text
from companion.core.words import category_label, severity_label

NO_VALUE = "–"


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
