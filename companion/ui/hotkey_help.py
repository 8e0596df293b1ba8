"""Under the Settings page of the hotkeys: whether each key really works everywhere, and where it does not, the
exact command to bind in the desktop's own keyboard settings (and, on GNOME, a button that adds it there)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from companion.core.hotkeys import ACTION_LABEL, HotkeyAction, HotkeyState


class HotkeyHelp(QWidget):
    def __init__(
        self,
        states: Callable[[], list[HotkeyState]],
        add_to_gnome: Callable[[HotkeyAction], str] | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._states = states
        self._add_to_gnome = add_to_gnome
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self.lines: dict[HotkeyAction, QLabel] = {}
        self.gnome_buttons: dict[HotkeyAction, QPushButton] = {}
        for action in HotkeyAction:
            line = QLabel()
            line.setWordWrap(True)
            line.setTextFormat(Qt.TextFormat.PlainText)
            line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._column.addWidget(line)
            self.lines[action] = line
            if add_to_gnome is not None:
                button = QPushButton(self.tr("Add it to GNOME's keyboard shortcuts"))
                button.clicked.connect(lambda _=False, a=action: self._add(a))
                self._column.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
                self.gnome_buttons[action] = button
        self.refresh()

    def refresh(self) -> None:
        for state in self._states():
            label = self.tr(ACTION_LABEL[state.action])
            if not state.keys:
                text = self.tr("%1: no hotkey. To add one by hand, bind this command: %2")
                text = text.replace("%1", label).replace("%2", state.command)
            elif state.bound:
                text = self.tr("%1: %2 works everywhere, whichever window is in front.")
                text = text.replace("%1", label).replace("%2", state.keys)
            else:
                text = self.tr(
                    "%1: %2 is not bound: %3 Bind it in your desktop's keyboard settings to this command: %4"
                )
                text = (
                    text.replace("%1", label).replace("%2", state.keys).replace("%3", state.problem)
                    .replace("%4", state.command)
                )  # fmt: skip
            self.lines[state.action].setText(text)
            button = self.gnome_buttons.get(state.action)
            if button is not None:
                button.setVisible(bool(state.keys) and not state.bound)

    def _add(self, action: HotkeyAction) -> None:
        assert self._add_to_gnome is not None
        message = self._add_to_gnome(action)
        self.refresh()
        self.lines[action].setText(self.lines[action].text() + "\n" + message)
