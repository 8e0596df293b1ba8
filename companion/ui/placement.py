"""Where a new window appears when no window manager decides for it (and a hint for those that respect it)."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def window_frame(widget: QWidget) -> QRect:
    """The window with the window manager's frame around it, as the window system reports it now.

    Not `QWidget.frameGeometry()` alone: the widget keeps the frame it first measured, and when that was measured while
    the window manager was still framing the window (openbox reparents into a 1×1 frame, then grows it), it stays
    wrong, e.g. 0×0, until the window moves. The `QWindow` asks again whenever the frame's extents change."""
    handle = widget.windowHandle()
    if handle is not None and widget.isVisible():
        return handle.frameGeometry()
    return widget.frameGeometry()


def center_on_screen(widget: QWidget) -> None:
    """Put the window in the middle of the screen's free area, never over its edges."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    frame = window_frame(widget)
    frame.moveCenter(area.center())
    widget.move(max(area.left(), frame.left()), max(area.top(), frame.top()))
