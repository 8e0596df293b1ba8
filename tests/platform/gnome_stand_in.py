"""A stand-in for the GNOME Shell and logind services the Linux backends use, run as its own process on a test bus.

Neither GNOME Shell nor logind can run here, so this answers the same D-Bus calls with the same types: Mutter's
IdleMonitor.GetIdletime (milliseconds since the time given in the control file), ScreenSaver.GetActive (true
while the control file says "locked"), and logind's PrepareForSleep signal (sent when the control file's "sleep"
line changes). Usage: python gnome_stand_in.py CONTROL_FILE
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import ClassInfo, Property, QCoreApplication, QObject, QTimer, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage

CONTROL = Path(sys.argv[1])


def control() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in CONTROL.read_text().splitlines() if "=" in line)
    return dict(pairs)


@ClassInfo({"D-Bus Interface": "org.gnome.Mutter.IdleMonitor"})
class IdleMonitor(QObject):
    @Slot(result="qulonglong")
    def GetIdletime(self) -> int:
        return int((time.time() - float(control().get("last_input", time.time()))) * 1000)


@ClassInfo({"D-Bus Interface": "org.gnome.ScreenSaver"})
class ScreenSaver(QObject):
    @Slot(result=bool)
    def GetActive(self) -> bool:
        return control().get("screen", "") == "locked"


@ClassInfo({"D-Bus Interface": "org.freedesktop.login1.Session"})
class Session(QObject):
    def _locked_hint(self) -> bool:
        return control().get("session", "") == "locked"

    LockedHint = Property(bool, _locked_hint)


class Logind(QObject):
    """Sends PrepareForSleep(true/false) whenever the control file's sleep line changes."""

    def __init__(self, bus: QDBusConnection) -> None:
        super().__init__()
        self._bus = bus
        self._last = control().get("sleep")
        self._timer = QTimer(self, interval=20)
        self._timer.timeout.connect(self._check)
        self._timer.start()

    def _check(self) -> None:
        now = control().get("sleep")
        if now is not None and now != self._last:  # None: the file is being rewritten or says nothing of sleep
            self._last = now
            signal = QDBusMessage.createSignal(
                "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep"
            )
            signal.setArguments([now == "going"])
            self._bus.send(signal)


def main() -> int:
    app = QCoreApplication(sys.argv[:1])
    bus = QDBusConnection.sessionBus()
    idle, saver = IdleMonitor(), ScreenSaver()
    options = QDBusConnection.RegisterOption.ExportAllSlots
    ok = bus.registerObject("/org/gnome/Mutter/IdleMonitor/Core", idle, options)
    ok = ok and bus.registerObject("/org/gnome/ScreenSaver", saver, options)
    ok = ok and bus.registerService("org.gnome.Mutter.IdleMonitor") and bus.registerService("org.gnome.ScreenSaver")
    session = Session()
    ok = ok and bus.registerObject(
        "/org/freedesktop/login1/session/auto", session, QDBusConnection.RegisterOption.ExportAllProperties
    )
    ok = ok and bus.registerService("org.freedesktop.login1")
    logind = Logind(bus)  # noqa: F841 - lives as long as the loop
    if not ok:
        print("could not register on the bus", bus.lastError().message(), file=sys.stderr)
        return 1
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
