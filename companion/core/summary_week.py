"""The ISO week a summary covers and the rep's local days: records are placed by their own UTC offset.

A DST week, travel or a week across New Year count each day as it was lived; the local-day arithmetic runs for
every record of a year-long export, so it avoids datetime where it can.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from companion.core import i18n, locale_format
from companion.core.errors import ExportError
from companion.core.i18n import _
from companion.core.text import MONTH_NAMES, date_text

DAY_SECONDS = 86400
# Local days are found from each record's own offset; reading a day more on each side covers every time zone.
WINDOW_MARGIN_SECONDS = DAY_SECONDS
_WEEK_TEXT = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
WEEK_YEARS = (1971, 9998)  # the weeks `--week` accepts: well inside what datetime and the OS clock can convert


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    def __post_init__(self) -> None:
        try:
            date.fromisocalendar(self.year, self.week, 1)
        except ValueError:
            raise ExportError(_("{year} has no week {week}.").format(year=self.year, week=self.week)) from None

    @classmethod
    def parse(cls, text: str, today: date | None = None) -> IsoWeek:
        """'2026-W47', '2026W47', 'this' or 'last' (relative to `today`)."""
        cleaned = text.strip().lower()
        if cleaned in {"this", "last"}:
            if today is None:
                raise ValueError("'this' and 'last' need today's date")  # i18n: not for reps (a caller's mistake)
            current = cls.of(today)
            return current if cleaned == "this" else current.previous()
        match = _WEEK_TEXT.match(text.strip())
        if not match:
            raise ExportError(
                _("'{text}' is not a week; write it like 2026-W47, or say 'this' or 'last'.").format(text=text)
            )
        year = int(match.group(1))
        if not WEEK_YEARS[0] <= year <= WEEK_YEARS[1]:
            # Week arithmetic and local-time conversions overflow near the calendar's ends (year 1, year 9999).
            raise ExportError(
                _(
                    "'{text}' is too far from today to hold anything Companion recorded; write a week like 2026-W47."
                ).format(text=text)
            )
        return cls(year, int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        year, week, _weekday = day.isocalendar()
        return cls(year, week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=offset) for offset in range(7)]

    def previous(self) -> IsoWeek:
        return IsoWeek.of(self.monday - timedelta(days=7))

    def next(self) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(days=7))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"  # i18n: not for reps (ISO 8601, read by scripts and --week)

    def span_text(self) -> str:
        """'16 to 22 November 2026', the way a person reads a week."""
        first, last = self.days[0], self.days[-1]
        if i18n.current_language() != i18n.SOURCE_LANGUAGE:
            return locale_format.span_text(first, last)
        # English only (another language has its own way above), so these are not marked for translation.
        if first.year != last.year:
            return f"{date_text(first)} to {date_text(last)}"  # i18n: not for reps (English only)
        if first.month != last.month:
            return f"{first.day} {MONTH_NAMES[first.month - 1]} to {date_text(last)}"  # i18n: not for reps
        return f"{first.day} to {date_text(last)}"  # i18n: not for reps (English only)


def local_datetime(utc: float, offset_minutes: int) -> datetime:
    return datetime.fromtimestamp(utc, timezone(timedelta(minutes=offset_minutes)))


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def local_day(utc: float, offset_minutes: int) -> date:
    # Arithmetic, not datetime.fromtimestamp: this runs for every record of a year-long export.
    return date.fromordinal(_EPOCH_ORDINAL + int((utc + offset_minutes * 60) // DAY_SECONDS))


def local_hour(utc: float, offset_minutes: int) -> int:
    return int((utc + offset_minutes * 60) % DAY_SECONDS // 3600)


def split_by_local_day(start_utc: float, end_utc: float, offset_minutes: int) -> Iterable[tuple[date, float, float]]:
    """Pieces of [start, end) cut at the rep's local midnights: (local day, piece start UTC, piece end UTC)."""
    shift = offset_minutes * 60
    cursor = start_utc
    while cursor < end_utc:
        local = cursor + shift
        next_midnight_utc = (local // DAY_SECONDS + 1) * DAY_SECONDS - shift
        piece_end = min(end_utc, next_midnight_utc)
        yield datetime.fromtimestamp(local, UTC).date(), cursor, piece_end
        cursor = piece_end


def week_window_utc(week: IsoWeek) -> tuple[float, float]:
    """A UTC window sure to contain every record of the week, in any time zone (trimmed by local day later)."""
    start = datetime.combine(week.monday, time(), UTC).timestamp() - WINDOW_MARGIN_SECONDS
    return start, start + 7 * DAY_SECONDS + 2 * WINDOW_MARGIN_SECONDS
