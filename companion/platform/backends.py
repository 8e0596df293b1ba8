"""Choosing the backends once, in the composition root: `choose_backends` picks idle source, call detector, lock
monitor, notifier and autostart the same way for the app and for `--self-test`.

Plain imports in each branch (not names in strings), so PyInstaller sees every backend module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core.interfaces import Autostart, CallDetector, IdleSource, LockMonitor, Notifier
from companion.platform import first_available

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

    def close(self) -> None:
        """Stop what a backend runs in the background (the PulseAudio watcher, D-Bus matches); harmless twice."""
        for backend in (self.calls, self.idle, self.lock, self.notifier, self.autostart):
            close = getattr(backend, "close", None)
            if close is not None:
                close()


def choose_backends(qapp: QApplication, clock: Clock, balloon: Callable[[str, str], None]) -> Backends:
    """The best backend of each kind that answers here. `balloon` shows a tray message when plyer cannot."""
    from companion.platform.autostart import select_autostart
    from companion.platform.idle import choose_idle_source
    from companion.platform.notify import Notifier as PlyerNotifier

    return Backends(
        idle=choose_idle_source(qapp, clock),
        calls=choose_call_detector(),
        lock=choose_lock_monitor(),
        notifier=PlyerNotifier(balloon),
        autostart=select_autostart(),
    )


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
