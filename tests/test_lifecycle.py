"""The whole app's lifetime, offscreen in-process: every shipped feature starts, the staged shutdown stops them, and
afterwards nothing can fire (no active QTimer, no parentless QMenu, no open database connection, no visible window).
The same after Erase everything, after SIGTERM, and for a quit asked from inside a modal box; a socket request
during shutdown gets the closing reply."""

from __future__ import annotations

import gc
import logging
import os
import signal
import sqlite3
import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMenu

from companion.app import CompanionApp, ShutdownState, default_features
from companion.core.ipc import Reply, Request
from companion.core.paths import AppPaths
from companion.core.store import Store
from companion.features.settings import SettingsFeature
from companion.instance import CLOSING_MESSAGE
from companion.ipc_client import send
from companion.os_signals import SignalWakeup
from companion.platform.backends import choose_backends

# The offscreen platform cannot raise windows or pass size hints to a window manager; on a desktop it can.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)\(\)")


def flush_deletions() -> None:
    """Run the deleteLater()s the shutdown scheduled, as the event loop does on its way out."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def active_timers(app: CompanionApp) -> list[QTimer]:
    """Every live QTimer that could still fire: Python-made ones (gc) and any child of the app or a widget."""
    found: dict[int, QTimer] = {}
    for thing in gc.get_objects():
        if isinstance(thing, QTimer) and shiboken6.isValid(thing):
            found[id(thing)] = thing
    owners: list[QObject] = [app, *QApplication.allWidgets()]
    for owner in owners:
        for timer in owner.findChildren(QTimer):
            found[id(timer)] = timer
    return [timer for timer in found.values() if _still_active(timer)]


def _still_active(timer: QTimer) -> bool:
    """A timer a finishing worker thread deletes between the search and this look cannot fire: not active."""
    try:
        return shiboken6.isValid(timer) and timer.isActive()
    except RuntimeError:  # deleted in that instant, on the worker's side
        return False


def parentless_menus() -> list[QMenu]:
    return [w for w in QApplication.allWidgets() if isinstance(w, QMenu) and w.parent() is None]


def open_connections(made_after: set[int]) -> list[sqlite3.Connection]:
    """sqlite3 connections opened during the test that still answer a query."""
    still_open = []
    for thing in gc.get_objects():
        if isinstance(thing, sqlite3.Connection) and id(thing) not in made_after:
            try:
                thing.execute("SELECT 1")
            except sqlite3.ProgrammingError:
                continue
            still_open.append(thing)
    return still_open


def visible_windows() -> list[str]:
    return [w.objectName() or type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible()]


@pytest.fixture
def connections_before() -> set[int]:
    return {id(thing) for thing in gc.get_objects() if isinstance(thing, sqlite3.Connection)}


@pytest.fixture
def full_app(qapp: QApplication, app_paths: AppPaths, clock, qtbot) -> Iterator[CompanionApp]:
    """The app the launcher builds: every shipped feature, the backends chosen the product's way."""
    store = Store.open(app_paths.database, now=clock.now())
    app = CompanionApp(qapp, app_paths, store, clock, default_features(), tray_patience_seconds=3600)
    app.start()
    # The journal opens from the event loop after start; on this keyring-less bus it asks for a passphrase.
    qtbot.waitUntil(lambda: any(w.isVisible() for w in QApplication.topLevelWidgets()))
    yield app
    app.shutdown()
    if app.final_message is not None:
        app.final_message.close()
    flush_deletions()


def assert_nothing_left(app: CompanionApp, connections_before: set[int]) -> None:
    flush_deletions()
    assert app.shutdown_state is ShutdownState.STOPPED
    assert active_timers(app) == []
    assert parentless_menus() == []
    assert app.store.closed
    with pytest.raises(sqlite3.ProgrammingError):
        app.store.connection.execute("SELECT 1")
    assert open_connections(connections_before) == []
    assert visible_windows() == []
    assert app.registry.commands == {} and app.started_features() == []


def test_every_shipped_feature_starts_and_quit_leaves_nothing_that_can_fire(
    qtbot, full_app: CompanionApp, connections_before: set[int]
) -> None:
    started = [type(feature).__name__ for feature in full_app.started_features()]
    assert started == [
        "RoughCallsFeature", "ActivityFeature", "JournalFeature", "SummaryFeature", "QuietFeature", "HotkeysFeature",
        "SettingsFeature",
    ]  # fmt: skip
    assert {"tag", "break", "journal", "summary", "settings", "ping", "quit"} <= set(full_app.registry.commands)
    full_app.tray.rebuild_menu()  # submenus (pause tracking) are made as the rep opens it
    assert len(active_timers(full_app)) >= 3  # activity tick, journal checks, summary nudge at least

    full_app.tray.quit_requested.emit()  # Tray → Quit

    assert_nothing_left(full_app, connections_before)
    full_app.request_quit()  # a second quit (the socket, a signal) does nothing
    full_app.shutdown()
    assert full_app.shutdown_state is ShutdownState.STOPPED


