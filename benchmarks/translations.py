"""What a language costs at start: loading its catalogue, and the first locale-aware date (Babel's import).

    python benchmarks/translations.py [--runs 7]

Each figure is the median over fresh interpreters, so imports are paid every time, as at a real start.
footprint.py also times start-to-tray with a German catalogue against English.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

from _desktop import REPO
from _table import Figure, print_table

PROBE = """
import time
from companion.core import i18n
from companion.resources import resources_root
resources_root()
started = time.perf_counter()
i18n.activate("{language}")
i18n._("Language")
loaded = time.perf_counter()
from datetime import date
from companion.core import locale_format
before_date = time.perf_counter()
locale_format.date_text(date(2026, 11, 23), weekday=True)
formatted = time.perf_counter()
print((loaded - started) * 1000, (formatted - before_date) * 1000)
"""


def probe(language: str) -> tuple[float, float]:
    result = subprocess.run([sys.executable, "-c", PROBE.format(language=language)], cwd=REPO, capture_output=True,
                            text=True, check=True, timeout=60)  # fmt: skip
    catalogue, first_date = (float(part) for part in result.stdout.split())
    return catalogue, first_date


def run(runs: int = 7) -> list[Figure]:
    english = [probe("en") for _ in range(runs)]
    german = [probe("de") for _ in range(runs)]
    return [
        Figure("activate English (its plural-only catalogue)", statistics.median(e[0] for e in english), "ms"),
        Figure("activate German (load its catalogue)", statistics.median(g[0] for g in german), "ms", target=10),
        Figure("first German date (imports Babel, lazily)", statistics.median(g[1] for g in german), "ms", target=60),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    print_table(run(parser.parse_args().runs))
