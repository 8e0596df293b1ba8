"""The tag panel: how rough was it, what happened, an optional private note. Fully keyboard operable.

Keys while the focus is not in a text field: 1 to 5 choose the severity, a chip's underlined letter toggles it,
Enter saves, Escape closes. In a text field, Enter saves too.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.personal_data import PersonalHint, personal_hints
from companion.core.rough_calls import MAX_NOTE_CHARS, TagRequest, clean_categories
from companion.ui.flow_layout import FlowLayout
from companion.ui.placement import center_on_screen

DEFAULT_SEVERITY = 2
CHIP_STYLE = (
    "QPushButton { border: 1px solid palette(mid); border-radius: 12px; padding: 4px 12px; }"
    "QPushButton:checked { background: palette(highlight); color: palette(highlighted-text);"
    " border-color: palette(highlight); }"
    "QPushButton:focus { border: 2px solid palette(highlight); }"
    # A chosen chip is filled with the highlight colour, so its focus ring is drawn in the text colour instead.
    "QPushButton:checked:focus { border: 2px solid palette(window-text); }"
    "QToolButton { border: 1px solid palette(mid); border-radius: 12px; padding: 4px 20px 4px 12px; }"
    "QToolButton::menu-indicator { subcontrol-origin: padding; subcontrol-position: right center; right: 6px; }"
)


def hint_label(text: str) -> QLabel:
    """A quiet line of help: a little smaller, but the normal text colour so it stays readable."""
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def severity_words() -> dict[int, str]:
    tr = TagPanel.tr
    return {1: tr("rough"), 2: tr("tough"), 3: tr("hostile"), 4: tr("abusive"), 5: tr("threatening or worse")}


def two_lines(words: str) -> str:
    """A phrase of several words on two balanced lines ("threatening\nor worse"), so five severity buttons share a
    row in every language without clipping the longest."""
    parts = words.split()
    if len(parts) < 2:
        return words
    breaks = [(abs(len(" ".join(parts[:i])) - len(" ".join(parts[i:]))), i) for i in range(1, len(parts))]
    _, at = min(breaks)
    return " ".join(parts[:at]) + "\n" + " ".join(parts[at:])


def chip_labels() -> dict[str, str]:
    """Each chip's words with its key letter marked by &; the keys are the core's category names."""
    tr = TagPanel.tr
    return {
        "yelling": tr("&Yelling"),
        "insults": tr("&Insults"),
        "threats": tr("&Threats"),
        "heavy_story": tr("&Heavy story"),
        "unreasonable_demand": tr("Unreasonable &demand"),
        "blamed_me": tr("&Blamed me personally"),
        "repeated_escalation": tr("&Repeated escalation"),
    }


def personal_hint_sentence(hints: list[PersonalHint]) -> str:
    """A gentle word when a note seems to hold a customer's details; shared by the panel and the cooldown."""
    tr = TagPanel.tr
    what = {
        PersonalHint.EMAIL: tr("an email address"),
        PersonalHint.PHONE: tr("a phone number"),
        PersonalHint.NAME: tr("a customer's name"),
    }
    found = tr(" and ").join(what[hint] for hint in hints)
    return tr(
        "This looks like it may hold {found}. Your log is about you, not the customer, so you might leave it "
        "out. Press Enter again to keep it as it is."
    ).format(found=found)