def test_erase_everything_stops_every_feature_before_the_files_go_and_leaves_nothing(
    qtbot, full_app: CompanionApp, app_paths: AppPaths, connections_before: set[int]
) -> None:
    settings = next(f for f in full_app.started_features() if isinstance(f, SettingsFeature))
    settings.show_window("privacy")
    app_paths.log_file.write_text("a log line\n")

    settings.request_erase()  # what the erase dialog's Erase button does

    assert_nothing_left(full_app, connections_before)
    assert not app_paths.database.exists() and not app_paths.settings_file.exists()
    assert not app_paths.log_file.exists()


class UnansweredBox(QDialog):
    """A modal box the rep has not answered yet: it refuses to close until told to."""

    def __init__(self) -> None:
        super().__init__()
        self.setModal(True)
        self.hold = True

    def closeEvent(self, event) -> None:
        if self.hold:
            event.ignore()
        else:
            event.accept()


def test_a_quit_from_inside_a_modal_box_waits_for_the_outer_loop_and_the_socket_says_closing(
    qtbot, companion_app, app_paths: AppPaths, connections_before: set[int]
) -> None:
    app = companion_app()
    app.start()
    box = UnansweredBox()
    qtbot.addWidget(box)
    seen: dict[str, object] = {}

    def while_the_box_is_up() -> None:
        try:
            app.request_quit()  # e.g. `companion quit` or the session ending while a dialog waits for the rep
            seen["state"] = app.shutdown_state
            replies: list[object] = []

            def ask() -> None:
                try:
                    replies.append(send(app_paths.data, Request("ping")))
                except Exception as error:  # reported below, never left hanging
                    replies.append(error)

            sender = threading.Thread(target=ask)
            sender.start()
            qtbot.waitUntil(lambda: bool(replies), timeout=10_000)
            sender.join()
            seen["reply"] = replies[0]
            seen["store_open"] = not app.store.closed
        finally:
            box.hold = False
            box.reject()

    starter = QTimer(box)
    starter.setSingleShot(True)
    starter.timeout.connect(while_the_box_is_up)
    starter.start(0)
    box.exec()

    assert seen["state"] is ShutdownState.CLOSING  # deferred: the box's nested loop was still running
    assert seen["store_open"] is True  # nothing was closed under the box
    reply = seen["reply"]
    assert isinstance(reply, Reply) and not reply.ok and reply.message == CLOSING_MESSAGE
    assert "Traceback" not in reply.message
    qtbot.waitUntil(lambda: app.shutdown_state is ShutdownState.STOPPED, timeout=5000)
    assert_nothing_left(app, connections_before)


def test_sigterm_quits_through_the_staged_shutdown(qtbot, companion_app, connections_before: set[int]) -> None:
    app = companion_app()
    app.start()
    wakeup = SignalWakeup(lambda signum: app.request_quit())
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(lambda: app.shutdown_state is ShutdownState.STOPPED, timeout=5000)
    finally:
        wakeup.close()
    assert signal.getsignal(signal.SIGTERM) is not SignalWakeup._noted  # the previous handler is back
    assert_nothing_left(app, connections_before)


def test_a_feature_that_fails_to_start_or_stop_does_not_stop_the_others(
    qtbot, companion_app, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        stopped = False

        def start(self, services, registry) -> None:
            raise RuntimeError("broken at start")

        def stop(self) -> None:
            Broken.stopped = True
            raise RuntimeError("broken at stop")

    settings = SettingsFeature()
    app = companion_app([Broken(), settings])
    with caplog.at_level(logging.ERROR):
        app.start_features()
        assert "settings" in app.registry.commands  # the next feature started
        app.shutdown()
    assert Broken.stopped and settings.life.ended
    assert "could not start" in caplog.text and "did not stop cleanly" in caplog.text
    assert app.store.closed


def test_the_backends_are_chosen_once_and_closed_once(qtbot, qapp, companion_app, clock) -> None:
    backends = choose_backends(qapp, clock, lambda title, text: None)
    app = companion_app(default_features()[1:2], backends=backends)  # the activity feature uses all of them
    app.start_features()
    assert app.services is not None and app.services.backends is backends
    app.shutdown()
    backends.close()  # a second close is harmless


def test_each_shipped_feature_can_be_stopped_twice(qtbot, full_app: CompanionApp) -> None:
    features = full_app.started_features()
    for feature in features:
        feature.stop()
        feature.stop()
    full_app.shutdown()  # a third stop, from the app
    assert all(feature.life.ended for feature in features)
    assert active_timers(full_app) == []
