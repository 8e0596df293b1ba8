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
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon

from companion import APP_NAME, __version__
from companion.core.clock import Clock
from companion.core.crypto import Vault
from companion.core.i18n import N_, _
from companion.core.interfaces import SecretStore, SoundPlayer
from companion.core.ipc import Reply, Request, socket_name
from companion.core.paths import AppPaths
from companion.core.ports import Ports
from companion.core.prompt_gate import PromptGate
from companion.core.settings import SettingsHolder
from companion.core.status import collect_status
from companion.core.store import Store
from companion.instance import InstanceServer
from companion.lifecycle import Feature, Lifetime, Registry, Services
from companion.logsetup import stop_logging_to
from companion.platform.backends import Backends, BackendsInSteps, choose_backends
from companion.ui.own_windows import TRAY_PATIENCE_SECONDS, OwnWindows
from companion.ui.prompt import ChoicePrompt, hold_slot_while_shown
from companion.ui.tray import Tray

if TYPE_CHECKING:  # loaded when the real app starts its features one per turn, not by every test
    from companion.ui.feature_loader import FeatureLoader
    from companion.ui.worker import BackgroundWork

log = logging.getLogger(__name__)

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
        tray: Tray | None = None,
    ) -> None:
        """`tray`: the icon launch.py showed before building the app (its start to tray), which the app takes over."""
        super().__init__()
        self.qapp = qapp
        self.paths = paths
        self.store = store
        self.clock = clock
        self.settings = SettingsHolder(paths.settings_file)
        self.vault = Vault()
        self.prompt_gate = PromptGate(clock)
        self._prompts = Lifetime(self)  # the prompts on screen and the deferred "show the next one"
        self._start_turn = Lifetime(self)  # the real app's features begin in the turn after the tray's
        self.ports = Ports()
        self.tray = tray if tray is not None else Tray(self.status_line)
        self.tray.finish_starting(self.status_line)
        self.registry = Registry(self.tray, self.ports, self.settings)
        self.registry.register_command("show", self._handle_show)
        self.registry.register_command("ping", self._handle_ping)
        self.registry.register_command("quit", self._handle_quit)
        self.registry.add_about_fact(N_("Data folder"), str(paths.data))
        self.registry.add_status(lambda: {"running": True})
        self.backends = backends  # chosen in start_features, after the tray shows, unless a test brought its own
        self.services: Services | None = None
        self._tone_player: SoundPlayer | None = None
        self._waiting = features
        self._started: list[Feature] = []
        self._loader: FeatureLoader | None = None  # starts the features one per turn in the real app
        self._database_check: BackgroundWork | None = None  # quick_check on a worker, after the icon shows
        self.windows = OwnWindows(self.tray, self.registry, tray_patience_seconds, self)  # tray wait, About, notes
        self.tray.about_requested.connect(self.windows.show_about)
        self.tray.quit_requested.connect(self.request_quit)
        self.server = InstanceServer(socket_name(paths.data), self.registry.commands, self)
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

    def start(self, one_feature_per_turn: bool = False) -> None:
        """Tray first (the rep sees Companion is there), then the features, then the socket that reaches them.

        With `one_feature_per_turn` (the real app) each feature's module is imported on a worker and the feature
        started in its own turn of the event loop, so the icon's menu can open meanwhile (issue 15's stall after the
        icon). The socket listens once they have all started: whoever finds it gets an answer at once."""
        self.tray.rebuild_menu()
        self.windows.show_tray_when_possible()
        self.qapp.processEvents()  # let the tray host embed the icon before the features load
        if one_feature_per_turn:
            self._start_turn.later(self._choose_backends_one_per_turn)
            return
        self.start_features()
        self._listen()

    def _choose_backends_one_per_turn(self) -> None:
        """Each kind of backend in a turn of its own (together they asked D-Bus and PulseAudio for 40 to 80 ms),
        then the features. A quit meanwhile closes those chosen so far."""
        if self.backends is not None:  # a test brought its own
            self._start_features_one_per_turn()
            return
        choosing = BackendsInSteps(self.qapp, self.clock, self.balloon)
        self._start_turn.on_end(choosing.close)

        def choose_next() -> None:
            backends = choosing.choose_next()
            if backends is None:
                self._start_turn.later(choose_next)
                return
            self.backends = backends
            self._start_features_one_per_turn()

        choose_next()

    def _start_features_one_per_turn(self) -> None:
        from companion.ui.feature_loader import FeatureLoader

        services = self._build_services()
        features, self._waiting = self._waiting, []
        self._loader = FeatureLoader(features, lambda feature: self._start_one(feature, services),
                                     self._all_features_started, self)  # fmt: skip
        self._loader.start()

    def _all_features_started(self) -> None:
        menu = self.tray.menu
        if menu is not None and not menu.isVisible():  # an open menu keeps its items; it refills on next open
            self.tray.rebuild_menu()
        self._listen()

    def _listen(self) -> None:
        if not self.server.listen():
            log.error("a second Companion will not be able to reach this one")
            # Shortcuts and `companion tag` cannot reach this Companion: the rep needs to know why.
            self.report_problem(self.server.problem or _("Companion could not open its private socket."))
        log.info("Companion %s started", __version__)

    @property
    def features_loading(self) -> bool:
        """True while features are still starting one per turn (the real app's first moments)."""
        if self._loader is None:
            return self.shutdown_state is ShutdownState.RUNNING and bool(self._waiting)
        return self._loader.loading

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
        if self.shutdown_state is not ShutdownState.RUNNING:  # nothing starts once shutdown has begun
            log.info("not starting %s: Companion is closing", _feature_name(feature))
            return
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
        return " · ".join(p for p in parts if p) or _("{APP_NAME} is running").format(APP_NAME=APP_NAME)

    def show_about(self) -> None:
        self.windows.show_about()

    def report_quarantine(self, kept_at: Path) -> None:
        """The database could not be read at start: say where the old file is (launch.py calls this)."""
        self.windows.report_quarantine(kept_at)

    def check_database_in_background(self) -> None:
        """The page-by-page quick_check grows with years of data, so Store.open skips it in the tray app and it runs
        here, on a worker, after the icon shows (core/db_check.py). Stopped by the shutdown."""
        from companion.ui.db_check_runner import check_in_background

        if self._database_check is None and self.shutdown_state is ShutdownState.RUNNING:
            self._database_check = check_in_background(self.paths.database, self.report_damage_found, self)

    def _stop_database_check(self) -> None:
        if self._database_check is not None:
            self._database_check.stop()  # waits for the check in flight and drops its verdict
            self._database_check = None

    def report_damage_found(self) -> None:
        """The background check found damage in the open database: say what happens next, in a window that waits."""
        if self.shutdown_state is not ShutdownState.RUNNING:
            return
        self.report_problem(
            self.tr(
                "Companion found damage in its database. Quit Companion and start it again: it will keep the "
                "damaged file aside, untouched, and start a fresh one. Until then, what you do may not be saved."
            )
        )

    def report_problem(self, sentence: str) -> None:
        """Companion runs, but with a problem the rep should know about (no private socket, unreadable settings):
        said in a window that waits for the rep without blocking anything; the app owns it until shutdown."""
        self.windows.report_problem(sentence)

    def show_prompt(self, prompt: ChoicePrompt) -> None:
        """Show a choice prompt near the tray. The one way prompts reach the screen: the prompt takes the gate's slot,
        which is released however the prompt ends (answered, closed, deleted), and then the next prompt waiting in
        the gate's queue (PromptGate.enqueue) may come. The app owns the prompt: shutdown closes any still up."""
        self._prompts.window(prompt)
        slot = self.prompt_gate.prompt_opened(prompt.windowTitle())
        hold_slot_while_shown(prompt, slot, self._prompt_ended)
        prompt.show_near_tray()

    def _prompt_ended(self) -> None:
        # Not from inside the ended prompt's own signal: the next prompt shows once that one has finished closing.
        # An owned deferred call, so a prompt closed by the shutdown schedules nothing that outlives it.
        self._prompts.later(self.show_next_prompt)

    def show_next_prompt(self) -> None:
        if self.shutdown_state is not ShutdownState.RUNNING:
            return  # the features that queued prompts are stopping or stopped
        try:
            self.prompt_gate.show_next()
        except Exception:  # one feature's broken prompt must not stop the others' (it has left the queue)
            log.exception("a waiting prompt could not be shown")

    def nudge(self, title: str, message: str) -> None:
        preferences = self.settings.current.notifications
        if not preferences.enabled:
            log.info("not shown, as notifications are off in Settings: %s", title)
            return
        self.tell(title, message)
        if preferences.sound and not self.prompt_gate.check_quiet():  # no chime during do not disturb
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
        self._start_turn.end()
        if self._loader is not None:
            self._loader.stop()  # no feature starts once shutdown has begun; those started stop in stage 3
        self.windows.stop_waiting_for_tray()
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
        self._stop_database_check()  # its read-only connection closes before the store closes or is erased
        self._prompts.end()  # a prompt a feature left up closes; nothing waits in the gate's queue any more
        self.prompt_gate.clear()
        self.windows.close_all()
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
        stop_logging_to(self.paths.logs)
        report = erase_everything(self.paths, self.store, secrets)
        if report.problems:
            self.final_message = QMessageBox(
                QMessageBox.Icon.Warning,
                APP_NAME,
                _("Companion erased what it could.\n\n{problems}").format(problems="\n".join(report.problems)),
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
        self.balloon(APP_NAME, _("Companion is already running.\n{status}").format(status=self.status_line()))
        return Reply(True, _("Companion is already running; it is in your system tray."))

    def _handle_ping(self, request: Request) -> Reply:
        report = collect_status(self.store, self.clock)
        return Reply(True, "pong", {**report.values, **self.live_status()})

    def _handle_quit(self, request: Request) -> Reply:
        self._quit_at_once.start()  # the reply goes out first
        return Reply(True, _("Companion is quitting."))


class ShutdownState(Enum):
    RUNNING = "running"
    CLOSING = "closing"  # the socket refuses, the tray is hidden; waiting for the outer event loop
    STOPPING = "stopping"  # features stopping, store closing
    STOPPED = "stopped"


def _in_nested_event_loop() -> bool:
    """True inside a modal box's exec() (or any loop started inside the main one)."""
    thread = QThread.currentThread()
    return thread is not None and thread.loopLevel() > 1


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
    quiet moments and global hotkeys, and Settings. They stop in the reverse order."""
    names = ("rough_calls", "activity", "journal", "summary", "quiet", "hotkeys", "settings")
    return [ShippedFeature(f"companion.features.{name}") for name in names]
