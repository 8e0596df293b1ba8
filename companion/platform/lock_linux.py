"""Screen lock and suspend on Linux, over D-Bus (QtDBus).

Lock: the desktop's screen saver (`GetActive` on org.freedesktop.ScreenSaver or org.gnome.ScreenSaver), else
logind's `LockedHint` for this session. Sleep: logind's `PrepareForSleep` signal on the system bus. Whatever is
missing, the tracker still finds sleeps from wall-clock gaps.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import SLOT, QObject, Slot
from PySide6.QtDBus import QDBusConnection

from companion.core.i18n import N_
from companion.platform.dbus import call, get_property, has_service

log = logging.getLogger(__name__)

SCREEN_SAVERS = (
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.freedesktop.ScreenSaver", "/ScreenSaver", "org.freedesktop.ScreenSaver"),
)
LOGIND = "org.freedesktop.login1"


class LinuxLockMonitor(QObject):
    def __init__(
        self,
        session_bus: QDBusConnection | None = None,
        system_bus: QDBusConnection | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session_bus if session_bus is not None else QDBusConnection.sessionBus()
        self._system = system_bus if system_bus is not None else QDBusConnection.systemBus()
        self._sleep_listeners: list[Callable[[bool], None]] = []
        self._screen_saver = self._find_screen_saver()
        self._logind = has_service(self._system, LOGIND)
        parts = []
        if self._screen_saver is not None:
            parts.append(self._screen_saver[0])
        if self._logind:
            parts.append("logind")
            self._system.connect(*self._sleep_signal())
        # D-Bus names, the same in every language; only the fallback is a sentence, which About translates.
        self.name = " + ".join(parts) if parts else N_("none (sleep found from clock gaps)")

    def _find_screen_saver(self) -> tuple[str, str, str] | None:
        for service, path, interface in SCREEN_SAVERS:
            if has_service(self._session, service) and call(self._session, service, path, interface, "GetActive"):
                return service, path, interface
        return None

    def is_locked(self) -> bool | None:
        if self._screen_saver is not None:
            values = call(self._session, *self._screen_saver, "GetActive")
            if values:
                return bool(values[0])
        if self._logind:
            locked = get_property(
                self._system, LOGIND, "/org/freedesktop/login1/session/auto", "org.freedesktop.login1.Session",
                "LockedHint",
            )  # fmt: skip
            if locked is not None:
                return bool(locked)
        return None

    def on_sleep(self, callback: Callable[[bool], None]) -> None:
        self._sleep_listeners.append(callback)

    def close(self) -> None:
        """Stop listening (on quit): a sleep signal must not reach a feature whose database is closed."""
        self._sleep_listeners.clear()
        if self._logind:
            self._system.disconnect(*self._sleep_signal())

    def _sleep_signal(self) -> tuple[str, str, str, str, QObject, str]:
        path, interface = "/org/freedesktop/login1", "org.freedesktop.login1.Manager"
        return LOGIND, path, interface, "PrepareForSleep", self, SLOT("_prepare_for_sleep(bool)")  # i18n: not for reps

    @Slot(bool)
    def _prepare_for_sleep(self, going_to_sleep: bool) -> None:
        log.info("logind: %s", "going to sleep" if going_to_sleep else "resumed")
        for listener in self._sleep_listeners:
            listener(going_to_sleep)
