"""A kill during the pre-migration backup never leaves a half-written `.bak` named like a good one (issue 13): the
copy is written under a temporary name and renamed when complete. A real process is SIGKILLed at that moment."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from companion.core.store import Store, latest_version, load_migrations

# The child stops right before the rename (the copy is written, not yet named a backup) and waits to be killed.
CHILD = """
import os, sys, time
from pathlib import Path
from companion.core.store import Store

def stall(source, target):
    print("copied", flush=True)
    time.sleep(120)

os.replace = stall
Store.open(Path(sys.argv[1]))
"""


def test_a_kill_before_the_backup_is_complete_leaves_no_good_looking_backup(tmp_path: Path):
    path = tmp_path / "companion.db"
    Store.open(path, migrations=load_migrations()[:3], now=datetime(2026, 11, 2, 9)).close()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "copied"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert child.stdout is not None
        child.stdout.close()
    assert not list(tmp_path.glob("companion.db.*.bak"))  # nothing that looks like a good backup
    assert list(tmp_path.glob(".companion.db.*.bak.partial-*"))  # the unfinished copy says what it is

    store = Store.open(path)  # the next start migrates, with a complete backup, and clears the unfinished one
    try:
        assert store.version == latest_version()
        assert store.backup_path is not None and store.backup_path.exists()
    finally:
        store.close()
    assert not list(tmp_path.glob(".companion.db.*.partial-*"))
    with sqlite3.connect(store.backup_path) as backup:
        assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert backup.execute("PRAGMA user_version").fetchone()[0] == 3
    backup.close()
