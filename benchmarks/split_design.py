"""The smallest design that would reach 1.2x the floor's RSS, measured (issue 15): a tray-only process, and a second
process for the journal, the week in review and Settings started when the rep first opens one of them.

    python benchmarks/split_design.py [--seconds 60] [--runs 5] [--entries 10000]

Not in `make bench` (about 7 minutes, and it measures a design the app does not ship). On one virtual desktop:

1. RSS after `--seconds` idle, side by side: the floor (floor_tray.py), today's app (settled rep, as footprint.py),
   the tray-only prototype (split_runner.py tray: the real app with only the tray-side features, `cryptography` and
   the journal, summary and Settings modules blocked from import), and the floor with every module the prototype
   had loaded imported into it (their import cost alone). Then where the prototype's extra memory sits
   (/proc/PID/smaps by file, against the floor) and which modules it loaded beyond the floor's.
2. What a rep would wait for in the split design, for the journal (a settled rep's `--entries` entries) and the week
   in review: from spawning a fresh second process (split_runner.py window) to the window's first paint and to its
   content painted in, with the stages on the way; then later opens in that living process, and what it holds.
   Against the same windows opened in today's running app from the socket command (split_runner.py app: the app
   unchanged, with an event filter noting the paints). `--runs` of each, interleaved, medians.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from _desktop import REPO, rss_mb, virtual_desktop, wait_for_tray_icon
from _table import Figure, print_table

from companion.core.ipc import Request
from companion.core.paths import AppPaths
from companion.ipc_client import NoRunningInstance, send
from tests import desktop

RUNNER = str(REPO / "benchmarks" / "split_runner.py")
RSS_TARGET = 1.2
LATER_OPENS = 3
# (label, top-level packages left out): the prototype's modules imported into the floor, cumulatively
PLUS_GROUPS = (
    ("floor + the prototype's stdlib and QtDBus imports", {"companion", "plyer"}),
    ("floor + those and plyer's", {"companion"}),
    ("floor + those and companion's (all it loaded)", set()),
)
WINDOWS = {"journal": "JournalWindow", "summary": "SummaryWindow"}
STAGES = (
    "python",
    "PySide6 imported",
    "QApplication",
    "store open",
    "features started",
    "cryptography import began",
    "journal unlocked",
)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def status(env: dict[str, str], data_dir: str) -> dict[str, object]:
    return desktop.status_json({**env, "COMPANION_DATA_DIR": data_dir})


def settled(env: dict[str, str]) -> str:
    data_dir = tempfile.mkdtemp(prefix="split-", dir=env["COMPANION_BENCH_SCRATCH"])
    desktop.set_up_journal({**env, "COMPANION_DATA_DIR": data_dir})
    return data_dir


def spawn(env: dict[str, str], *argv: str, stdin: int | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *argv], env=env, cwd=REPO, stdin=stdin, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
    process.wait(30)


def smaps_by_file(pid: int) -> dict[str, float]:
    """Resident MB per mapped file (its basename), anonymous memory and the heap as "[anonymous]"."""
    resident: dict[str, float] = defaultdict(float)
    name = "[anonymous]"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and not fields[0].endswith(":"):
            path = fields[5] if len(fields) > 5 else ""
            name = os.path.basename(path) if path.startswith("/") else "[anonymous]"
        elif fields[:1] == ["Rss:"]:
            resident[name] += int(fields[1]) / 1024
    return dict(resident)


def floor_modules() -> set[str]:
    code = "import sys; from PySide6 import QtCore, QtGui, QtWidgets; print('\\n'.join(sys.modules))"
    return set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.split())


def loaded_before(imports: Path, moment: float) -> list[str]:
    names = []
    for line in imports.read_text().splitlines():
        stamp, name = line.split()
        if float(stamp) <= moment:
            names.append(name)
    return names


def measure_idle(env: dict[str, str], seconds: float) -> list[Figure]:
    scratch = Path(env["COMPANION_BENCH_SCRATCH"])
    full_dir, tray_dir = settled(env), settled(env)
    imports = scratch / "tray-only.imports"
    processes = {"floor": spawn(env, str(REPO / "benchmarks" / "floor_tray.py"))}
    wait_for_tray_icon(env, "floor", time.perf_counter())
    processes["today's app"] = spawn(env, "-m", "companion", "--data-dir", full_dir)
    wait_for_tray_icon(env, "companion", time.perf_counter())  # the first of the two icons of this class
    processes["tray-only prototype"] = spawn(env, RUNNER, "tray", "--data-dir", tray_dir, "--imports", str(imports))
    desktop.wait_until(lambda: status(env, tray_dir).get("running"), timeout=60, what="the tray-only prototype")
    # The app's shell alone (icon, menu, socket, store, backends, no feature): what the features add to it.
    shell_dir = settled(env)
    processes["app shell, no features"] = spawn(env, RUNNER, "tray", "--data-dir", shell_dir, "--imports",
                                                str(scratch / "shell.imports"), "--features", "")  # fmt: skip
    desktop.wait_until(lambda: status(env, shell_dir).get("running"), timeout=60, what="the app shell")
    desktop.wait_until(lambda: status(env, full_dir).get("journal_unlocked"), timeout=60, what="today's app unlocked")
    time.sleep(5 + seconds)
    measured_at = time.monotonic()
    rss = {which: rss_mb(process.pid) for which, process in processes.items()}
    maps = {which: smaps_by_file(process.pid) for which, process in processes.items()}
    # The prototype still does its job: a tag is stored and offered; the journal's command is not there.
    tagged = subprocess.run(desktop.companion_command("--data-dir", tray_dir, "tag", "--severity", "2"), env=env,
                            capture_output=True, text=True, timeout=30)  # fmt: skip
    if "Tagged a rough call" not in tagged.stdout:
        raise RuntimeError(f"the tray-only prototype did not tag: {tagged.stdout} {tagged.stderr}")
    for process in processes.values():
        stop(process)
    log = (Path(tray_dir) / "logs" / "companion.log").read_text()
    if "could not start" in log or "Traceback" in log:
        raise RuntimeError(f"the tray-only prototype logged a failure:\n{log}")
    extra = [name for name in loaded_before(imports, measured_at) if name not in floor_modules()]

    # The same modules imported into the floor, nothing run: what importing them costs, against a fresh floor;
    # cumulatively, the standard library's and QtDBus first, then plyer's, then ours.
    plus = {"floor": spawn(env, str(REPO / "benchmarks" / "floor_tray.py"))}
    for index, (label, tops) in enumerate(PLUS_GROUPS):
        listed = scratch / f"tray-only.extra-{index}"
        listed.write_text("".join(f"0 {name}\n" for name in extra if name.split(".")[0] not in tops))
        plus[label] = spawn(env, RUNNER, "floor-plus", "--imports", str(listed))
    time.sleep(5 + min(seconds, 30))
    plus_rss = {which: rss_mb(process.pid) for which, process in plus.items()}
    for process in plus.values():
        stop(process)

    print_where(rss, maps, extra)
    floor = rss["floor"]
    return [
        Figure(f"split: RSS after {seconds:.0f} s idle, the floor", floor, "MB"),
        Figure(
            f"split: RSS after {seconds:.0f} s idle, today's app",
            rss["today's app"],
            "MB",
            floor=floor,
            ratio_target=RSS_TARGET,
        ),
        Figure(
            f"split: RSS after {seconds:.0f} s idle, tray-only prototype",
            rss["tray-only prototype"],
            "MB",
            floor=floor,
            ratio_target=RSS_TARGET,
        ),
        Figure(
            f"split: RSS after {seconds:.0f} s idle, app shell, no features",
            rss["app shell, no features"],
            "MB",
            floor=floor,
        ),
    ] + [Figure(f"split: RSS, {label}", plus_rss[label], "MB", floor=plus_rss["floor"]) for label, _ in PLUS_GROUPS]


def print_where(rss: dict[str, float], maps: dict[str, dict[str, float]], extra: list[str]) -> None:
    floor, proto, full = maps["floor"], maps["tray-only prototype"], maps["today's app"]
    print(f"\nRSS {', '.join(f'{k} {v:.1f} MB' for k, v in rss.items())}")
    print("resident MB by mapping (smaps): prototype - floor, today's app - prototype (largest first)")
    names = set(floor) | set(proto) | set(full)
    rows = sorted(names, key=lambda n: -abs(full.get(n, 0) - floor.get(n, 0)))
    for name in rows[:16]:
        above, gone = proto.get(name, 0) - floor.get(name, 0), full.get(name, 0) - proto.get(name, 0)
        print(f"  {name:44} {above:+7.2f} {gone:+7.2f}")
    groups: dict[str, list[str]] = defaultdict(list)
    for name in extra:
        top = name.split(".")[0]
        groups["companion" if top == "companion" else top if top in {"PySide6", "plyer", "shiboken6"} else "stdlib"
               ].append(name)  # fmt: skip
    print(f"modules the prototype loaded beyond the floor's ({len(extra)}):")
    for group, names_in in sorted(groups.items()):
        shown = names_in if group != "companion" else [n.removeprefix("companion.") for n in names_in]
        print(f"  {group} ({len(names_in)}): {' '.join(sorted(shown))}")


def stamps_after(path: Path, since: float) -> dict[str, float]:
    found: dict[str, float] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            stamp, event = line.split(" ", 1)
            if float(stamp) >= since:
                found.setdefault(event, float(stamp) - since)
    return found


def wait_for_stamp(path: Path, since: float, event: str, process: subprocess.Popen) -> dict[str, float]:
    def seen() -> dict[str, float] | None:
        if process.poll() is not None:
            raise RuntimeError(f"the process ended ({process.returncode}) before {event}")
        found = stamps_after(path, since)
        return found if event in found else None

    return desktop.wait_until(seen, timeout=60, interval=0.01, what=event)  # type: ignore[return-value]


def tell(process: subprocess.Popen, line: str) -> None:
    assert process.stdin is not None
    process.stdin.write(f"{line}\n".encode())
    process.stdin.flush()


Timings = dict[str, list[float]]


def in_process_run(env: dict[str, str], data_dir: str, stamps: Path, times: Timings, held: list[float]) -> None:
    """Today's app: the first open of each window after start, then later opens, from the socket command."""
    app = spawn(env, RUNNER, "app", "--data-dir", data_dir, "--stamps", str(stamps), stdin=subprocess.PIPE)
    try:
        desktop.wait_until(lambda: status(env, data_dir).get("journal_unlocked"), timeout=60, what="unlocked")
        time.sleep(2)  # the start's last work (the database check) is done
        data = AppPaths.resolve(data_dir).data
        for command, window in WINDOWS.items():
            for index in range(1 + LATER_OPENS):
                began = time.monotonic()
                send(data, Request(command))
                found = wait_for_stamp(stamps, began, f"{window} filled", app)
                when = "first" if index == 0 else "later"
                times[f"today: {command} {when}, painted"].append(found[f"{window} painted"])
                times[f"today: {command} {when}, filled"].append(found[f"{window} filled"])
                time.sleep(0.5)
                tell(app, "close")
                time.sleep(0.5)
        time.sleep(5)
        held.append(rss_mb(app.pid))
    finally:
        with contextlib.suppress(NoRunningInstance):
            send(AppPaths.resolve(data_dir).data, Request("quit"))
        stop(app)


