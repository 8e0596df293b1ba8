"""The summary's charts, each defined once and drawn as SVG: the window, the HTML and the PDF all show this SVG.

Colours come from palettes that stay apart in greyscale and for colour-blind readers (Okabe-Ito picked for
distinct lightness, and a viridis ramp for the ordered severities); every series also has a hatch or a
legend label, and bars carry their values, so nothing depends on colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape as html_escape

from companion.core.i18n import _
from companion.core.summary import WeeklySummary
from companion.core.summary_figures import SEVERITIES
from companion.core.text import day_label, decimal_text, number_text

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 58, 16, 40, 70
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"  # i18n: not for reps (font names)
INK = "#1a1a1a"
GRID = "#c8c8c8"
# Okabe-Ito colours ordered dark to light (greyscale lightness 87, 159, 214).
ACTIVE, ON_CALL, BREAK = "#0072B2", "#56B4E9", "#F0E442"
BEFORE, AFTER = "#D55E00", "#0072B2"
# viridis, light (mild) to dark (severe): lightness falls with severity.
SEVERITY_COLOURS = ("#FDE725", "#5EC962", "#21918C", "#3B528B", "#440154")
# The same as xml.sax.saxutils.escape (&, <, >), whose import loads urllib.request, http.client, ssl, OpenSSL's
# libcrypto and email into the tray app (about 15 MB resident, docs/performance.md).
escape = partial(html_escape, quote=False)


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: list[float | None]
    hatch: bool = False  # diagonal lines over the colour, for one more cue that is not colour


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    y_label: str
    x_labels: list[str]
    series: list[Series]
    stacked: bool
    value_format: Callable[[float], str] = number_text  # how a bar's value is written on it, in the rep's language
    y_max: float | None = None  # a fixed scale (a 0-10 rating); else from the data
    whole_numbers: bool = False  # counts: no half-call ticks
    empty_message: str = ""  # said over an empty chart; "" for the general one, translated when drawn

    @property
    def empty_text(self) -> str:
        return self.empty_message or _("Nothing recorded this week.")

    @property
    def is_empty(self) -> bool:
        return not any(value for series in self.series for value in series.values if value)

    def describe(self) -> str:
        """The chart in words, for screen readers (SVG title and desc) and for the text formats."""
        parts = []
        for index, label in enumerate(self.x_labels):
            values = [
                _("{series} {value}").format(series=series.name, value=self.value_format(value))
                for series in self.series
                if (value := series.values[index])  # None (not rated) and 0 say nothing worth reading out
            ]
            shown = _(", ").join(values) if values else _("nothing")
            parts.append(_("{day}: {values}").format(day=label, values=shown))
        return _("{title}. {days}.").format(title=self.title, days=_("; ").join(parts))


def short_day_labels(summary: WeeklySummary) -> list[str]:
    return [day_label(day.day) for day in summary.days]


def _minutes(value: float) -> str:
    return _("{minutes} min").format(minutes=decimal_text(value, 0))


def _hours(value: float) -> str:
    return _("{hours} h").format(hours=decimal_text(value, 1))


def _whole(value: float) -> str:
    return decimal_text(value, 0)


def _one_decimal(value: float) -> str:
    return decimal_text(value, 1)


MINUTES_AXIS_BELOW_SECONDS = 2 * 3600  # a week whose longest day is under two hours reads better in minutes


def activity_chart(summary: WeeklySummary) -> Chart:
    longest_day = max(
        (day.active_seconds + day.on_call_seconds + day.break_seconds for day in summary.days), default=0.0
    )
    in_minutes = longest_day < MINUTES_AXIS_BELOW_SECONDS
    unit = 60 if in_minutes else 3600

    def amounts(measure: str) -> list[float | None]:
        # Whole minutes count down, as format_duration says them: a bar labelled 50 min over "49 min" in the
        # sentence beside it reads as a mistake.
        if in_minutes:
            return [float(getattr(day, measure) // 60) for day in summary.days]
        return [round(getattr(day, measure) / unit, 2) for day in summary.days]

    return Chart(
        key="activity",
        title=_("Time at work and on breaks"),
        y_label=_("Minutes") if in_minutes else _("Hours"),
        x_labels=short_day_labels(summary),
        series=[
            Series(_("At the computer"), ACTIVE, amounts("active_seconds")),
            Series(_("On calls"), ON_CALL, amounts("on_call_seconds"), hatch=True),
            Series(_("Breaks"), BREAK, amounts("break_seconds")),
        ],
        stacked=True,
        value_format=_minutes if in_minutes else _hours,
        whole_numbers=in_minutes,  # round minute ticks: 0, 10, 20..., never 0.025 h
        empty_message=_("No activity was recorded this week."),
    )


def rough_calls_chart(summary: WeeklySummary) -> Chart:
    return Chart(
        key="rough_calls",
        title=_("Rough calls by severity"),
        y_label=_("Calls"),
        x_labels=short_day_labels(summary),
        series=[
            Series(
                _("Severity {level}").format(level=level),
                SEVERITY_COLOURS[level - 1],
                [float(day.rough_calls_by_severity[level - 1]) for day in summary.days],
            )
            for level in SEVERITIES
        ],
        stacked=True,
        value_format=_whole,
        whole_numbers=True,
        empty_message=_("No rough calls were tagged this week."),
    )


def tension_chart(summary: WeeklySummary) -> Chart:
    message = (
        _("Unlock your journal to see your tension before and after cooldowns.")
        if summary.locked
        else _("No cooldowns were rated this week.")
    )
    return Chart(
        key="tension",
        title=_("Tension before and after cooldowns (0 calm, 10 very tense)"),
        y_label=_("Tension"),
        x_labels=short_day_labels(summary),
        series=[
            Series(_("Before"), BEFORE, [day.tension_before for day in summary.days]),
            Series(_("After"), AFTER, [day.tension_after for day in summary.days], hatch=True),
        ],
        stacked=False,
        value_format=_one_decimal,
        y_max=10,
        empty_message=message,
    )


def summary_charts(summary: WeeklySummary) -> list[Chart]:
    return [activity_chart(summary), rough_calls_chart(summary), tension_chart(summary)]


def nice_scale(top: float, whole_numbers: bool = False) -> tuple[float, float]:
    """(axis maximum, tick step) with round steps: 1, 2, 2.5 or 5 times a power of ten, about five ticks."""
    if top <= 0:
        return 1.0, 1.0
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if whole_numbers:
        step = max(1.0, math.ceil(step))
    return math.ceil(top / step - 1e-9) * step, step


# On screen in a dark theme: the same chart with a dark page, light ink and a dim grid. Exports stay light.
DARK_PAGE, DARK_INK, DARK_GRID = "#1e1e1e", "#ececec", "#5a5a5a"


def render_svg_for_screen(chart: Chart, dark: bool) -> str:
    """The chart for the summary window: as printed in a light theme, with inverted page and ink in a dark one."""
    svg = render_svg(chart)
    if not dark:
        return svg
    return (
        svg.replace('fill="#ffffff"', f'fill="{DARK_PAGE}"', 1)
        .replace(f'"{INK}"', f'"{DARK_INK}"')
        .replace(f'"{GRID}"', f'"{DARK_GRID}"')
    )


def render_svg(chart: Chart) -> str:
    """The chart as a standalone SVG document (no scripts, no external references)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    title_id = f"{chart.key}-title"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{title_id}" font-family="{FONT}">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f"<desc>{escape(chart.describe())}</desc>",
        f'<defs><pattern id="{chart.key}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="none"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="1.4" stroke-opacity="0.55"/></pattern></defs>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="22" font-size="15" font-weight="bold" fill="{INK}">{escape(chart.title)}</text>',
    ]
    if chart.stacked:
        heights = [sum(series.values[i] or 0 for series in chart.series) for i in range(len(chart.x_labels))]
    else:
        heights = [value or 0 for series in chart.series for value in series.values]
    y_max, step = nice_scale(chart.y_max if chart.y_max is not None else max(heights, default=0), chart.whole_numbers)
    y_max = chart.y_max if chart.y_max is not None else y_max

    def y_at(value: float) -> float:
        return TOP + plot_h - value / y_max * plot_h

    tick = 0.0
    while tick <= y_max + 1e-9:
        y = y_at(tick)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        tick_text = number_text(tick)
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="{INK}">{tick_text}</text>'
        )
        tick += step
    out.append(
        f'<text transform="translate(14 {TOP + plot_h / 2:.0f}) rotate(-90)" font-size="12" text-anchor="middle" '
        f'fill="{INK}">{escape(chart.y_label)}</text>'
    )
    slot = plot_w / max(1, len(chart.x_labels))
    for index, label in enumerate(chart.x_labels):
        centre = LEFT + slot * (index + 0.5)
        out.append(
            f'<text x="{centre:.1f}" y="{TOP + plot_h + 16}" font-size="11" text-anchor="middle" '
            f'fill="{INK}">{escape(label)}</text>'
        )
        out.extend(_bars(chart, index, centre, slot, y_at))
    out.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="{INK}" '
        'stroke-width="1.2"/>'
    )
    if chart.is_empty:
        out.append(
            f'<text x="{LEFT + plot_w / 2:.0f}" y="{TOP + plot_h / 2:.0f}" font-size="13" text-anchor="middle" '
            f'fill="{INK}">{escape(chart.empty_text)}</text>'
        )
    out.extend(_legend(chart))
    out.append("</svg>")
    return "\n".join(out)


