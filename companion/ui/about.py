"""The About window: what Companion is, its version, where the rep's data lives and which backends it uses."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from companion import APP_NAME, __version__
from companion.core.i18n import _


class AboutDialog(QDialog):
    def __init__(self, facts: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Companion"))
        layout = QVBoxLayout(self)
        title = QLabel(f"<h2>{APP_NAME} {__version__}</h2>")
        layout.addWidget(title)
        blurb = QLabel(
            self.tr(
                "A quiet companion for the work day: breaks when work runs long, a cooldown after a rough "
                "call, a private journal and a weekly look back.\n\nEverything stays on this computer. "
                "Nothing is sent anywhere, and nobody else can see it unless you share it."
            )
        )
        blurb.setWordWrap(True)
        layout.addWidget(blurb)
        form = QFormLayout()
        for label, value in facts:  # both marked with N_() where they are registered, translated here
            shown = QLabel(_(value) if value else value)  # gettext("") would be the catalogue's header
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            form.addRow(_("{label}:").format(label=_(label)), shown)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
