"""Database size per simulated year of realistic use (issue 8: at most 1 MB of activity data a year).

The year is the export benchmark's heavy year (tests/summary_fixtures.write_heavy_year): every working day about
8.5 h of activity intervals, prompted and natural breaks, 50 rough calls each with a rated cooldown, a check-in and
a win, sealed with a real Vault, written into a real Store (the product's schema and migrations). Sizes come from
SQLite's own page accounting (the dbstat table), after a VACUUM, so they are what the tables hold, not free pages.

"Activity data" is the plain, unsealed record of the working day: activity_intervals and breaks, with their
indexes. Rough calls, cooldowns and the journal are reported beside it, and the whole file.

python benchmarks/db_size.py [--years 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(Path(__file__).resolve().parent)]

from _table import Figure, print_table  # noqa: E402

TARGET_ACTIVITY_MB = 1.0
ACTIVITY_TABLES = ("activity_intervals", "breaks")
OTHER_TABLES = ("rough_calls", "cooldowns", "journal_entries")
MB = 1_000_000


def table_bytes(connection: object, table: str) -> int:
    """Bytes in the pages of a table and of every index on it."""
    row = connection.execute(  # type: ignore[attr-defined]
        "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?1 "
        "OR name IN (SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?1)",
        (table,),
    ).fetchone()
    return int(row[0])


def run(years: int = 1, calls_per_day: int = 50) -> list[Figure]:
    from companion.core.store import Store
    from tests.summary_fixtures import open_writer, write_heavy_year

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "companion.db"
        writer = open_writer(path)
        for offset in range(years):
            write_heavy_year(writer, year=2026 + offset, calls_per_day=calls_per_day)
        connection = writer.store.connection
        connection.execute("VACUUM")  # count what the rows take, not pages freed along the way
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ACTIVITY_TABLES}
        working_days = connection.execute(
            "SELECT count(DISTINCT CAST((start_utc + utc_offset_minutes * 60) / 86400 AS INTEGER)) "
            "FROM activity_intervals"
        ).fetchone()[0]
        activity = sum(table_bytes(connection, t) for t in ACTIVITY_TABLES)
        others = {t: table_bytes(connection, t) for t in OTHER_TABLES}
        writer.store.close()
        whole = path.stat().st_size
        # Store.open runs PRAGMA quick_check before the tray shows, so start time grows with the file.
        began = time.perf_counter()
        Store.open(path).close()
        open_ms = (time.perf_counter() - began) * 1000
    per_year = 1 / years
    row_bytes = activity / max(1, sum(rows.values()))
    # The heavy year's intervals last minutes. A softphone that opens the microphone per call would give every call
    # its own on_call interval and an active wrap-up after it: priced here at the bytes per row measured above.
    per_call_rows = 2 * calls_per_day * working_days * per_year
    return [
        Figure(f"DB: activity data per year ({rows['activity_intervals'] * per_year:.0f} intervals, "
               f"{rows['breaks'] * per_year:.0f} breaks)", activity * per_year / MB, "MB", target=TARGET_ACTIVITY_MB),
        Figure("DB: activity data per row (intervals and breaks)", row_bytes, "bytes"),
        Figure(f"DB: same, + 2 intervals per call ({per_call_rows:.0f} rows)",
               (activity * per_year + per_call_rows * row_bytes) / MB, "MB"),
        Figure("DB: rough calls + cooldowns per year", (others["rough_calls"] + others["cooldowns"]) * per_year / MB,
               "MB"),
        Figure("DB: journal entries per year", others["journal_entries"] * per_year / MB, "MB"),
        Figure("DB: activity share of the whole file", 100 * activity / whole, "%"),
        Figure("DB: whole file per year", whole * per_year / MB, "MB"),
        Figure(f"DB: Store.open with quick_check, {years} year(s) of data", open_ms, "ms"),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=int, default=1)
    figures = run(parser.parse_args().years)
    print_table(figures)
    return 1 if any(f.verdict == "MISSED" for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
