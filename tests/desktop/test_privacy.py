"""Nothing leaves the machine: the running app holds no network socket, and it works with no network at all."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import desktop

pytestmark = [pytest.mark.desktop]


def inet_socket_inodes(pid: int) -> set[str]:
    """Inodes of the process's open sockets that are TCP or UDP (IPv4 or IPv6) in its network namespace."""
    inet = set()
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6"):
        path = Path(f"/proc/{pid}/net/{table}")
        if path.exists():
            for line in path.read_text().splitlines()[1:]:
                inet.add(line.split()[9])
    owned = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            owned.add(target[len("socket:[") : -1])
    return owned & inet


def run_and_inspect(env, prefix=()):
    app = desktop.start_companion(env, "--verbose", prefix=prefix)
    try:
        desktop.wait_until(lambda: Path(env["COMPANION_DATA_DIR"], "companion.sock").exists(), timeout=30,
                           what="the app's local socket")  # fmt: skip
        found = inet_socket_inodes(app.pid)  # unshare execs the app, so the pid is the app's
        quit_result = subprocess.run(desktop.companion_command("quit"), env=env, capture_output=True, text=True)
        assert quit_result.returncode == 0, quit_result.stderr
        assert app.wait(timeout=15) == 0
    finally:
        _, errors = desktop.finish(app)
    return found, errors


def test_the_running_app_holds_no_network_socket(desktop_env, tray_host, tmp_path):
    env = {**desktop_env, "QT_QPA_PLATFORM": "xcb", "COMPANION_DATA_DIR": str(tmp_path / "data")}
    found, errors = run_and_inspect(env)
    assert found == set()
    assert "Traceback" not in errors


def test_the_app_runs_in_a_namespace_without_network(tmp_path):
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-n", "true"], capture_output=True).returncode != 0:
        message = "unshare -n needs util-linux and the right to make a network namespace (root)"
        pytest.fail(message) if desktop.IN_CI else pytest.skip(message)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COMPANION_DATA_DIR": str(tmp_path / "data")}
    found, errors = run_and_inspect(env, prefix=(unshare, "-n"))
    assert found == set()
    assert "Companion" in errors and "started" in errors
