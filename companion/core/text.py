"""How Companion says durations, dates, times, numbers and counts in words: one home for each, used by the tray,
`companion status`, the week in review and its exports.

English is written here directly (no Babel to load for the source language); another language gets its own way
from core/locale_format.py. A count is never built here: a sentence with a count is one `ngettext` where it is said.
"""

from __future__ import annotations

from datetime import date, datetime, time

from companion.core import i18n, locale_format
from companion.core.i18n import _

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Our own names, not strftime's: those follow the process locale (Qt sets it) and '%-d' does not exist on Windows.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")  # fmt: skip


def _is_english() -> bool:
    return i18n.current_language() == i18n.SOURCE_LANGUAGE


def format_duration(seconds: float) -> str:
    """'2 h 05 min', '12 min', 'under a minute': how a rep would say it."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return _("under a minute")
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=f"{minutes:02d}")
    return _("{minutes} min").format(minutes=minutes)


def date_text(day: date, *, weekday: bool = False, short: bool = False) -> str:
    """'16 November 2026', 'Monday 16 November 2026', or short: 'Mon 16 Nov'; in another language, its own way."""
    if not _is_english():
        return locale_format.date_text(day, weekday=weekday, short=short)
    if short:
        return f"{WEEKDAY_NAMES[day.weekday()][:3]} {day.day} {MONTH_NAMES[day.month - 1][:3]}"
    text = f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
    return f"{WEEKDAY_NAMES[day.weekday()]} {text}" if weekday else text


def day_label(day: date) -> str:
    """A day of a week shown in a narrow place (a chart's axis): 'Mon 16'; in another language, its own way."""
    if not _is_english():
        return locale_format.weekday_and_day(day)
    return f"{WEEKDAY_NAMES[day.weekday()][:3]} {day.day}"


def time_text(moment: time | datetime) -> str:
    """'17:30' in English (a 24-hour clock, as Companion has always written it); in another language, its own way."""
    if not _is_english():
        return locale_format.format_time(moment)
    return f"{moment:%H:%M}"


def decimal_text(value: float, decimals: int = 1) -> str:
    """2.25 as '2.3' (one decimal by default); '2,3' in a language that writes a decimal comma."""
    if not _is_english():
        return locale_format.format_number(value, decimals=decimals)
    return f"{value:.{decimals}f}"


def number_text(value: float) -> str:
    """A number with only the digits it needs ('2', '2.5'); '2,5' in a language that writes a decimal comma."""
    if not _is_english():
        return locale_format.format_number(value)
    return f"{value:g}"
