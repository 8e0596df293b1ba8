"""GNOME's do-not-disturb: the switch in the notification list sets `org.gnome.desktop.notifications
show-banners` to false. Read once at start, then followed with `gsettings monitor` (one child process that
prints each change: event-driven, nothing polled)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment

from companion.core.i18n import N_
from companion.core.quiet import QuietReason
from companion.platform import BackendUnavailable
from companion.platform.gsettings import gsettings, gsettings_tool

log = logging.getLogger(__name__)

SCHEMA, KEY = "org.gnome.desktop.notifications", "show-banners"


class GnomeBannersSignal(QObject):
    name = N_("GNOME do not disturb (show-banners)")
    reason = QuietReason.DO_NOT_DISTURB

    def __init__(self, env: dict[str, str] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        value = gsettings("get", SCHEMA, KEY, env=env)
        if value not in ("true", "false"):
            raise BackendUnavailable(
                f"no {SCHEMA} {KEY} (gsettings-desktop-schemas missing, or not GNOME)"  # i18n: not for reps
            )
        self._banners = value == "true"
        self._closed = False
        self._monitor = QProcess(self)
        if env is not None:
            environment = QProcessEnvironment()
            for name, text in env.items():
                environment.insert(name, text)
            self._monitor.setProcessEnvironment(environment)
        self._monitor.readyReadStandardOutput.connect(self._read_changes)
        self._monitor.start(gsettings_tool() or "gsettings", ["monitor", SCHEMA, KEY])

    def _read_changes(self) -> None:
        while self._monitor.canReadLine():
            line = bytes(self._monitor.readLine().data()).decode("utf-8", "replace").strip()
            name, _, value = line.partition(":")
            if name.strip() == KEY and value.strip() in ("true", "false"):
                self._banners = value.strip() == "true"
                log.info("GNOME show-banners is now %s", self._banners)

    def is_quiet(self) -> bool | None:
        return not self._banners

    def close(self) -> None:
        """Harmless twice, also once the event loop has deleted this object."""
        if self._closed:
            return
        self._closed = True
        if self._monitor.state() != QProcess.ProcessState.NotRunning:
            self._monitor.kill()
            self._monitor.waitForFinished(2000)
        self.deleteLater()  # freed by the event loop, not by a garbage collection at some later, random moment
