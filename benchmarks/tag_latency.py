"""`companion tag --severity 3` to the cooldown offer on screen, against the real app under Xvfb.

Two figures per run, from the moment the command is started:
- reply: the command exits; the running app replies only after it has shown the offer;
- visible: a new offer window is mapped on the X server (its MapNotify, read by one `xev` on the root window).

Each tag alternates with the same request from the floor: the barest Python client (`python -c`, socket only, no
companion module), so the ratio shows what the command line adds to Python's own start, whatever else the machine
is doing.

Then the same again while both cores are busy (two spinning processes, each ending by itself after a while), on a
freshly started app whose first tag is counted: the rep's first rough call of the day on a loaded machine.

python benchmarks/tag_latency.py [--repeats 20] [--busy 2]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _desktop import virtual_desktop
from _table import Figure, print_table

from companion.core.ipc import Request, encode_request, socket_name
from tests import desktop

TARGET_MS = 150.0
P95_UNDER_LOAD_TARGET_MS = 250.0
# The same request `companion tag --severity 3` sends, from a client that imports nothing but socket.
FLOOR_CLIENT = """import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode())
reply = b""
while not reply.endswith(b"\\n"):
    reply += s.recv(65536)
print(reply.decode())"""
BUSY_LOOP = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end: pass"


OFFER_TITLES = re.compile("^(Smile and take a break|Time to reset your clock)")


class MapWatch:
    """Every top-level window the X server maps, with the moment its MapNotify arrived, from one `xev` on the root
    window. Event-driven: polling with `xdotool search` in a loop forked a process every few ms, which took CPU from
    the very client and app it timed (up to about a core under load)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.maps: list[tuple[float, int]] = []
        self.changed = threading.Condition()
        self.xev = subprocess.Popen(["xev", "-root", "-event", "substructure"], env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True, bufsize=1)  # fmt: skip
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.xev.stdout is not None
        mapped = False
        for line in self.xev.stdout:
            if line.startswith("MapNotify event"):
                mapped = True
            elif mapped and (window := re.search(r"\bwindow (0x[0-9a-f]+)", line)):
                mapped = False
                with self.changed:
                    self.maps.append((time.perf_counter(), int(window.group(1), 16)))
                    self.changed.notify_all()

    def offer_mapped_after(self, started: float, timeout: float = 10.0) -> float:
        """The moment an offer window was mapped after `started` (its title read once it is there, untimed)."""
        checked: set[int] = set()
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self.changed:
                fresh = [(at, window) for at, window in self.maps if at >= started and window not in checked]
                if not fresh:
                    self.changed.wait(deadline - time.perf_counter())
                    continue
            for at, window in fresh:
                checked.add(window)
                name = subprocess.run(["xdotool", "getwindowname", str(window)], env=self.env, capture_output=True,
                                      text=True).stdout.strip()  # fmt: skip
                if OFFER_TITLES.match(name):
                    return at
        raise TimeoutError("no offer within 10 s")

    def stop(self) -> None:
        self.xev.kill()
        self.xev.wait()


def wait_for_app(env: dict[str, str], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ping = subprocess.run(desktop.companion_command("status", "--json"), env=env, capture_output=True, text=True)
        if '"running": true' in ping.stdout and "rough_interactions_today" in ping.stdout:
            return
        time.sleep(0.1)
    raise TimeoutError("Companion did not start")


def one_tag(env: dict[str, str], watch: MapWatch, floor: bool = False) -> tuple[float, float]:
    """Milliseconds from start to reply, and from start to a new offer window mapped on the X server; `floor` sends
    the same request from the barest client instead of `companion tag`."""
    if floor:
        name = socket_name(Path(env["COMPANION_DATA_DIR"]))
        request = encode_request(Request("tag", {"severity": 3, "tags": [], "note": "", "request_id": ""})).decode()
        argv = [sys.executable, "-c", FLOOR_CLIENT, name, request]
    else:
        argv = desktop.companion_command("tag", "--severity", "3")
    started = time.perf_counter()
    command = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=10)
    replied = time.perf_counter()
    if command.returncode != 0 or "on screen" not in command.stdout:
        raise RuntimeError(f"companion tag failed: {command.stdout} {command.stderr}")
    visible = watch.offer_mapped_after(started)
    return (replied - started) * 1000, (visible - started) * 1000


def start_app(env: dict[str, str]) -> subprocess.Popen:
    env["COMPANION_DATA_DIR"] = tempfile.mkdtemp(prefix="companion-tag-bench-")
    return subprocess.Popen(desktop.companion_command(), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip


def stop_app(env: dict[str, str], app: subprocess.Popen) -> None:
    subprocess.run(desktop.companion_command("quit"), env=env, capture_output=True, timeout=30)
    desktop.stop_process(app)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def series(env: dict[str, str], watch: MapWatch, repeats: int) -> tuple[list[tuple[float, float]], list[float]]:
    """`repeats` tags from `companion tag`, each followed by one from the floor client: both see the same load."""
    tags, floor = [], []
    for _ in range(repeats):
        tags.append(one_tag(env, watch))
        floor.append(one_tag(env, watch, floor=True)[1])
    return tags, floor


def run(repeats: int = 20, busy: int = 2) -> list[Figure]:
    with virtual_desktop(keyring=False, pulse=False) as env:
        watch = MapWatch(env)
        app = start_app(env)
        try:
            wait_for_app(env)
            one_tag(env, watch)  # warm the page cache and the app's first offer; not counted
            one_tag(env, watch, floor=True)
            samples, floor = series(env, watch, repeats)
        finally:
            stop_app(env, app)
        # Bounded in time: the spinners end by themselves even if this benchmark is killed.
        spinners = [subprocess.Popen([sys.executable, "-c", BUSY_LOOP.format(seconds=120 + 3 * repeats)])
                    for _ in range(busy)]  # fmt: skip
        try:
            app = start_app(env)
            try:
                wait_for_app(env)
                loaded, floor_loaded = series(env, watch, repeats)  # the first tag of this app counts
            finally:
                stop_app(env, app)
        finally:
            for spinner in spinners:
                spinner.kill()
                spinner.wait()
            watch.stop()
    replies = sorted(s[0] for s in samples)
    shown = sorted(s[1] for s in samples)
    shown_loaded = [s[1] for s in loaded]
    return [
        Figure("companion tag to offer mapped, median", statistics.median(shown), "ms", target=TARGET_MS,
               floor=statistics.median(floor)),
        Figure("companion tag to offer mapped, p95", p95(shown), "ms", floor=p95(floor)),
        Figure("companion tag to reply, median", statistics.median(replies), "ms", target=TARGET_MS),
        Figure("companion tag to reply, p95", p95(replies), "ms"),
        Figure(f"tag to offer, {busy} cores busy, median (first run in)", statistics.median(shown_loaded), "ms",
               target=TARGET_MS, floor=statistics.median(floor_loaded)),
        Figure(f"tag to offer, {busy} cores busy, p95 (first run in)", p95(shown_loaded), "ms",
               target=P95_UNDER_LOAD_TARGET_MS, floor=p95(floor_loaded)),
        Figure(f"tag to offer, {busy} cores busy, the first tag", shown_loaded[0], "ms"),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--busy", type=int, default=2, help="spinning processes while the second series runs")
    options = parser.parse_args()
    figures = run(options.repeats, options.busy)
    print_table(figures)
    return 1 if any(f.verdict == "MISSED" for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
