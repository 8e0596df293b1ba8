"""The migration race of issue 13: the tray app migrating a large older database while `companion status` runs in
parallel. Only the app migrates; `status` reads read-only and either answers or says to start Companion once."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest

from companion.core.store import NEEDS_UPDATE, Store, latest_version, load_migrations
from companion.ipc_client import exchange
from tests import desktop

OLD_VERSION = 3  # before the journal: the upgrade adds tables and copies the whole file first
ROWS = 150_000  # about 9 MB: the backup and the check take a noticeable part of a second
RUNS = int(os.environ.get("COMPANION_RACE_RUNS", "20"))
PARALLEL_STATUS = 4


@pytest.fixture(scope="module")
def old_database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("old") / "companion.db"
    Store.open(path, migrations=load_migrations()[:OLD_VERSION], now=datetime(2026, 11, 2, 9)).close()
    with sqlite3.connect(path) as conn:
        start = datetime(2026, 1, 5, 9).timestamp()
        conn.executemany(
            "INSERT INTO activity_intervals(state, start_utc, end_utc, utc_offset_minutes) VALUES ('active', ?, ?, 60)",
            ((start + i * 60.0, start + i * 60.0 + 55.0) for i in range(ROWS)),
        )
    conn.close()
    return path


def start_status(env: dict[str, str]) -> subprocess.Popen:
    command = desktop.companion_command("status", "--json")
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_app_start_with_four_parallel_status_commands_never_fails(old_database, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DBUS_SESSION_BUS_ADDRESS": "disabled:"}
    started = time.monotonic()
    for run in range(RUNS):
        data = tmp_path / f"run{run}"
        data.mkdir(mode=0o700)
        shutil.copy(old_database, data / "companion.db")
        run_env = {**env, "COMPANION_DATA_DIR": str(data)}
        app = desktop.start_companion(run_env)
        try:
            statuses = [start_status(run_env) for _ in range(PARALLEL_STATUS)]
            for status in statuses:
                out, err = status.communicate(timeout=60)
                assert "Traceback" not in err, err
                assert (status.returncode == 0 and out.startswith("{")) or err.strip() == NEEDS_UPDATE, (out, err)
            desktop.wait_until(lambda d=data: (d / "companion.sock").exists(), timeout=60, what="the app's socket")
            assert app.poll() is None, "the app died during the upgrade"
            exchange(str(data / "companion.sock"), b'{"command": "quit"}\n')  # in-process: no third Python
            assert app.wait(timeout=30) == 0
        finally:
            _, errors = desktop.finish(app)
        assert "Traceback" not in errors, errors
        with sqlite3.connect(data / "companion.db") as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
            assert conn.execute("SELECT count(*) FROM activity_intervals").fetchone()[0] >= ROWS
        conn.close()
        backups = sorted(p.name for p in data.iterdir() if ".bak" in p.name)
        assert len(backups) == 1 and not backups[0].startswith("."), backups  # one whole backup, no partial one
        shutil.rmtree(data)
    print(f"{RUNS} runs in {time.monotonic() - started:.1f} s")


def files_and_times(folder: Path) -> dict[str, int]:
    """A read-only SQLite connection may leave empty -wal and -shm files; anything else would be a write."""
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))}


def test_status_on_an_older_database_says_to_start_companion_and_writes_nothing(old_database, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(old_database, data / "companion.db")
    before = files_and_times(data)
    env = {**os.environ, "COMPANION_DATA_DIR": str(data)}
    for command in (("status",), ("export", "--format", "json", "--output", str(tmp_path / "week.json"))):
        result = subprocess.run(desktop.companion_command(*command), env=env, capture_output=True, text=True,
                                timeout=60)  # fmt: skip
        assert result.returncode == 1
        assert result.stderr.strip() == NEEDS_UPDATE
    assert files_and_times(data) == before  # no backup, no migration
    with sqlite3.connect(data / "companion.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == OLD_VERSION
    conn.close()
