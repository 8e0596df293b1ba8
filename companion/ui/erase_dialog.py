"""Erase everything: says exactly what goes, and asks the rep to type a word before the button wakes up."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class EraseDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Erase everything"))
        self.setAccessibleName(self.tr("Erase everything"))
        self.confirm_word = self.tr("ERASE")
        layout = QVBoxLayout(self)
        explanation = QLabel(
            self.tr(
                "This removes everything Companion keeps on this computer: your journal, rough-call notes, "
                "activity history, settings, logs and the journal key in your keyring. It cannot be undone, "
                "and Companion closes afterwards.\n\nIf you want a copy, use \u201cExport everything\u201d first."
            )
        )
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        prompt = QLabel(self.tr("Type %1 to confirm:").replace("%1", self.confirm_word))
        self.confirmation = QLineEdit()
        self.confirmation.setAccessibleName(prompt.text())
        prompt.setBuddy(self.confirmation)
        layout.addWidget(prompt)
        layout.addWidget(self.confirmation)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = self.buttons.addButton(self.tr("Erase everything"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.erase_button.setAccessibleName(self.tr("Erase everything"))
        self.erase_button.setEnabled(False)
        self.erase_button.setAutoDefault(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.confirmation.textChanged.connect(self._check)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def _check(self, text: str) -> None:
        self.erase_button.setEnabled(text.strip().casefold() == self.confirm_word.casefold())

    def accept(self) -> None:
        if self.erase_button.isEnabled():  # Enter in the field must not skip the typed word
            super().accept()
