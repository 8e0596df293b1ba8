"""`make bench`: every benchmark, one table. Each module in BENCHMARKS has `run(...) -> list[Figure]`.

python benchmarks/run_all.py [--quick]     (--quick: shorter idle windows and fewer repeats)
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import Figure, print_table

# (module, keyword arguments for a full run, for a quick run)
BENCHMARKS: list[tuple[str, dict, dict]] = [
    ("footprint", {"seconds": 60, "starts": 5}, {"seconds": 15, "starts": 3}),
    ("tag_latency", {"repeats": 20}, {"repeats": 5}),
    ("hotkey_latency", {"repeats": 20}, {"repeats": 5}),
    ("journal_search", {"entries": 10_000, "runs": 20}, {"entries": 10_000, "runs": 5}),
    ("export", {"repeats": 5}, {"repeats": 2}),
    ("settings_window", {"rounds": 10}, {"rounds": 3}),
    ("db_size", {"years": 1}, {"years": 1}),
    ("stall_probe", {"entries": 10_000}, {"entries": 10_000}),
    ("start_with_data", {"starts": 5}, {"starts": 2}),
    ("idle_wayland", {"seconds": 60}, {"seconds": 15}),
    ("translations", {"runs": 7}, {"runs": 3}),
    ("socket_stuck_client", {"seconds": 6}, {"seconds": 6}),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    figures: list[Figure] = []
    for module_name, full, quick in BENCHMARKS:
        began = time.perf_counter()
        module = importlib.import_module(module_name)
        figures += module.run(**(quick if options.quick else full))
        print(f"[{module_name}: {time.perf_counter() - began:.0f} s]", file=sys.stderr)
    print_table(figures)
    return 1 if any(f.verdict == "MISSED" for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
