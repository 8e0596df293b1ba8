"""The composition root: builds the store, settings, clock, platform backends and UI, and connects them.

Nothing else creates services or reaches for QApplication.instance(); features get what they need from the
AppContext they are installed with.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget

from companion import APP_NAME, __version__
from companion.core.clock import Clock
from companion.core.crypto import Vault
from companion.core.interfaces import SecretStore, SoundPlayer
from companion.core.ipc import Reply, Request, socket_name
from companion.core.paths import AppPaths
from companion.core.prompt_gate import PromptGate
from companion.core.settings import SettingsHolder
from companion.core.status import collect_status
from companion.core.store import Store
from companion.instance import Handler, InstanceServer
from companion.ui.prompt import ChoicePrompt
from companion.ui.tray import Tray

if TYPE_CHECKING:  # the settings window loads on first use, not at start
    from companion.ui.settings_window import KeyControls

log = logging.getLogger(__name__)

TRAY_POLL_MS = 1000
TRAY_PATIENCE_SECONDS = 60  # tray hosts can start well after us at login


@dataclass
class AppContext:
    """What a feature may use. Features add IPC handlers, tray sections, status lines and About facts."""

    qapp: QApplication
    paths: AppPaths
    settings: SettingsHolder
    store: Store
    clock: Clock
    tray: Tray
    prompt_gate: PromptGate
    vault: Vault = field(default_factory=Vault)
    # Show a ChoicePrompt near the tray, one at a time (the prompt gate holds others back while it is up).
    show_prompt: Callable[[ChoicePrompt], None] = lambda prompt: prompt.show_near_tray()
    # A passive message (title, text). The tray balloon until the activity feature installs the plyer notifier.
    notify: Callable[[str, str], None] = lambda title, text: None
    # A message Companion sends on its own (the long-day note, the weekly summary is ready): shown only when the rep
    # leaves notifications on in Settings, with the chime when they asked for sound. Answers to something the rep
    # did, and errors, use notify and always show. Set by the app.
    nudge: Callable[[str, str], None] = lambda title, text: None
    handlers: dict[str, Handler] = field(default_factory=dict)
    about_facts: list[tuple[str, str]] = field(default_factory=list)
    live_status: list[Callable[[], dict[str, Any]]] = field(default_factory=list)
    status_line_parts: list[Callable[[], str]] = field(default_factory=list)
    on_quit: list[Callable[[], None]] = field(default_factory=list)
    # Set by the activity feature: seconds since the rep last touched keyboard or mouse (None: unknown).
    idle_seconds: Callable[[], float | None] = lambda: None
    # Called by the activity feature at the first activity of each local day (the morning check-in listens).
    on_first_activity_of_day: list[Callable[[], None]] = field(default_factory=list)
    # Called by the activity feature when the rep goes away (True) or comes back (False); auto-lock listens.
    on_away_changed: list[Callable[[bool], None]] = field(default_factory=list)
    # Set by the journal feature: the keyring behind the journal key (erase everything removes its entry) and the
    # key actions the Settings window's Privacy page calls (switch keyring/passphrase, change passphrase, recovery).
    secret_store: SecretStore | None = None
    key_controls: KeyControls | None = None
    # Run an action that needs personal content: now if the journal is unlocked, else after the rep unlocks it
    # (keyring first, else the unlock dialog). Set by the journal feature.
    when_unlocked: Callable[[Callable[[], None]], None] = lambda action: action()
    # The one player for soft sounds (the cooldown's breath tones, the notification chime), built on first use so a
    # rep who never turns a sound on never has tone files written. Set by the app.
    tone_player: Callable[[], SoundPlayer] = lambda: _silence()
    # Global hotkeys really bound now, by action ("tag", "call") -> the keys as Qt writes them; set by the hotkeys
    # feature, read by the tray sections that show a shortcut beside their item.
    global_shortcuts: dict[str, str] = field(default_factory=dict)
    # Extra widgets under a Settings page, by settings group: a function that adds them to the page's layout.
    settings_page_extras: dict[str, Callable[[Any], None]] = field(default_factory=dict)


Feature = Callable[[AppContext], None]


def _silence() -> SoundPlayer:
    from companion.platform.soft_tone import SilentTonePlayer

    return SilentTonePlayer()


class CompanionApp(QObject):
    def __init__(
        self,
        qapp: QApplication,
        paths: AppPaths,
        store: Store,
        clock: Clock,
        features: list[Feature],
        tray_patience_seconds: float = TRAY_PATIENCE_SECONDS,
    ) -> None:
        super().__init__()
        self.qapp = qapp
        self.tray = Tray(self.status_line)
        self.context = AppContext(
            qapp=qapp,
            paths=paths,
            settings=SettingsHolder(paths.settings_file),
            store=store,
            clock=clock,
            tray=self.tray,
            prompt_gate=PromptGate(clock),
        )
        self.context.notify = self.tell
        self.context.nudge = self.nudge
        self.context.tone_player = self.tone_player
        self._tone_player: SoundPlayer | None = None
        self.context.show_prompt = self.show_prompt
        self.context.handlers.update({"show": self._handle_show, "ping": self._handle_ping, "quit": self._handle_quit})
        self.context.about_facts.append(("Data folder", str(paths.data)))
        self.context.live_status.append(lambda: {"running": True})
        self._features = features
        self.tray.about_requested.connect(self.show_about)
        self.tray.quit_requested.connect(self.quit)
        self.server = InstanceServer(socket_name(paths.data), self.context.handlers, self)
        self._about: QWidget | None = None
        self._tray_waited = 0.0
        self._tray_patience = tray_patience_seconds
        self._tray_timer = QTimer(self)
        self._tray_timer.setInterval(TRAY_POLL_MS)
        self._tray_timer.timeout.connect(self._try_show_tray)
        self._no_tray_box: QMessageBox | None = None

    def start(self) -> None:
        """Tray first (the rep sees Companion is there), then the features, then the socket that reaches them."""
        self.tray.rebuild_menu()
        self._try_show_tray()
        if not self.tray.icon.isVisible():
            self._tray_timer.start()
        self.qapp.processEvents()  # let the tray host embed the icon before the features load
        self.install_features()
        if not self.server.listen():
            log.error("a second Companion will not be able to reach this one")
        log.info("Companion %s started", __version__)

    def install_features(self) -> None:
        """Install each feature once (start() calls this after the tray shows; tests may call it alone)."""
        features, self._features = self._features, []
        for feature in features:
            feature(self.context)
        self.tray.rebuild_menu()

    def status_line(self) -> str:
        parts = [part() for part in self.context.status_line_parts]
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

            self._about = AboutDialog(self.context.about_facts)
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
        gate = self.context.prompt_gate
        gate.prompt_opened()
        prompt.chosen.connect(lambda _key: gate.prompt_closed())
        prompt.show_near_tray()

    def nudge(self, title: str, message: str) -> None:
        preferences = self.context.settings.current.notifications
        if not preferences.enabled:
            log.info("not shown, as notifications are off in Settings: %s", title)
            return
        self.context.notify(title, message)  # looked up now: the activity feature replaces it with plyer's
        if preferences.sound and not self.context.prompt_gate.quiet_words:  # no chime during do-not-disturb
            self.tone_player().play("in")

    def tone_player(self) -> SoundPlayer:
        if self._tone_player is None:
            from companion.platform.soft_tone import choose_tone_player

            self._tone_player = choose_tone_player(self.context.paths.data / "tones")
        return self._tone_player

    def tell(self, title: str, message: str) -> None:
        """A passive message from the tray itself (features use the Notifier for theirs)."""
        self.tray.icon.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)

    def quit(self) -> None:
        for hook in self.context.on_quit:
            try:
                hook()
            except Exception:
                log.exception("a quit hook failed")
        self.server.close()
        self.tray.hide()
        self.qapp.quit()

    def live_status(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for part in self.context.live_status:
            values.update(part())
        return values

    def _handle_show(self, request: Request) -> Reply:
        log.info("a second Companion asked this one to show itself")
        self.tray.rebuild_menu()
        self.tell(APP_NAME, f"Companion is already running.\n{self.status_line()}")
        return Reply(True, "Companion is already running; it is in your system tray.")

    def _handle_ping(self, request: Request) -> Reply:
        report = collect_status(self.context.store, self.context.clock)
        return Reply(True, "pong", {**report.values, **self.live_status()})

    def _handle_quit(self, request: Request) -> Reply:
        QTimer.singleShot(0, self.quit)
        return Reply(True, "Companion is quitting.")


@dataclass(frozen=True)
class ShippedFeature:
    """A feature named by its module, imported when it is installed: after the tray shows, so the rep sees the icon
    before the features' code, windows and libraries load (issue 8's start to tray)."""

    module: str

    def __call__(self, ctx: AppContext) -> None:
        importlib.import_module(self.module).install(ctx)


def default_features() -> list[Feature]:
    """Every feature the product ships, in the order their tray sections appear: rough calls first (the item a rep
    reaches for in a hurry, right under the status line), then breaks and tracking, the journal, the week in review.

    Settings stays last: its quit hook erases everything when asked, after the others have finished.
    Features import this module for AppContext, so they are imported late (build.spec lists them for PyInstaller).
    """
    names = ("rough_calls", "activity", "journal", "summary", "quiet", "hotkeys", "settings")
    return [ShippedFeature(f"companion.features.{name}") for name in names]
