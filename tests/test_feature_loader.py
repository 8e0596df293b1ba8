"""The real app's start, one feature per turn of the event loop (issue 15), through the lifecycle: every shipped
feature starts through `start(services, registry)` and is registered for the staged shutdown, which stops them in
reverse order; a quit that comes while they are still starting starts nothing more and leaves no worker thread,
timer or connection behind; the database check after the icon is owned by the shutdown too."""

from __future__ import annotations

import gc
import sqlite3
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from companion.app import CompanionApp, ShutdownState, default_features
from companion.core import db_check
from companion.core.paths import AppPaths
from companion.core.store import Store
from companion.lifecycle import Lifetime, Registry, Services
from tests.app_harness import SteadyIdle, fallback_backends
from tests.test_lifecycle import active_timers, assert_nothing_left, flush_deletions

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)\(\)")


def worker_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "companion-worker"]


class Recorded:
    """A feature that notes when it starts and stops, and owns a timer as a real one does."""

    def __init__(self, name: str, log: list[str]) -> None:
        self.name = name
        self.log = log
        self.life: Lifetime | None = None

    def start(self, services: Services, registry: Registry) -> None:
        from PySide6.QtCore import QObject

        self.owner = QObject()
        self.life = Lifetime(self.owner)
        self.life.timer(60_000, lambda: None).start()
        registry.add_status(lambda: {f"{self.name}_running": True})
        self.log.append(f"start {self.name}")

    def stop(self) -> None:
        if self.life is not None:
            self.life.end()
        self.log.append(f"stop {self.name}")


@pytest.fixture
def connections_at_start() -> set[int]:
    return {id(thing) for thing in gc.get_objects() if isinstance(thing, sqlite3.Connection)}


@pytest.fixture
def real_start(qapp: QApplication, app_paths: AppPaths, clock) -> Iterator[list[CompanionApp]]:
    made: list[CompanionApp] = []
    yield made
    for app in made:
        app.shutdown()
        if app.final_message is not None:
            app.final_message.close()
    flush_deletions()


def build(qapp: QApplication, app_paths: AppPaths, clock, features, made: list[CompanionApp]) -> CompanionApp:
    store = Store.open(app_paths.database, now=clock.now(), integrity_check=False)
    # SteadyIdle, not the own-windows source: its app-wide Python event filter is not what these tests are about,
    # and with it PySide6 6.11 can crash creating a message box's wrapper inside the filter (see the report).
    app = CompanionApp(qapp, app_paths, store, clock, features, tray_patience_seconds=3600,
                       backends=fallback_backends(qapp, clock, idle=SteadyIdle()))  # fmt: skip
    made.append(app)
    return app


def turn_until_a_feature_starts(qapp: QApplication, log: list[str]) -> None:
    """Single turns of the event loop (the backends' turn first) until the log has something."""
    for _turn in range(10):
        qapp.processEvents()
        if log:
            return


def test_a_quit_in_the_trays_turn_chooses_no_backends_and_starts_no_feature(
    qtbot, qapp, app_paths: AppPaths, clock, real_start: list[CompanionApp]
) -> None:
    log: list[str] = []
    app = build(qapp, app_paths, clock, [Recorded("first", log)], real_start)
    app.backends = None  # as in the real app: chosen in their own turn
    app.start(one_feature_per_turn=True)
    app.request_quit()
    for _ in range(5):
        qapp.processEvents()
    assert log == [] and app.backends is None and not app.features_loading
    assert app.shutdown_state is ShutdownState.STOPPED
    assert active_timers(app) == []


def test_features_start_one_per_turn_through_the_lifecycle_and_stop_in_reverse(
    qtbot, qapp, app_paths: AppPaths, clock, real_start: list[CompanionApp]
) -> None:
    log: list[str] = []
    app = build(qapp, app_paths, clock, [Recorded(name, log) for name in ("first", "second", "third")], real_start)

    app.start(one_feature_per_turn=True)

    assert log == [] and app.features_loading  # the icon's turn ends before any feature starts
    qapp.processEvents()  # the backends' turn
    assert log == [] and app.services is not None
    turn_until_a_feature_starts(qapp, log)
    assert log == ["start first"]  # one per turn: the menu can open between them
    qtbot.waitUntil(lambda: not app.features_loading)
    assert log == ["start first", "start second", "start third"]
    assert {"first_running", "second_running", "third_running"} <= set(app.live_status())
    assert app.server.is_listening()  # the socket listens once they have all started

    app.tray.quit_requested.emit()

    assert log[3:] == ["stop third", "stop second", "stop first"]
    assert app.shutdown_state is ShutdownState.STOPPED


