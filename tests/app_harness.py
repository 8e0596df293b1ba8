"""Building the real CompanionApp in a test, with the product's own do-nothing backends where the OS part is not
what the test is about, and shutting it down through the app's one staged shutdown."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QApplication

from companion.core.clock import Clock
from companion.core.hotkeys import HotkeyBackend
from companion.core.interfaces import Autostart, CallDetector, IdleSource, LockMonitor
from companion.core.quiet import QuietSignal
from companion.platform.autostart import NoAutostart
from companion.platform.backends import Backends
from companion.platform.calls_other import NoCallDetector
from companion.platform.hotkey import NoHotkeyBackend
from companion.platform.idle_own_windows import OwnWindowsIdleSource
from companion.platform.lock_other import NoLockMonitor
from companion.platform.notify import Notifier

Told = list[tuple[str, str]]


def fallback_backends(
    qapp: QApplication,
    clock: Clock,
    told: Told | None = None,
    *,
    idle: IdleSource | None = None,
    calls: CallDetector | None = None,
    lock: LockMonitor | None = None,
    autostart: Autostart | None = None,
    quiet: Sequence[QuietSignal] = (),
    hotkeys: HotkeyBackend | None = None,
) -> Backends:
    """The fallbacks Companion ships (own-windows idle, no call detector, no lock monitor, the tray balloon, no
    autostart, no quiet signal, no global hotkeys). With `told`, the balloon is recorded there instead of shown: that
    is where messages land."""
    balloon: Callable[[str, str], None] = (
        (lambda title, text: None) if told is None else (lambda title, text: told.append((title, text)))
    )
    return Backends(
        idle=idle if idle is not None else OwnWindowsIdleSource(qapp, clock),
        calls=calls if calls is not None else NoCallDetector(),
        lock=lock if lock is not None else NoLockMonitor(),
        notifier=Notifier(balloon, probe=False),
        autostart=autostart if autostart is not None else NoAutostart(),
        quiet=tuple(quiet),
        hotkeys=hotkeys if hotkeys is not None else NoHotkeyBackend(),
    )


class SteadyIdle:
    """An idle source that says what the test sets: the OS boundary behind the IdleSource interface, for tests
    about what the app does with an idle time rather than how it is measured."""

    name = "steady (test)"
    system_wide = True

    def __init__(self, seconds: float | None = 0.0) -> None:
        self.seconds = seconds

    def seconds_since_last_input(self) -> float | None:
        return self.seconds
