"""The windows Companion opens for itself rather than for a feature: the wait for a tray to show the icon in (and
the box saying how to reach Companion meanwhile), About, and the notices about problems at start.

The composition root (companion/app.py) owns one OwnWindows and closes them all in its staged shutdown.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QSystemTrayIcon, QWidget

from companion import APP_NAME
from companion.core.i18n import _
from companion.lifecycle import Registry
from companion.ui.tray import Tray

log = logging.getLogger(__name__)

TRAY_POLL_MS = 1000
TRAY_PATIENCE_SECONDS = 60  # tray hosts can start well after us at login


class OwnWindows(QObject):
    """Shows the tray icon as soon as there is a tray, says so after `tray_patience_seconds` without one, and keeps
    the app's own message windows until `close_all`."""

    def __init__(
        self,
        tray: Tray,
        registry: Registry,
        tray_patience_seconds: float = TRAY_PATIENCE_SECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tray = tray
        self._registry = registry
        self.about: QWidget | None = None
        self.quarantine_box: QMessageBox | None = None
        self.notices: list[QMessageBox] = []  # problems at start the rep should read
        self.no_tray_box: QMessageBox | None = None
        self._tray_waited = 0.0
        self._tray_patience = tray_patience_seconds
        self.tray_timer = QTimer(self)
        self.tray_timer.setInterval(TRAY_POLL_MS)
        self.tray_timer.timeout.connect(self._try_show_tray)

    # --- the tray ---------------------------------------------------------------------------------------------

    def show_tray_when_possible(self) -> None:
        """Show the icon now if there is a tray; otherwise look again every TRAY_POLL_MS until there is one."""
        if self._tray.icon.isVisible():  # launch.py showed it before building the app: no second look at the tray
            log.info("tray icon shown")
            return
        self._try_show_tray()
        if not self._tray.icon.isVisible():
            self.tray_timer.start()

    def stop_waiting_for_tray(self) -> None:
        self.tray_timer.stop()

    def _try_show_tray(self) -> None:
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray_timer.stop()
            self._tray.show()
            if self.no_tray_box is not None:
                self.no_tray_box.close()
            log.info("tray icon shown")
            return
        self._tray_waited += TRAY_POLL_MS / 1000
        if self._tray_waited >= self._tray_patience and self.no_tray_box is None:
            log.warning("no system tray after %.0f s", self._tray_waited)
            self.no_tray_box = QMessageBox(
                QMessageBox.Icon.Information,
                APP_NAME,
                _(
                    "Companion is running, but this desktop has no system tray to show its icon in.\n\n"
                    "Add a tray (system tray, status notifier or AppIndicator extension) to your panel; the icon "
                    "will appear as soon as there is one. Until then, reach Companion from a terminal or a keyboard "
                    "shortcut: `companion tag` (tag a rough call), `companion break` (a break now), "
                    "`companion journal`, `companion summary`, `companion settings`, `companion status`, and "
                    "`companion quit` to close it."
                ),
            )
            self.no_tray_box.setModal(False)
            self.no_tray_box.show()

    # --- the app's own windows --------------------------------------------------------------------------------

    def show_about(self) -> None:
        if self.about is None:
            from companion.ui.about import AboutDialog

            self.about = AboutDialog(self._registry.about_facts)
        self.about.show()
        self.about.raise_()
        self.about.activateWindow()

    def report_quarantine(self, kept_at: Path) -> None:
        """The database could not be read at start: say where the old file is, in a window that waits for the rep."""
        self.quarantine_box = QMessageBox(
            QMessageBox.Icon.Warning,
            APP_NAME,
            self.tr(
                "Companion's database could not be read, so Companion started a fresh one and kept the old file, "
                "untouched, at:\n\n%1\n\nNothing in it was deleted. If it matters to you, keep a copy of that file."
            ).replace("%1", str(kept_at)),
        )
        self.quarantine_box.setModal(False)
        # The first-run set-up that follows a fresh database opens its own dialog: this one must stay in front.
        self.quarantine_box.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self.quarantine_box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quarantine_box.show()
        log.warning("started a fresh database; the unreadable one is at %s", kept_at)

    def report_problem(self, sentence: str) -> None:
        """Companion runs, but with a problem the rep should know about (no private socket, unreadable settings):
        said in a window that waits for the rep without blocking anything; kept until `close_all`."""
        from companion.ui.start_fault import show_notice

        self.notices.append(show_notice(sentence))

    def close_all(self) -> None:
        """The shutdown's turn: every window above closes and is deleted; the tray is no longer waited for."""
        self.tray_timer.stop()
        notices, self.notices = self.notices, []
        for window in (self.about, self.no_tray_box, self.quarantine_box, *notices):
            if window is not None:
                window.close()
                window.deleteLater()
        self.about = self.no_tray_box = self.quarantine_box = None
