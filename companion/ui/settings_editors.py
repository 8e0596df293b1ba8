"""One editor per settings field, chosen by its type and validation metadata (a check box, a spin box, a choice,
the working days, a row of numbers, a folder, a line of text), and the form row that shows it.

The editors report what the rep typed to their host, the Settings window, which validates it with the core's
rules and saves it.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from companion.core.words import SEVERITY_WORDS
from companion.ui.settings_texts import FieldText, _t, field_text


class RangeSpinBox(QSpinBox):
    """A spin box that says why it refused a typed number instead of silently dropping the keystroke."""

    refused = Signal(int)

    def validate(self, text: str, pos: int) -> object:
        result = super().validate(text, pos)
        state = result[0] if isinstance(result, tuple) else result
        if state == QValidator.State.Invalid:
            digits = text.removeprefix(self.prefix()).removesuffix(self.suffix()).strip()
            if digits.lstrip("-").isdigit():
                self.refused.emit(int(digits))
        return result


@dataclass
class FieldEditor:
    """One setting's widgets: how to show a value, how to read it back, and where its problem sentence goes."""

    group: str
    key: str
    widget: QWidget
    show: Callable[[Any], None]
    problem: QLabel
    inputs: list[QWidget]


class EditorHost(Protocol):
    """What the editors report to (the Settings window): a value to check and save, a refused number, a choice
    that only its own action may change (the journal's key storage)."""

    def apply_value(self, group: str, key: str, value: Any, quiet: bool = False) -> bool: ...

    def refuse_typed(self, group: str, key: str, typed: int, item: bool = False) -> None: ...

    def choose_managed(self, group: str, key: str, combo: QComboBox) -> None: ...


