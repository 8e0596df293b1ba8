"""Small journal windows: unlock (passphrase or recovery code, saying why), choosing a passphrase, the recovery
code shown once, and the morning check-in and end-of-day ritual.

They only collect what the rep types and emit it; the journal feature decides what happens and reports back
through `show_error`, so a wrong passphrase keeps the dialog open with a sentence.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from companion.core.journal import Content, EntryKind
from companion.core.keys import MIN_PASSPHRASE_LENGTH
from companion.ui.journal_forms import form_for, journal_prompts, reading_font
from companion.ui.palette import error_style

DIALOG_WIDTH = 440


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(max(font.pointSizeF(), 10) * 1.3)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _sentence(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("error")
    label.setStyleSheet(error_style(label, "QLabel#error"))  # i18n: not for reps; dark red on light, light red on dark
    return label


class UnlockDialog(QDialog):
    """Asks for the passphrase or the recovery code, after a sentence that says why the keyring did not do it."""

    submitted = Signal(str, str)  # "passphrase" or "recovery", the secret

    def __init__(self, reason: str, has_passphrase: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unlock your journal"))
        self.setMinimumWidth(DIALOG_WIDTH)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(_heading(self.tr("Unlock your journal")))
        self.reason = _sentence(reason)
        layout.addWidget(self.reason)
        self.use_passphrase = QRadioButton(self.tr("&Passphrase"))
        self.use_recovery = QRadioButton(self.tr("&Recovery code"))
        self.use_passphrase.setVisible(has_passphrase)
        (self.use_passphrase if has_passphrase else self.use_recovery).setChecked(True)
        layout.addWidget(self.use_passphrase)
        layout.addWidget(self.use_recovery)
        self.secret = QLineEdit()
        self.secret.setAccessibleName(self.tr("Passphrase or recovery code"))
        layout.addWidget(self.secret)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.unlock_button = buttons.addButton(self.tr("Unlock"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Not now"), QDialogButtonBox.ButtonRole.RejectRole)
        self.unlock_button.setDefault(True)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.use_passphrase.toggled.connect(self._mode_changed)
        self._mode_changed()

    @property
    def mode(self) -> str:
        return "passphrase" if self.use_passphrase.isChecked() else "recovery"

    def _mode_changed(self) -> None:
        hidden = self.mode == "passphrase"
        self.secret.setEchoMode(QLineEdit.EchoMode.Password if hidden else QLineEdit.EchoMode.Normal)
        self.secret.setPlaceholderText(self.tr("Your passphrase") if hidden else self.tr("XXXX-XXXX-XXXX-…"))
        self.secret.clear()
        self.error.clear()
        self.secret.setFocus()

    def _submit(self) -> None:
        if not self.secret.text():
            self.error.setText(self.tr("Type it in first."))
            return
        self.submitted.emit(self.mode, self.secret.text())

    def show_unlocking(self) -> None:
        """A calm state while the key is worked out (about half a second): nothing to press twice."""
        self.error.setStyleSheet("")  # a plain word, not the red of a mistake
        self.error.setText(self.tr("Unlocking…"))
        for control in (self.secret, self.unlock_button, self.use_passphrase, self.use_recovery):
            control.setEnabled(False)

    def show_error(self, text: str) -> None:
        for control in (self.secret, self.unlock_button, self.use_passphrase, self.use_recovery):
            control.setEnabled(True)
        self.unlock_button.setDefault(True)  # disabling it took the default away: Return unlocks again
        self.error.setStyleSheet(_error_label().styleSheet())
        self.error.setText(text)
        self.secret.selectAll()
        self.secret.setFocus()

    def succeeded(self) -> None:
        self.secret.clear()
        self.accept()


class PassphraseDialog(QDialog):
    """Choose a passphrase (typed twice), where no keyring can hold the key or the rep prefers one."""

    chosen = Signal(str)

    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Choose a passphrase"))
        self.setMinimumWidth(DIALOG_WIDTH)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(_heading(self.tr("Choose a passphrase for your journal")))
        self.reason = _sentence(reason)
        layout.addWidget(self.reason)
        form = QFormLayout()
        self.first = QLineEdit()
        self.second = QLineEdit()
        for field, name in ((self.first, self.tr("Passphrase")), (self.second, self.tr("Again"))):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(name)
            form.addRow(name, field)
        layout.addLayout(form)
        hint = self.tr("At least %n characters. A few unrelated words are easy to remember and hard to guess.", "",
                       MIN_PASSPHRASE_LENGTH)  # fmt: skip
        layout.addWidget(_sentence(hint))
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(self.tr("Use this passphrase"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _submit(self) -> None:
        first, second = self.first.text(), self.second.text()
        if len(first) < MIN_PASSPHRASE_LENGTH:
            self.error.setText(self.tr("That is too short: at least %n characters.", "", MIN_PASSPHRASE_LENGTH))
        elif first != second:
            self.error.setText(self.tr("The two passphrases differ. Type them again."))
            self.second.clear()
            self.second.setFocus()
        else:
            self.chosen.emit(first)

    def show_working(self) -> None:
        """A calm state while the passphrase's key is worked out (about half a second): nothing to press twice."""
        self.error.setStyleSheet("")  # a plain word, not the red of a mistake
        self.error.setText(self.tr("Setting the passphrase…"))
        for control in (self.first, self.second, self.ok_button):
            control.setEnabled(False)

    def show_error(self, text: str) -> None:
        for control in (self.first, self.second, self.ok_button):
            control.setEnabled(True)
        self.ok_button.setDefault(True)  # disabling it took the default away: Return submits again
        self.error.setStyleSheet(_error_label().styleSheet())
        self.error.setText(text)

    def succeeded(self) -> None:
        self.first.clear()
        self.second.clear()
        self.accept()


