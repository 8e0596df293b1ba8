"""What a feature is given, what it may register, and what it owns: the seams between app.py and companion/features.

A feature is started once with the read-only `Services` and the `Registry`, and stopped once (twice is harmless):

    class MyFeature(QObject):
        def start(self, services: Services, registry: Registry) -> None:
            self.ctx = services
            self.life = Lifetime(self)
            self.life.timer(60_000, self.check)          # owned: stopped by life.end()
            registry.add_tray_section(self.add_menu_items)
            registry.register_command("mine", self.handle)

        def stop(self) -> None:
            self.life.end()                              # timers, deferred calls, connections, windows

The app stops features in reverse start order (app.py's `shutdown`), then closes the backends and the store.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QVBoxLayout, QWidget

from companion.core.clock import Clock
from companion.core.crypto import Vault
from companion.core.i18n import _
from companion.core.interfaces import SecretStore, SoundPlayer
from companion.core.ipc import Reply, Request
from companion.core.paths import AppPaths
from companion.core.ports import GlobalShortcuts, JournalAccess, KeyControls, Ports
from companion.core.prompt_gate import PromptGate
from companion.core.settings import Settings, SettingsHolder
from companion.core.store import Store

if TYPE_CHECKING:
    from companion.platform.backends import Backends
    from companion.ui.prompt import ChoicePrompt
    from companion.ui.tray import MenuSection, Tray

log = logging.getLogger(__name__)

Handler = Callable[[Request], Reply]
Message = Callable[[str, str], None]  # (title, text)
PageExtra = Callable[[QVBoxLayout], None]  # adds widgets under a Settings page's fields
W = TypeVar("W", bound=QWidget)


@dataclass(frozen=True)
class Services:
    """Everything a feature may use, built once by the app. Read-only: nobody swaps a field after start; what one
    feature offers another goes through `ports` (companion/core/ports.py)."""

    paths: AppPaths
    settings: SettingsHolder
    store: Store
    clock: Clock
    vault: Vault
    prompt_gate: PromptGate
    tray: Tray
    backends: Backends
    ports: Ports
    # A passive message the rep asked for or needs (answers, errors): the notifier, else the tray balloon.
    notify: Message
    # A message Companion sends on its own (the long-day note, the week is ready): only when the rep leaves
    # notifications on in Settings, with the chime when they asked for sound.
    nudge: Message
    # Show a ChoicePrompt near the tray now; it holds the prompt gate's slot until it ends, however it ends, and
    # then the next prompt waiting in the gate's queue may show. A prompt that should wait for the gate (no call,
    # no other prompt, no quiet after unlock) goes into the queue instead, through `Lifetime.queue_prompt`.
    show_prompt: Callable[[ChoicePrompt], None]
    # The one player for soft sounds, built on first use (a rep who never turns a sound on gets no tone files).
    tone_player: Callable[[], SoundPlayer]
    # Quit through the staged shutdown; erase=True erases everything once the store is closed.
    request_quit: Callable[[bool], None]


class Feature(Protocol):
    """One part of the product. `start` registers and arms; `stop` cancels everything that could fire later."""

    def start(self, services: Services, registry: Registry) -> None: ...

    def stop(self) -> None: ...


class Registry:
    """What features add to the app: socket commands, tray sections, status parts, About facts, listeners, ports.

    The app reads it (dispatch, menu, status); features only add. `close()` empties it at shutdown, so nothing
    registered can be called once its feature has stopped.
    """

    def __init__(self, tray: Tray, ports: Ports, settings: SettingsHolder) -> None:
        self._tray = tray
        self._ports = ports
        self._settings = settings
        self.commands: dict[str, Handler] = {}
        self._about_facts: list[tuple[str, str]] = []
        self.status_parts: list[Callable[[], dict[str, Any]]] = []
        self.status_line_parts: list[Callable[[], str]] = []
        self.settings_page_extras: dict[str, PageExtra] = {}  # by settings group; read by the Settings window
        self._away: list[Callable[[bool], None]] = []
        self._first_activity: list[Callable[[], None]] = []
        self._settings_listeners: list[Callable[[Settings], None]] = []

    # --- what features add ------------------------------------------------------------------------------------

    def register_command(self, name: str, handler: Handler) -> None:
        """A command on the local socket (`companion <name>`); one owner per name."""
        if name in self.commands:
            raise RuntimeError(f"the command {name!r} is already registered")
        self.commands[name] = handler

    def add_tray_section(self, section: MenuSection) -> None:
        self._tray.add_section(section)

    def add_status(self, part: Callable[[], dict[str, Any]]) -> None:
        """Keys for `companion status --json` (public: extend, never rename)."""
        self.status_parts.append(part)

    def add_status_line(self, part: Callable[[], str]) -> None:
        """A few words for the tray menu's top line and tooltip ("" adds nothing)."""
        self.status_line_parts.append(part)

    def add_about_fact(self, label: str, value: str) -> None:
        """A line of About ("Idle detection: X11 screen saver extension"). Label and value may be the English marked
        with N_ where it is written (a backend's `name` is), and are shown in the rep's language: `about_facts`."""
        self._about_facts.append((label, value))

    @property
    def about_facts(self) -> list[tuple[str, str]]:
        """The About facts in the language active now, which may have changed in Settings since they were added. A
        fact added already translated, or a name that is the same in every language, passes through unchanged."""
        return [(_shown(label), _shown(value)) for label, value in self._about_facts]

    def add_settings_page_extra(self, group: str, add_widgets: PageExtra) -> None:
        """Widgets of a feature's own under one Settings page (the hotkeys' state and commands); one per group."""
        if group in self.settings_page_extras:
            raise RuntimeError(f"the Settings page {group!r} already has extras")
        self.settings_page_extras[group] = add_widgets

    def on_away(self, listener: Callable[[bool], None]) -> None:
        """Called with True when the rep goes away (idle past the break threshold) and False when back."""
        self._away.append(listener)

    def on_first_activity_of_day(self, listener: Callable[[], None]) -> None:
        self._first_activity.append(listener)

    def on_settings_changed(self, listener: Callable[[Settings], None]) -> None:
        """Subscribed to the settings holder until shutdown (unsubscribed by `close`)."""
        self._settings.subscribe(listener)
        self._settings_listeners.append(listener)

    def offer_journal_access(self, access: JournalAccess) -> None:
        self._ports.offer_journal(access)

    def offer_key_controls(self, controls: KeyControls) -> None:
        self._ports.offer_key_controls(controls)

    def offer_secret_store(self, store: SecretStore) -> None:
        self._ports.offer_secret_store(store)

    def offer_global_shortcuts(self, shortcuts: GlobalShortcuts) -> None:
        self._ports.offer_global_shortcuts(shortcuts)

    # --- what a feature may run -------------------------------------------------------------------------------

    def run_command(self, request: Request) -> Reply | None:
        """Run a registered socket command in-process, as `companion <name>` would (a global hotkey runs `tag`);
        None when no feature registered it, or after shutdown."""
        handler = self.commands.get(request.command)
        return handler(request) if handler is not None else None

    # --- what the activity feature announces ------------------------------------------------------------------

    def announce_away(self, away: bool) -> None:
        for listener in list(self._away):
            _call_safely(functools.partial(listener, away))

    def announce_first_activity_of_day(self) -> None:
        for listener in list(self._first_activity):
            _call_safely(listener)

    def close(self) -> None:
        """At shutdown, after the features stopped: nothing registered can be reached any more."""
        for listener in self._settings_listeners:
            self._settings.unsubscribe(listener)
        self._settings_listeners.clear()
        self.commands.clear()
        self.settings_page_extras.clear()
        self._away.clear()
        self._first_activity.clear()
        self._tray.clear_sections()
        self._ports.withdraw_all()


