"""Starting the tray app: private files, logging, one instance, the store, then Qt and the app."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from companion.core.i18n import _
from companion.core.paths import AppPaths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from companion.app import CompanionApp
    from companion.core.clock import Clock
    from companion.core.start_checks import StartFault
    from companion.core.store import Store
    from companion.os_signals import SignalWakeup
    from companion.ui.staged_start import Stage
    from companion.ui.translations import LanguageFollower
    from companion.ui.tray import Tray

log = logging.getLogger(__name__)
T = TypeVar("T")

HAND_OVER_PATIENCE_SECONDS = 10.0
GIL_SWITCH_SECONDS = 0.001  # how long a worker thread may keep the GIL while the GUI thread waits for it
# What choosing the backends imports (platform/backends.py), on every system; imported on the start's worker.
BACKEND_MODULES = (
    "companion.platform.backends", "companion.platform.autostart", "companion.platform.hotkey",
    "companion.platform.idle", "companion.platform.notify", "companion.platform.quiet", "plyer",
)  # fmt: skip


def launch(paths: AppPaths, *, verbose: bool = False) -> int:
    """Up to the icon only what must come first: one instance, a store that opens. The rest is built after the icon
    shows, one stage per turn of the event loop (`_StagedStart`), so the rep sees Companion at about the pace of a
    bare tray app and the menu can open between the stages (issue 15's start to tray)."""
    from companion.preflight import explain_missing, missing_packages

    missing = missing_packages()
    if missing:
        print(explain_missing(missing), file=sys.stderr)
        return 2
    if os.name == "posix":
        os.umask(0o077)  # everything Companion creates is the rep's alone
    # A worker decrypting a year of entries held the GIL for Python's default 5 ms slices, and the GUI thread, which
    # needs it for every Python slot, waited behind them: opening the journal stalled the tray 150 to 215 ms. With
    # 1 ms slices it is 60 to 100 ms (benchmarks/stall_probe.py, interleaved); nothing changes while one thread runs.
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    from companion.core.start_checks import StartFault, folder_problem

    folder_fault = folder_problem(paths)

    from PySide6.QtWidgets import QApplication

    from companion.ui.pyside_scan import scan_sources_without_linecache
    from companion.ui.qtlog import route_qt_messages

    scan_sources_without_linecache()  # before the app's own modules load: about 5 MB less held (docs/performance.md)

    route_qt_messages()
    qapp = QApplication(["companion"])  # argv[0] names the X11 WM_CLASS: the same from `python -m` and the bundle
    qapp.setApplicationName("Companion")
    qapp.setDesktopFileName("companion")
    qapp.setQuitOnLastWindowClosed(False)
    from companion.ui.stall_probe import probe_from_environment

    stall_probe = probe_from_environment(qapp)  # benchmarks only: records event-loop stalls from here on
    settle = _Settling(qapp, paths, verbose)

    # The lock file lives in the data folder: the folder must work first.
    if folder_fault is not None:
        settle.all()  # the window says why in the rep's language, and the log keeps it
        if _wait_out_fault(qapp, folder_fault, lambda: folder_problem(paths) or True) is None:
            return 1

    from companion.instance_lock import InstanceLock

    lock = InstanceLock(paths.lock_file)
    if not lock.acquire():
        return _hand_over_to_running_instance(paths)

    from companion.ui.tray import Tray

    # The icon before the store: the rep sees Companion as soon as it is sure to be the only one.
    tray = Tray(lambda: _("Companion is starting…"), starting=True)

    def show_early_tray() -> None:
        if tray.can_show():
            tray.show()
            qapp.processEvents()  # the tray host embeds the icon now, not after the stages

    show_early_tray()

    from companion.core import db_check
    from companion.core.clock import SystemClock
    from companion.core.errors import CompanionError
    from companion.core.store import Store

    clock = SystemClock()
    check_now = db_check.check_needed_at_start(paths.database)  # an earlier background check found damage

    def open_store() -> Store | StartFault:
        fault = folder_problem(paths)
        if fault is not None:
            return fault
        try:
            # The page-by-page check grows with years of data: it runs after the icon shows (below), not before.
            store = Store.open(paths.database, now=clock.now(), integrity_check=check_now)
        except CompanionError as error:
            return StartFault.from_error(error)
        try:
            store.check_writable()
        except CompanionError as error:
            store.close()
            return StartFault.from_error(error)
        return store

    opened = open_store()
    if isinstance(opened, StartFault):
        settle.all()
        tray.hide()  # the fault's own window and icon say why Companion waits
        waited = _wait_out_fault(qapp, opened, open_store)
        if waited is None:
            tray.close()
            lock.release()
            return 1
        opened = waited
        show_early_tray()
    store = opened

    from companion.ui.staged_start import Stage, StagedStart

    built: list[tuple[CompanionApp, SignalWakeup]] = []

    def build_app() -> None:
        built.append(_build_app(qapp, paths, store, clock, tray, settle))

    def start_app() -> None:
        _start_app(built[0][0], paths, store, check_now)

    start = StagedStart(qapp, [
        *settle.stages(),
        Stage(build_app, ("companion.app", "companion.os_signals")),
        Stage(start_app, BACKEND_MODULES),  # imported here, used by the features' first turn after this one
    ])  # fmt: skip
    try:
        code = qapp.exec()
        start.raise_failure()
        return code
    finally:
        start.stop()
        if built:
            app, wakeup = built[0]
            app.shutdown()  # a no-op after Quit; runs the stages if the loop ended another way
            wakeup.close()
        else:
            tray.close()
        if stall_probe is not None:
            stall_probe.stop()
        store.close()
        lock.release()
        log.info("Companion stopped")


class _Settling:
    """What every window needs but the icon does not: the log, the window fitting and keyboard model, the rep's
    language. Each part once; faults before the icon take them all at once, the tray's start one per turn."""

    def __init__(self, qapp: QApplication, paths: AppPaths, verbose: bool) -> None:
        self.qapp = qapp
        self.paths = paths
        self.verbose = verbose
        self.language: LanguageFollower | None = None
        self.done: set[str] = set()

    def stages(self) -> list[Stage]:
        from companion.ui.staged_start import Stage

        return [
            Stage(self.logging, ("logging.handlers", "companion.logsetup")),
            Stage(self.windows, ("companion.ui.fit", "companion.ui.keyboard_model")),
            Stage(self.translations, ("companion.core.settings", "companion.ui.translations")),
        ]

    def all(self) -> None:
        for stage in self.stages():
            stage.run()

    def _first(self, name: str) -> bool:
        if name in self.done:
            return False
        self.done.add(name)
        return True

    def logging(self) -> None:
        if self._first("logging"):
            _start_logging(self.paths, self.verbose)

    def windows(self) -> None:
        if self._first("windows"):
            from companion.ui.fit import install_fit_on_show
            from companion.ui.keyboard_model import install_keyboard_model

            install_fit_on_show(self.qapp)  # every window shrinks and moves onto the screen it opens on
            install_keyboard_model(self.qapp)  # Enter, Esc and Ctrl+W mean the same in every window

    def translations(self) -> None:
        if self._first("translations"):
            from companion.core.settings import load_settings
            from companion.ui.translations import LanguageFollower

            # Before the first window and the full menu: every one is built in the rep's language.
            self.language = LanguageFollower(self.qapp, load_settings(self.paths.settings_file))


def _build_app(
    qapp: QApplication, paths: AppPaths, store: Store, clock: Clock, tray: Tray, settle: _Settling
) -> tuple[CompanionApp, SignalWakeup]:
    from companion.app import CompanionApp, default_features
    from companion.os_signals import SignalWakeup

    app = CompanionApp(qapp, paths, store, clock, default_features(), tray=tray)
    assert settle.language is not None
    app.registry.on_settings_changed(settle.language.settings_changed)  # unsubscribed with the features at shutdown
    wakeup = SignalWakeup(lambda signum: app.request_quit())  # SIGTERM, SIGINT, SIGHUP: the staged shutdown
    return app, wakeup


def _start_app(app: CompanionApp, paths: AppPaths, store: Store, check_now: bool) -> None:
    from companion.core import db_check

    if check_now:
        db_check.forget_damage(paths.database)
    app.start(one_feature_per_turn=True)
    if app.settings.problem is not None:
        log.error("%s", app.settings.problem)
        app.report_problem(app.settings.problem)
    if store.quarantined_path is not None:
        app.report_quarantine(store.quarantined_path)
    app.check_database_in_background()  # after the icon; the shutdown stops it


def _start_logging(paths: AppPaths, verbose: bool) -> None:
    """The log file when its folder can take it, even when another folder is at fault; else the terminal only (the
    window still says what happened)."""
    from companion.logsetup import configure_logging

    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        configure_logging(paths.log_file, verbose=verbose)
        return
    except OSError as error:
        print(
            _("Companion could not open its log {path} ({error}).").format(
                path=paths.log_file, error=error.strerror or error
            ),
            file=sys.stderr,
        )
    line_format = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # i18n: not for reps
    logging.basicConfig(level=logging.INFO, format=line_format)


def _wait_out_fault(qapp: QApplication, fault: StartFault, retry: Callable[[], T | StartFault]) -> T | None:
    """Show the fault; for a temporary one, stay in the tray and keep trying. What `retry` gave once it worked, or
    None when the fault is not one waiting fixes, or the rep quit."""
    from companion.core.start_checks import StartFault
    from companion.ui.start_fault import StartFaultWindow

    log.error("Companion cannot start: %s", fault.sentence)

    def again() -> T | str:
        outcome = retry()
        return outcome.sentence if isinstance(outcome, StartFault) else outcome

    window: StartFaultWindow[T] = StartFaultWindow(qapp, fault.sentence, again if fault.temporary else None)
    window.show()
    code = qapp.exec()
    return window.result if code == 0 else None


def _hand_over_to_running_instance(paths: AppPaths) -> int:
    import time

    from companion.core.ipc import IpcError, Request
    from companion.ipc_client import NoRunningInstance, send

    # The other Companion may be starting: its icon shows before its features load, and it listens after them.
    deadline = time.monotonic() + HAND_OVER_PATIENCE_SECONDS
    while True:
        try:
            reply = send(paths.data, Request("show"))
            break
        except (NoRunningInstance, IpcError) as error:
            if isinstance(error, NoRunningInstance) and time.monotonic() < deadline:
                time.sleep(0.1)  # a separate short-lived process waiting for another to finish starting
                continue
            unanswered = _("Another Companion holds the lock but did not answer ({error}).")
            print(unanswered.format(error=error), file=sys.stderr)
            return 1
    print(reply.message)
    return 0
