"""The journal's own editors: one form per entry kind, shared by the journal window and the check-in prompts.

Everything is typed into Qt widgets in this process: no temporary files, no external editor.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal, SignalInstance
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.i18n import localized_resource_path
from companion.core.journal import CheckIn, Closing, Content, EntryKind, GoodThing, Writing, normalise_tags

GOOD_THINGS = 3
READING_POINT_SIZE = 11


@cache
def journal_prompts() -> dict[str, Any]:
    """The product's own prompts for check-ins and writing (resources/journal/prompts.json)."""
    return json.loads(localized_resource_path("journal", "prompts.json").read_text(encoding="utf-8"))


def delete_question(kind: EntryKind) -> str:
    """One whole question per kind: a kind's name inside a sentence changes its article (and, in German, never
    loses its capital), so "Delete this %1" cannot be translated well."""
    translate = QCoreApplication.translate
    questions = {
        EntryKind.CHECKIN: translate("journal", "Delete this check-in for good? It cannot be brought back."),
        EntryKind.CLOSING: translate("journal", "Delete this closing of the day for good? It cannot be brought back."),
        EntryKind.WIN: translate("journal", "Delete this win for good? It cannot be brought back."),
        EntryKind.GRATITUDE: translate("journal", "Delete this gratitude for good? It cannot be brought back."),
        EntryKind.REFLECTION: translate("journal", "Delete this reflection for good? It cannot be brought back."),
        EntryKind.NOTE: translate("journal", "Delete this note for good? It cannot be brought back."),
    }
    return questions[kind]


def kind_label(kind: EntryKind) -> str:
    labels = {
        EntryKind.CHECKIN: QCoreApplication.translate("journal", "Check-in"),
        EntryKind.CLOSING: QCoreApplication.translate("journal", "Closing"),
        EntryKind.WIN: QCoreApplication.translate("journal", "Win"),
        EntryKind.GRATITUDE: QCoreApplication.translate("journal", "Gratitude"),
        EntryKind.REFLECTION: QCoreApplication.translate("journal", "Reflection"),
        EntryKind.NOTE: QCoreApplication.translate("journal", "Note"),
    }
    return labels[kind]


def reading_font(widget: QWidget) -> QFont:
    font = QFont(widget.font())
    font.setPointSize(max(font.pointSize(), READING_POINT_SIZE))
    return font


