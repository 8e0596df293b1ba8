"""The Settings window: every field of every group in core/settings.py, built from the dataclasses themselves.

A new settings field shows up here without new code: its editor follows its type and validation metadata
(ui/settings_editors.py). The words (label, help, unit, choice names) live in one table, FIELD_TEXTS
(ui/settings_texts.py), marked for translation. Every change is checked with the core's own validation, saved
through the SettingsHolder and so applies at once; a refused value gets a sentence beside its field. The
journal's key actions go through the KeyControls seam; the data actions (open folder, export, erase) are signals
the settings feature acts on.

A page is built when it is first shown or its widgets are first asked for: the window's first paint builds one
page of ten (issue 15: with all ten built, Settings' first paint stalled the tray 74 to 133 ms).
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from companion.core.data_controls import ExportStage
from companion.core.ports import KeyControls
from companion.core.settings import Settings, SettingsHolder
from companion.ui.settings_editors import FieldEditor, FieldEditorBuilder, add_field_row
from companion.ui.settings_texts import GROUP_TITLES, _t, field_text, problem_sentence

_Widget = TypeVar("_Widget")


class _OnPage(Generic[_Widget]):
    """A widget of one page: reading it builds that page first, if it has not been shown yet."""

    def __init__(self, group: str) -> None:
        self.group = group

    def __set_name__(self, owner: type, name: str) -> None:
        self.stored = f"_{name}"

    def __get__(self, window: SettingsWindow, owner: type | None = None) -> _Widget:
        window.build_page(self.group)
        return typing.cast(_Widget, getattr(window, self.stored))


class SettingsWindow(QDialog):
    """Non-modal; every change is saved at once. Emits the data actions for the settings feature to carry out."""

    open_data_folder_requested = Signal()
    export_requested = Signal()
    erase_requested = Signal()

    change_passphrase_button = _OnPage[QPushButton]("privacy")
    recovery_code_button = _OnPage[QPushButton]("privacy")
    new_recovery_code_button = _OnPage[QPushButton]("privacy")
    open_folder_button = _OnPage[QPushButton]("privacy")
    export_button = _OnPage[QPushButton]("privacy")
    erase_button = _OnPage[QPushButton]("privacy")
    export_progress = _OnPage[QLabel]("privacy")  # what Export everything is doing, then how it ended
    export_progress_bar = _OnPage[QProgressBar]("privacy")

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
        self._key_moving = False  # the key storage chosen here is on its way (KeyControls.switch_key_storage)
        self._focus_during_move: tuple[QWidget, QWidget | None] | None = None  # (the combo, where its focus went)
        # Fields whose last typed number was refused: the digits kept are saved, but the sentence saying why the
        # rest was dropped stays until the next change.
        self._refused: set[tuple[str, str]] = set()
        self._editors: dict[tuple[str, str], FieldEditor] = {}  # of the pages built so far
        self.restore_buttons: dict[str, QPushButton] = {}
        self._groups = [section.name for section in fields(Settings)]
        self._pages: dict[str, QVBoxLayout] = {}  # each tab's (empty until built) layout, by group
        self._editors_builder = FieldEditorBuilder(self, self)
        self.setWindowTitle(self.tr("Companion Settings"))
        self.setAccessibleName(self.tr("Companion Settings"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Settings groups"))
        self.tabs.setDocumentMode(True)
        for group in self._groups:
            slot = QWidget()
            self._pages[group] = QVBoxLayout(slot)
            self._pages[group].setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(slot, _t(GROUP_TITLES.get(group, group)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self._close_button.setAccessibleName(self.tr("Close settings"))
        self._close_button.setAutoDefault(False)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.setMinimumSize(560, 320)  # the fields scroll; fits 640×400 logical (1280×800 at 200 %)
        self.resize(680, 620)
        holder.subscribe(self._settings_changed)
        self.destroyed.connect(lambda: holder.unsubscribe(self._settings_changed))
        self.build_page(self._groups[0])
        self.tabs.currentChanged.connect(lambda index: self.build_page(self._groups[index]))

    @property
    def editors(self) -> dict[tuple[str, str], FieldEditor]:
        """Every field's editor, building the pages not shown yet (for a caller that needs them all)."""
        self.build_every_page()
        return self._editors

    def build_every_page(self) -> None:
        for group in self._groups:
            self.build_page(group)

    # --- building ---------------------------------------------------------------------------------------------

    def build_page(self, group: str) -> None:
        """Build a page once, when it is first shown or its widgets are first asked for, showing today's values."""
        if self._pages[group].count():
            return
        page = self._build_page(group)
        self._pages[group].addWidget(page)
        for button in page.findChildren(QPushButton):
            # Enter confirms the field being typed in; it must never press "Restore defaults" or "Erase" for the rep.
            button.setAutoDefault(False)
            button.setDefault(False)
        # A page built after the window joins the end of its Tab order; Close goes back to the end, after it.
        last = self.previousInFocusChain()
        if last is not self._close_button:
            QWidget.setTabOrder(last, self._close_button)
        self._show_settings(self._holder.current, group)

    def _build_page(self, group: str) -> QWidget:
        body = QWidget()
        column = QVBoxLayout(body)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        section = getattr(self._holder.current, group)
        hints = typing.get_type_hints(type(section))
        for spec in fields(section):
            editor = self._editors_builder.build(group, spec, hints[spec.name])
            self._editors[(group, spec.name)] = editor
            add_field_row(form, group, spec.name, editor)
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

    def _add_privacy_actions(self, column: QVBoxLayout) -> None:
        keys = QGroupBox(self.tr("Journal key"))
        key_row = QHBoxLayout(keys)
        self._change_passphrase_button = QPushButton(self.tr("Change passphrase\u2026"))
        self._recovery_code_button = QPushButton(self.tr("Show recovery code\u2026"))
        self._new_recovery_code_button = QPushButton(self.tr("New recovery code\u2026"))
        for button in (self._change_passphrase_button, self._recovery_code_button, self._new_recovery_code_button):
            button.setAccessibleName(button.text().rstrip("\u2026"))
            key_row.addWidget(button)
        key_row.addStretch(1)
        self._change_passphrase_button.clicked.connect(lambda: self._call_keys("change_passphrase"))
        self._recovery_code_button.clicked.connect(lambda: self._call_keys("show_recovery_code"))
        self._new_recovery_code_button.clicked.connect(self._new_recovery_code)
        if self._key_controls is None:
            note = QLabel(self.tr("The journal is not set up yet, so there is no key to manage."))
            note.setWordWrap(True)
            key_row.addWidget(note)
            self._recovery_code_button.setEnabled(False)
            self._new_recovery_code_button.setEnabled(False)
            self._editors[("privacy", "key_storage")].widget.setEnabled(False)
        column.addWidget(keys)

        data = QGroupBox(self.tr("Your data"))
        data_column = QVBoxLayout(data)
        intro = QLabel(self.tr("Everything Companion keeps stays on this computer."))
        intro.setWordWrap(True)
        data_column.addWidget(intro)
        self._open_folder_button = QPushButton(self.tr("Open data folder"))
        self._export_button = QPushButton(self.tr("Export everything\u2026"))
        self._erase_button = QPushButton(self.tr("Erase everything\u2026"))
        self._open_folder_button.clicked.connect(self.open_data_folder_requested)
        self._export_button.clicked.connect(self.export_requested)
        self._erase_button.clicked.connect(self.erase_requested)
        row = QHBoxLayout()
        for button in (self._open_folder_button, self._export_button, self._erase_button):
            button.setAccessibleName(button.text().rstrip("\u2026"))
            row.addWidget(button)
        row.addStretch(1)
        data_column.addLayout(row)
        self._export_progress = QLabel()
        self._export_progress.setWordWrap(True)
        self._export_progress.setTextFormat(Qt.TextFormat.PlainText)
        # Selectable by keyboard: Tab reaches the line, so a screen reader reads it, and the path can be copied.
        self._export_progress.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self._export_progress.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._export_progress.setAccessibleName(self.tr("Export progress"))
        self._export_progress_bar = QProgressBar()
        self._export_progress_bar.setRange(0, len(ExportStage))
        self._export_progress_bar.setTextVisible(False)  # the line above says it in words
        self._export_progress_bar.setMaximumHeight(8)
        self._export_progress_bar.setAccessibleName(self.tr("Export progress"))
        for widget in (self._export_progress, self._export_progress_bar):
            widget.hide()
            data_column.addWidget(widget)
        warning = QLabel(
            self.tr(
                "The export is not encrypted: anyone who gets the file can read your journal. "
                "Erasing removes the database, settings, logs and the key in your keyring, and cannot be undone."
            )
        )
        warning.setWordWrap(True)
        self._export_button.setAccessibleDescription(warning.text())
        data_column.addWidget(warning)
        column.addWidget(data)

    # --- Export everything, run by the settings feature on its worker ---------------------------------------

    def export_started(self) -> None:
        """No second export while one runs; the progress line says what is being done."""
        self.export_button.setEnabled(False)
        self.show_export_progress(ExportStage.ACTIVITY)

    def show_export_progress(self, stage: ExportStage) -> None:
        doing = {
            ExportStage.ACTIVITY: self.tr("Reading your activity and breaks\u2026"),
            ExportStage.JOURNAL: self.tr("Opening your journal and notes\u2026"),
            ExportStage.PACKING: self.tr("Packing the export\u2026"),
            ExportStage.WRITING: self.tr("Writing the file\u2026"),
        }[stage]
        number = list(ExportStage).index(stage) + 1
        self.export_progress.setText(
            self.tr("Step %1 of %2: %3").replace("%1", str(number)).replace("%2", str(len(ExportStage)))
            .replace("%3", doing)
        )  # fmt: skip
        self.export_progress.show()
        self.export_progress_bar.setValue(number - 1)  # steps done before this one
        self.export_progress_bar.show()

    def export_ended(self, sentence: str) -> None:
        """The line keeps how it ended (where the file is, or why not); the button is back."""
        self.export_progress.setText(sentence)
        self.export_progress.show()
        self.export_progress_bar.hide()
        self.export_button.setEnabled(True)

    def _add_startup_note(self, column: QVBoxLayout) -> None:
        if self._autostart_available:
            return
        self._editors[("startup", "start_at_login")].widget.setEnabled(False)
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
        if changed.language != self._holder.current.language:
            # Open windows keep their language: the pages not built yet are built now, before the new one applies.
            self.build_every_page()
        if changed != self._holder.current:
            self._applying = True
            try:
                self._holder.update(changed)
            finally:
                self._applying = False
        return True

    def refuse_typed(self, group: str, key: str, typed: int, item: bool = False) -> None:
        """A typed number outside the field's range: the spin box dropped it, this says why."""
        section = getattr(self._holder.current, group)
        spec = {f.name: f for f in fields(section)}[key]
        low, high = spec.metadata["item_range"] if item else (spec.metadata["min"], spec.metadata["max"])
        self._refused.add((group, key))
        self.set_problem(
            group, key, self.tr("%1 is not allowed here: choose from %2 to %3.").replace("%1", str(typed))
            .replace("%2", str(low)).replace("%3", str(high))
        )  # fmt: skip

    def set_problem(self, group: str, key: str, sentence: str) -> None:
        self.build_page(group)
        editor = self._editors[(group, key)]
        editor.problem.setText(sentence)
        editor.problem.setVisible(bool(sentence))
        help_text = field_text(group, key).help
        for widget in editor.inputs:  # a screen reader reads the problem with the field, not only the help
            widget.setAccessibleDescription(sentence or (_t(help_text) if help_text else ""))

    def problem_text(self, group: str, key: str) -> str:
        self.build_page(group)
        problem = self._editors[(group, key)].problem
        return problem.text() if not problem.isHidden() else ""

    def restore_defaults(self, group: str) -> None:
        section = getattr(self._holder.current, group)
        default = type(section)()
        kept = {f.name: getattr(section, f.name) for f in fields(section) if field_text(group, f.name).managed}
        self._holder.update(replace(self._holder.current, **{group: replace(default, **kept)}))
        self._show_settings(self._holder.current)
        for key in (f.name for f in fields(section)):
            self.set_problem(group, key, "")

    def choose_managed(self, group: str, key: str, combo: QComboBox) -> None:
        """The key storage changes only through the key manager, which may ask first or refuse. A move it starts at
        once (a second or so) keeps the rep's choice showing, calmly, until it ends: snapping back meanwhile read
        as "refused"."""
        wanted = combo.currentData()
        controls = self._key_controls
        changed = wanted != getattr(getattr(self._holder.current, group), key)
        if controls is not None and changed and controls.switch_key_storage(wanted, self, self._key_moved):
            self._key_moving = True
            had_focus = combo.hasFocus()
            combo.setEnabled(False)  # one move at a time; the choice shown is the one on its way
            # Disabling hands the focus on; where it went is remembered, to give it back if the rep did not move on.
            self._focus_during_move = (combo, QApplication.focusWidget()) if had_focus else None
            self.change_passphrase_button.setEnabled(False)
            self.set_problem(group, key, self.tr("Moving the key\u2026"))
            return
        self._show_settings(self._holder.current)  # whatever the key manager decided

    def _key_moved(self, sentence: str) -> None:
        """The move ended: the settings say where the key is now; `sentence` why it stayed, if it did."""
        if not isValid(self):  # the window was deleted while the key moved
            return
        self._key_moving = False
        self._editors[("privacy", "key_storage")].widget.setEnabled(True)
        if self._focus_during_move is not None:
            combo, handed_to = self._focus_during_move
            self._focus_during_move = None
            if QApplication.focusWidget() is handed_to:
                combo.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_settings(self._holder.current)
        self.set_problem("privacy", "key_storage", sentence)

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

    def _show_settings(self, settings: Settings, only_group: str | None = None) -> None:
        """Show `settings` in the pages built so far (or in `only_group`'s, just built)."""
        self._applying = True
        try:
            for (group, key), editor in self._editors.items():
                if only_group is not None and group != only_group:
                    continue
                if self._key_moving and (group, key) == ("privacy", "key_storage"):
                    continue  # the choice on its way stays showing until the move ends
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
        if self._pages["privacy"].count():
            self._change_passphrase_button.setEnabled(
                self._key_controls is not None and passphrase and not self._key_moving
            )

    def show_page(self, group: str) -> None:
        self.build_page(group)
        self.tabs.setCurrentIndex(self._groups.index(group))