def second_process_run(env: dict[str, str], data_dir: str, stamps: Path, first: str, times: Timings,
                       held: list[float], pages: dict[str, list[bool]]) -> None:  # fmt: skip
    """A fresh second process for `first`; later opens of both windows in it; what it holds once they close."""
    began = time.monotonic()
    second = spawn(env, RUNNER, "window", "--data-dir", data_dir, "--stamps", str(stamps), "--open", first,
                   stdin=subprocess.PIPE)  # fmt: skip
    try:
        window = WINDOWS[first]
        found = wait_for_stamp(stamps, began, f"{window} filled", second)
        for stage in STAGES:
            if stage in found:
                times[f"split: {first} cold, {stage}"].append(found[stage])
        times[f"split: {first} cold, painted"].append(found[f"{window} painted"])
        times[f"split: {first} cold, filled"].append(found[f"{window} filled"])
        pages[f"split: {first} cold"].append(found.get("JournalWindow first page: locked") is not None)
        for command, other in WINDOWS.items():
            for index in range(LATER_OPENS):
                when = "later" if command == first or index > 0 else "first, process alive"
                time.sleep(0.5)
                tell(second, "close")
                time.sleep(0.5)
                began = time.monotonic()
                tell(second, command)
                found = wait_for_stamp(stamps, began, f"{other} filled", second)
                times[f"split: {command} {when}, painted"].append(found[f"{other} painted"])
                times[f"split: {command} {when}, filled"].append(found[f"{other} filled"])
        tell(second, "close")
        time.sleep(5)
        held.append(rss_mb(second.pid))
    finally:
        if second.stdin is not None:
            second.stdin.close()  # the process ends its loop and shuts down
        stop(second)


