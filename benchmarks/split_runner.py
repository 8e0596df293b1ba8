"""The processes benchmarks/split_design.py measures, each started as its own Python (never in a rep's app):

    split_runner.py tray   --data-dir DIR --imports FILE [--features a,b]
                                                           the tray half of a two-process Companion
    split_runner.py app    --data-dir DIR --stamps FILE    today's app, its windows' paints noted
    split_runner.py window --data-dir DIR --stamps FILE --open journal|summary
                                                           the second half: journal, week in review, Settings
    split_runner.py floor-plus --imports FILE              the floor with those modules imported, nothing run
    split_runner.py fill   --data-dir DIR --entries N      a settled rep's journal of N entries and a heavy year

`tray` is the real app, started as `companion` starts it, with only the tray-side features installed and the
journal, the week in review, Settings and `cryptography` blocked from import: each is a None entry in sys.modules,
so an accidental import fails loudly (the feature that tried logs it and does not start). `companion.core.journal`
stays importable: `status` counts the entries through it (Qt-free, no `cryptography`; loaded only when asked).
No product code changes: `companion.app` is given another `default_features` as it loads.

`window` is what the second process would do when the tray hands it `companion journal` or `companion summary`:
the launch's Qt set-up, the store, the app's own composition root with the journal, summary and Settings features
(the keyring helper unlocks the journal as at start), then the same command handler the socket calls. It stays and
reads commands from stdin ("journal", "summary", "close"), as it would from the tray.

`app` and `window` write "monotonic-seconds event" lines to the stamps file: each window's first paint after it
shows ("<Class> painted") and its first paint with its content in ("<Class> filled": the journal's entries all
listed, the week built). The clock is CLOCK_MONOTONIC, the same in every process, so the caller's spawn or request
time subtracts directly.
"""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.machinery
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

SPAWNED = time.monotonic()  # before anything but the interpreter itself and the lines above
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# Everything a tray-only process must keep: icon and menu (the app), socket, idle detection, activity rows and break
# prompts (activity), quiet moments, global hotkeys, rough-call tags without notes (rough_calls).
TRAY_FEATURES = ("rough_calls", "activity", "quiet", "hotkeys")
SECOND_FEATURES = ("journal", "summary", "settings")
# What moves to the second process: the journal and its key, sealing, the week in review, Settings and exports.
BLOCKED = (
    "cryptography",
    "companion.features.journal",
    "companion.features.journal_writes",
    "companion.features.summary",
    "companion.features.settings",
    "companion.core.journal_export",
    "companion.core.keys",
    "companion.core.call_notes",
    "companion.core.summary",
    "companion.core.summary_export",
    "companion.core.summary_report",
    "companion.core.summary_documents",
    "companion.core.data_controls",
    "companion.core.charts",
    "companion.ui.journal_window",
    "companion.ui.journal_dialogs",
    "companion.ui.journal_forms",
    "companion.ui.summary_window",
    "companion.ui.settings_window",
    "companion.ui.erase_dialog",
    "companion.ui.pdf_export",
    "companion.platform.keyring_async",
    "companion.platform.keyring_helper",
    "companion.platform.keyring_store",
)
OBSERVED = {"JournalWindow", "SummaryWindow"}

first_import: dict[str, float] = {}


class Stamps:
    def __init__(self, path: Path) -> None:
        self._file = path.open("a", buffering=1)

    def __call__(self, event: str, at: float | None = None) -> None:
        self._file.write(f"{time.monotonic() if at is None else at:.6f} {event}\n")


