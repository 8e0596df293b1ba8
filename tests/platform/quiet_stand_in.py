"""Stand-ins for two D-Bus services that cannot run here, offering the same properties with the same types, each
writable through org.freedesktop.DBus.Properties.Set (the test flips them with dbus-send) and announced with
PropertiesChanged as the real ones do:

- `org.freedesktop.Notifications` with the `Inhibited` property (KDE Plasma's notification server: its do not
  disturb; Plasma cannot run headless here). Used with `--notifications`.
- `org.gnome.SessionManager` with `InhibitedActions` (gnome-session: the bits of the inhibitors held; 8 = idle).
  Used with `--gnome-session`.

Usage: python quiet_stand_in.py --notifications | --gnome-session
"""

from __future__ import annotations

import sys

from PySide6.QtCore import ClassInfo, Property, QCoreApplication, QObject, Signal
from PySide6.QtDBus import QDBusConnection, QDBusMessage


def announce(path: str, interface: str, name: str, value: object) -> None:
    message = QDBusMessage.createSignal(path, "org.freedesktop.DBus.Properties", "PropertiesChanged")
    message.setArguments([interface, {name: value}, []])
    QDBusConnection.sessionBus().send(message)


@ClassInfo({"D-Bus Interface": "org.freedesktop.Notifications"})
class Notifications(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._inhibited = False

    def _get(self) -> bool:
        return self._inhibited

    def _set(self, value: bool) -> None:
        self._inhibited = bool(value)
        announce("/org/freedesktop/Notifications", "org.freedesktop.Notifications", "Inhibited", self._inhibited)

    Inhibited = Property(bool, _get, _set, notify=changed)


@ClassInfo({"D-Bus Interface": "org.gnome.SessionManager"})
class SessionManager(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._actions = 0

    def _get(self) -> int:
        return self._actions

    def _set(self, value: int) -> None:
        self._actions = int(value)
        announce("/org/gnome/SessionManager", "org.gnome.SessionManager", "InhibitedActions", self._actions)

    InhibitedActions = Property("uint", _get, _set, notify=changed)


def main() -> int:
    app = QCoreApplication(sys.argv)
    bus = QDBusConnection.sessionBus()
    options = QDBusConnection.RegisterOption.ExportAllProperties
    if "--notifications" in sys.argv:
        service, path, exported = "org.freedesktop.Notifications", "/org/freedesktop/Notifications", Notifications()
    else:
        service, path, exported = "org.gnome.SessionManager", "/org/gnome/SessionManager", SessionManager()
    if not bus.registerObject(path, exported, options) or not bus.registerService(service):
        print(f"could not offer {service}: {bus.lastError().message()}", file=sys.stderr)
        return 1
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
