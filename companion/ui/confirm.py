"""Questions that guard an action the rep cannot take back, asked in the rep's words before anything happens."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("Confirm", text)


def new_recovery_code_message(parent: QWidget | None) -> QMessageBox:
    """'Make a new recovery code?': the old written-down code stops working the moment a new one is made."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_tr("New recovery code"))
    box.setText(_tr("Make a new recovery code?"))
    box.setInformativeText(
        _tr(
            "The recovery code you wrote down or saved will stop working at once, and only the new one will open "
            "your journal if your keyring is reset or you forget your passphrase. Keep the new code safe."
        )
    )
    make = box.addButton(_tr("Make a new code"), QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton(_tr("Keep my code"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)  # Enter keeps the code: the safe choice
    box.setEscapeButton(keep)
    make.setObjectName("makeNewCode")
    return box


def confirm_new_recovery_code(parent: QWidget | None) -> bool:
    box = new_recovery_code_message(parent)
    box.exec()
    return box.clickedButton() is box.findChild(QWidget, "makeNewCode")