class ComposeAs(importlib.abc.MetaPathFinder):
    """Notes when each module is first asked for, and lets `adjust` change `companion.app` once it has loaded."""

    def __init__(
        self, adjust: Callable[[ModuleType], None] | None, noticed: Callable[[str], None] | None = None
    ) -> None:
        self._adjust = adjust
        self._noticed = noticed

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> Any:
        if name not in first_import:
            first_import[name] = time.monotonic()
            if self._noticed is not None:
                self._noticed(name)
        if name != "companion.app" or self._adjust is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        original, adjust = spec.loader.exec_module, self._adjust

        def exec_module(module: ModuleType) -> None:
            original(module)
            adjust(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def write_imports(path: Path) -> None:
    loaded = [(first_import.get(name, 0.0), name) for name, module in sys.modules.items() if module is not None]
    path.write_text("".join(f"{stamp:.6f} {name}\n" for stamp, name in sorted(loaded)))


def paint_observer(stamps: Stamps) -> Any:
    """An application-wide event filter: the first paint of an observed window after it shows, and its first paint
    once its content is in. Only reads the window's state; changes nothing."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QWidget

    def filled(window: Any) -> bool:
        if type(window).__name__ == "JournalWindow":
            return not (window.is_showing_locked or window.is_showing_opening or window.searching)
        return window.summary is not None and not window.building

    def page(window: Any) -> str:
        if window.is_showing_locked:
            return "locked"
        return "opening" if window.is_showing_opening else "entries"

    class PaintObserver(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.noted: dict[int, set[str]] = {}

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            kind = event.type()
            if kind not in (QEvent.Type.Paint, QEvent.Type.Hide) or not isinstance(watched, QWidget):
                return False
            window = watched.window()
            name = type(window).__name__
            if name not in OBSERVED:
                return False
            if kind == QEvent.Type.Hide:
                if watched is window:
                    self.noted.pop(id(window), None)  # the next show is a new open
                return False
            noted = self.noted.setdefault(id(window), set())
            for step, reached in (("painted", True), ("filled", filled(window))):
                if reached and step not in noted:
                    noted.add(step)
                    stamps(f"{name} {step}")
                    if step == "painted" and name == "JournalWindow":
                        stamps(f"{name} first page: {page(window)}")
            return False

    return PaintObserver()


def read_commands(qapp: Any, run: Callable[[str], None]) -> Any:
    """Lines on stdin ("journal", "summary", "close"), read from the event loop."""
    from PySide6.QtCore import QSocketNotifier

    notifier = QSocketNotifier(0, QSocketNotifier.Type.Read, qapp)
    pending = b""

    def readable() -> None:
        nonlocal pending
        data = os.read(0, 4096)
        if not data:
            notifier.setEnabled(False)
            qapp.quit()  # the caller closed our stdin: end
            return
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            run(line.decode().strip())

    notifier.activated.connect(readable)
    return notifier


def close_windows(qapp: Any) -> None:
    for widget in qapp.topLevelWidgets():
        if type(widget).__name__ in OBSERVED and widget.isVisible():
            widget.close()


def tray(data_dir: str, imports: Path, features: Sequence[str] = TRAY_FEATURES) -> int:
    for name in BLOCKED:
        sys.modules[name] = None  # type: ignore[assignment]

    def tray_side_only(module: ModuleType) -> None:
        shipped = module.ShippedFeature
        module.default_features = lambda: [shipped(f"companion.features.{n}") for n in features]

    sys.meta_path.insert(0, ComposeAs(tray_side_only))
    from companion.__main__ import main as companion_main

    try:
        return companion_main(["--data-dir", data_dir])
    finally:
        write_imports(imports)


def app(data_dir: str, stamps: Stamps) -> int:
    """Today's app, unchanged, with the paint observer and "close" on stdin added once it starts."""

    def observe(module: ModuleType) -> None:
        original_start = module.CompanionApp.start

        def start(self: Any, one_feature_per_turn: bool = False) -> None:
            self._split_observer = paint_observer(stamps)
            self.qapp.installEventFilter(self._split_observer)
            self._split_commands = read_commands(self.qapp, lambda line: close_windows(self.qapp))
            original_start(self, one_feature_per_turn)

        module.CompanionApp.start = start

    sys.meta_path.insert(0, ComposeAs(observe))
    from companion.__main__ import main as companion_main

    return companion_main(["--data-dir", data_dir])


def window(data_dir: str, stamps: Stamps, first: str) -> int:
    """The second process: launch.py's Qt set-up without the tray, the lock or the socket."""
    stamps("python", SPAWNED)

    def noticed(name: str) -> None:
        if name == "cryptography":
            stamps("cryptography import began")

    sys.meta_path.insert(0, ComposeAs(None, noticed))
    from companion.core.paths import AppPaths
    from companion.launch import GIL_SWITCH_SECONDS
    from companion.logsetup import configure_logging

    os.umask(0o077)
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    paths = AppPaths.resolve(data_dir)
    configure_logging(paths.logs / "second-process.log")
    from PySide6.QtWidgets import QApplication

    from companion.ui.pyside_scan import scan_sources_without_linecache
    from companion.ui.qtlog import route_qt_messages

    scan_sources_without_linecache()
    route_qt_messages()
    stamps("PySide6 imported")
    qapp = QApplication(["companion"])
    qapp.setApplicationName("Companion")
    qapp.setDesktopFileName("companion")
    qapp.setQuitOnLastWindowClosed(False)
    from companion.core.settings import load_settings
    from companion.ui.fit import install_fit_on_show
    from companion.ui.keyboard_model import install_keyboard_model
    from companion.ui.translations import LanguageFollower

    install_fit_on_show(qapp)
    install_keyboard_model(qapp)
    language = LanguageFollower(qapp, load_settings(paths.settings_file))
    stamps("QApplication")
    from companion.core.clock import SystemClock
    from companion.core.store import Store

    clock = SystemClock()
    store = Store.open(paths.database, now=clock.now(), integrity_check=False)
    stamps("store open")
    from companion.app import CompanionApp, ShippedFeature
    from companion.core.ipc import Request

    second = CompanionApp(
        qapp, paths, store, clock, [ShippedFeature(f"companion.features.{n}") for n in SECOND_FEATURES]
    )
    second.registry.on_settings_changed(language.settings_changed)
    second.start_features()  # the backends (auto-lock needs idle and lock), then the three features
    stamps("features started")
    second.ports.journal.when_unlocked(lambda: stamps("journal unlocked"))
    observer = paint_observer(stamps)
    qapp.installEventFilter(observer)

    def run(line: str) -> None:
        if line == "close":
            close_windows(qapp)
        elif line:
            second.registry.commands[line](Request(line))

    commands = read_commands(qapp, run)
    run(first)
    try:
        return qapp.exec()
    finally:
        commands.setEnabled(False)
        second.shutdown()
        store.close()


def floor_plus(imports: Path) -> int:
    """benchmarks/floor_tray.py with every module listed in `imports` imported first (their import cost alone)."""
    import floor_tray

    from companion.ui.pyside_scan import scan_sources_without_linecache

    scan_sources_without_linecache()
    failed = 0
    for line in imports.read_text().splitlines():
        name = line.split()[-1]
        if name in sys.modules or name == "__main__":
            continue
        try:
            importlib.import_module(name)
        except Exception:
            failed += 1
    print(f"floor-plus: {failed} modules would not import alone", file=sys.stderr)
    return floor_tray.main()


def fill(data_dir: str, entries: int) -> None:
    """A settled rep (journal key in the keyring, set up by tests.desktop.set_up_journal) with `entries` journal
    entries over two years and this year's activity as export.py's heavy year."""
    from datetime import datetime, timedelta

    from journal_search import add_entries

    from companion.core.clock import FakeClock, SystemClock
    from companion.core.crypto import Vault
    from companion.core.journal import Journal
    from companion.core.keys import KeyManager
    from companion.core.paths import AppPaths
    from companion.core.store import Store
    from companion.platform.keyring_store import KeyringSecretStore
    from tests.summary_fixtures import Writer, write_heavy_year

    store = Store.open(AppPaths.resolve(data_dir).database)
    vault = Vault()
    KeyManager(store, vault, KeyringSecretStore.detect(), SystemClock()).unlock_with_keyring()
    clock = FakeClock(datetime.now() - timedelta(days=460))  # about 451 days of entries, ending a week ago
    add_entries(Journal(store, vault, clock), clock, entries)
    write_heavy_year(Writer(store, vault), year=time.localtime().tm_year)
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=("tray", "app", "window", "floor-plus", "fill"))
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--imports", type=Path)
    parser.add_argument("--stamps", type=Path)
    parser.add_argument("--open", choices=("journal", "summary"), default="journal")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--features", default=",".join(TRAY_FEATURES), help="tray: the features installed")
    options = parser.parse_args()
    if options.mode == "tray":
        return tray(options.data_dir, options.imports, [n for n in options.features.split(",") if n])
    if options.mode == "app":
        return app(options.data_dir, Stamps(options.stamps))
    if options.mode == "window":
        return window(options.data_dir, Stamps(options.stamps), options.open)
    if options.mode == "floor-plus":
        return floor_plus(options.imports)
    fill(options.data_dir, options.entries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
