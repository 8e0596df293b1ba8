"""A small, non-modal choice window near the tray ("Start / In 5 min / Skip").

It never takes keyboard focus when it appears on Companion's own initiative, so a rep who is typing keeps typing; a
click or the tray gives it focus, and then it is fully keyboard operable (Tab, Enter, Escape, or the underlined
letters). One that follows straight from the rep's own action in a Companion window takes the focus (take_focus).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from companion.core.prompt_gate import PromptSlot

SCREEN_MARGIN = 16


def hold_slot_while_shown(prompt: ChoicePrompt, slot: PromptSlot, ended: Callable[[], None]) -> None:
    """Release the prompt gate's slot on every way the prompt can end: answered or closed (`chosen`, which closing
    emits too) and deleted without a close (`destroyed`); then call `ended` (the next waiting prompt may show).
    Neither connection refers to the prompt itself, so a deleted prompt is never touched again."""

    def release() -> None:
        if not slot.released:
            slot.release()
            ended()

    prompt.chosen.connect(lambda _key: release())
    prompt.destroyed.connect(lambda _object=None: release())


@dataclass(frozen=True)
class Choice:
    key: str  # what `chosen` emits
    label: str  # may hold an & for the keyboard accelerator
    default: bool = False


class ChoicePrompt(QWidget):
    """Emits `chosen(key)` once, then closes. Escape or closing the window chooses `dismiss_key`."""

    chosen = Signal(str)

    def __init__(
        self,
        title: str,
        text: str,
        choices: list[Choice],
        dismiss_key: str,
        anchor: QRect | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._dismiss_key = dismiss_key
        self._done = False
        self._takes_focus = False
        self._anchor = anchor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(12)
        heading = QLabel(f"<b>{title}</b>")
        heading.setTextFormat(Qt.TextFormat.RichText)
        body = QLabel(text)
        body.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(body)
        row = QHBoxLayout()
        row.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for choice in choices:
            button = QPushButton(choice.label)
            button.setAccessibleName(choice.label.replace("&", ""))
            button.setDefault(choice.default)
            button.setAutoDefault(True)
            button.clicked.connect(lambda _=False, key=choice.key: self.choose(key))
            row.addWidget(button)
            self.buttons[choice.key] = button
        layout.addLayout(row)
        self.setMinimumWidth(360)
        self.setMaximumWidth(520)

    def choose(self, key: str) -> None:
        if self._done:
            return
        self._done = True
        self.chosen.emit(key)
        self.close()

    def take_focus(self) -> None:
        """Show it as an ordinary window that takes the keyboard: the rep was just typing in Companion's own window
        (the tag panel), so Enter and the underlined letters answer it at once. Call before show_near_tray."""
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        self._takes_focus = True

    def show_near_tray(self) -> None:
        self.adjustSize()
        self.move(self._position())
        self.show()
        if self._takes_focus:
            self.raise_()
            self.activateWindow()

    def _position(self) -> QPoint:
        """Beside the tray icon when we know where it is, otherwise the bottom-right corner of the screen."""
        screen = QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen else QRect(0, 0, 1280, 800)
        size = self.size()  # after adjustSize: the size hint raised to the minimum width, as it will be shown
        if self._anchor is not None and self._anchor.isValid():
            x = min(max(self._anchor.center().x() - size.width() // 2, area.left() + SCREEN_MARGIN),
                    area.right() - size.width() - SCREEN_MARGIN)  # fmt: skip
            below = self._anchor.center().y() < area.center().y()
            y = self._anchor.bottom() + 8 if below else self._anchor.top() - size.height() - 8
            return QPoint(x, max(area.top() + SCREEN_MARGIN, y))
        return QPoint(area.right() - size.width() - SCREEN_MARGIN, area.bottom() - size.height() - SCREEN_MARGIN)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.choose(self._dismiss_key)
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._done:
            self._done = True
            self.chosen.emit(self._dismiss_key)
        super().closeEvent(event)