class ScaleRow(QWidget):
    """Five toggle buttons, 1 to 5, with words at both ends.

    The row is ONE tab stop (Tab walks the window in reading order, not button by button); with the focus on it
    the digit keys 1 to 5 and the arrow keys choose. The buttons never take the focus and are never a dialog's
    default button, so Enter always reaches the window's primary action and never changes a rating, and a typed
    space presses nothing."""

    changed = Signal()

    def __init__(self, low: str, high: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setObjectName("scaleRow")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(3, 3, 3, 3)
        layout.setSpacing(6)
        low_label = QLabel(low)
        layout.addWidget(low_label)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for value in range(1, 6):
            button = QPushButton(str(value))
            button.setCheckable(True)
            button.setFixedWidth(38)
            button.setAutoDefault(False)
            button.setDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(f"{name} {value}")
            self.group.addButton(button, value)
            layout.addWidget(button)
        high_label = QLabel(high)
        layout.addWidget(high_label)
        layout.addStretch(1)
        # The chosen number must be obvious at a glance, in every style; the row shows where the focus is.
        self.setStyleSheet(
            "QWidget#scaleRow { border: 2px solid transparent; border-radius: 6px; }"
            "QWidget#scaleRow:focus { border: 2px solid palette(highlight); }"
            "QPushButton:checked { background: palette(highlight); color: palette(highlighted-text);"
            " border: 1px solid palette(highlight); border-radius: 4px; padding: 4px; }"
        )
        self.group.idClicked.connect(self.changed)  # signal to signal: see _emit_changed

    def value(self) -> int | None:
        checked = self.group.checkedId()
        return None if checked < 1 else checked

    def set_value(self, value: int | None) -> None:
        if value is None:
            self.group.setExclusive(False)
            for button in self.group.buttons():
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.group.button(value).setChecked(True)

    def keyPressEvent(self, event: Any) -> None:
        text = event.text()
        if text in {"1", "2", "3", "4", "5"}:
            self.group.button(int(text)).click()  # emits idClicked, and so changed, from C++
            return
        step = {Qt.Key.Key_Left.value: -1, Qt.Key.Key_Right.value: 1}.get(event.key())
        if step is not None:
            current = self.value() or (0 if step > 0 else 6)
            target = min(5, max(1, current + step))
            self.group.button(target).click()
            return
        super().keyPressEvent(event)


class EntryForm(QWidget):
    """A form for one kind of entry: `content()` is None while it is not complete enough to save."""

    changed = Signal()

    def content(self) -> Content | None:
        raise NotImplementedError

    def _follow(self, *signals: SignalInstance) -> None:
        """Forward each child's change as `changed`, signal to signal. Not through a Python slot calling emit():
        PySide6 6.12 on Python 3.11 drops a reference to True on every Python-side emit, and a form emits per key."""
        for signal in signals:
            signal.connect(self.changed)

    def set_content(self, content: Content) -> None:
        raise NotImplementedError


class CheckInForm(EntryForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QFormLayout(self)
        layout.setVerticalSpacing(12)
        self.mood = ScaleRow(self.tr("low"), self.tr("great"), self.tr("Mood"))
        self.energy = ScaleRow(self.tr("drained"), self.tr("full"), self.tr("Energy"))
        self.intention = QLineEdit()
        self.intention.setAccessibleName(self.tr("Intention for today"))
        self.intention.setPlaceholderText(journal_prompts()["morning"]["intentions"][0])
        self.intention.setFont(reading_font(self))
        layout.addRow(self.tr("Mood"), self.mood)
        layout.addRow(self.tr("Energy"), self.energy)
        layout.addRow(self.tr("Intention"), self.intention)
        self.setFocusProxy(self.mood)
        self._follow(self.mood.changed, self.energy.changed, self.intention.textChanged)

    def content(self) -> CheckIn | None:
        mood, energy = self.mood.value(), self.energy.value()
        if mood is None or energy is None:
            return None
        return CheckIn(mood, energy, self.intention.text().strip())

    def set_content(self, content: Content) -> None:
        assert isinstance(content, CheckIn)
        self.mood.set_value(content.mood)
        self.energy.set_value(content.energy)
        self.intention.setText(content.intention)


class ClosingForm(EntryForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        prompts = journal_prompts()["closing"]
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        form = QFormLayout()
        self.rating = ScaleRow(self.tr("hard"), self.tr("good"), self.tr("Today"))
        form.addRow(self.tr("Today was"), self.rating)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Three good things, and why")))
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        self.good_things: list[tuple[QLineEdit, QLineEdit]] = []
        for row in range(GOOD_THINGS):
            what, why = QLineEdit(), QLineEdit()
            what.setPlaceholderText(prompts["good_thing_hint"])
            why.setPlaceholderText(prompts["why_hint"])
            what.setAccessibleName(self.tr("Good thing %n", "", row + 1))
            why.setAccessibleName(self.tr("Why good thing %n went well", "", row + 1))
            grid.addWidget(QLabel(f"{row + 1}."), row, 0)
            grid.addWidget(what, row, 1)
            grid.addWidget(why, row, 2)
            self.good_things.append((what, why))
            self._follow(what.textChanged)
        layout.addLayout(grid)
        self.pick_up = QPlainTextEdit()
        self.pick_up.setPlaceholderText(prompts["pick_up_hint"])
        self.pick_up.setAccessibleName(self.tr("To pick up tomorrow"))
        self.pick_up.setTabChangesFocus(True)
        self.pick_up.setFixedHeight(70)
        layout.addWidget(QLabel(self.tr("For tomorrow")))
        layout.addWidget(self.pick_up)
        self._follow(self.rating.changed)
        self.setFocusProxy(self.rating)

    def content(self) -> Closing | None:
        rating = self.rating.value()
        if rating is None:
            return None
        things = tuple(
            GoodThing(what.text().strip(), why.text().strip()) for what, why in self.good_things if what.text().strip()
        )
        return Closing(rating, self.pick_up.toPlainText().strip(), things)

    def set_content(self, content: Content) -> None:
        assert isinstance(content, Closing)
        self.rating.set_value(content.day_rating)
        self.pick_up.setPlainText(content.pick_up)
        for (what, why), thing in zip(self.good_things, content.good_things, strict=False):
            what.setText(thing.what)
            why.setText(thing.why)


class WritingForm(EntryForm):
    def __init__(self, kind: EntryKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(kind_label(kind))
        self.text.setPlaceholderText(journal_prompts()["writing"][kind.value])
        self.text.setFont(reading_font(self))
        self.text.setTabChangesFocus(True)
        self.tags = QLineEdit()
        self.tags.setAccessibleName(self.tr("Tags"))
        self.tags.setPlaceholderText(self.tr("Tags, separated by commas"))
        layout.addWidget(self.text, 1)
        tag_row = QHBoxLayout()
        tag_row.addWidget(QLabel(self.tr("Tags")))
        tag_row.addWidget(self.tags, 1)
        layout.addLayout(tag_row)
        self._follow(self.text.textChanged, self.tags.textChanged)
        self.setFocusProxy(self.text)

    def content(self) -> Writing | None:
        text = self.text.toPlainText().strip()
        return Writing(text, normalise_tags(self.tags.text())) if text else None

    def set_content(self, content: Content) -> None:
        assert isinstance(content, Writing)
        self.text.setPlainText(content.text)
        self.tags.setText(", ".join(content.tags))


def form_for(kind: EntryKind) -> EntryForm:
    if kind is EntryKind.CHECKIN:
        return CheckInForm()
    if kind is EntryKind.CLOSING:
        return ClosingForm()
    return WritingForm(kind)


def describe(content: Content) -> str:
    """A one-paragraph preview of an entry for lists."""
    translate = QCoreApplication.translate
    if isinstance(content, CheckIn):
        parts = [translate("journal", "Mood %1/5 · energy %2/5").replace("%1", str(content.mood)).replace(
            "%2", str(content.energy))]  # fmt: skip
        if content.intention:
            parts.append(content.intention)
        return " · ".join(parts)
    if isinstance(content, Closing):
        parts = [translate("journal", "Day %1/5").replace("%1", str(content.day_rating))]
        parts += [thing.what for thing in content.good_things]
        return " · ".join(parts)
    preview = " ".join(content.text.split())
    return preview if len(preview) <= 240 else preview[:239] + "…"


__all__ = [
    "CheckInForm",
    "ClosingForm",
    "EntryForm",
    "ScaleRow",
    "WritingForm",
    "describe",
    "form_for",
    "journal_prompts",
    "kind_label",
    "reading_font",
]
