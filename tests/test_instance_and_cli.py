"""Process-level behaviour, offscreen: a stale lock does not block start; the CLI works without a running app."""

import json
import os
import socket
import subprocess
import sys

import pytest

from companion import __version__
from companion.core.store import Store
from tests import desktop


@pytest.fixture
def offscreen_env(tmp_path):
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COMPANION_DATA_DIR": str(tmp_path / "data")}


def run_cli(env, *args, timeout=60):
    return subprocess.run(desktop.companion_command(*args), env=env, capture_output=True, text=True, timeout=timeout)


def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_version(offscreen_env):
    result = run_cli(offscreen_env, "--version")
    assert result.stdout.strip() == f"companion {__version__}"


def test_status_before_any_data(offscreen_env):
    result = run_cli(offscreen_env, "status")
    assert result.returncode == 0
    assert "not running" in result.stdout
    assert "No data yet" in result.stdout


def test_status_json_without_a_running_instance(offscreen_env, tmp_path):
    Store.open(tmp_path / "data" / "companion.db").close()
    result = run_cli(offscreen_env, "status", "--json")
    values = json.loads(result.stdout)
    assert values["running"] is False
    assert values["version"] == __version__
    assert values["schema_version"] >= 4


def test_forwarded_command_without_a_running_instance_says_so(offscreen_env):
    result = run_cli(offscreen_env, "show")
    assert result.returncode == 1
    assert "not running" in result.stderr


def test_a_stale_lock_from_a_crashed_run_does_not_block_start(offscreen_env, tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "companion.lock").write_text(f"{dead_pid()}\ncompanion\n{socket.gethostname()}\n")
    (data / "companion.sock").write_text("left behind by a crash")  # a stale socket path too
    app = desktop.start_companion(offscreen_env, "--verbose")
    try:
        desktop.wait_until(lambda: '"running": true' in run_cli(offscreen_env, "status", "--json").stdout,
                           timeout=30, interval=0.3, what="the app to answer")  # fmt: skip
        assert run_cli(offscreen_env, "quit").returncode == 0
        assert app.wait(timeout=15) == 0
    finally:
        _, errors = desktop.finish(app)
    assert f"Companion {__version__} started" in errors


def test_a_corrupt_database_at_start_is_kept_aside_and_the_app_works(offscreen_env, tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "companion.db").write_bytes(b"not a database, maybe a disk hiccup" * 200)
    app = desktop.start_companion(offscreen_env, "--verbose")
    try:
        desktop.wait_until(lambda: '"running": true' in run_cli(offscreen_env, "status", "--json").stdout,
                           timeout=30, interval=0.3, what="the app to answer")  # fmt: skip
        kept = list(data.glob("companion.db.broken-*"))
        assert len(kept) == 1 and kept[0].read_bytes().startswith(b"not a database")
        assert run_cli(offscreen_env, "quit").returncode == 0
        assert app.wait(timeout=15) == 0
    finally:
        _, errors = desktop.finish(app)
    assert f"the unreadable one is at {kept[0]}" in errors
