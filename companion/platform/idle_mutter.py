"""Idle time on GNOME (Wayland or X11): org.gnome.Mutter.IdleMonitor.GetIdletime over the session bus (QtDBus)."""

from __future__ import annotations

from PySide6.QtDBus import QDBusConnection

from companion.platform import BackendUnavailable
from companion.platform.dbus import call, has_service

SERVICE = "org.gnome.Mutter.IdleMonitor"
PATH = "/org/gnome/Mutter/IdleMonitor/Core"


class MutterIdleSource:
    name = "GNOME Mutter idle monitor"
    system_wide = True

    def __init__(self, bus: QDBusConnection | None = None) -> None:
        self._bus = bus if bus is not None else QDBusConnection.sessionBus()
        if not has_service(self._bus, SERVICE):
            raise BackendUnavailable(f"{SERVICE} is not on the session bus")

    def seconds_since_last_input(self) -> float | None:
        values = call(self._bus, SERVICE, PATH, SERVICE, "GetIdletime")
        if not values:
            return None
        return int(values[0]) / 1000.0
