"""Where a new window appears when no window manager decides for it (and a hint for those that respect it)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def center_on_screen(widget: QWidget) -> None:
    """Put the window in the middle of the screen's free area, never over its edges."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    frame = widget.frameGeometry()
    frame.moveCenter(area.center())
    widget.move(max(area.left(), frame.left()), max(area.top(), frame.top()))
