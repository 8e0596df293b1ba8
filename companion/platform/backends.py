"""Choosing the backends once, in the composition root: `choose_backends` picks idle source, call detector, lock
monitor, notifier, autostart, quiet signals and global hotkey backend the same way for the app and for
`--self-test`.

Plain imports in each branch (not names in strings), so PyInstaller sees every backend module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from companion.core.hotkeys import HotkeyBackend
from companion.core.interfaces import Autostart, CallDetector, IdleSource, LockMonitor, Notifier
from companion.core.quiet import QuietSignal
from companion.platform import first_available
from companion.platform.hotkey import NoHotkeyBackend

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from companion.core.clock import Clock


@dataclass(frozen=True)
class Backends:
    """The OS backends this run uses, typed by the core's interfaces. Chosen once; closed once by the app."""

    idle: IdleSource
    calls: CallDetector
    lock: LockMonitor
    notifier: Notifier
    autostart: Autostart
    # Every do-not-disturb, full-screen and presenting signal this desktop offers (several can apply at once).
    quiet: tuple[QuietSignal, ...] = ()
    # The one way to bind a key that works whichever application has the focus; "none" where the desktop has none.
    hotkeys: HotkeyBackend = field(default_factory=NoHotkeyBackend)

    def close(self) -> None:
        """Stop what a backend runs in the background (the PulseAudio watcher, D-Bus matches, the gsettings
        monitor, X11 key grabs and the portal's shortcuts session); harmless twice."""
        for backend in (self.calls, self.idle, self.lock, self.notifier, self.autostart, self.hotkeys, *self.quiet):
            close = getattr(backend, "close", None)
            if close is not None:
                close()


def choose_backends(qapp: QApplication, clock: Clock, balloon: Callable[[str, str], None]) -> Backends:
    """The best backend of each kind that answers here. `balloon` shows a tray message when plyer cannot."""
    choosing = BackendsInSteps(qapp, clock, balloon)
    while (backends := choosing.choose_next()) is None:
        pass
    return backends


class BackendsInSteps:
    """The same choice as `choose_backends`, one kind per call: each asks D-Bus, PulseAudio or X11 (up to 30 ms
    for the call detector's pactl), so the tray app runs one per turn of its event loop. `close` closes the ones
    chosen so far, for a quit that comes before the last."""

    def __init__(self, qapp: QApplication, clock: Clock, balloon: Callable[[str, str], None]) -> None:
        from companion.platform.autostart import select_autostart
        from companion.platform.hotkey import choose_hotkey_backend
        from companion.platform.idle import choose_idle_source
        from companion.platform.notify import Notifier as PlyerNotifier
        from companion.platform.quiet import choose_quiet_signals

        self._steps: list[tuple[str, Callable[[], object]]] = [
            ("idle", lambda: choose_idle_source(qapp, clock)),
            ("calls", choose_call_detector),
            ("lock", choose_lock_monitor),
            ("notifier", lambda: PlyerNotifier(balloon)),
            ("autostart", select_autostart),
            ("quiet", lambda: tuple(choose_quiet_signals())),
            ("hotkeys", choose_hotkey_backend),
        ]
        self._chosen: dict[str, Any] = {}

    def choose_next(self) -> Backends | None:
        """Choose the next kind; all of them, once the last is chosen (then this object has nothing left to close)."""
        name, choose = self._steps.pop(0)
        self._chosen[name] = choose()
        if self._steps:
            return None
        chosen, self._chosen = self._chosen, {}
        return Backends(**chosen)

    def close(self) -> None:
        """Close what was chosen and not yet handed over as Backends; harmless twice."""
        chosen, self._chosen = self._chosen, {}
        for backend in (*chosen.pop("quiet", ()), *chosen.values()):
            close = getattr(backend, "close", None)
            if close is not None:
                close()


def call_detector_candidates(platform: str = sys.platform) -> list[Callable[[], CallDetector]]:
    if platform == "win32":
        from companion.platform.calls_other import WindowsCallDetector

        return [WindowsCallDetector]
    if platform == "darwin":
        from companion.platform.calls_other import MacCallDetector

        return [MacCallDetector]
    from companion.platform.calls_pulse import PulseCallDetector

    return [PulseCallDetector]


def lock_monitor_candidates(platform: str = sys.platform) -> list[Callable[[], LockMonitor]]:
    if platform == "win32":
        from companion.platform.lock_other import WindowsLockMonitor

        return [WindowsLockMonitor]
    if platform == "darwin":
        from companion.platform.lock_other import MacLockMonitor

        return [MacLockMonitor]
    from companion.platform.lock_linux import LinuxLockMonitor

    return [LinuxLockMonitor]


def choose_call_detector() -> CallDetector:
    from companion.platform.calls_other import NoCallDetector

    works = lambda detector: detector.in_call() is not None  # noqa: E731 - a one-line probe
    return first_available("call", call_detector_candidates(), works) or NoCallDetector()


def choose_lock_monitor() -> LockMonitor:
    from companion.platform.lock_other import NoLockMonitor

    return first_available("lock", lock_monitor_candidates(), lambda monitor: True) or NoLockMonitor()
