"""What the rep sees when Companion cannot start: a window with the sentence, and, where waiting can fix it (a lock
held by another program, a full disk), a tray icon that stays while Companion keeps trying (issue 13)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QSystemTrayIcon

from companion import APP_NAME
from companion.core.i18n import _

log = logging.getLogger(__name__)

RETRY_MS = 3000
T = TypeVar("T")


class StartFaultWindow(QObject, Generic[T]):
    """Shows `sentence`; with `retry`, calls it every RETRY_MS until it returns a value (or a new sentence).

    Ends the event loop with 0 once `retry` succeeded (the value is in `result`), 1 when the rep quits.
    """

    def __init__(
        self,
        qapp: QApplication,
        sentence: str,
        retry: Callable[[], T | str] | None = None,
    ) -> None:
        super().__init__()
        self._qapp = qapp
        self._retry = retry
        self.result: T | None = None
        title = _("Companion is waiting to start") if retry else _("Companion cannot start")
        self.box = QMessageBox(QMessageBox.Icon.Warning if retry else QMessageBox.Icon.Critical, title, sentence)
        self.box.setWindowTitle(title)
        self.box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.box.setStandardButtons(QMessageBox.StandardButton.Close)
        self.box.setModal(False)
        self.box.finished.connect(self._closed)
        self._timer = QTimer(self)
        self._timer.setInterval(RETRY_MS)
        self._timer.timeout.connect(self._try_again)
        self.tray: QSystemTrayIcon | None = None
        self._menu: QMenu | None = None
        if retry is not None:
            from companion.ui.icons import tray_icon
            from companion.ui.tray import TrayLook

            self.tray = QSystemTrayIcon(tray_icon(TrayLook.NORMAL.value), self)
            self.tray.setToolTip(f"{APP_NAME}: {sentence}")
            # A QMenu cannot have a QObject parent: this window owns it and deletes it in _stop().
            self._menu = QMenu()
            self._menu.addAction(_("Show why Companion is waiting"), self.box.show)
            self._menu.addAction(_("Quit Companion"), self._quit)
            self.tray.setContextMenu(self._menu)

    def show(self) -> None:
        self.box.show()
        if self.tray is not None:
            self.tray.show()
            self._timer.start()

    def _closed(self, _result: int) -> None:
        if self._retry is None:
            self._quit()  # nothing to wait for: closing the window ends Companion
        # a waiting Companion stays in the tray; the window comes back from its menu

    def _try_again(self) -> None:
        assert self._retry is not None
        outcome = self._retry()
        if isinstance(outcome, str):
            if outcome != self.box.text():
                log.error("%s", outcome)
                self.box.setText(outcome)
                if self.tray is not None:
                    self.tray.setToolTip(f"{APP_NAME}: {outcome}")
            return
        self.result = outcome
        log.info("the fault at start has cleared; starting")
        self._stop()
        self._qapp.exit(0)

    def _quit(self) -> None:
        self._stop()
        self._qapp.exit(1)

    def _stop(self) -> None:
        self._timer.stop()
        if self.tray is not None:
            self.tray.hide()
            self.tray.setContextMenu(None)  # type: ignore[arg-type]  # Qt takes nullptr; the stub says QMenu
        if self._menu is not None:
            self._menu.deleteLater()
            self._menu = None
        self.box.finished.disconnect(self._closed)
        self.box.close()


def show_notice(sentence: str) -> QMessageBox:
    """A warning that waits for the rep without blocking anything (the caller keeps it)."""
    box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, sentence)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setModal(False)
    box.show()
    return box
