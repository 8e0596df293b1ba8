"""Idle time from org.freedesktop.ScreenSaver.GetSessionIdleTime (KDE's session services and a few others).

Asked each tick, as it has no watches. Only kept where it answers with a number: GNOME's and several other
implementations answer "not supported" (an error), and then this backend is passed over at start.
"""

from __future__ import annotations

from PySide6.QtDBus import QDBusConnection

from companion.core.i18n import N_
from companion.platform import BackendUnavailable
from companion.platform.dbus import call, has_service

SERVICE = "org.freedesktop.ScreenSaver"
PATHS = ("/org/freedesktop/ScreenSaver", "/ScreenSaver")


class ScreenSaverIdleSource:
    name = N_("freedesktop screen saver session idle time")
    system_wide = True

    def __init__(self, bus: QDBusConnection | None = None) -> None:
        self._bus = bus if bus is not None else QDBusConnection.sessionBus()
        if not has_service(self._bus, SERVICE):
            raise BackendUnavailable(f"{SERVICE} is not on the session bus")  # i18n: not for reps
        self._path = next((path for path in PATHS if self._ask(path) is not None), None)
        if self._path is None:
            raise BackendUnavailable(f"{SERVICE} does not answer GetSessionIdleTime")  # i18n: not for reps

    def _ask(self, path: str) -> float | None:
        values = call(self._bus, SERVICE, path, SERVICE, "GetSessionIdleTime")
        if not values or not isinstance(values[0], int):
            return None
        return values[0] / 1000.0

    def seconds_since_last_input(self) -> float | None:
        return None if self._path is None else self._ask(self._path)
