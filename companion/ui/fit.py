"""Every window fits the screen it opens on: at 100 %, 150 % and 200 % scaling on a 1280×800 or 1366×768 screen.

One event filter on the application sees each top-level window just before it is shown, shrinks it to the
screen's available area (less room for the window manager's frame) and moves it wholly onto that area. The
windows themselves keep their minimum sizes small and put long content in scroll areas, with the primary
buttons outside them, so a shrunk window still shows its buttons.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from companion.ui.placement import window_frame

# Room for a window manager's title bar and borders, in logical pixels, until the real frame is known.
FRAME_TOP = 30
FRAME_SIDE = 4


def frame_allowance(window: QWidget) -> tuple[int, int]:
    """(horizontal, vertical) room the window manager's frame takes around the window."""
    # Not `flags & (Frameless | Popup)`: Popup carries the Window bit, so that test is true for every window.
    frameless = bool(window.windowFlags() & Qt.WindowType.FramelessWindowHint)
    if frameless or window.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
        return 0, 0
    if is_framed(window):
        frame, inner = window_frame(window), window.geometry()
        return frame.width() - inner.width(), frame.height() - inner.height()
    return 2 * FRAME_SIDE, FRAME_TOP + FRAME_SIDE


def is_framed(window: QWidget) -> bool:
    """The window manager has put its whole frame around the shown window (not a frame still being built)."""
    frame, inner = window_frame(window), window.geometry()
    return window.isVisible() and frame != inner and frame.contains(inner)


def fit_into(window: QWidget, area: QRect) -> None:
    """Shrink the window to the area (never below its minimum size) and move it wholly into it."""
    extra_w, extra_h = frame_allowance(window)
    width = max(window.minimumWidth(), min(window.width(), area.width() - extra_w))
    height = max(window.minimumHeight(), min(window.height(), area.height() - extra_h))
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    x = min(max(window.x(), area.left()), area.right() + 1 - width - extra_w)
    y = min(max(window.y(), area.top()), area.bottom() + 1 - height - extra_h)
    x, y = max(x, area.left()), max(y, area.top())
    if (x, y) != (window.x(), window.y()):
        window.move(x, y)


PENDING = "_companion_fit_pending"  # set at Show; cleared once the window manager's real frame was used


def _fit(window: QWidget) -> None:
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        fit_into(window, screen.availableGeometry())


class FitOnShow(QObject):
    """Fits at Show (with a guess for the frame), and once more when the window manager has framed the window."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.Show, QEvent.Type.Move, QEvent.Type.Resize):
            return False
        if not isinstance(watched, QWidget) or not watched.isWindow():
            return False
        if watched.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            return False
        # Not the tray icon's own window (embedded in the tray host, frameless, outside the window manager) nor
        # any other window that places itself: moving those would move the icon out from under the pointer.
        unmanaged = Qt.WindowType.FramelessWindowHint | Qt.WindowType.BypassWindowManagerHint
        if watched.windowFlags() & unmanaged or type(watched).__name__ == "QSystemTrayIconSys":
            return False
        if kind == QEvent.Type.Show:
            watched.setProperty(PENDING, True)
            _fit(watched)
        elif watched.property(PENDING) and is_framed(watched):
            watched.setProperty(PENDING, False)
            _fit(watched)
        return False


def install_fit_on_show(app: QApplication) -> FitOnShow:
    """Once, at start; the filter is a child of the application, so it lives exactly as long."""
    fitter = FitOnShow(app)
    app.installEventFilter(fitter)
    # The Python object must outlive this call: without a Python reference PySide drops the eventFilter override.
    _installed.append(fitter)
    return fitter


_installed: list[FitOnShow] = []