def measure_opens(env: dict[str, str], runs: int, entries: int) -> list[Figure]:
    scratch = Path(env["COMPANION_BENCH_SCRATCH"])
    split_dir = settled(env)
    subprocess.run([sys.executable, RUNNER, "fill", "--data-dir", split_dir, "--entries", str(entries)], env=env,
                   cwd=REPO, check=True, timeout=600)  # fmt: skip
    today_dir = str(scratch / "today")
    shutil.copytree(split_dir, today_dir)  # the same rep and keyring entry; each app holds its own folder's lock
    # In the split design the tray-only process runs beside the second one, on the same folder.
    tray = spawn(env, RUNNER, "tray", "--data-dir", split_dir, "--imports", str(scratch / "opens.imports"))
    desktop.wait_until(lambda: status(env, split_dir).get("running"), timeout=60, what="the tray-only prototype")
    times: Timings = defaultdict(list)
    held: list[float] = []
    held_today: list[float] = []
    pages: dict[str, list[bool]] = defaultdict(list)
    try:
        for run in range(runs):
            in_process_run(env, today_dir, scratch / f"today-{run}.stamps", times, held_today)
            for first in WINDOWS:
                second_process_run(env, split_dir, scratch / f"second-{first}-{run}.stamps", first, times, held,
                                   pages)  # fmt: skip
        tray_rss = rss_mb(tray.pid)
    finally:
        stop(tray)
    print(f"\nwindow opens, ms from the request (socket command, or spawn of the second process), {runs} runs:")
    for name, values in times.items():
        print(f"  {name:52} median {1000 * statistics.median(values):6.0f}   "
              f"all {' '.join(f'{1000 * v:.0f}' for v in values)}")  # fmt: skip
    locked = pages["split: journal cold"]
    print(f"  cold journal opens whose first paint was the locked page: {sum(locked)} of {len(locked)}")
    print(
        f"  after both windows opened and closed, 5 s: today's app {' '.join(f'{v:.1f}' for v in held_today)} MB;"
        f" second process {' '.join(f'{v:.1f}' for v in held)} MB beside the tray-only one's {tray_rss:.1f} MB"
    )
    figures = []
    for command in WINDOWS:
        for key, label in (
            (f"today: {command} first, painted", "today's app, first open, painted"),
            (f"today: {command} first, filled", "today's app, first open, filled"),
            (f"split: {command} cold, painted", "second process spawned, painted"),
            (f"split: {command} cold, filled", "second process spawned, filled"),
            (f"today: {command} later, filled", "today's app, later open, filled"),
            (f"split: {command} later, filled", "second process alive, later open, filled"),
        ):
            figures.append(Figure(f"split: {command}: {label} (median)", 1000 * statistics.median(times[key]), "ms"))
    figures.append(Figure("split: today's app RSS after the opens (median)", statistics.median(held_today), "MB"))
    figures.append(Figure("split: second process RSS after the opens (median)", statistics.median(held), "MB"))
    return figures


def run(seconds: float = 60, runs: int = 5, entries: int = 10_000) -> list[Figure]:
    print(f"load before: {uptime()}")
    with virtual_desktop() as env:
        scratch = env["COMPANION_BENCH_SCRATCH"]
        figures = measure_idle(env, seconds)
        figures += measure_opens(env, runs, entries)
    shutil.rmtree(scratch, ignore_errors=True)  # four data folders, two of 10,000 entries; the desktop has stopped
    print(f"load after: {uptime()}")
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entries", type=int, default=10_000)
    options = parser.parse_args()
    print_table(run(options.seconds, options.runs, options.entries))
