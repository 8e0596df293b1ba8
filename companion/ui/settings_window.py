"""The Settings window: every field of every group in core/settings.py, built from the dataclasses themselves.

A new settings field shows up here without new code: its editor follows its type and validation metadata. The
words (label, help, unit, choice names) live in one table, FIELD_TEXTS, marked for translation. Every change is
checked with the core's own validation, saved through the SettingsHolder and so applies at once; a refused value
gets a sentence beside its field. The journal's key actions go through the KeyControls seam; the data actions
(open folder, export, erase) are signals the settings feature acts on.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core.i18n import LANGUAGE_NAMES
from companion.core.ports import KeyControls
from companion.core.settings import Settings, SettingsHolder
from companion.core.words import SEVERITY_WORDS

CONTEXT = "SettingsWindow"


def _t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


@dataclass(frozen=True)
class FieldText:
    """The words for one setting. Strings are marked with QT_TRANSLATE_NOOP and translated when shown."""

    label: str
    help: str = ""
    suffix: str = ""  # after a number, with its leading space: " min"
    zero_text: str = ""  # shown instead of 0 where 0 means "off" or "forever"
    item_label: str = ""  # for a list of numbers: each one's name, with %1 for its 1-based position
    choices: dict[str, str] = field(default_factory=dict)
    managed: bool = False  # changed only through its own action (KeyControls), never by "Restore defaults"
    folder: bool = False  # a folder path: typed, or picked with a "Choose…" button


GROUP_TITLES: dict[str, str] = {
    "work": QT_TRANSLATE_NOOP("SettingsWindow", "Work"),
    "rough_calls": QT_TRANSLATE_NOOP("SettingsWindow", "Rough calls"),
    "checkins": QT_TRANSLATE_NOOP("SettingsWindow", "Check-ins"),
    "notifications": QT_TRANSLATE_NOOP("SettingsWindow", "Notifications"),
    "quiet": QT_TRANSLATE_NOOP("SettingsWindow", "Quiet times"),
    "hotkeys": QT_TRANSLATE_NOOP("SettingsWindow", "Hotkeys"),
    "privacy": QT_TRANSLATE_NOOP("SettingsWindow", "Privacy"),
    "startup": QT_TRANSLATE_NOOP("SettingsWindow", "Startup"),
    "export": QT_TRANSLATE_NOOP("SettingsWindow", "Exports"),
    "language": QT_TRANSLATE_NOOP("SettingsWindow", "Language"),
}

FIELD_TEXTS: dict[tuple[str, str], FieldText] = {
    ("quiet", "do_not_disturb"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Wait while do not disturb is on"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "Break reminders, cooldown offers and chimes wait until your desktop's do not "
            "disturb is off, as they wait for a call to end."
        ),
    ),
    ("quiet", "full_screen"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Wait while a window is full screen"),
    ),
    ("quiet", "presenting"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Wait while the screen is shared or presented"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "On GNOME: while an application keeps the screen awake (a presentation, a screen "
            "share, a video call)."
        ),
    ),
    ("hotkeys", "tag_rough_call"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Tag a rough call"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "Works whichever window is in front. Like Ctrl+Alt+R; leave it empty for none."
        ),
    ),
    ("hotkeys", "on_a_call"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "I'm on a call (on and off)"),
        QT_TRANSLATE_NOOP("SettingsWindow", "Like Ctrl+Alt+K; leave it empty for none."),
    ),
    ("language", "language"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Language"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "Menus and windows opened after a change use the new language; open ones keep theirs."
        ),
        # Each language named in itself (not translated): a rep who cannot read the current one still finds theirs.
        choices={"": QT_TRANSLATE_NOOP("SettingsWindow", "The system's language"), **LANGUAGE_NAMES},
    ),
    ("work", "work_start"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Workday starts at"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "Breaks are suggested only within your working hours. Use 24-hour time, like 08:30."
        ),
    ),
    ("work", "work_end"): FieldText(QT_TRANSLATE_NOOP("SettingsWindow", "Workday ends at")),
    ("work", "work_days"): FieldText(QT_TRANSLATE_NOOP("SettingsWindow", "Working days")),
    ("work", "break_interval_minutes"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Suggest a break after"),
        QT_TRANSLATE_NOOP("SettingsWindow", "Minutes of steady work before Companion suggests stepping away."),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " min of work"),
    ),
    ("work", "break_length_minutes"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Break length"), suffix=QT_TRANSLATE_NOOP("SettingsWindow", " min")
    ),
    ("work", "natural_break_minutes"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Time away that counts as a break"),
        QT_TRANSLATE_NOOP("SettingsWindow", "Step away this long on your own and the break clock starts over."),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " min"),
    ),
    ("work", "idle_after_seconds"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Count me idle after"),
        QT_TRANSLATE_NOOP("SettingsWindow", "No keyboard or mouse for this long counts as idle, not as work."),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " s"),
    ),
    ("work", "postpone_minutes"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "\u201cLater\u201d postpones a break by"),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " min"),
    ),
    ("work", "postpone_limit_per_day"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Postpones allowed per day"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "Once they are used up, a break prompt no longer offers \u201cLater\u201d."
        ),
    ),
    ("work", "daily_notice_hours"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Tell me when today\u2019s work passes"),
        QT_TRANSLATE_NOOP("SettingsWindow", "A gentle note that the day has been long."),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " h"),
        zero_text=QT_TRANSLATE_NOOP("SettingsWindow", "Never"),
    ),
    ("rough_calls", "cooldown_seconds_by_severity"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Cooldown length by severity"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow",
            "How long the cooldown lasts after a rough call, from 1 (rough) to 5 (threatening or worse), in the "
            "tag panel's words.",
        ),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " s"),
        item_label=QT_TRANSLATE_NOOP("SettingsWindow", "Severity %1"),
    ),
    ("rough_calls", "escalation_count"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Rough calls before a longer pause"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "When this many rough calls come close together, Companion suggests a real break instead."
        ),
    ),
    ("rough_calls", "escalation_window_minutes"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "\u2026when they come within"),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " min"),
    ),
    ("rough_calls", "breathing_pattern"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Breathing exercise"),
        choices={
            "cyclic_sighing": QT_TRANSLATE_NOOP("SettingsWindow", "Cyclic sighing (double inhale, long exhale)"),
            "paced": QT_TRANSLATE_NOOP("SettingsWindow", "Paced breathing (in 4, out 6)"),
            "box": QT_TRANSLATE_NOOP("SettingsWindow", "Box breathing (4 in, 4 hold, 4 out, 4 hold)"),
            "four_seven_eight": QT_TRANSLATE_NOOP("SettingsWindow", "4-7-8 breathing"),
        },
    ),
    ("rough_calls", "reduced_motion"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Reduce motion"),
        QT_TRANSLATE_NOOP("SettingsWindow", "The breathing guide counts in words instead of moving."),
    ),
    ("rough_calls", "soft_tone"): FieldText(QT_TRANSLATE_NOOP("SettingsWindow", "Play a soft tone with each breath")),
    ("rough_calls", "reframing_prompts"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Offer a reframing thought after the exercise")
    ),
    ("rough_calls", "tray_click_action"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Clicking the tray icon"),
        choices={
            "menu": QT_TRANSLATE_NOOP("SettingsWindow", "Opens the menu"),
            "tag": QT_TRANSLATE_NOOP("SettingsWindow", "Tags a rough call"),
            "status": QT_TRANSLATE_NOOP("SettingsWindow", "Shows today\u2019s status"),
        },
    ),
    ("rough_calls", "support_contact"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Someone you can turn to"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow",
            "A supervisor, a colleague or an employee assistance line, with a number if you like. Companion shows "
            "it to you after a threatening call or several rough ones in a row. It stays on this computer.",
        ),
    ),
    ("checkins", "morning_checkin"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Morning check-in"),
        QT_TRANSLATE_NOOP("SettingsWindow", "Mood, energy and one intention, at the first activity of the day."),
    ),
    ("checkins", "end_of_day_ritual"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "End-of-day wrap-up"),
        QT_TRANSLATE_NOOP("SettingsWindow", "A win, something you are grateful for, and what to pick up tomorrow."),
    ),
    ("checkins", "weekly_summary_nudge"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Tell me when my weekly summary is ready")
    ),
    ("notifications", "enabled"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Show notifications"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow",
            "Notes Companion sends on its own, such as a long day or your weekly summary being ready. "
            "Prompts that need a choice, and answers to what you asked for, still appear.",
        ),
    ),
    ("notifications", "sound"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Play a soft chime with notifications")
    ),
    ("privacy", "key_storage"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Keep the journal key in"),
        QT_TRANSLATE_NOOP("SettingsWindow", "Your journal is always encrypted. This chooses what opens it."),
        choices={
            "keyring": QT_TRANSLATE_NOOP("SettingsWindow", "The system keyring (opens by itself)"),
            "passphrase": QT_TRANSLATE_NOOP("SettingsWindow", "A passphrase I type"),
        },
        managed=True,
    ),
    ("privacy", "auto_lock_minutes"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Lock the journal when I\u2019m away for"),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " min"),
        zero_text=QT_TRANSLATE_NOOP("SettingsWindow", "Never"),
    ),
    ("privacy", "retention_months"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Keep activity history for"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "Older activity times are removed when Companion starts. Your journal is never removed."
        ),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " months"),
        zero_text=QT_TRANSLATE_NOOP("SettingsWindow", "Forever"),
    ),
    ("startup", "start_at_login"): FieldText(QT_TRANSLATE_NOOP("SettingsWindow", "Start Companion when I log in")),
    ("export", "last_folder"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Save exports in"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "Where the save dialog opens; the weekly summary remembers the last folder you used."
        ),
        folder=True,
    ),
    ("export", "include_highlights"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Include journal highlights in weekly exports"),
        QT_TRANSLATE_NOOP("SettingsWindow", "Off keeps exports to times and counts, nothing you wrote."),
    ),
}


def field_text(group: str, key: str) -> FieldText:
    """The table's words, or words made from the field's name for a field added without an entry yet."""
    return FIELD_TEXTS.get((group, key)) or FieldText(key.replace("_", " ").capitalize())


def problem_sentence(error: ValueError) -> str:
    """The core says "must be between 10 and 240"; beside a field that reads best as a sentence."""
    text = str(error).strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


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


class SettingsWindow(QDialog):
    """Non-modal; every change is saved at once. Emits the data actions for the settings feature to carry out."""

    open_data_folder_requested = Signal()
    export_requested = Signal()
    erase_requested = Signal()

    def __init__(
        self,
        holder: SettingsHolder,
        key_controls: KeyControls | None = None,
        autostart_available: bool = True,
        parent: QWidget | None = None,
        page_extras: dict[str, Callable[[QVBoxLayout], None]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._page_extras = page_extras or {}
        self._holder = holder
        self._key_controls = key_controls
        self._autostart_available = autostart_available
        self._applying = False
        # Fields whose last typed number was refused: the digits kept are saved, but the sentence saying why the
        # rest was dropped stays until the next change.
        self._refused: set[tuple[str, str]] = set()
        self.editors: dict[tuple[str, str], FieldEditor] = {}
        self.restore_buttons: dict[str, QPushButton] = {}
        self.setWindowTitle(self.tr("Companion Settings"))
        self.setAccessibleName(self.tr("Companion Settings"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Settings groups"))
        self.tabs.setDocumentMode(True)
        for section in fields(Settings):
            self.tabs.addTab(self._build_page(section.name), _t(GROUP_TITLES.get(section.name, section.name)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close settings"))
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        for button in self.findChildren(QPushButton):
            # Enter confirms the field being typed in; it must never press "Restore defaults" or "Erase" for the rep.
            button.setAutoDefault(False)
            button.setDefault(False)
        self.setMinimumSize(560, 320)  # the fields scroll; fits 640×400 logical (1280×800 at 200 %)
        self.resize(680, 620)
        holder.subscribe(self._settings_changed)
        self.destroyed.connect(lambda: holder.unsubscribe(self._settings_changed))
        self._show_settings(holder.current)

    # --- building ---------------------------------------------------------------------------------------------

    def _build_page(self, group: str) -> QWidget:
        body = QWidget()
        column = QVBoxLayout(body)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        section = getattr(self._holder.current, group)
        hints = typing.get_type_hints(type(section))
        for spec in fields(section):
            editor = self._build_editor(group, spec, hints[spec.name])
            self.editors[(group, spec.name)] = editor
            self._add_row(form, group, spec.name, editor)
        column.addLayout(form)
        extras = {"privacy": self._add_privacy_actions, "startup": self._add_startup_note, **self._page_extras}.get(
            group
        )
        if extras is not None:
            extras(column)
        column.addStretch(1)
        restore = QPushButton(self.tr("Restore defaults"))
        title = _t(GROUP_TITLES.get(group, group))
        restore.setAccessibleName(self.tr("Restore %1 defaults").replace("%1", title))
        restore.clicked.connect(lambda _=False, g=group: self.restore_defaults(g))
        self.restore_buttons[group] = restore
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(restore)
        column.addLayout(row)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return scroll

    def _add_row(self, form: QFormLayout, group: str, key: str, editor: FieldEditor) -> None:
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

    def _build_editor(self, group: str, spec: Any, hint: Any) -> FieldEditor:
        text = field_text(group, spec.name)
        meta = spec.metadata
        label = _t(text.label)
        problem = QLabel()
        problem.setWordWrap(True)
        problem.setTextFormat(Qt.TextFormat.PlainText)
        problem.setAccessibleName(self.tr("Problem with %1").replace("%1", label))
        problem.hide()

        def apply(value: Any) -> bool:
            return self.apply_value(group, spec.name, value)

        if hint is bool:
            check = QCheckBox(label)
            check.setAccessibleName(label)
            check.toggled.connect(apply)
            return FieldEditor(group, spec.name, check, check.setChecked, problem, [check])
        if hint in (int, float) and "min" in meta:
            spin = self._number_box(hint, meta, text, label)
            if isinstance(spin, RangeSpinBox):
                spin.refused.connect(lambda typed: self._refuse(group, spec.name, typed))
            spin.valueChanged.connect(apply)
            return FieldEditor(group, spec.name, spin, spin.setValue, problem, [spin])
        if hint is str and "choices" in meta:
            combo = QComboBox()
            combo.setAccessibleName(label)
            for choice in meta["choices"]:
                combo.addItem(_t(text.choices.get(choice, choice.replace("_", " ").capitalize())), choice)
            if text.managed:
                combo.activated.connect(lambda _=0, g=group, k=spec.name: self._managed_choice(g, k, combo))
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
            line.textEdited.connect(lambda typed: self.apply_value(group, spec.name, _parse_numbers(typed), quiet=True))
            line.editingFinished.connect(lambda: apply(_parse_numbers(line.text())))
            return FieldEditor(group, spec.name, line, lambda v: line.setText(", ".join(map(str, v))), problem, [line])
        if "pattern" in meta:
            line.setMaxLength(5)
            line.setProperty("narrow", True)
            line.setPlaceholderText("09:00")
        line.textEdited.connect(lambda typed: self.apply_value(group, spec.name, typed, quiet=True))
        line.editingFinished.connect(lambda: apply(line.text()))
        if text.folder:
            return self._folder_editor(group, spec.name, line, label, problem)
        return FieldEditor(group, spec.name, line, line.setText, problem, [line])

    def _folder_editor(self, group: str, key: str, line: QLineEdit, label: str, problem: QLabel) -> FieldEditor:
        row_widget = QWidget()
        row = QHBoxLayout(row_widget)
        row.setContentsMargins(0, 0, 0, 0)
        choose = QPushButton(self.tr("Choose…"))
        choose.setAccessibleName(self.tr("Choose a folder for %1").replace("%1", label))
        row.addWidget(line, 1)
        row.addWidget(choose)

        def pick() -> None:
            dialog = QFileDialog(self, label, line.text() or str(Path.home()))
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.fileSelected.connect(lambda folder: (line.setText(folder), self.apply_value(group, key, folder)))
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
        boxes = []
        for day in range(7):
            box = QCheckBox(locale.dayName(day + 1, QLocale.FormatType.ShortFormat))
            box.setAccessibleName(f"{label}: {locale.dayName(day + 1, QLocale.FormatType.LongFormat)}")
            boxes.append(box)
            grid.addWidget(box, day // 4, day % 4)
        grid.setColumnStretch(4, 1)

        def read() -> None:
            self.apply_value(group, key, tuple(day for day, box in enumerate(boxes) if box.isChecked()))

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
            spin.refused.connect(lambda typed: self._refuse(group, key, typed, item=True))
            spins.append(spin)
            item_label = QLabel(name)
            item_label.setBuddy(spin)
            grid.addRow(item_label, spin)

        def read() -> None:
            self.apply_value(group, key, tuple(spin.value() for spin in spins))

        def show(values: tuple[int, ...]) -> None:
            for spin, value in zip(spins, values, strict=False):
                spin.setValue(value)

        for spin in spins:
            spin.valueChanged.connect(read)
        return FieldEditor(group, key, row_widget, show, problem, list(spins))

    def _add_privacy_actions(self, column: QVBoxLayout) -> None:
        keys = QGroupBox(self.tr("Journal key"))
        key_row = QHBoxLayout(keys)
        self.change_passphrase_button = QPushButton(self.tr("Change passphrase\u2026"))
        self.recovery_code_button = QPushButton(self.tr("Show recovery code\u2026"))
        self.new_recovery_code_button = QPushButton(self.tr("New recovery code\u2026"))
        for button in (self.change_passphrase_button, self.recovery_code_button, self.new_recovery_code_button):
            button.setAccessibleName(button.text().rstrip("\u2026"))
            key_row.addWidget(button)
        key_row.addStretch(1)
        self.change_passphrase_button.clicked.connect(lambda: self._call_keys("change_passphrase"))
        self.recovery_code_button.clicked.connect(lambda: self._call_keys("show_recovery_code"))
        self.new_recovery_code_button.clicked.connect(self._new_recovery_code)
        if self._key_controls is None:
            note = QLabel(self.tr("The journal is not set up yet, so there is no key to manage."))
            note.setWordWrap(True)
            key_row.addWidget(note)
            self.recovery_code_button.setEnabled(False)
            self.new_recovery_code_button.setEnabled(False)
            self.editors[("privacy", "key_storage")].widget.setEnabled(False)
        column.addWidget(keys)

        data = QGroupBox(self.tr("Your data"))
        data_column = QVBoxLayout(data)
        intro = QLabel(self.tr("Everything Companion keeps stays on this computer."))
        intro.setWordWrap(True)
        data_column.addWidget(intro)
        self.open_folder_button = QPushButton(self.tr("Open data folder"))
        self.export_button = QPushButton(self.tr("Export everything\u2026"))
        self.erase_button = QPushButton(self.tr("Erase everything\u2026"))
        self.open_folder_button.clicked.connect(self.open_data_folder_requested)
        self.export_button.clicked.connect(self.export_requested)
        self.erase_button.clicked.connect(self.erase_requested)
        row = QHBoxLayout()
        for button in (self.open_folder_button, self.export_button, self.erase_button):
            button.setAccessibleName(button.text().rstrip("\u2026"))
            row.addWidget(button)
        row.addStretch(1)
        data_column.addLayout(row)
        warning = QLabel(
            self.tr(
                "The export is not encrypted: anyone who gets the file can read your journal. "
                "Erasing removes the database, settings, logs and the key in your keyring, and cannot be undone."
            )
        )
        warning.setWordWrap(True)
        self.export_button.setAccessibleDescription(warning.text())
        data_column.addWidget(warning)
        column.addWidget(data)

    def _add_startup_note(self, column: QVBoxLayout) -> None:
        if self._autostart_available:
            return
        self.editors[("startup", "start_at_login")].widget.setEnabled(False)
        note = QLabel(self.tr("Companion cannot register itself to start at login on this system."))
        note.setWordWrap(True)
        column.addWidget(note)

    # --- applying ---------------------------------------------------------------------------------------------

    def apply_value(self, group: str, key: str, value: Any, quiet: bool = False) -> bool:
        """Validate one value with the core's rules and save it (listeners apply it at once), or say why not.

        `quiet` while the rep is still typing: a half-typed value is not saved, and not yet called wrong.
        """
        if self._applying:
            return False
        try:
            changed = self._holder.current.with_value(group, key, value)
        except ValueError as error:
            if not quiet:
                self.set_problem(group, key, problem_sentence(error))
            return False
        if (group, key) in self._refused:
            self._refused.discard((group, key))
        else:
            self.set_problem(group, key, "")
        if changed != self._holder.current:
            self._applying = True
            try:
                self._holder.update(changed)
            finally:
                self._applying = False
        return True

    def _refuse(self, group: str, key: str, typed: int, item: bool = False) -> None:
        section = getattr(self._holder.current, group)
        spec = {f.name: f for f in fields(section)}[key]
        low, high = spec.metadata["item_range"] if item else (spec.metadata["min"], spec.metadata["max"])
        self._refused.add((group, key))
        self.set_problem(
            group, key, self.tr("%1 is not allowed here: choose from %2 to %3.").replace("%1", str(typed))
            .replace("%2", str(low)).replace("%3", str(high))
        )  # fmt: skip

    def set_problem(self, group: str, key: str, sentence: str) -> None:
        editor = self.editors[(group, key)]
        editor.problem.setText(sentence)
        editor.problem.setVisible(bool(sentence))
        help_text = field_text(group, key).help
        for widget in editor.inputs:  # a screen reader reads the problem with the field, not only the help
            widget.setAccessibleDescription(sentence or (_t(help_text) if help_text else ""))

    def problem_text(self, group: str, key: str) -> str:
        problem = self.editors[(group, key)].problem
        return problem.text() if not problem.isHidden() else ""

    def restore_defaults(self, group: str) -> None:
        section = getattr(self._holder.current, group)
        default = type(section)()
        kept = {f.name: getattr(section, f.name) for f in fields(section) if field_text(group, f.name).managed}
        self._holder.update(replace(self._holder.current, **{group: replace(default, **kept)}))
        self._show_settings(self._holder.current)
        for key in (f.name for f in fields(section)):
            self.set_problem(group, key, "")

    def _managed_choice(self, group: str, key: str, combo: QComboBox) -> None:
        wanted = combo.currentData()
        if self._key_controls is not None and wanted != getattr(getattr(self._holder.current, group), key):
            self._key_controls.switch_key_storage(wanted, self)
        self._show_settings(self._holder.current)  # whatever the key manager decided

    def _new_recovery_code(self) -> None:
        """Asks first: the code the rep wrote down stops working once a new one is made."""
        from companion.ui.confirm import confirm_new_recovery_code

        if self._key_controls is not None and confirm_new_recovery_code(self):
            self._call_keys("new_recovery_code")

    def _call_keys(self, action: str) -> None:
        if self._key_controls is not None:
            getattr(self._key_controls, action)(self)

    def _settings_changed(self, settings: Settings) -> None:
        if not self._applying:
            self._show_settings(settings)

    def _show_settings(self, settings: Settings) -> None:
        self._applying = True
        try:
            for (group, key), editor in self.editors.items():
                for widget in editor.inputs:
                    widget.blockSignals(True)
                try:
                    editor.show(getattr(getattr(settings, group), key))
                finally:
                    for widget in editor.inputs:
                        widget.blockSignals(False)
        finally:
            self._applying = False
        passphrase = settings.privacy.key_storage == "passphrase"
        if hasattr(self, "change_passphrase_button"):
            self.change_passphrase_button.setEnabled(self._key_controls is not None and passphrase)

    def show_page(self, group: str) -> None:
        names = [section.name for section in fields(Settings)]
        self.tabs.setCurrentIndex(names.index(group))


def _parse_numbers(text: str) -> Any:
    """'60, 90, 120' -> (60, 90, 120); anything unreadable is passed on as text for the core to refuse."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    try:
        return tuple(int(part) for part in parts)
    except ValueError:
        return text
