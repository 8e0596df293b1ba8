"""Shared by the benchmarks: a private virtual desktop (the same one the tests use) and process probes."""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests import desktop  # noqa: E402


@contextmanager
def virtual_desktop(keyring: bool = True, pulse: bool = True) -> Iterator[dict[str, str]]:
    """Xvfb, a session bus, trayer, dunst, an unlocked gnome-keyring and PulseAudio; yields the environment."""
    # An installed Companion starts from bytecode (pip and PyInstaller compile it). A checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would compile all its source on every start and time the compiler instead.
    compileall.compile_dir(REPO / "companion", quiet=1)
    services = []
    scratch = Path(tempfile.mkdtemp(prefix="companion-bench-"))
    try:
        xvfb = desktop.start_xvfb()
        services.append(xvfb)
        env = {**os.environ, **xvfb.env, "QT_QPA_PLATFORM": "xcb"}
        bus = desktop.start_dbus(env)
        services.append(bus)
        env.update(bus.env)
        services.append(desktop.start_tray_host(env))
        services.append(desktop.start_notification_daemon(env, scratch / "dunst.log"))
        if keyring:
            services.append(desktop.start_secret_service(env, scratch / "keyring-home"))
        if pulse:
            pulse_service = desktop.start_pulseaudio(env, scratch / "pulse")
            services.append(pulse_service)
            env.update(pulse_service.env)
        env["COMPANION_BENCH_SCRATCH"] = str(scratch)
        yield env
    finally:
        for service in reversed(services):
            service.stop()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    """CPU time of every thread of the process, from schedstat (nanoseconds; ticks are too coarse for idle apps)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread ended while we counted
    return total / 1e9


def wait_for_tray_icon(env: dict[str, str], classname: str, started: float, timeout: float = 30.0) -> float:
    """Seconds from `started` (time.perf_counter) until a window of that class sits in the tray host's panel."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--classname", classname], env=env, capture_output=True, text=True
        ).stdout.split()
        for window in found:
            if "panel" in " ".join(desktop.ancestor_names(env, int(window))):
                return time.perf_counter() - started
        time.sleep(0.005)
    raise TimeoutError(f"no tray icon of class {classname} within {timeout} s")
