"""Start to tray, memory and idle CPU: Companion against a bare PySide6 tray app (the floor), side by side.

    python benchmarks/footprint.py [--seconds 60] [--starts 5]

Prints the figures and the ratios against the targets (start 1.3x, RSS 1.2x, idle CPU 1.2x the floor).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from _desktop import REPO, cpu_seconds, rss_mb, virtual_desktop, wait_for_tray_icon
from _table import Figure, print_table

from tests import desktop

TARGETS = {"start": 1.3, "rss": 1.2, "cpu": 1.2}


@dataclass
class Footprint:
    start_seconds: float
    rss_mb: float
    cpu_percent: float


def settled_data_dir(env: dict[str, str], data_dir: str) -> None:
    """A rep whose journal was set up with the keyring on an earlier day and who checked in this morning: the app
    unlocks the journal at start and shows no first-run window, as on every ordinary working day."""
    desktop.set_up_journal({**env, "COMPANION_DATA_DIR": data_dir})


def require_unlocked_journal(env: dict[str, str], data_dir: str) -> None:
    """The figures count only if the app did its whole job at start, the journal unlocked from the keyring."""
    status = subprocess.run([sys.executable, "-m", "companion", "--data-dir", data_dir, "status", "--json"],
                            env=env, cwd=REPO, capture_output=True, text=True, timeout=30)  # fmt: skip
    if not json.loads(status.stdout).get("journal_unlocked"):
        raise RuntimeError(f"the journal did not unlock at start: {status.stdout} {status.stderr}")


def command(which: str, data_dir: str) -> tuple[list[str], str]:
    if which == "floor":
        return [sys.executable, str(REPO / "benchmarks" / "floor_tray.py")], "floor"
    return [sys.executable, "-m", "companion", "--data-dir", data_dir], "companion"


def time_start(env: dict[str, str], which: str) -> float:
    with tempfile.TemporaryDirectory() as data_dir:
        settled_data_dir(env, data_dir)
        argv, classname = command(which, data_dir)
        started = time.perf_counter()
        process = subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            return wait_for_tray_icon(env, classname, started)
        finally:
            process.terminate()
            process.wait(10)


def measure_idle(env: dict[str, str], seconds: float) -> dict[str, Footprint]:
    """Both apps run at once, settle for 5 s, then are watched for `seconds` while nothing happens."""
    with tempfile.TemporaryDirectory() as data_dir:
        settled_data_dir(env, data_dir)
        processes = {}
        for which in ("floor", "companion"):
            argv, classname = command(which, data_dir)
            processes[which] = subprocess.Popen(
                argv, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            wait_for_tray_icon(env, classname, time.perf_counter())
        time.sleep(5)
        before = {which: cpu_seconds(p.pid) for which, p in processes.items()}
        time.sleep(seconds)
        result = {
            which: Footprint(0.0, rss_mb(p.pid), 100 * (cpu_seconds(p.pid) - before[which]) / seconds)
            for which, p in processes.items()
        }
        require_unlocked_journal(env, data_dir)
        for process in processes.values():
            process.terminate()
            process.wait(10)
        return result


def run(seconds: float = 60, starts: int = 5) -> list[Figure]:
    with virtual_desktop() as env:
        start = {
            which: statistics.median(time_start(env, which) for _ in range(starts)) for which in ("floor", "companion")
        }
        # the same start with the German catalogue, Qt's German strings and the German locale loaded
        german = statistics.median(time_start({**env, "LANGUAGE": "de", "LANG": "de_DE.UTF-8"}, "companion")
                                   for _ in range(starts))  # fmt: skip
        idle = measure_idle(env, seconds)
    return [
        Figure("start to tray icon in German (median)", german, "s", floor=start["companion"], ratio_target=1.1),
        Figure("start to tray icon (median)", start["companion"], "s", floor=start["floor"],
               ratio_target=TARGETS["start"]),
        Figure(f"RSS after {seconds:.0f} s idle", idle["companion"].rss_mb, "MB", floor=idle["floor"].rss_mb,
               ratio_target=TARGETS["rss"]),
        Figure(f"idle CPU over {seconds:.0f} s", idle["companion"].cpu_percent, "% of a core",
               floor=idle["floor"].cpu_percent, ratio_target=TARGETS["cpu"]),
    ]  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--starts", type=int, default=5)
    options = parser.parse_args()
    print_table(run(options.seconds, options.starts))
