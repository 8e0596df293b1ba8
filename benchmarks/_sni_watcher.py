"""A minimal StatusNotifierWatcher with a host (for the benchmark on mutter, where no panel can run headless):
enough for Qt to register its tray icon as a StatusNotifierItem, as it would with GNOME's AppIndicator extension.
Usage: python _sni_watcher.py (on the session bus in DBUS_SESSION_BUS_ADDRESS); prints "ready"."""

from __future__ import annotations

import sys

from PySide6.QtCore import ClassInfo, Property, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection


@ClassInfo({"D-Bus Interface": "org.kde.StatusNotifierWatcher"})
class Watcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []

    @Slot(str)
    def RegisterStatusNotifierItem(self, service: str) -> None:
        self.items.append(service)

    @Slot(str)
    def RegisterStatusNotifierHost(self, service: str) -> None:
        pass

    def _registered(self) -> list[str]:
        return self.items

    def _host(self) -> bool:
        return True

    RegisteredStatusNotifierItems = Property("QStringList", _registered)
    IsStatusNotifierHostRegistered = Property(bool, _host)
    ProtocolVersion = Property(int, lambda self: 0)


def main() -> int:
    app = QCoreApplication(sys.argv[:1])
    bus = QDBusConnection.sessionBus()
    watcher = Watcher()
    options = QDBusConnection.RegisterOption.ExportAllSlots | QDBusConnection.RegisterOption.ExportAllProperties
    if not (bus.registerObject("/StatusNotifierWatcher", watcher, options)
            and bus.registerService("org.kde.StatusNotifierWatcher")):  # fmt: skip
        print("could not register", bus.lastError().message(), file=sys.stderr)
        return 1
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
