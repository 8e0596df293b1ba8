"""Dates, times and numbers as the rep's language writes them, for the UI and the readable exports.

HTML, PDF and Markdown use these; CSV and JSON keep ISO formats (a spreadsheet or a script reads them, not a rep).
Babel (CLDR data) does the work: it is imported on first use, not at start (about 25 ms and 10 ms for the first
format, measured in benchmarks/footprint), and only here, so the rest of the core never pays for it.
The language is the one core/i18n.py activated, unless a caller passes another.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache
from typing import TYPE_CHECKING, Literal

from companion.core import i18n

if TYPE_CHECKING:
    from babel import Locale

Style = Literal["short", "medium", "long", "full"]


@cache
def babel_locale(language: str) -> Locale:
    from babel import Locale

    return Locale.parse(language)


def _locale(language: str | None) -> Locale:
    return babel_locale(language or i18n.current_language())


def format_date(day: date, style: Style = "medium", language: str | None = None) -> str:
    """ "Nov 23, 2026", "23 nov 2026", "23.11.2026"..."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, style, locale=_locale(language))


def format_day_month(day: date, language: str | None = None) -> str:
    """A day without its year, for a week's range: "Nov 23", "23 de nov.", "23. Nov."."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMd", day, locale=_locale(language))


def weekday_and_day(day: date, language: str | None = None) -> str:
    """A short weekday and the day of the month, for a chart's axis: "Mo., 16.", "lun. 16", "seg., 16"."""
    from babel.dates import format_skeleton

    return format_skeleton("Ed", day, locale=_locale(language))


def format_time(moment: time | datetime, language: str | None = None) -> str:
    """Hours and minutes the way the language writes them ("5:30 PM", "17:30")."""
    from babel.dates import format_time as babel_format_time

    return babel_format_time(moment, "short", locale=_locale(language))


def format_number(number: float, language: str | None = None, decimals: int | None = None) -> str:
    """1234.5 as "1,234.5", "1.234,5", "1 234,5"... with `decimals` fixed digits when given."""
    from babel.numbers import format_decimal

    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(number, format=pattern, locale=_locale(language))


def weekday_name(weekday: int, width: Literal["wide", "abbreviated"] = "wide", language: str | None = None) -> str:
    """0 = Monday, as in date.weekday(); names as they stand alone (a column header, a settings label)."""
    return str(_locale(language).days["stand-alone"][width][weekday])


def first_weekday(language: str | None = None) -> int:
    """The day a week starts on where the language is spoken (0 = Monday ... 6 = Sunday), for calendars and lists.

    For a language alone ("pt_BR", "de") CLDR answers for its main territory: Sunday in Brazil and the US,
    Monday in Germany, France and Spain.
    """
    return int(_locale(language).first_week_day)


def week_days_in_order(language: str | None = None) -> list[int]:
    """The seven weekdays (0 = Monday) in the order a calendar of this language shows them."""
    first = first_weekday(language)
    return [(first + offset) % 7 for offset in range(7)]


def date_text(day: date, *, weekday: bool = False, short: bool = False, language: str | None = None) -> str:
    """A day as the language writes it: "23. November 2026", "Montag, 23. November 2026", short "Mo., 23. Nov."."""
    from babel.dates import format_date as babel_format_date
    from babel.dates import format_skeleton

    locale = _locale(language)
    if short:
        return format_skeleton("MMMEd", day, locale=locale)
    return babel_format_date(day, "full" if weekday else "long", locale=locale)


def span_text(first: date, last: date, language: str | None = None) -> str:
    """A week as the language writes a range of days: "16.–22. Nov. 2026", "16–22 de nov. de 2026"."""
    from babel.dates import format_interval

    return format_interval(first, last, "yMMMd", locale=_locale(language))
