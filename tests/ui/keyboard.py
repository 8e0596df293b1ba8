"""Driving widgets by keyboard as a rep would, and checking that the keyboard reaches everything."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QWidget


def focus(qtbot, widget: QWidget) -> None:
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: widget.hasFocus() or any(w.hasFocus() for w in widget.findChildren(QWidget)))


def type_into(qtbot, widget: QWidget, text: str) -> None:
    """Select what is there, type over it and press Enter, as a rep would."""
    focus(qtbot, widget)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def focusable_controls(page: QWidget) -> set[QWidget]:
    return {
        widget
        for widget in page.findChildren(QWidget)
        if widget.isVisibleTo(page)
        and widget.isEnabled()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and isinstance(widget, QAbstractButton | QAbstractSpinBox | QComboBox | QLineEdit)
        and not isinstance(widget.parent(), QAbstractSpinBox)  # a spin box's own line edit is part of it
    }


def tab_walk(qtbot, window: QWidget, limit: int = 200) -> list[QWidget]:
    """Press Tab until focus comes back where it started; the widgets in the order they got focus."""
    start = QApplication.focusWidget()
    assert start is not None
    seen = [start]
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        current = QApplication.focusWidget()
        if current is start:
            return seen
        seen.append(current)
    raise AssertionError("Tab never came back to where it started")


def tab_to(qtbot, widget: QWidget) -> None:
    """Move the keyboard focus with Tab until it lands on `widget` (Qt draws focus after keyboard moves)."""
    for _ in range(200):
        if owner(QApplication.focusWidget()) is widget:
            return
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget.accessibleName()}")


def owner(widget: QWidget) -> QWidget:
    """A spin box's line edit stands for the spin box."""
    parent = widget.parentWidget()
    return parent if isinstance(parent, QAbstractSpinBox) else widget


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader announces, read from Qt's accessibility tree."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)
