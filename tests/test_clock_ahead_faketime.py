"""One run with the clock 30 days ahead, then one with the right time (issue 13), on the real app: libfaketime moves
the wall clock of the first process only (monotonic time stays real, as after a wrong RTC or a bad manual set)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
from datetime import date, datetime
from pathlib import Path

from companion.core.clock_repair import CLAMP_META_KEY
from tests import desktop

LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
DAY = 86_400


def intervals(data: Path) -> list[tuple[float, float]]:
    with sqlite3.connect(data / "companion.db") as conn:
        rows = conn.execute("SELECT start_utc, end_utc FROM activity_intervals ORDER BY start_utc").fetchall()
    conn.close()
    return rows


def run_once(env: dict[str, str], data: Path) -> None:
    app = desktop.start_companion(env)
    try:
        desktop.wait_until(lambda: (data / "companion.sock").exists(), timeout=60, what="the app's socket")
        desktop.wait_until(lambda: intervals(data), timeout=30, what="the first interval")
        status = desktop.status_json(env)
        assert status.get("running") is True
        subprocess.run(desktop.companion_command("quit"), env=env, capture_output=True, timeout=30)
        assert app.wait(timeout=30) == 0
    finally:
        _, errors = desktop.finish(app)
    assert "Traceback" not in errors


def test_a_month_ahead_once_and_right_the_next_time(tmp_path):
    desktop.need("faketime", "faketime")
    assert LIBFAKETIME.exists(), "the faketime package ships libfaketime here on Debian amd64"
    data = tmp_path / "data"
    env = {**os.environ, "COMPANION_DATA_DIR": str(data)}
    ahead = {**env, "LD_PRELOAD": str(LIBFAKETIME), "FAKETIME": "+30d", "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
    run_once(ahead, data)
    assert intervals(data)[-1][0] > time.time() + 29 * DAY  # the first run really filed a month ahead

    run_once(env, data)
    now = time.time()
    stored = intervals(data)
    assert all(end <= now + 120 for _, end in stored), "activity was left in the future"
    assert datetime.fromtimestamp(stored[-1][0]).date() == date.today()  # today is today again
    with sqlite3.connect(data / "companion.db") as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = ?", (CLAMP_META_KEY,)).fetchone() is not None
    conn.close()
    status = subprocess.run(desktop.companion_command("status", "--json"), env=env, capture_output=True, text=True,
                            timeout=30)  # fmt: skip
    assert '"seconds_since_last_break": ' in status.stdout
    assert json.loads(status.stdout)["seconds_since_last_break"] < DAY