def _shown(text: str) -> str:
    """`text` in the rep's language; "" stays "" (gettext would answer the catalogue's header for it)."""
    return _(text) if text else text


def _call_safely(listener: Callable[[], None]) -> None:
    try:
        listener()
    except Exception:  # another feature's bug must not stop the one announcing
        log.exception("a listener failed")


class Lifetime:
    """Owns what a feature creates that can fire later, so that `end()` cancels all of it, once.

    Timers are children of the owner and stopped at the end; `later` replaces `QTimer.singleShot(0, ...)`, which
    cannot be cancelled; connections are disconnected; windows are closed and scheduled for deletion.
    """

    def __init__(self, owner: QObject) -> None:
        self._owner = owner
        self._timers: list[QTimer] = []
        self._connections: list[tuple[SignalInstance, Callable[..., Any]]] = []
        self._windows: list[QWidget] = []
        self._cleanups: list[Callable[[], None]] = []
        self._queued: dict[str, PromptGate] = {}
        self.ended = False

    def timer(self, interval_ms: int, slot: Callable[[], None], *, single_shot: bool = False) -> QTimer:
        """An owned timer (not started: the feature starts it when it should run)."""
        timer = QTimer(self._owner)
        timer.setInterval(interval_ms)
        timer.setSingleShot(single_shot)
        timer.timeout.connect(slot)
        self._timers.append(timer)
        return timer

    def later(self, slot: Callable[[], None], delay_ms: int = 0) -> QTimer | None:
        """Run `slot` once from the event loop, unless the feature stops first. Nothing once ended."""
        if self.ended:
            return None
        timer = self.timer(delay_ms, slot, single_shot=True)
        timer.timeout.connect(lambda: self._forget_timer(timer))
        timer.start()
        return timer

    def connect(self, signal: SignalInstance, slot: Callable[..., Any]) -> None:
        """A connection to a signal the feature does not own (the tray's, another object's): cut at the end."""
        signal.connect(slot)
        self._connections.append((signal, slot))

    def window(self, window: W) -> W:
        """A top-level window or dialog the feature opened: closed at the end."""
        if window not in self._windows:
            self._windows.append(window)
            window.destroyed.connect(lambda: self._forget_window(window))  # a window that deletes itself on close
        return window

    def queue_prompt(
        self, gate: PromptGate, key: str, show: Callable[[], None], priority: int = 0, delay_seconds: float = 0.0
    ) -> None:
        """Wait in the prompt gate's queue under `key` (one per key, a newer one replaces it), then `show` once the
        gate opens. Withdrawn at the end, so a prompt queued by a feature never shows after it stopped."""
        if self.ended:
            return
        self._queued[key] = gate
        gate.enqueue(key, show, priority, delay_seconds)

    def on_end(self, cleanup: Callable[[], None]) -> None:
        self._cleanups.append(cleanup)

    def end(self) -> None:
        if self.ended:
            return
        self.ended = True
        for timer in self._timers:
            timer.stop()
        self._timers.clear()
        for signal, slot in self._connections:
            with contextlib.suppress(RuntimeError, TypeError):  # the sender is gone, or the connection was cut
                signal.disconnect(slot)
        self._connections.clear()
        for key, gate in self._queued.items():
            gate.withdraw(key)
        self._queued.clear()
        for cleanup in reversed(self._cleanups):
            _call_safely(cleanup)
        self._cleanups.clear()
        for window in self._windows:
            try:
                window.close()
                window.deleteLater()
            except RuntimeError:  # deleted already (WA_DeleteOnClose)
                pass
        self._windows.clear()

    def _forget_window(self, window: QWidget) -> None:
        if window in self._windows:
            self._windows.remove(window)

    def _forget_timer(self, timer: QTimer) -> None:
        if timer in self._timers:
            self._timers.remove(timer)
        timer.deleteLater()