class TagPanel(QWidget):
    """Emits `submitted(TagRequest)` once when saved; closing without saving emits nothing."""

    submitted = Signal(object)

    def __init__(self, content_allowed: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Tag a rough call"))
        self.setStyleSheet(CHIP_STYLE)
        self._content_allowed = content_allowed
        self._warned_note = ""
        self._placed = False
        self._saved = False
        # One id for everything this panel saves: the core stores a request id once, whatever repeats it.
        self._request_id = os.urandom(8).hex()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self._heading(self.tr("How rough was it?")))
        layout.addLayout(self._severity_row())
        layout.addWidget(self._heading(self.tr("What happened?")))
        layout.addLayout(self._chip_rows())
        self.own_tags = self._line(self.tr("Your own tags, separated by commas"), MAX_NOTE_CHARS)
        self.note = self._line(self.tr("A private note, only for you (optional)"), MAX_NOTE_CHARS)
        layout.addLayout(self._labelled(self.tr("&Own tags"), self.own_tags))
        layout.addLayout(self._labelled(self.tr("&Note"), self.note))
        self.locked_notice = QLabel(
            self.tr(
                "Your journal is locked, so only the time and how rough it was will be saved. "
                "Unlock the journal to keep tags and a note with it."
            )
        )
        self.locked_notice.setWordWrap(True)
        self.locked_notice.setVisible(not content_allowed)
        layout.addWidget(self.locked_notice)
        self.note_warning = QLabel()
        self.note_warning.setWordWrap(True)
        self.note_warning.hide()
        layout.addWidget(self.note_warning)
        layout.addLayout(self._button_row())
        for widget in (*self.chips.values(), self.own_tags, self.note):
            widget.setEnabled(content_allowed)
        for button in (*self.severity_buttons.values(), *self.chips.values()):
            button.setAutoDefault(False)  # Enter saves; it never presses a severity or a chip
        self.setMinimumWidth(500)
        self.setMaximumWidth(640)

    def _heading(self, text: str) -> QLabel:
        label = QLabel(f"<b>{text}</b>")
        label.setTextFormat(Qt.TextFormat.RichText)
        return label

    def _severity_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        self.severity_group = QButtonGroup(self)
        self.severity_buttons: dict[int, QPushButton] = {}
        for level, word in severity_words().items():
            button = QPushButton(f"{level}\n{two_lines(word)}")
            button.setCheckable(True)
            button.setAccessibleName(self.tr("Severity {level}: {word}").format(level=level, word=word))
            button.setMinimumHeight(48)
            self.severity_group.addButton(button, level)
            self.severity_buttons[level] = button
            row.addWidget(button, 1)
        self.severity_buttons[DEFAULT_SEVERITY].setChecked(True)
        return row

    def _chip_rows(self) -> FlowLayout:
        """The chips flow onto as many lines as their words need (German at 200 % needs three)."""
        rows = FlowLayout(spacing=6)
        self.chips: dict[str, QPushButton] = {}
        self._chip_keys: dict[int, str] = {}
        for key, label in chip_labels().items():
            chip = QPushButton(label)
            chip.setCheckable(True)
            chip.setAccessibleName(label.replace("&", ""))
            self.chips[key] = chip
            letter = label[label.index("&") + 1]
            self._chip_keys[QKeySequence(letter)[0].key().value] = key
            rows.addWidget(chip)
        return rows

    def _line(self, placeholder: str, limit: int) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setMaxLength(limit)
        edit.setClearButtonEnabled(True)
        # No returnPressed -> save here: the line edit passes Enter on to the panel, whose keyPressEvent saves.
        # Both together saved twice (and the second save slipped past the customer-details warning).
        edit.textEdited.connect(lambda _text: self.note_warning.hide())
        return edit

    def _labelled(self, text: str, edit: QLineEdit) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel(text)
        label.setBuddy(edit)
        label.setMinimumWidth(80)
        row.addWidget(label)
        row.addWidget(edit, 1)
        return row

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        hint = hint_label(
            self.tr("1–5 how rough · letters pick what happened · Enter saves")
            if self._content_allowed
            else self.tr("1–5 how rough · Enter saves")
        )
        row.addWidget(hint, 1)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.close)
        self._cancel_button = cancel
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        row.addWidget(cancel)
        row.addWidget(self.save_button)
        return row

    @property
    def severity(self) -> int:
        return self.severity_group.checkedId()

    def request(self) -> TagRequest:
        categories = [key for key, chip in self.chips.items() if chip.isChecked()]
        categories += self.own_tags.text().split(",")
        if not self._content_allowed:
            return TagRequest(self.severity, request_id=self._request_id)
        return TagRequest(self.severity, clean_categories(categories), self.note.text().strip(), self._request_id)

    def save(self) -> None:
        if self._saved:
            return
        note = self.note.text().strip()
        hints = personal_hints(note) if self._content_allowed else []
        if hints and note != self._warned_note:
            self._warned_note = note
            self.note_warning.setText(personal_hint_sentence(hints))
            self.note_warning.show()
            self.note.setFocus()
            return
        self._saved = True
        self.save_button.setEnabled(False)  # nothing more to press while the save runs and the panel closes
        self.submitted.emit(self.request())
        self.close()

    def showEvent(self, event: QShowEvent) -> None:
        if not self._placed:
            self._placed = True
            self.adjustSize()
            # adjustSize caps a window at two thirds of the screen (256 px of a 1366×768 screen at 200 %), less than
            # the chips need once they wrap: take the height the layout needs at this width (ui/fit.py still
            # keeps the window on the screen).
            needed = self.layout().totalHeightForWidth(self.width())
            if needed > self.height():
                self.setMinimumHeight(needed)
                self.resize(self.width(), needed)
            center_on_screen(self)
        super().showEvent(event)
        self.activateWindow()
        self.severity_buttons[self.severity].setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        typing = isinstance(self.focusWidget(), QLineEdit)
        if key in (Qt.Key.Key_Return.value, Qt.Key.Key_Enter.value):
            event.accept()
            if self.focusWidget() is self._cancel_button:
                self.close()
            else:
                self.save()
        elif key == Qt.Key.Key_Escape.value:
            self.close()
        elif not typing and Qt.Key.Key_1.value <= key <= Qt.Key.Key_5.value:
            level = key - Qt.Key.Key_0.value
            self.severity_buttons[level].setChecked(True)
            self.severity_buttons[level].setFocus()
        elif not typing and self._content_allowed and key in self._chip_keys:
            chip = self.chips[self._chip_keys[key]]
            chip.toggle()
            chip.setFocus()
        else:
            super().keyPressEvent(event)