class RecoveryCodeDialog(QDialog):
    """Shows the recovery code with Copy, Save and Print; Done stays off until the rep says it is kept safe.

    On the very first start (`welcome`) it is Companion's welcome: what it is in three sentences, the privacy
    promise, start at login offered, and the journal key in plain words."""

    def __init__(
        self, code: str, parent: QWidget | None = None, welcome: bool = False, start_at_login: bool = False
    ) -> None:
        super().__init__(parent)
        from companion.core.welcome import JOURNAL_KEY, PRIVACY_PROMISE, WHAT_IT_IS

        self._code = code
        self.setWindowTitle(self.tr("Welcome to Companion") if welcome else self.tr("Your recovery code"))
        self.setMinimumWidth(DIALOG_WIDTH + 60)
        # Everything but Done scrolls: at 200 % on a 1366×768 screen the welcome is taller than the screen, and a
        # squeezed label hides the code itself (ui/fit.py shrinks windows to the screen).
        outer = QVBoxLayout(self)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the controls; the area follows the focus
        outer.addWidget(scroll, 1)
        self.start_at_login: QCheckBox | None = None
        if welcome:
            layout.addWidget(_heading(self.tr("Welcome to Companion")))
            layout.addWidget(_sentence(self.tr(WHAT_IT_IS)))
            layout.addWidget(_sentence(self.tr(PRIVACY_PROMISE)))
            self.start_at_login = QCheckBox(self.tr("Start Companion when I log in"))
            self.start_at_login.setChecked(start_at_login)
            layout.addWidget(self.start_at_login)
        layout.addWidget(_heading(self.tr("Keep your recovery code")))
        layout.addWidget(_sentence(self.tr(JOURNAL_KEY)))
        self.code = QLabel(code)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), 10) * 1.4)
        self.code.setFont(mono)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAccessibleName(self.tr("Recovery code"))
        self.code.setWordWrap(True)
        self.code.setContentsMargins(8, 12, 8, 12)
        self.code.setStyleSheet("QLabel { border: 1px solid palette(mid); border-radius: 6px; }")
        layout.addWidget(self.code)
        keep = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("&Copy"))
        self.save_button = QPushButton(self.tr("Sa&ve to a file…"))
        self.print_button = QPushButton(self.tr("&Print…"))
        self.copy_button.clicked.connect(self.copy_code)
        self.save_button.clicked.connect(self._ask_where_to_save)
        self.print_button.clicked.connect(self._print)
        for button in (self.copy_button, self.save_button, self.print_button):
            button.setAutoDefault(False)
            keep.addWidget(button)
        keep.addStretch(1)
        layout.addLayout(keep)
        self.kept = _sentence("")
        layout.addWidget(self.kept)
        self.confirm = QCheckBox(self.tr("I have written it down or stored it safely"))
        layout.addWidget(self.confirm)
        self.done_button = QPushButton(self.tr("Done"))
        self.done_button.setEnabled(False)
        self.done_button.clicked.connect(self.accept)
        self.confirm.toggled.connect(self.done_button.setEnabled)
        layout.addStretch(1)
        outer.addWidget(self.done_button, alignment=Qt.AlignmentFlag.AlignRight)
        # A scroll area asks for little room of its own: open as tall as the content (the screen permitting).
        scroll.setMinimumHeight(min(content.sizeHint().height(), 220))
        self.resize(self.width(), content.sizeHint().height() + self.done_button.sizeHint().height() + 40)

    def copy_code(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self._code)
        self.kept.setText(self.tr("Copied. Paste it somewhere private, then clear it from where you pasted it."))

    def save_to(self, path: Path) -> None:
        from companion.core.welcome import save_recovery_code

        try:
            save_recovery_code(path, self._code)
        except OSError as error:
            self.kept.setText(self.tr("It could not be saved there: %1.").replace("%1", error.strerror or str(error)))
            return
        self.kept.setText(self.tr("Saved to %1, readable by you alone.").replace("%1", str(path)))

    def _ask_where_to_save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save your recovery code"), str(Path.home() / "companion-recovery-code.txt")
        )
        if name:
            self.save_to(Path(name))

    def _print(self) -> None:
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from companion.core.welcome import recovery_code_text

        printer = QPrinter()
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            QTextDocument(recovery_code_text(self._code)).print_(printer)
            self.kept.setText(self.tr("Sent to the printer."))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """A stray Escape does not dismiss it before the rep has confirmed: the code is shown only this once.

        Closing the window still works (and quitting Companion must never be held up by it); a new code can be
        made from Settings, Privacy after unlocking."""
        if event.key() == Qt.Key.Key_Escape and not self.confirm.isChecked():
            event.accept()
            return
        super().keyPressEvent(event)


