"""Faults a rep's machine really has at start (issue 13): each ends in a window with a sentence, the same sentence
in companion.log, and where waiting can fix it (a lock, a full disk) Companion stays in the tray and starts by itself
once the fault clears. The real app under Xvfb with a tray host; real locks, mounts and users."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from companion.core.store import Store
from tests import desktop
from tests.faults import HeldLock, fill, mounted, other_user

pytestmark = [pytest.mark.desktop]

WAITING, CANNOT = "Companion is waiting to start", "Companion cannot start"


@pytest.fixture
def app_env(desktop_env, tray_host, tmp_path):
    return {**desktop_env, "QT_QPA_PLATFORM": "xcb", "COMPANION_DATA_DIR": str(tmp_path / "data")}


def window_titled(env: dict[str, str], title: str) -> list[str]:
    xdotool = desktop.need("xdotool", "xdotool")
    found = subprocess.run([xdotool, "search", "--onlyvisible", "--name", f"^{title}$"], env=env,
                           capture_output=True, text=True)  # fmt: skip
    return found.stdout.split()


def logged(data: Path, words: str) -> bool:
    log = data / "logs" / "companion.log"
    return log.exists() and words in log.read_text(encoding="utf-8")


def a_database(data: Path) -> Path:
    Store.open(data / "companion.db").close()
    return data / "companion.db"


def running(env: dict[str, str]) -> bool:
    return desktop.status_json(env).get("running") is True


def quit_app(env: dict[str, str], app: subprocess.Popen) -> None:
    subprocess.run(desktop.companion_command("quit"), env=env, capture_output=True, timeout=30)
    app.wait(timeout=20)


def test_a_database_locked_by_sqlite3_waits_in_the_tray_and_starts_once_it_is_free(app_env, tmp_path):
    data = Path(app_env["COMPANION_DATA_DIR"])
    with HeldLock(a_database(data)) as lock:
        app = desktop.start_companion(app_env)
        try:
            desktop.wait_until(lambda: window_titled(app_env, WAITING), timeout=30, what="the waiting window")
            assert logged(data, "Another program is holding Companion's database")
            assert desktop.tray_icon(app_env) is not None  # the tray stays while it waits
            desktop.screenshot(app_env, "start-fault-locked")
            assert app.poll() is None
            lock.release()
            desktop.wait_until(lambda: running(app_env), timeout=30, what="the app to start once the lock went")
            assert not window_titled(app_env, WAITING)
            quit_app(app_env, app)
        finally:
            _, errors = desktop.finish(app)
    assert "Traceback" not in errors
    assert logged(data, "the fault at start has cleared")


def test_a_full_disk_waits_in_the_tray_and_starts_once_there_is_room(app_env, tmp_path):
    data = Path(app_env["COMPANION_DATA_DIR"])
    logs = tmp_path / "logs-elsewhere"
    logs.mkdir()
    with mounted("-t", "tmpfs", "-o", "size=2m", "tmpfs", target=data):
        a_database(data)
        (data / "logs").mkdir(exist_ok=True)
        # The log stays on a disk with room, so the sentence can be read there too.
        with mounted("--bind", str(logs), target=data / "logs"):
            filler = fill(data)
            app = desktop.start_companion(app_env)
            try:
                desktop.wait_until(lambda: window_titled(app_env, WAITING), timeout=30, what="the waiting window")
                assert logged(data, "is full. Free some space")
                assert app.poll() is None
                filler.unlink()
                desktop.wait_until(lambda: running(app_env), timeout=30, what="the app to start once there was room")
                quit_app(app_env, app)
            finally:
                _, errors = desktop.finish(app)
    assert "Traceback" not in errors


def test_a_read_only_mount_says_so_in_a_window_and_closing_it_ends_companion(app_env, tmp_path):
    data = Path(app_env["COMPANION_DATA_DIR"])
    source = tmp_path / "source"
    a_database(source)
    (source / "logs").mkdir()
    logs = tmp_path / "writable-logs"
    logs.mkdir()
    with mounted("--bind", "-o", "ro", str(source), target=data), mounted("--bind", str(logs), target=data / "logs"):
        app = desktop.start_companion(app_env)
        try:
            window = desktop.wait_until(lambda: window_titled(app_env, CANNOT), timeout=30, what="the window")
            assert logged(data, "read-only")
            desktop.screenshot(app_env, "start-fault-read-only")
            subprocess.run(["xdotool", "windowfocus", "--sync", window[0], "key", "Return"], env=app_env,
                           timeout=10, check=False)  # fmt: skip
            assert app.wait(timeout=20) == 1
            status = subprocess.run(desktop.companion_command("status", "--json"), env=app_env, capture_output=True,
                                    text=True, timeout=30)  # fmt: skip
            assert status.returncode == 0, status.stderr  # a read-only command still reads a read-only mount
        finally:
            _, errors = desktop.finish(app)
    assert "Traceback" not in errors
    assert sorted(path.name for path in source.iterdir()) == ["companion.db", "logs"]  # nothing quarantined


def test_a_data_folder_owned_by_another_user_is_refused_with_a_sentence(app_env, tmp_path):
    data = Path(app_env["COMPANION_DATA_DIR"])
    data.mkdir(parents=True)
    with other_user() as name:
        shutil.chown(data, user=name)
        os.chmod(data, 0o700)
        app = desktop.start_companion(app_env)
        try:
            desktop.wait_until(lambda: window_titled(app_env, CANNOT), timeout=30, what="the window")
            assert logged(data, f"belongs to another user ({name})")
            assert not (data / "companion.db").exists()  # nothing written into someone else's folder
        finally:
            _, errors = desktop.finish(app)
    assert "Traceback" not in errors


@pytest.mark.parametrize(
    "settings",
    [
        "folder",  # unreadable: a folder where the file should be
        '{"work": {"break_interval_minutes": 1e400}}',
        "[" * 100_000 + "]" * 100_000,
        "{" + '"a":' * 5 + "x" * 300_000,
    ],
    ids=["a-folder", "1e400", "100000-deep", "300-KB"],
)
def test_any_settings_file_lets_companion_start_and_an_unusable_one_is_said(app_env, settings):
    data = Path(app_env["COMPANION_DATA_DIR"])
    (data / "config").mkdir(parents=True)
    target = data / "config" / "settings.json"
    if settings == "folder":
        target.mkdir()
    else:
        target.write_text(settings, encoding="utf-8")
    app = desktop.start_companion(app_env)
    try:
        desktop.wait_until(lambda: running(app_env), timeout=30, what="the app to start")
        if settings.startswith('{"work"'):
            assert logged(data, "break_interval_minutes' must be a finite number") or logged(data, "too large")
        else:
            desktop.wait_until(lambda: window_titled(app_env, "Companion"), timeout=20, what="the settings notice")
            assert logged(data, "Companion could not use its settings file")
        quit_app(app_env, app)
    finally:
        _, errors = desktop.finish(app)
    assert "Traceback" not in errors and "RecursionError" not in errors and "OverflowError" not in errors


def test_status_json_still_reads_with_the_lock_held(app_env):
    """A read-only command is not stopped by a writer's lock (WAL readers never wait)."""
    data = Path(app_env["COMPANION_DATA_DIR"])
    with HeldLock(a_database(data)):
        result = subprocess.run(desktop.companion_command("status", "--json"), env=app_env, capture_output=True,
                                text=True, timeout=30)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["running"] is False
