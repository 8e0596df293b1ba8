"""How long the Settings window takes to import, build and show the first time, and one applied change (offscreen).

python benchmarks/settings_window.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from _table import Figure, print_table  # noqa: E402


def run(rounds: int = 10) -> list[Figure]:
    from PySide6.QtWidgets import QApplication

    from companion.core.settings import SettingsHolder

    qapp = QApplication.instance() or QApplication([])
    started = time.perf_counter()
    from companion.ui.settings_window import SettingsWindow

    import_ms = (time.perf_counter() - started) * 1000
    builds, applies = [], []
    with tempfile.TemporaryDirectory() as folder:
        holder = SettingsHolder(Path(folder) / "settings.json")
        for round_number in range(rounds):
            started = time.perf_counter()
            window = SettingsWindow(holder)
            window.show()
            qapp.processEvents()
            builds.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            window.apply_value("work", "break_interval_minutes", 40 + round_number)
            applies.append((time.perf_counter() - started) * 1000)
            window.close()
            window.deleteLater()
            qapp.processEvents()
    return [
        Figure("settings window: import (first use)", import_ms, "ms"),
        Figure("settings window: first build and show", builds[0], "ms"),
        Figure("settings window: build and show, median", statistics.median(builds), "ms"),
        Figure("settings window: one change saved and applied", statistics.median(applies), "ms"),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    print_table(run(parser.parse_args().rounds))
