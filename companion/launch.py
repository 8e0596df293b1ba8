"""Starting the tray app: private files, logging, one instance, the store, then Qt and the app."""

from __future__ import annotations

import logging
import os
import sys

from companion.core.paths import AppPaths

log = logging.getLogger(__name__)

HAND_OVER_PATIENCE_SECONDS = 10.0


def launch(paths: AppPaths, *, verbose: bool = False) -> int:
    from companion.preflight import explain_missing, missing_packages

    missing = missing_packages()
    if missing:
        print(explain_missing(missing), file=sys.stderr)
        return 2
    if os.name == "posix":
        os.umask(0o077)  # everything Companion creates is the rep's alone
    paths.ensure()
    from companion.logsetup import configure_logging

    configure_logging(paths.log_file, verbose=verbose)

    from PySide6.QtWidgets import QApplication, QMessageBox

    from companion.ui.qtlog import route_qt_messages

    route_qt_messages()
    qapp = QApplication(["companion"])  # argv[0] names the X11 WM_CLASS: the same from `python -m` and the bundle
    qapp.setApplicationName("Companion")
    qapp.setDesktopFileName("companion")
    qapp.setQuitOnLastWindowClosed(False)
    from companion.ui.stall_probe import probe_from_environment

    stall_probe = probe_from_environment(qapp)  # benchmarks only: records event-loop stalls from here on

    from companion.resources import resources_root
    from companion.ui.translations import install_translations

    install_translations(qapp, resources_root() / "translations")

    from companion.instance import InstanceLock

    lock = InstanceLock(paths.lock_file)
    if not lock.acquire():
        return _hand_over_to_running_instance(paths)

    from companion.core import db_check
    from companion.core.clock import SystemClock
    from companion.core.errors import DatabaseLocked, DatabaseTooNew
    from companion.core.store import Store

    clock = SystemClock()
    check_now = db_check.check_needed_at_start(paths.database)  # an earlier background check found damage
    try:
        # The page-by-page check grows with years of data: it runs after the icon shows (below), not before.
        store = Store.open(paths.database, now=clock.now(), integrity_check=check_now)
    except (DatabaseTooNew, DatabaseLocked) as error:
        log.error("cannot open the database: %s", error.message)
        QMessageBox.critical(None, "Companion", error.message)
        lock.release()
        return 1

    from companion.app import CompanionApp, default_features
    from companion.os_signals import SignalWakeup

    app = CompanionApp(qapp, paths, store, clock, default_features())
    wakeup = SignalWakeup(lambda signum: app.request_quit())  # SIGTERM, SIGINT, SIGHUP: the staged shutdown
    if check_now:
        db_check.forget_damage(paths.database)
    app.start(one_feature_per_turn=True)
    if store.quarantined_path is not None:
        app.report_quarantine(store.quarantined_path)
    app.check_database_in_background()  # after the icon; the shutdown stops it
    try:
        return qapp.exec()
    finally:
        app.shutdown()  # a no-op after Quit; runs the stages if the loop ended another way
        wakeup.close()
        if stall_probe is not None:
            stall_probe.stop()
        store.close()
        lock.release()
        log.info("Companion stopped")


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
        except NoRunningInstance as error:
            if time.monotonic() < deadline:
                time.sleep(0.1)  # a separate short-lived process waiting for another to finish starting
                continue
            print(f"Another Companion holds the lock but did not answer ({error}).", file=sys.stderr)
            return 1
        except IpcError as error:
            print(f"Another Companion holds the lock but did not answer ({error}).", file=sys.stderr)
            return 1
    print(reply.message)
    return 0
