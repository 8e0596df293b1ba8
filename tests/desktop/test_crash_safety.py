"""Crash safety: the real app is killed with SIGKILL at random moments while it takes writes over its socket.

Every write it acknowledged must be there afterwards, the database must pass integrity_check, and the app must
start normally again. 50 kills in the regular suite; COMPANION_CRASH_KILLS=200 for a longer run.
"""

import os
import random
import signal
import sqlite3
import threading
import time

import pytest

from companion.core.ipc import IpcError, Request
from companion.ipc_client import NoRunningInstance, send
from tests import desktop

pytestmark = [pytest.mark.desktop, pytest.mark.slow]
KILLS = int(os.environ.get("COMPANION_CRASH_KILLS", "50"))


class Writer(threading.Thread):
    """Sends tags and quick journal entries one after another; remembers what was acknowledged."""

    def __init__(self, data_dir, rng: random.Random, cycle: int) -> None:
        super().__init__(daemon=True)
        self.data_dir, self.rng, self.cycle = data_dir, rng, cycle
        self.rough_call_ids: list[int] = []
        self.entry_uids: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                if self.rng.random() < 0.5:
                    reply = send(
                        self.data_dir, Request("tag", {"severity": self.rng.randint(1, 5), "tags": ["yelling"]})
                    )
                    if reply.ok:
                        self.rough_call_ids.append(reply.data["rough_call_id"])
                else:
                    text = f"cycle {self.cycle} win {n}"
                    reply = send(self.data_dir, Request("journal", {"kind": "win", "text": text}))
                    if reply.ok:
                        self.entry_uids.append(reply.data["entry_uid"])
            except (NoRunningInstance, IpcError, OSError):
                return  # killed mid-write: that write was never acknowledged


def ready(data_dir) -> bool:
    try:
        return send(data_dir, Request("ping"), timeout=1).data.get("journal_unlocked") is True
    except (NoRunningInstance, IpcError, OSError):
        return False


def test_acknowledged_writes_survive_sigkill(secret_service, tmp_path):
    data_dir = tmp_path / "data"
    env = {**secret_service, "QT_QPA_PLATFORM": "offscreen", "COMPANION_DATA_DIR": str(data_dir)}
    rng = random.Random(20261123)
    acknowledged_calls: list[int] = []
    acknowledged_entries: list[str] = []
    for cycle in range(KILLS):
        app = desktop.start_companion(env)
        try:
            desktop.wait_until(lambda: ready(data_dir), timeout=30, interval=0.05, what=f"start {cycle}")
            writer = Writer(data_dir, rng, cycle)
            writer.start()
            time.sleep(rng.uniform(0.02, 0.4))
            os.kill(app.pid, signal.SIGKILL)
            app.wait(10)
            writer.stop.set()
            writer.join(10)
        finally:
            _, errors = desktop.finish(app)
        assert "Traceback" not in errors, errors
        acknowledged_calls += writer.rough_call_ids
        acknowledged_entries += writer.entry_uids

        db = sqlite3.connect(data_dir / "companion.db")
        try:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            calls = {row[0] for row in db.execute("SELECT id FROM rough_calls")}
            entries = {row[0] for row in db.execute("SELECT uid FROM journal_entries")}
        finally:
            db.close()
        assert set(acknowledged_calls) <= calls, f"cycle {cycle}: acknowledged rough calls lost"
        assert set(acknowledged_entries) <= entries, f"cycle {cycle}: acknowledged journal entries lost"
        assert not list(data_dir.glob("companion.db.broken-*")), "a kill must never leave a database it cannot read"

    assert len(acknowledged_calls) + len(acknowledged_entries) > KILLS  # the writes really happened
    final = desktop.start_companion(env)
    try:
        desktop.wait_until(lambda: ready(data_dir), timeout=30, what="the last start")
        status = send(data_dir, Request("ping")).data
        assert status["rough_interactions_today"] >= 0
    finally:
        desktop.finish(final)