class FieldEditorBuilder:
    """Makes the editor for one field; `dialog_parent` owns the folder picker it may open."""

    def __init__(self, host: EditorHost, dialog_parent: QWidget) -> None:
        self._host = host
        self._dialog_parent = dialog_parent

    def build(self, group: str, spec: Any, hint: Any) -> FieldEditor:
        """The editor for `spec` (a dataclass field of settings group `group`, of type `hint`)."""
        host = self._host
        text = field_text(group, spec.name)
        meta = spec.metadata
        label = _t(text.label)
        problem = QLabel()
        problem.setWordWrap(True)
        problem.setTextFormat(Qt.TextFormat.PlainText)
        problem.setAccessibleName(_t("Problem with %1").replace("%1", label))
        problem.hide()

        def apply(value: Any) -> bool:
            return host.apply_value(group, spec.name, value)

        if hint is bool:
            check = QCheckBox(label)
            check.setAccessibleName(label)
            check.toggled.connect(apply)
            return FieldEditor(group, spec.name, check, check.setChecked, problem, [check])
        if hint in (int, float) and "min" in meta:
            spin = self._number_box(hint, meta, text, label)
            if isinstance(spin, RangeSpinBox):
                spin.refused.connect(lambda typed: host.refuse_typed(group, spec.name, typed))
            spin.valueChanged.connect(apply)
            return FieldEditor(group, spec.name, spin, spin.setValue, problem, [spin])
        if hint is str and "choices" in meta:
            combo = QComboBox()
            combo.setAccessibleName(label)
            for choice in meta["choices"]:
                combo.addItem(_t(text.choices.get(choice, choice.replace("_", " ").capitalize())), choice)
            if text.managed:
                combo.activated.connect(lambda _=0, g=group, k=spec.name: host.choose_managed(g, k, combo))
            else:
                combo.activated.connect(lambda _=0: apply(combo.currentData()))

            def show_choice(value: str) -> None:
                combo.setCurrentIndex(max(0, combo.findData(value)))

            return FieldEditor(group, spec.name, combo, show_choice, problem, [combo])
        if typing.get_origin(hint) is tuple and meta.get("item_range") == (0, 6) and "length" not in meta:
            return self._weekday_editor(group, spec.name, label, problem)
        if typing.get_origin(hint) is tuple and "length" in meta:
            return self._tuple_spins(group, spec.name, meta, text, label, problem)
        line = QLineEdit()
        line.setAccessibleName(label)
        if typing.get_origin(hint) is tuple:
            line.textEdited.connect(lambda typed: host.apply_value(group, spec.name, _parse_numbers(typed), quiet=True))
            line.editingFinished.connect(lambda: apply(_parse_numbers(line.text())))
            return FieldEditor(group, spec.name, line, lambda v: line.setText(", ".join(map(str, v))), problem, [line])
        if "pattern" in meta:
            line.setMaxLength(5)
            line.setProperty("narrow", True)
            line.setPlaceholderText("09:00")
        line.textEdited.connect(lambda typed: host.apply_value(group, spec.name, typed, quiet=True))
        line.editingFinished.connect(lambda: apply(line.text()))
        if text.folder:
            return self._folder_editor(group, spec.name, line, label, problem)
        return FieldEditor(group, spec.name, line, line.setText, problem, [line])

    def _folder_editor(self, group: str, key: str, line: QLineEdit, label: str, problem: QLabel) -> FieldEditor:
        host = self._host
        row_widget = QWidget()
        row = QHBoxLayout(row_widget)
        row.setContentsMargins(0, 0, 0, 0)
        choose = QPushButton(_t("Choose…"))
        choose.setAccessibleName(_t("Choose a folder for %1").replace("%1", label))
        row.addWidget(line, 1)
        row.addWidget(choose)

        def pick() -> None:
            dialog = QFileDialog(self._dialog_parent, label, line.text() or str(Path.home()))
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.fileSelected.connect(lambda folder: (line.setText(folder), host.apply_value(group, key, folder)))
            dialog.open()

        choose.clicked.connect(pick)
        return FieldEditor(group, key, row_widget, line.setText, problem, [line, choose])

    def _number_box(self, hint: Any, meta: dict[str, Any], text: FieldText, label: str) -> QSpinBox | QDoubleSpinBox:
        spin: QSpinBox | QDoubleSpinBox
        if hint is float:
            spin = QDoubleSpinBox()
            spin.setDecimals(1)
            spin.setSingleStep(0.5)
        else:
            spin = RangeSpinBox()
        spin.setRange(meta["min"], meta["max"])
        spin.setSuffix(_t(text.suffix))
        if text.zero_text and meta["min"] == 0:
            spin.setSpecialValueText(_t(text.zero_text))
        spin.setAccessibleName(label)
        spin.setKeyboardTracking(False)  # apply when the rep stops typing, not at every digit
        return spin

    def _weekday_editor(self, group: str, key: str, label: str, problem: QLabel) -> FieldEditor:
        row_widget = QWidget()
        grid = QGridLayout(row_widget)  # two rows of days, so large text never squeezes a name
        grid.setContentsMargins(0, 0, 0, 0)
        locale = QLocale()
        first = locale.firstDayOfWeek().value - 1  # where the rep's language starts a week (Sunday in Brazil)
        by_day: dict[int, QCheckBox] = {}
        for position in range(7):  # made in the order shown, so Tab follows the eye
            day = (first + position) % 7  # 0 = Monday, as the settings store it
            by_day[day] = QCheckBox(locale.dayName(day + 1, QLocale.FormatType.ShortFormat))
            by_day[day].setAccessibleName(f"{label}: {locale.dayName(day + 1, QLocale.FormatType.LongFormat)}")
            grid.addWidget(by_day[day], position // 4, position % 4)
        boxes = [by_day[day] for day in range(7)]
        grid.setColumnStretch(4, 1)

        def read() -> None:
            self._host.apply_value(group, key, tuple(day for day, box in enumerate(boxes) if box.isChecked()))

        def show(days: tuple[int, ...]) -> None:
            for day, box in enumerate(boxes):
                box.setChecked(day in days)

        for box in boxes:
            box.toggled.connect(read)
        return FieldEditor(group, key, row_widget, show, problem, list(boxes))

    def _tuple_spins(
        self, group: str, key: str, meta: dict[str, Any], text: FieldText, label: str, problem: QLabel
    ) -> FieldEditor:
        row_widget = QWidget()
        grid = QFormLayout(row_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        low, high = meta["item_range"]
        spins = []
        for position in range(meta["length"]):
            name = _t(text.item_label or QT_TRANSLATE_NOOP("SettingsWindow", "Value %1")).replace(
                "%1", str(position + 1)
            )
            if key == "cooldown_seconds_by_severity":  # the tag panel's words beside each number
                name = f"{name}, {_t(SEVERITY_WORDS[position + 1])}"
            spin = RangeSpinBox()
            spin.setRange(low, high)
            spin.setSingleStep(15)
            spin.setSuffix(_t(text.suffix))
            spin.setKeyboardTracking(False)
            spin.setAccessibleName(f"{label}: {name}")
            spin.refused.connect(lambda typed: self._host.refuse_typed(group, key, typed, item=True))
            spins.append(spin)
            item_label = QLabel(name)
            item_label.setBuddy(spin)
            grid.addRow(item_label, spin)

        def read() -> None:
            self._host.apply_value(group, key, tuple(spin.value() for spin in spins))

        def show(values: tuple[int, ...]) -> None:
            for spin, value in zip(spins, values, strict=False):
                spin.setValue(value)

        for spin in spins:
            spin.valueChanged.connect(read)
        return FieldEditor(group, key, row_widget, show, problem, list(spins))


def add_field_row(form: QFormLayout, group: str, key: str, editor: FieldEditor) -> None:
    """One field in its page's form: the label, the editor, its help and the (hidden) problem sentence."""
    text = field_text(group, key)
    box = QWidget()
    stack = QVBoxLayout(box)
    stack.setContentsMargins(0, 0, 0, 0)
    stack.setSpacing(2)
    if isinstance(editor.widget, QAbstractSpinBox | QComboBox) or editor.widget.property("narrow"):
        line = QHBoxLayout()  # a number or a time needs little room; a full-width box reads oddly
        line.addWidget(editor.widget)
        line.addStretch(1)
        stack.addLayout(line)
    else:
        stack.addWidget(editor.widget)
    if text.help:
        help_label = QLabel(_t(text.help))
        help_label.setWordWrap(True)
        if isinstance(editor.widget, QCheckBox):  # line the help up with the check box's words
            style = editor.widget.style()
            help_label.setIndent(
                style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
                + style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing)
            )
        stack.addWidget(help_label)
        for widget in editor.inputs:
            widget.setAccessibleDescription(_t(text.help))
    stack.addWidget(editor.problem)
    if isinstance(editor.widget, QCheckBox):
        form.addRow(box)  # a check box carries its own label
    else:
        label = QLabel(_t(text.label))
        label.setWordWrap(True)  # at large text sizes; room for about 24 characters before it wraps
        label.setMinimumWidth(min(label.sizeHint().width(), label.fontMetrics().averageCharWidth() * 24))
        label.setBuddy(editor.inputs[0])
        form.addRow(label, box)


def _parse_numbers(text: str) -> Any:
    """'60, 90, 120' -> (60, 90, 120); anything unreadable is passed on as text for the core to refuse."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    try:
        return tuple(int(part) for part in parts)
    except ValueError:
        return text
