"""How Companion says durations, dates and counts in words: one home for each, used by the tray, `companion status`,
the week in review and its exports.

Plain English today; `plural` takes the count and both forms so it can later be routed through gettext's ngettext
(languages with more than two forms get them from their catalogue, not from an 's').
"""

from __future__ import annotations

from datetime import date

from companion.core import i18n, locale_format

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Our own names, not strftime's: those follow the process locale (Qt sets it) and '%-d' does not exist on Windows.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")  # fmt: skip


def plural(count: float, singular: str, plural_form: str) -> str:
    """The form of a noun that goes with `count`: plural(1, "break", "breaks") is "break", 2 or 0 give "breaks"."""
    return singular if count == 1 else plural_form


def counted(count: float, singular: str, plural_form: str) -> str:
    """The count and its noun: counted(3, "entry", "entries") is "3 entries"."""
    return f"{count:g} {plural(count, singular, plural_form)}"


def format_duration(seconds: float) -> str:
    """'2 h 05 min', '12 min', 'under a minute': how a rep would say it."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def date_text(day: date, *, weekday: bool = False, short: bool = False) -> str:
    """'16 November 2026', 'Monday 16 November 2026', or short: 'Mon 16 Nov'; in another language, its own way."""
    if i18n.current_language() != i18n.SOURCE_LANGUAGE:
        return locale_format.date_text(day, weekday=weekday, short=short)
    if short:
        return f"{WEEKDAY_NAMES[day.weekday()][:3]} {day.day} {MONTH_NAMES[day.month - 1][:3]}"
    text = f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
    return f"{WEEKDAY_NAMES[day.weekday()]} {text}" if weekday else text
