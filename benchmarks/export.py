"""Export speed on a generated heavy year: every working day of 2026 with about 8.5 h of intervals, prompted and
natural breaks, 50 rough calls each with a rated cooldown, a check-in and a win, sealed with a real Vault.

Measured from the store (reading, opening sealed content, computing) to the finished bytes, as the rep waits
for it: one week to PDF (target 1 s), one week to HTML (0.2 s), the whole year to CSV (1 s).

python benchmarks/export.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(Path(__file__).resolve().parent)]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _table import Figure, print_table  # noqa: E402

TARGETS = {"pdf": 1.0, "html": 0.2, "csv": 1.0}
WEEK = (2026, 24)


def _median_seconds(action: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        action()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def run(repeats: int = 5) -> list[Figure]:
    from PySide6.QtGui import QGuiApplication

    from companion.core.clock import SystemClock
    from companion.core.summary import WeeklySummary, build_summary
    from companion.core.summary_data import to_csv
    from companion.core.summary_documents import to_html
    from companion.core.summary_week import IsoWeek
    from companion.ui.pdf_export import render_pdf
    from tests.summary_fixtures import open_writer, write_heavy_year

    qapp = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as folder:
        writer = open_writer(Path(folder) / "companion.db")
        began = time.perf_counter()
        write_heavy_year(writer)
        generate = time.perf_counter() - began
        store, vault = writer.store, writer.vault
        calls = store.connection.execute("SELECT count(*) FROM rough_calls").fetchone()[0]
        week = IsoWeek(*WEEK)
        weeks = []
        current = IsoWeek(2026, 1)
        while current.year == 2026:
            weeks.append(current)
            current = current.next()

        def week_summary() -> WeeklySummary:
            return build_summary(store, week, clock, vault)

        pdf = _median_seconds(lambda: render_pdf(week_summary()), repeats)
        html = _median_seconds(lambda: to_html(week_summary()), repeats)
        year_csv = _median_seconds(
            lambda: to_csv([build_summary(store, w, clock, vault, compare=False) for w in weeks]),
            max(1, repeats // 2),
        )
        pdf_bytes = len(render_pdf(week_summary()))
        store.close()
    del qapp
    return [
        Figure(f"generate heavy year ({calls} rough calls)", generate, "s"),
        Figure(f"one week to PDF ({pdf_bytes // 1024} KB)", pdf, "s", target=TARGETS["pdf"]),
        Figure("one week to HTML", html, "s", target=TARGETS["html"]),
        Figure(f"whole year to CSV ({len(weeks)} weeks)", year_csv, "s", target=TARGETS["csv"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    figures = run(parser.parse_args().repeats)
    print_table(figures)
    return 1 if any(f.verdict == "MISSED" for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
