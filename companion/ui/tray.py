"""The tray icon and its menu. It shows state and emits intents; the app decides what they do."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QCursor, QFont, QGuiApplication
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from companion import APP_NAME
from companion.ui.icons import tray_icon

MenuSection = Callable[[QMenu], None]


class TrayLook(Enum):
    NORMAL = "companion"
    BREAK_DUE = "companion-break"
    PAUSED = "companion-paused"


class Tray(QObject):
    """A QSystemTrayIcon whose menu is rebuilt each time it opens, so every line is current."""

    about_requested = Signal()
    quit_requested = Signal()
    clicked = Signal()

    def __init__(
        self, status_line: Callable[[], str], parent: QObject | None = None, *, starting: bool = False
    ) -> None:
        """`starting`: the icon shows before the app behind it is built (launch.py); until `finish_starting` its
        menu holds only the status line, since About and Quit would reach nobody yet."""
        super().__init__(parent)
        self._status_line = status_line
        self.starting = starting
        self._sections: list[MenuSection] = []
        self._look = TrayLook.NORMAL
        self.icon = QSystemTrayIcon(tray_icon(TrayLook.NORMAL.value), self)
        # A QMenu cannot have a QObject parent; the tray owns it and deletes it in close().
        self.menu: QMenu | None = QMenu()
        self.menu.setObjectName("tray-menu")
        self.menu.aboutToShow.connect(self.rebuild_menu)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)

    def finish_starting(self, status_line: Callable[[], str]) -> None:
        """The app is built: its status line and its About and Quit from the next rebuild on."""
        self._status_line = status_line
        self.starting = False

    def add_section(self, section: MenuSection) -> None:
        """Register a function that adds its own items; sections appear in the order they were added."""
        self._sections.append(section)

    def clear_sections(self) -> None:
        """At shutdown: the features that added sections have stopped."""
        self._sections.clear()

    def close(self) -> None:
        """Hide the icon and delete its menu (and the submenus sections added); harmless twice."""
        self.icon.hide()
        self._sections.clear()
        if self.menu is not None:
            self.icon.setContextMenu(None)  # type: ignore[arg-type]  # Qt takes nullptr; the stub says QMenu
            self.menu.aboutToShow.disconnect(self.rebuild_menu)
            self._drop_submenus()
            self.menu.deleteLater()
            self.menu = None

    def show(self) -> None:
        self.icon.show()

    @staticmethod
    def can_show() -> bool:
        """A tray host is there to take the icon (else the app's OwnWindows waits for one and says so)."""
        return QSystemTrayIcon.isSystemTrayAvailable()

    def hide(self) -> None:
        self.icon.hide()

    def set_look(self, look: TrayLook) -> None:
        if look is not self._look:
            self._look = look
            self.icon.setIcon(tray_icon(look.value))

    @property
    def look(self) -> TrayLook:
        return self._look

    def status_line(self) -> str:
        return self._status_line()

    def refresh_tooltip(self, status: str | None = None) -> None:
        self.icon.setToolTip(f"{APP_NAME}\n{self._status_line() if status is None else status}")

    def _drop_submenus(self) -> None:
        """Submenus a section added last time (menu.addMenu) are child widgets that clear() keeps: delete them."""
        assert self.menu is not None
        for action in self.menu.actions():
            submenu = action.menu()
            if submenu is not None and submenu.parent() is self.menu:
                submenu.deleteLater()

    def rebuild_menu(self) -> None:
        if self.menu is None:  # closed: the app is shutting down
            return
        self._drop_submenus()
        self.menu.clear()
        line = self._status_line()
        # Enabled, in the normal text colour and bold: a disabled item is drawn grey (about 1.9:1 on white) and
        # is skipped by screen readers. Choosing it does nothing but close the menu.
        status = QAction(line, self.menu)
        status.setObjectName("statusLine")
        font = QFont(self.menu.font())
        font.setBold(True)
        status.setFont(font)
        self.menu.addAction(status)
        if self.starting:
            self.refresh_tooltip(line)
            return
        self.menu.addSeparator()
        for section in self._sections:
            section(self.menu)
            self.menu.addSeparator()  # one group per feature; Qt collapses the separator of a section that added none
        self.menu.addAction(self.tr("About Companion"), self.about_requested.emit)
        self.menu.addAction(self.tr("Quit"), self.quit_requested.emit)
        self.refresh_tooltip(line)

    def open_menu(self) -> bool:
        """The menu at the pointer, for a left click (X11 and Windows open it only on a right click). macOS opens
        it on any click by itself, so there a second popup would only flicker.

        False where no menu can be opened from here: under Wayland a popup needs a parent window that has had input,
        which a tray icon (a StatusNotifierItem the panel draws) does not have; there the panel shows the menu on a
        right click, and the caller says so."""
        if QGuiApplication.platformName().startswith("wayland"):
            return False
        if sys.platform != "darwin" and self.menu is not None:
            self.menu.popup(QCursor.pos())
        return True

    def action_texts(self) -> list[str]:
        if self.menu is None:
            return []
        return [action.text() for action in self.menu.actions() if not action.isSeparator()]

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.MiddleClick):
            self.clicked.emit()
