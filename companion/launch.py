"""Starting the tray app: private files, logging, one instance, the store, then Qt and the app."""

from __future__ import annotations

import logging
import os
import sys

from companion.core.paths import AppPaths

log = logging.getLogger(__name__)


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

    from companion.core.settings import load_settings
    from companion.ui.translations import LanguageFollower

    # Before the first widget: every window and the tray menu are built in the rep's language.
    language = LanguageFollower(qapp, load_settings(paths.settings_file))

    from companion.instance import InstanceLock

    lock = InstanceLock(paths.lock_file)
    if not lock.acquire():
        return _hand_over_to_running_instance(paths)

    from companion.core.clock import SystemClock
    from companion.core.errors import DatabaseLocked, DatabaseTooNew
    from companion.core.store import Store

    clock = SystemClock()
    try:
        store = Store.open(paths.database, now=clock.now())
    except (DatabaseTooNew, DatabaseLocked) as error:
        log.error("cannot open the database: %s", error.message)
        QMessageBox.critical(None, "Companion", error.message)
        lock.release()
        return 1

    from companion.app import CompanionApp, default_features
    from companion.os_signals import SignalWakeup

    app = CompanionApp(qapp, paths, store, clock, default_features())
    app.registry.on_settings_changed(language.settings_changed)  # unsubscribed with the features at shutdown
    wakeup = SignalWakeup(lambda signum: app.request_quit())  # SIGTERM, SIGINT, SIGHUP: the staged shutdown
    app.start()
    if store.quarantined_path is not None:
        app.report_quarantine(store.quarantined_path)
    try:
        return qapp.exec()
    finally:
        app.shutdown()  # a no-op after Quit; runs the stages if the loop ended another way
        wakeup.close()
        store.close()
        lock.release()
        log.info("Companion stopped")


def _hand_over_to_running_instance(paths: AppPaths) -> int:
    from companion.core.ipc import IpcError, Request
    from companion.ipc_client import NoRunningInstance, send

    try:
        reply = send(paths.data, Request("show"))
    except (NoRunningInstance, IpcError) as error:
        print(f"Another Companion holds the lock but did not answer ({error}).", file=sys.stderr)
        return 1
    print(reply.message)
    return 0
