"""Start to tray icon with 0, 1 and 3 years of data, side by side in one run (issue 15: flat within noise).

Each data folder is a settled rep's (journal set up with the keyring, checked in) holding the export benchmark's
heavy years (tests/summary_fixtures.write_heavy_year). Starts are interleaved, so load on the shared machine falls
on every size alike. Each size is also started with the database check forced before the icon (the marker an
earlier background check leaves on damage, core/db_check.py): that is how every start ran before issue 15.

python benchmarks/start_with_data.py [--starts 5] [--years 0,1,3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _desktop import REPO, virtual_desktop, wait_for_tray_icon
from _table import Figure, print_table

from tests import desktop


def data_folder(env: dict[str, str], scratch: Path, years: int) -> str:
    from tests.summary_fixtures import open_writer, write_heavy_year

    folder = tempfile.mkdtemp(prefix=f"start-{years}y-", dir=scratch)
    desktop.set_up_journal({**env, "COMPANION_DATA_DIR": folder})
    writer = open_writer(Path(folder) / "companion.db")
    for offset in range(years):
        write_heavy_year(writer, year=2023 + offset)
    writer.store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    writer.store.close()
    return folder


def time_start(env: dict[str, str], folder: str, check_first: bool) -> float:
    from companion.core.db_check import marker_for

    database = Path(folder) / "companion.db"
    if check_first:
        marker_for(database).write_text("forced by the benchmark\n")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "companion", "--data-dir", folder], env=env, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        return wait_for_tray_icon(env, "companion", started, timeout=60)
    finally:
        # The socket listens once the features have started, a few hundred ms after the icon: a quit sent before
        # that finds nobody ("not running", exit 1), so it is sent until one is taken.
        desktop.wait_until(lambda: subprocess.run([sys.executable, "-m", "companion", "--data-dir", folder, "quit"],
                                                  env=env, cwd=REPO, capture_output=True, timeout=30).returncode == 0,
                           timeout=60, interval=0.1, what="Companion taking the quit")  # fmt: skip
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run(starts: int = 5, years: tuple[int, ...] = (0, 1, 3)) -> list[Figure]:
    with virtual_desktop(pulse=False) as env:
        scratch = Path(env["COMPANION_BENCH_SCRATCH"])
        folders = {count: data_folder(env, scratch, count) for count in years}
        sizes = {count: (Path(folder) / "companion.db").stat().st_size / 1e6 for count, folder in folders.items()}
        times: dict[tuple[int, bool], list[float]] = {(count, check): [] for count in years for check in (False, True)}
        for _ in range(starts):
            for count in years:
                for check in (False, True):
                    times[(count, check)].append(time_start(env, folders[count], check))
    figures = []
    for count in years:
        now = statistics.median(times[(count, False)])
        before = statistics.median(times[(count, True)])
        figures.append(Figure(f"start to tray, {count} year(s) of data ({sizes[count]:.0f} MB), median",
                              now, "s", floor=statistics.median(times[(years[0], False)])))  # fmt: skip
        figures.append(Figure("  same, database checked before the icon (as before)", before, "s"))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--years", default="0,1,3")
    options = parser.parse_args()
    print_table(run(options.starts, tuple(int(y) for y in options.years.split(","))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
