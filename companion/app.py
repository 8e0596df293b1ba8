"""The composition root: builds the store, settings, clock, platform backends and UI, and connects them.

Nothing else creates services or reaches for QApplication.instance(). Features get the read-only Services and the
Registry in `start` (companion/lifecycle.py) and are stopped, in reverse order, by the one staged shutdown here.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget

from companion import APP_NAME, __version__
from companion.core.clock import Clock
from companion.core.crypto import Vault
from companion.core.interfaces import SecretStore, SoundPlayer
from companion.core.ipc import Reply, Request, socket_name
from companion.core.paths import AppPaths
from companion.core.ports import Ports
from companion.core.prompt_gate import PromptGate
from companion.core.settings import SettingsHolder
from companion.core.status import collect_status
from companion.core.store import Store
from companion.instance import InstanceServer
from companion.lifecycle import Feature, Registry, Services
from companion.platform.backends import Backends, choose_backends
from companion.ui.prompt import ChoicePrompt
from companion.ui.tray import Tray

log = logging.getLogger(__name__)

TRAY_POLL_MS = 1000
TRAY_PATIENCE_SECONDS = 60  # tray hosts can start well after us at login
NESTED_LOOP_RETRY_MS = 50  # how often a deferred quit looks whether the modal box has closed


class CompanionApp(QObject):
    def __init__(
        self,
        qapp: QApplication,
        paths: AppPaths,
        store: Store,
        clock: Clock,
        features: list[Feature],
        tray_patience_seconds: float = TRAY_PATIENCE_SECONDS,
        backends: Backends | None = None,
    ) -> None:
        super().__init__()
        self.qapp = qapp
        self.paths = paths
        self.store = store
        self.clock = clock
        self.settings = SettingsHolder(paths.settings_file)
        self.vault = Vault()
        self.prompt_gate = PromptGate(clock)
        self.ports = Ports()
        self.tray = Tray(self.status_line)
        self.registry = Registry(self.tray, self.ports, self.settings)
        self.registry.register_command("show", self._handle_show)
        self.registry.register_command("ping", self._handle_ping)
        self.registry.register_command("quit", self._handle_quit)
        self.registry.add_about_fact("Data folder", str(paths.data))
        self.registry.add_status(lambda: {"running": True})
        self.backends = backends  # chosen in start_features, after the tray shows, unless a test brought its own
        self.services: Services | None = None
        self._tone_player: SoundPlayer | None = None
        self._waiting = features
        self._started: list[Feature] = []
        self.tray.about_requested.connect(self.show_about)
        self.tray.quit_requested.connect(self.request_quit)
        self.server = InstanceServer(socket_name(paths.data), self.registry.commands, self)
        self._about: QWidget | None = None
        self._quarantine_box: QMessageBox | None = None
        self._tray_waited = 0.0
        self._tray_patience = tray_patience_seconds
        self._tray_timer = QTimer(self)
        self._tray_timer.setInterval(TRAY_POLL_MS)
        self._tray_timer.timeout.connect(self._try_show_tray)
        self._no_tray_box: QMessageBox | None = None
        # The staged shutdown (see `shutdown`): one pass only, and never from inside a nested event loop.
        self.shutdown_state = ShutdownState.RUNNING
        self._erase_requested = False
        self._deferred_quit = QTimer(self)
        self._deferred_quit.setSingleShot(True)
        self._deferred_quit.setInterval(NESTED_LOOP_RETRY_MS)
        self._deferred_quit.timeout.connect(self._finish_shutdown)
        self._quit_at_once = QTimer(self)  # for the socket's "quit": reply first, then quit from the event loop
        self._quit_at_once.setSingleShot(True)
        self._quit_at_once.setInterval(0)
        self._quit_at_once.timeout.connect(self.request_quit)
        self.final_message: QMessageBox | None = None
        self.qapp.aboutToQuit.connect(self._on_about_to_quit)
        self.qapp.commitDataRequest.connect(self._on_session_ending)

    def start(self) -> None:
        """Tray first (the rep sees Companion is there), then the features, then the socket that reaches them."""
        self.tray.rebuild_menu()
        self._try_show_tray()
        if not self.tray.icon.isVisible():
            self._tray_timer.start()
        self.qapp.processEvents()  # let the tray host embed the icon before the features load
        self.start_features()
        if not self.server.listen():
            log.error("a second Companion will not be able to reach this one")
        log.info("Companion %s started", __version__)

    def start_features(self) -> None:
        """Choose the backends, build the services, and start each waiting feature once (start() calls this after
        the tray shows; tests may call it alone)."""
        services = self._build_services()
        features, self._waiting = self._waiting, []
        for feature in features:
            self._start_one(feature, services)
        self.tray.rebuild_menu()

    def add_feature(self, feature: Feature) -> Feature:
        """Start one more feature now (tests add theirs to a running app); it stops with the others."""
        self._start_one(feature, self._build_services())
        self.tray.rebuild_menu()
        return feature

    def started_features(self) -> list[Feature]:
        """The features started so far, in start order (a ShippedFeature is given as the feature it built)."""
        return [getattr(feature, "feature", None) or feature for feature in self._started]

    def _start_one(self, feature: Feature, services: Services) -> None:
        self._started.append(feature)  # stopped at shutdown even if its start failed half-way
        try:
            feature.start(services, self.registry)
        except Exception:  # one feature's bug must not keep the tray and the other features from the rep
            log.exception("the feature %s could not start", _feature_name(feature))

    def _build_services(self) -> Services:
        if self.services is None:
            if self.backends is None:
                self.backends = choose_backends(self.qapp, self.clock, self.balloon)
            self.services = Services(
                paths=self.paths,
                settings=self.settings,
                store=self.store,
                clock=self.clock,
                vault=self.vault,
                prompt_gate=self.prompt_gate,
                tray=self.tray,
                backends=self.backends,
                ports=self.ports,
                notify=self.tell,
                nudge=self.nudge,
                show_prompt=self.show_prompt,
                tone_player=self.tone_player,
                request_quit=self.request_quit,
            )
        return self.services

    def status_line(self) -> str:
        parts = [part() for part in self.registry.status_line_parts]
        return " · ".join(p for p in parts if p) or f"{APP_NAME} is running"

    def _try_show_tray(self) -> None:
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._tray_timer.stop()
            self.tray.show()
            if self._no_tray_box is not None:
                self._no_tray_box.close()
            log.info("tray icon shown")
            return
        self._tray_waited += TRAY_POLL_MS / 1000
        if self._tray_waited >= self._tray_patience and self._no_tray_box is None:
            log.warning("no system tray after %.0f s", self._tray_waited)
            self._no_tray_box = QMessageBox(
                QMessageBox.Icon.Information,
                APP_NAME,
                "Companion is running, but this desktop has no system tray to show its icon in.\n\n"
                "Add a tray (system tray, status notifier or AppIndicator extension) to your panel; the icon "
                "will appear as soon as there is one. Until then, `companion tag` and `companion status` work "
                "from a terminal or a keyboard shortcut.",
            )
            self._no_tray_box.setModal(False)
            self._no_tray_box.show()

    def show_about(self) -> None:
        if self._about is None:
            from companion.ui.about import AboutDialog

            self._about = AboutDialog(self.registry.about_facts)
        self._about.show()
        self._about.raise_()
        self._about.activateWindow()

    def report_quarantine(self, kept_at: Path) -> None:
        """The database could not be read at start: say where the old file is, in a window that waits for the rep."""
        self._quarantine_box = QMessageBox(
            QMessageBox.Icon.Warning,
            APP_NAME,
            self.tr(
                "Companion's database could not be read, so Companion started a fresh one and kept the old file, "
                "untouched, at:\n\n%1\n\nNothing in it was deleted. If it matters to you, keep a copy of that file."
            ).replace("%1", str(kept_at)),
        )
        self._quarantine_box.setModal(False)
        self._quarantine_box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._quarantine_box.show()
        log.warning("started a fresh database; the unreadable one is at %s", kept_at)

    def show_prompt(self, prompt: ChoicePrompt) -> None:
        """Show a choice prompt near the tray; the gate keeps any other prompt back until this one is answered."""
        gate = self.prompt_gate
        gate.prompt_opened()
        prompt.chosen.connect(lambda _key: gate.prompt_closed())
        prompt.show_near_tray()

    def nudge(self, title: str, message: str) -> None:
        preferences = self.settings.current.notifications
        if not preferences.enabled:
            log.info("not shown, as notifications are off in Settings: %s", title)
            return
        self.tell(title, message)
        if preferences.sound:
            self.tone_player().play("in")

    def tone_player(self) -> SoundPlayer:
        if self._tone_player is None:
            from companion.platform.soft_tone import choose_tone_player

            self._tone_player = choose_tone_player(self.paths.data / "tones")
        return self._tone_player

    def tell(self, title: str, message: str) -> None:
        """A passive message: the chosen notifier (which falls back to the tray balloon by itself)."""
        if self.backends is None:
            self.balloon(title, message)
        else:
            self.backends.notifier.notify(title, message)

    def balloon(self, title: str, message: str) -> None:
        """A message from the tray icon itself."""
        self.tray.icon.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)

    # --- the staged shutdown ----------------------------------------------------------------------------------

    def request_quit(self, erase: bool = False) -> None:
        """Quit (Tray → Quit, `companion quit`, a signal, the session ending), erasing everything when asked.

        Stage 1 runs now: the socket answers "Companion is closing" and the tray is hidden. The rest runs from the
        outer event loop: a call from inside a modal box's nested loop closes the box and waits for its loop to end.
        A second request only adds erase=True; it never runs the stages twice.
        """
        self._erase_requested = self._erase_requested or erase
        if self.shutdown_state is not ShutdownState.RUNNING:
            return
        self.shutdown_state = ShutdownState.CLOSING
        log.info("shutting down%s", " to erase everything" if self._erase_requested else "")
        self.server.refuse_commands()
        self._tray_timer.stop()
        self.tray.hide()
        self._finish_shutdown()

    def quit(self) -> None:
        self.request_quit()

    def shutdown(self, erase: bool = False) -> None:
        """For tests and `launch` (after the event loop ended): the whole staged shutdown, now. Outside any event
        loop a box that refuses to close cannot hold it up."""
        self.request_quit(erase)
        if self.shutdown_state is ShutdownState.CLOSING:
            self._finish_shutdown(wait_for_boxes=_in_nested_event_loop())

    def _finish_shutdown(self, wait_for_boxes: bool = True) -> None:
        if self.shutdown_state is not ShutdownState.CLOSING:
            return
        if wait_for_boxes and self._must_wait():
            self._deferred_quit.start()
            return
        self.shutdown_state = ShutdownState.STOPPING
        self.qapp.aboutToQuit.disconnect(self._on_about_to_quit)
        self.qapp.commitDataRequest.disconnect(self._on_session_ending)
        self._stop_features()
        self._close_own_windows()
        self.registry.close()
        self.tray.close()
        if self.backends is not None:
            self.backends.close()
        secrets = self.ports.secret_store
        if self._erase_requested:
            self._erase(secrets)  # closes the store first, then removes the files
        else:
            self.store.close()
        self.shutdown_state = ShutdownState.STOPPED
        log.info("Companion stopped its features and closed its data")
        if self.final_message is None:
            self._exit()

    def _exit(self) -> None:
        """Stage 6 is over: the socket, which answered "Companion is closing" until now, goes; the loop ends."""
        self.server.close()
        self.qapp.quit()

    def _must_wait(self) -> bool:
        """Inside a modal box (its exec() is a nested event loop) nothing may be closed under it: ask the box to
        close (its exec() returns and the feature that opened it sees a cancel) and wait for the outer loop."""
        modal = self.qapp.activeModalWidget()
        if modal is not None:
            modal.close()
        return _in_nested_event_loop() or self.qapp.activeModalWidget() is not None

    def _stop_features(self) -> None:
        started, self._started = self._started, []
        for feature in reversed(started):
            try:
                feature.stop()
            except Exception:
                log.exception("the feature %s did not stop cleanly", _feature_name(feature))

    def _close_own_windows(self) -> None:
        for window in (self._about, self._no_tray_box, self._quarantine_box):
            if window is not None:
                window.close()
                window.deleteLater()
        self._about = self._no_tray_box = self._quarantine_box = None

    def _erase(self, secrets: SecretStore | None) -> None:
        """Stage 5: everything Companion keeps, after the store is closed; then the last message, if any."""
        from companion.core.data_controls import erase_everything

        self.vault.lock()
        autostart = self.backends.autostart if self.backends is not None else None
        if autostart is not None and autostart.name != "none":
            try:
                autostart.disable()
            except OSError as error:
                log.error("start at login could not be turned off: %s", error)
        _stop_logging_to(self.paths.logs)
        report = erase_everything(self.paths, self.store, secrets)
        if report.problems:
            self.final_message = QMessageBox(
                QMessageBox.Icon.Warning,
                APP_NAME,
                "Companion erased what it could.\n\n" + "\n".join(report.problems),
            )
            self.final_message.setObjectName("erase-final-message")
            self.final_message.finished.connect(self._exit)
            self.final_message.open()

    def _on_about_to_quit(self) -> None:
        """Qt is quitting on its own (the last window, a platform request): run the stages if nothing did."""
        if self.shutdown_state is ShutdownState.RUNNING:
            self.shutdown()

    def _on_session_ending(self, manager: object) -> None:
        log.info("the desktop session is ending")
        self.request_quit()

    def live_status(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for part in self.registry.status_parts:
            values.update(part())
        return values

    def _handle_show(self, request: Request) -> Reply:
        log.info("a second Companion asked this one to show itself")
        self.tray.rebuild_menu()
        self.balloon(APP_NAME, f"Companion is already running.\n{self.status_line()}")
        return Reply(True, "Companion is already running; it is in your system tray.")

    def _handle_ping(self, request: Request) -> Reply:
        report = collect_status(self.store, self.clock)
        return Reply(True, "pong", {**report.values, **self.live_status()})

    def _handle_quit(self, request: Request) -> Reply:
        self._quit_at_once.start()  # the reply goes out first
        return Reply(True, "Companion is quitting.")


class ShutdownState(Enum):
    RUNNING = "running"
    CLOSING = "closing"  # the socket refuses, the tray is hidden; waiting for the outer event loop
    STOPPING = "stopping"  # features stopping, store closing
    STOPPED = "stopped"


def _in_nested_event_loop() -> bool:
    """True inside a modal box's exec() (or any loop started inside the main one)."""
    thread = QThread.currentThread()
    return thread is not None and thread.loopLevel() > 1


def _stop_logging_to(folder: Path) -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        filename = getattr(handler, "baseFilename", None)
        if filename and Path(filename).parent == folder:
            root.removeHandler(handler)
            handler.close()


def _feature_name(feature: Feature) -> str:
    return getattr(feature, "module", None) or type(feature).__name__


@dataclass
class ShippedFeature:
    """A feature named by its module, imported when it starts: after the tray shows, so the rep sees the icon
    before the features' code, windows and libraries load (issue 8's start to tray). The module's `create()`
    builds the feature; build.spec lists the modules for PyInstaller."""

    module: str
    feature: Feature | None = None

    def start(self, services: Services, registry: Registry) -> None:
        self.feature = importlib.import_module(self.module).create()
        self.feature.start(services, registry)

    def stop(self) -> None:
        if self.feature is not None:
            self.feature.stop()


def default_features() -> list[Feature]:
    """Every feature the product ships, in the order their tray sections appear: rough calls first (the item a rep
    reaches for in a hurry, right under the status line), then breaks and tracking, the journal, the week in review,
    and Settings. They stop in the reverse order."""
    names = ("rough_calls", "activity", "journal", "summary", "settings")
    return [ShippedFeature(f"companion.features.{name}") for name in names]