def test_a_quit_while_features_are_starting_starts_nothing_more_and_stops_what_started(
    qtbot, qapp, app_paths: AppPaths, clock, real_start: list[CompanionApp]
) -> None:
    log: list[str] = []
    app = build(qapp, app_paths, clock, [Recorded(name, log) for name in ("first", "second", "third")], real_start)
    app.start(one_feature_per_turn=True)
    turn_until_a_feature_starts(qapp, log)
    assert log == ["start first"]

    app.request_quit()  # Tray → Quit, `companion quit` or SIGTERM before the last feature is in

    for _ in range(5):
        qapp.processEvents()  # any turn the loader had queued comes and goes
    assert log == ["start first", "stop first"]
    assert app.shutdown_state is ShutdownState.STOPPED
    assert not app.server.is_listening()  # it never began to listen
    assert active_timers(app) == []


def test_a_quit_asked_by_a_starting_feature_stops_it_and_starts_no_other(
    qtbot, qapp, app_paths: AppPaths, clock, real_start: list[CompanionApp]
) -> None:
    log: list[str] = []

    class QuitsAtStart(Recorded):
        def start(self, services: Services, registry: Registry) -> None:
            super().start(services, registry)
            services.request_quit(False)  # e.g. SIGTERM handled while this feature starts

    app = build(qapp, app_paths, clock, [Recorded("first", log), QuitsAtStart("second", log), Recorded("third", log)],
                real_start)  # fmt: skip
    app.start(one_feature_per_turn=True)
    qtbot.waitUntil(lambda: app.shutdown_state is ShutdownState.STOPPED)
    for _ in range(5):
        qapp.processEvents()
    assert log == ["start first", "start second", "stop second", "stop first"]
    assert active_timers(app) == []


def test_a_quit_during_a_shipped_features_import_drops_it_and_leaves_no_worker(
    qtbot, qapp, app_paths: AppPaths, clock, real_start: list[CompanionApp], connections_at_start: set[int]
) -> None:
    app = build(qapp, app_paths, clock, default_features(), real_start)
    app.start(one_feature_per_turn=True)
    assert app.features_loading  # the first feature's module is being imported on the worker

    app.request_quit()

    assert worker_threads() == []  # the import in flight finished and its result was dropped
    for _ in range(5):
        qapp.processEvents()
    assert app.started_features() == []  # nothing started after the quit
    assert_nothing_left(app, connections_at_start)


def test_the_shipped_features_all_start_one_per_turn_and_quit_leaves_nothing(
    qtbot, qapp, app_paths: AppPaths, clock, real_start: list[CompanionApp], connections_at_start: set[int]
) -> None:
    app = build(qapp, app_paths, clock, default_features(), real_start)
    app.start(one_feature_per_turn=True)
    qtbot.waitUntil(lambda: not app.features_loading, timeout=20_000)
    started = [type(feature).__module__ for feature in app.started_features()]
    assert started == [shipped.module for shipped in default_features()]  # every one, in the tray's order
    assert {"tag", "break", "journal", "summary", "settings"} <= set(app.registry.commands)

    app.tray.quit_requested.emit()

    assert worker_threads() == []
    assert_nothing_left(app, connections_at_start)


def test_the_database_check_after_the_icon_reports_damage_and_is_stopped_by_the_shutdown(
    qtbot, qapp, app_paths: AppPaths, clock, real_start: list[CompanionApp], connections_at_start: set[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    app = build(qapp, app_paths, clock, [], real_start)
    app.start(one_feature_per_turn=True)
    monkeypatch.setattr(db_check, "quick_check", lambda database: "*** in database main ***\nPage 7: damaged")
    app.check_database_in_background()

    qtbot.waitUntil(lambda: any("found damage in its database" in box.text() for box in app.windows.notices))
    assert all(box.isVisible() for box in app.windows.notices)  # a notice the app owns, closed by the shutdown
    assert db_check.check_needed_at_start(app_paths.database)  # the next start checks (and keeps it aside) first

    app.tray.quit_requested.emit()

    assert worker_threads() == []
    assert_nothing_left(app, connections_at_start)
