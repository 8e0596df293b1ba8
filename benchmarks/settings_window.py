"""How long the Settings window takes to build and show the first time, and one applied change (offscreen)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from companion.core.settings import SettingsHolder

    qapp = QApplication.instance() or QApplication([])
    started = time.perf_counter()
    from companion.ui.settings_window import SettingsWindow

    import_ms = (time.perf_counter() - started) * 1000
    builds, applies = [], []
    with tempfile.TemporaryDirectory() as folder:
        holder = SettingsHolder(Path(folder) / "settings.json")
        for round_number in range(10):
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
    print(
        f"settings window: import {import_ms:.0f} ms; build and show median {statistics.median(builds):.0f} ms "
        f"(first {builds[0]:.0f} ms); one change validated, saved and applied median "
        f"{statistics.median(applies):.1f} ms"
    )


if __name__ == "__main__":
    main()