def _bars(chart: Chart, index: int, centre: float, slot: float, y_at: Callable[[float], float]) -> list[str]:
    parts = []
    if chart.stacked:
        width = slot * 0.56
        base = 0.0
        for series in chart.series:
            value = series.values[index] or 0.0
            if value > 0:
                parts.extend(_bar(chart, series, centre - width / 2, width, y_at(base + value), y_at(base)))
            base += value
        if base > 0:
            parts.append(_value_label(centre, y_at(base) - 4, chart.value_format(base)))
        return parts
    count = len(chart.series)
    width = slot * 0.7 / count
    for number, series in enumerate(chart.series):
        shown = series.values[index]
        if shown is None:
            continue
        value = shown
        left = centre - width * count / 2 + width * number
        parts.extend(_bar(chart, series, left, width, y_at(value), y_at(0)))
        parts.append(_value_label(left + width / 2, y_at(value) - 4, chart.value_format(value)))
    return parts


def _bar(chart: Chart, series: Series, x: float, width: float, top: float, bottom: float) -> list[str]:
    height = max(bottom - top, 0.5)
    shape = f'x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}"'
    parts = [f'<rect {shape} fill="{series.colour}" stroke="{INK}" stroke-width="0.8"/>']
    if series.hatch:
        parts.append(f'<rect {shape} fill="url(#{chart.key}-hatch)" stroke="none"/>')
    return parts


def _value_label(x: float, y: float, text: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="10" text-anchor="middle" fill="{INK}">{escape(text)}</text>'


def _legend(chart: Chart) -> list[str]:
    parts = []
    x: float = LEFT
    y = HEIGHT - 22
    for series in chart.series:
        parts.extend(_bar(chart, series, x, 14, y - 11, y + 3))
        parts.append(f'<text x="{x + 19}" y="{y}" font-size="12" fill="{INK}">{escape(series.name)}</text>')
        x += 19 + 7.2 * len(series.name) + 18
    return parts
