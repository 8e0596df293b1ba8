"""The keys every Companion window answers the same way (issue 12; README "Keyboard"):

- Enter presses the focused push button (Unlock, Cancel, End...) also outside dialogs, where Qt leaves it to
  Space; checkable buttons (ratings, chips, presets) are choices, never pressed by Enter.
- Ctrl+W closes the window, any window.
- Esc closes a window that asks for it with `escape_closes(window)` (dialogs close on Esc by themselves).

One event filter on the application, installed once at start, so no window can forget a key.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget

ESCAPE_CLOSES = "companion_escape_closes"
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def escape_closes(window: QWidget) -> None:
    window.setProperty(ESCAPE_CLOSES, True)


class KeyboardModel(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget) or not isinstance(event, QKeyEvent):
            return False
        window = watched.window()
        key, modifiers = event.key(), event.modifiers()
        if key == Qt.Key.Key_W and modifiers == Qt.KeyboardModifier.ControlModifier:
            window.close()
            return True
        if key == Qt.Key.Key_Escape and modifiers == Qt.KeyboardModifier.NoModifier and window.property(ESCAPE_CLOSES):
            window.close()
            return True
        if (
            key in ENTER_KEYS
            and isinstance(watched, QPushButton)
            and not isinstance(window, QDialog)
            and not watched.isCheckable()
            and watched.isEnabled()
        ):  # Qt delivers a key press to the focus widget: a button receiving Enter is the focused one
            watched.click()
            return True
        return False


_installed: list[KeyboardModel] = []


def install_keyboard_model(app: QApplication) -> KeyboardModel:
    model = KeyboardModel(app)
    app.installEventFilter(model)
    _installed.append(model)  # a Python reference, or PySide drops the eventFilter override
    return model
