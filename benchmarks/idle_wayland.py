"""Idle CPU with each Wayland idle backend active: Companion against the bare tray app (the floor), on real headless
compositors: sway (org_kde_kwin_idle), KWin (ext-idle-notify-v1), mutter (IdleMonitor watches).

    python benchmarks/idle_wayland.py [--seconds 60]

Both apps run at once as Wayland clients with their icons registered as StatusNotifierItems (waybar on sway and
KWin; a minimal watcher on mutter, where no panel runs headless), settle for 5 s, then are watched while nothing
happens. The same 1.2x-the-floor target as the X11 footprint.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from _desktop import REPO, cpu_seconds
from _table import Figure, print_table
from footprint import TARGETS, settled_data_dir

from tests import desktop
from tests.desktop import compositors

COMPOSITORS = ("sway", "kwin", "mutter")


@contextmanager
def _host(env: dict[str, str], scratch: Path, compositor: str) -> Iterator[None]:
    """A StatusNotifierItem host on the session bus."""
    if compositor == "mutter":
        command = [sys.executable, str(REPO / "benchmarks" / "_sni_watcher.py")]
    else:
        config = scratch / "waybar.json"
        config.write_text(json.dumps({"layer": "top", "modules-right": ["tray"], "tray": {}}))
        command = [desktop.need("waybar", "waybar"), "-c", str(config)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)  # fmt: skip
    try:
        desktop.wait_until(lambda: desktop.bus_name_has_owner(env, "org.kde.StatusNotifierWatcher"), timeout=30)
        yield
    finally:
        desktop.stop_process(process)


@contextmanager
def wayland_session(compositor: str, scratch: Path) -> Iterator[dict[str, str]]:
    """The compositor, a session bus, an unlocked keyring and a tray host; yields the environment for clients."""
    with ExitStack() as stack:
        base = scratch / compositor
        base.mkdir()
        env = dict(os.environ)
        env.pop("DISPLAY", None)
        if compositor == "sway":
            sway = stack.enter_context(compositors.running_sway(base / "logs"))
            bus = desktop.start_dbus(env)
            stack.callback(bus.stop)
            env.update(bus.env, WAYLAND_DISPLAY=sway.socket)
        elif compositor == "kwin":
            kwin = stack.enter_context(compositors.running_kwin(base))
            env.update(DBUS_SESSION_BUS_ADDRESS=kwin.bus_address, WAYLAND_DISPLAY=kwin.socket)
        else:
            mutter = stack.enter_context(compositors.running_mutter(base))
            env.update(DBUS_SESSION_BUS_ADDRESS=mutter.bus_address,
                       WAYLAND_DISPLAY=str(mutter.runtime / mutter.wayland_display))  # fmt: skip
        runtime = Path(tempfile.mkdtemp(prefix="rt-", dir=base))
        env.update(XDG_RUNTIME_DIR=str(runtime), QT_QPA_PLATFORM="wayland")
        keyring = desktop.start_secret_service(env, base / "keyring-home")
        stack.callback(keyring.stop)
        stack.enter_context(_host(env, base, compositor))
        yield env


def measure(env: dict[str, str], seconds: float) -> tuple[float, float, str]:
    """Idle CPU (% of a core) of the floor and of Companion, and the idle source Companion chose."""
    with tempfile.TemporaryDirectory() as data_dir:
        settled_data_dir(env, data_dir)
        app_env = {**env, "COMPANION_DATA_DIR": data_dir}
        floor = subprocess.Popen([sys.executable, str(REPO / "benchmarks" / "floor_tray.py")], env=env, cwd=REPO,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        app = subprocess.Popen([sys.executable, "-m", "companion"], env=app_env, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            status = desktop.wait_until(lambda: desktop.status_json(app_env).get("idle_source"), timeout=60)
            time.sleep(5)
            before = cpu_seconds(floor.pid), cpu_seconds(app.pid)
            time.sleep(seconds)
            after = cpu_seconds(floor.pid), cpu_seconds(app.pid)
        finally:
            for process in (app, floor):
                process.terminate()
                process.wait(10)
    floor_cpu, app_cpu = (100 * (b - a) / seconds for a, b in zip(before, after, strict=True))
    return floor_cpu, app_cpu, str(status)


def run(seconds: float = 60) -> list[Figure]:
    figures = []
    scratch = Path(tempfile.mkdtemp(prefix="companion-bench-wayland-"))
    scratch.chmod(0o755)
    for compositor in COMPOSITORS:
        with wayland_session(compositor, scratch) as env:
            floor_cpu, app_cpu, source = measure(env, seconds)
        print(f"[{compositor}: {source}]", file=sys.stderr)
        figures.append(Figure(f"idle CPU on {compositor} ({source.split('(')[-1].rstrip(')')}), {seconds:.0f} s",
                              app_cpu, "% of a core", floor=floor_cpu, ratio_target=TARGETS["cpu"]))  # fmt: skip
    subprocess.run(["rm", "-rf", str(scratch)], check=False)
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    print_table(run(parser.parse_args().seconds))