class EntryDialog(QDialog):
    """The morning check-in or the end-of-day ritual: a question, the kind's form, Save or Not now."""

    submitted = Signal(object)  # Content

    def __init__(self, kind: EntryKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        prompts = journal_prompts()["morning" if kind is EntryKind.CHECKIN else "closing"]
        self.kind = kind
        self._submitting = False
        self._saved = False
        self.setWindowTitle(prompts["title"])
        self.setMinimumWidth(DIALOG_WIDTH + 120)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.setContentsMargins(20, 18, 20, 16)
        question = _heading(prompts["question"])
        question.setFont(reading_font(question) if question.font().pointSizeF() < 11 else question.font())
        layout.addWidget(question)
        self.form = form_for(kind)
        # The form scrolls and Save stays below it: Closing the day is taller than a 1280×800 screen at 200 %.
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setMinimumHeight(min(self.form.sizeHint().height(), 140))
        scroll.setSizeAdjustPolicy(QScrollArea.SizeAdjustPolicy.AdjustToContents)
        layout.addWidget(scroll, 1)
        self.error = _error_label()
        layout.addWidget(self.error)
        self.form.changed.connect(self.error.clear)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Not now"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Opened by the rep's own choice (Check in, Close the day): it takes the focus, at the first rating, where
        # the digits rate at once and Tab walks on in reading order.
        self.activateWindow()
        self.form.setFocus()

    def _submit(self) -> None:
        if self._submitting:  # Enter and a click in the same instant, or a second Enter before the save returns
            return
        content: Content | None = self.form.content()
        if content is None:
            self.error.setText(self.tr("Choose a number from 1 to 5 first; everything else is optional."))
            return
        self._submitting = True
        self.save_button.setEnabled(False)
        try:
            self.submitted.emit(content)
        finally:
            if not self._saved:  # not saved (the feature showed an error): the rep may try again
                self._submitting = False
                self.save_button.setEnabled(True)

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def succeeded(self) -> None:
        self._saved = True
        self.accept()
