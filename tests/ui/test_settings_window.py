"""The Settings window as a rep uses it: by mouse and keyboard, against real saved settings."""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStyle,
    QTabBar,
    QWidget,
)

from companion.core.settings import Settings, SettingsHolder, load_settings
from companion.ui.settings_editors import FieldEditor
from companion.ui.settings_texts import FIELD_TEXTS, GROUP_TITLES
from companion.ui.settings_window import SettingsWindow
from tests.desktop import ARTIFACTS
from tests.ui.keyboard import accessible_name, focus, focusable_controls, owner, tab_to, tab_walk, type_into


class JournalKeysStandIn:
    """The KeyControls seam as the journal feature fills it: switching storage re-wraps (here: nothing to wrap)
    and then records the choice in the settings, as the real key manager does once its dialogs succeed."""

    def __init__(self, holder: SettingsHolder, accept: bool = True) -> None:
        self.holder = holder
        self.accept = accept
        self.calls: list[str] = []

    def switch_key_storage(self, method: str, parent: QWidget, moved: Callable[[str], None] | None = None) -> bool:
        self.calls.append(f"switch:{method}")
        if self.accept:
            self.holder.update(self.holder.current.with_value("privacy", "key_storage", method))
        return False  # done (or refused) before it returns: nothing is left on its way

    def change_passphrase(self, parent: QWidget) -> None:
        self.calls.append("change_passphrase")

    def show_recovery_code(self, parent: QWidget) -> None:
        self.calls.append("show_recovery_code")

    def new_recovery_code(self, parent: QWidget) -> None:
        self.calls.append("new_recovery_code")


@pytest.fixture
def holder(app_paths) -> SettingsHolder:
    return SettingsHolder(app_paths.settings_file)


@pytest.fixture
def keys(holder: SettingsHolder) -> JournalKeysStandIn:
    return JournalKeysStandIn(holder)


@pytest.fixture
def window(qtbot, holder: SettingsHolder, keys: JournalKeysStandIn) -> SettingsWindow:
    shown = SettingsWindow(holder, keys)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def all_fields() -> list[tuple[str, str, Any, Any]]:
    out = []
    for group in fields(Settings):
        section_type = typing.get_type_hints(Settings)[group.name]
        hints = typing.get_type_hints(section_type)
        for spec in fields(section_type):
            out.append((group.name, spec.name, spec, hints[spec.name]))
    return out


def another_valid_value(spec: Any, hint: Any) -> Any:
    """A value unlike the default that the field's own rules accept, worked out from its metadata."""
    default = spec.default
    meta = spec.metadata
    if hint is bool:
        return not default
    if hint is int:
        return default + 1 if default + 1 <= meta["max"] else default - 1
    if hint is float:
        return default + 0.5 if default + 0.5 <= meta["max"] else default - 0.5
    if hint is str and "choices" in meta:
        return next(choice for choice in meta["choices"] if choice != default)
    if hint is str and "pattern" in meta:
        return "10:45" if default != "10:45" else "11:15"
    if hint is str and "hotkey" in meta:
        return "Ctrl+Shift+F9" if default != "Ctrl+Shift+F9" else "Alt+9"
    if hint is str:
        return "/home/rep/Documents/Companion"
    if meta.get("item_range") == (0, 6) and "length" not in meta:
        return (1, 3, 5)
    high = meta["item_range"][1]
    return tuple(value + 30 if value + 30 <= high else value - 30 for value in default)


def enter_through_ui(qtbot, window: SettingsWindow, editor: FieldEditor, value: Any) -> None:
    window.show_page(editor.group)
    widget = editor.inputs[0]
    if isinstance(widget, QCheckBox) and len(editor.inputs) == 1:
        if widget.isChecked() != value:
            indicator = QPoint(
                widget.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) // 2 + 1, widget.height() // 2
            )
            qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=indicator)
    elif isinstance(widget, QComboBox):
        focus(qtbot, widget)
        while widget.currentData() != value:
            qtbot.keyClick(widget, Qt.Key.Key_Down)
    elif isinstance(widget, QSpinBox | QDoubleSpinBox) and len(editor.inputs) == 1:
        type_into(qtbot, widget, widget.textFromValue(value))
    elif isinstance(widget, QCheckBox):  # a row of day boxes
        for day, box in enumerate(editor.inputs):
            if typing.cast(QCheckBox, box).isChecked() != (day in value):
                focus(qtbot, box)
                qtbot.keyClick(box, Qt.Key.Key_Space)
    elif isinstance(widget, QSpinBox):  # one box per item
        for box, item in zip(editor.inputs, value, strict=True):
            type_into(qtbot, box, str(item))
    else:
        assert isinstance(widget, QLineEdit)
        type_into(qtbot, widget, value if isinstance(value, str) else ", ".join(map(str, value)))


def shown_value(editor: FieldEditor) -> Any:
    """What the editor's widgets show, read back as the setting's value."""
    first = editor.inputs[0]
    if isinstance(first, QComboBox):
        return first.currentData()
    if isinstance(first, QLineEdit):
        return first.text()
    if isinstance(first, QCheckBox):
        checks = [typing.cast(QCheckBox, box).isChecked() for box in editor.inputs]
        return checks[0] if len(checks) == 1 else tuple(day for day, on in enumerate(checks) if on)
    values = tuple(typing.cast(QSpinBox, box).value() for box in editor.inputs)
    return values[0] if len(values) == 1 else values


def test_every_settings_field_has_an_editor_and_words(window: SettingsWindow) -> None:
    expected = {(group, key) for group, key, _, _ in all_fields()}
    assert set(window.editors) == expected
    assert set(FIELD_TEXTS) == expected, "add the new field's label to FIELD_TEXTS in companion/ui/settings_texts.py"
    assert set(GROUP_TITLES) == {group.name for group in fields(Settings)}
    assert window.tabs.count() == len(GROUP_TITLES)


def test_every_field_round_trips_through_the_saved_settings(
    qtbot, window: SettingsWindow, holder: SettingsHolder, keys: JournalKeysStandIn
) -> None:
    expected = Settings()
    for group, key, spec, hint in all_fields():
        value = another_valid_value(spec, hint)
        enter_through_ui(qtbot, window, window.editors[(group, key)], value)
        expected = expected.with_value(group, key, value)
        assert getattr(getattr(holder.current, group), key) == value, (group, key)
        assert window.problem_text(group, key) == ""

    assert holder.current == expected
    assert load_settings(holder.path) == expected  # saved, and read back the same
    assert keys.calls == ["switch:passphrase"]  # the key storage went through the journal, not straight in

    reopened = SettingsWindow(SettingsHolder(holder.path), keys)  # a fresh window shows what was saved
    qtbot.addWidget(reopened)
    for group, key, _, _ in all_fields():
        assert shown_value(reopened.editors[(group, key)]) == getattr(getattr(expected, group), key), (group, key)


def test_a_time_that_is_not_a_time_is_refused_with_a_sentence(
    qtbot, window: SettingsWindow, holder: SettingsHolder
) -> None:
    line = window.editors[("work", "work_start")].inputs[0]
    type_into(qtbot, line, "25:70")
    assert window.problem_text("work", "work_start") == "Must be a time like 09:00."
    assert holder.current.work.work_start == "09:00"
    assert load_settings(holder.path).work.work_start == "09:00"

    type_into(qtbot, line, "08:30")
    assert window.problem_text("work", "work_start") == ""
    assert holder.current.work.work_start == "08:30"


def test_a_number_out_of_range_is_refused_with_a_sentence(qtbot, window: SettingsWindow, holder: SettingsHolder):
    spin = window.editors[("work", "break_interval_minutes")].inputs[0]
    type_into(qtbot, spin, "500")
    assert window.problem_text("work", "break_interval_minutes") == "500 is not allowed here: choose from 10 to 240."
    assert holder.current.work.break_interval_minutes == 50

    severity = window.editors[("rough_calls", "cooldown_seconds_by_severity")].inputs[4]
    window.show_page("rough_calls")
    type_into(qtbot, severity, "9000")
    assert window.problem_text("rough_calls", "cooldown_seconds_by_severity") == (
        "9000 is not allowed here: choose from 30 to 1800."
    )
    # The box keeps the digits it could take; the sentence stays so the rep knows why.
    assert holder.current.rough_calls.cooldown_seconds_by_severity == (60, 90, 120, 180, 900)

    type_into(qtbot, severity, "600")
    assert window.problem_text("rough_calls", "cooldown_seconds_by_severity") == ""
    assert holder.current.rough_calls.cooldown_seconds_by_severity == (60, 90, 120, 180, 600)


def test_refusals_reported_by_the_core_read_as_sentences(window: SettingsWindow, holder: SettingsHolder) -> None:
    assert not window.apply_value("rough_calls", "cooldown_seconds_by_severity", (60, 90))
    assert window.problem_text("rough_calls", "cooldown_seconds_by_severity") == "Must have 5 values."
    assert not window.apply_value("work", "work_days", (0, 9))
    assert window.problem_text("work", "work_days") == "Values must be between 0 and 6."
    assert holder.current == Settings()


def test_a_change_applies_at_once_to_whoever_listens(qtbot, window: SettingsWindow, holder: SettingsHolder) -> None:
    """The break policy subscribes like this listener: the next break moves as soon as the interval changes."""
    last_break_minute = 600  # 10:00
    next_break: list[int] = []
    holder.subscribe(lambda settings: next_break.append(last_break_minute + settings.work.break_interval_minutes))

    type_into(qtbot, window.editors[("work", "break_interval_minutes")].inputs[0], "30")

    assert next_break == [630]
    assert load_settings(holder.path).work.break_interval_minutes == 30


def test_a_change_made_elsewhere_shows_in_the_open_window(window: SettingsWindow, holder: SettingsHolder) -> None:
    holder.update(holder.current.with_value("notifications", "sound", True))
    assert typing.cast(QCheckBox, window.editors[("notifications", "sound")].inputs[0]).isChecked()


def test_restore_defaults_resets_one_group_only_and_keeps_the_journal_key_where_it_is(
    qtbot, window: SettingsWindow, holder: SettingsHolder
) -> None:
    changed = (
        holder.current.with_value("work", "break_interval_minutes", 90)
        .with_value("work", "work_days", (0, 1))
        .with_value("rough_calls", "escalation_count", 7)
        .with_value("privacy", "key_storage", "passphrase")
        .with_value("privacy", "retention_months", 6)
    )
    holder.update(changed)

    window.show_page("work")
    qtbot.mouseClick(window.restore_buttons["work"], Qt.MouseButton.LeftButton)
    window.show_page("privacy")
    qtbot.mouseClick(window.restore_buttons["privacy"], Qt.MouseButton.LeftButton)

    assert holder.current.work == Settings().work
    assert holder.current.rough_calls.escalation_count == 7
    assert holder.current.privacy.retention_months == 0
    assert holder.current.privacy.key_storage == "passphrase"
    assert typing.cast(QSpinBox, window.editors[("work", "break_interval_minutes")].inputs[0]).value() == 50


def test_privacy_actions_go_to_the_journal_keys(qtbot, window: SettingsWindow, keys: JournalKeysStandIn) -> None:
    window.show_page("privacy")
    assert not window.change_passphrase_button.isEnabled()  # the keyring holds the key: no passphrase to change
    qtbot.mouseClick(window.recovery_code_button, Qt.MouseButton.LeftButton)
    combo = typing.cast(QComboBox, window.editors[("privacy", "key_storage")].inputs[0])
    focus(qtbot, combo)
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert window.change_passphrase_button.isEnabled()
    qtbot.mouseClick(window.change_passphrase_button, Qt.MouseButton.LeftButton)
    assert keys.calls == ["show_recovery_code", "switch:passphrase", "change_passphrase"]


def test_a_cancelled_key_switch_shows_the_storage_still_in_use(qtbot, holder: SettingsHolder) -> None:
    keys = JournalKeysStandIn(holder, accept=False)
    window = SettingsWindow(holder, keys)
    qtbot.addWidget(window)
    window.show()
    combo = typing.cast(QComboBox, window.editors[("privacy", "key_storage")].inputs[0])
    window.show_page("privacy")
    focus(qtbot, combo)
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert keys.calls == ["switch:passphrase"]
    assert combo.currentData() == "keyring"
    assert holder.current.privacy.key_storage == "keyring"


def test_without_a_journal_or_autostart_the_options_are_greyed_out_with_a_reason(qtbot, holder: SettingsHolder):
    window = SettingsWindow(holder, None, autostart_available=False)
    qtbot.addWidget(window)
    assert not window.editors[("privacy", "key_storage")].widget.isEnabled()
    assert not window.recovery_code_button.isEnabled()
    assert not window.editors[("startup", "start_at_login")].widget.isEnabled()
    texts = [label.text() for label in window.findChildren(QLabel)]
    assert "Companion cannot register itself to start at login on this system." in texts
    assert "The journal is not set up yet, so there is no key to manage." in texts


def test_data_buttons_emit_their_requests(qtbot, window: SettingsWindow) -> None:
    window.show_page("privacy")
    for button, signal in (
        (window.open_folder_button, window.open_data_folder_requested),
        (window.export_button, window.export_requested),
        (window.erase_button, window.erase_requested),
    ):
        with qtbot.waitSignal(signal, timeout=1000):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# --- keyboard, accessibility and look ----------------------------------------------------------------------


def test_keyboard_alone_reaches_every_control_on_every_page(qtbot, window: SettingsWindow) -> None:
    tab_bar = window.tabs.findChild(QTabBar)
    focus(qtbot, tab_bar)
    window.tabs.setCurrentIndex(0)
    for index in range(window.tabs.count()):
        assert window.tabs.currentIndex() == index
        page = window.tabs.widget(index)
        reached = {owner(widget) for widget in tab_walk(qtbot, window)}
        missing = focusable_controls(page) - reached
        assert not missing, (window.tabs.tabText(index), [w.accessibleName() or w.objectName() for w in missing])
        assert tab_bar in reached and window.findChild(QAbstractButton, None) is not None
        focus(qtbot, tab_bar)
        qtbot.keyClick(tab_bar, Qt.Key.Key_Right)  # the arrow keys move between pages


def test_only_the_page_shown_is_built_and_the_others_are_built_with_todays_values_when_shown(
    qtbot, holder: SettingsHolder
) -> None:
    """The window's first paint builds one page of ten (issue 15); a page built later shows the values saved
    meanwhile, takes its place in the Tab order before Close, and reading its widgets builds it too."""
    window = SettingsWindow(holder)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    built = [window.tabs.widget(index).findChild(QLabel) is not None for index in range(window.tabs.count())]
    assert built == [True] + [False] * (window.tabs.count() - 1)
    holder.update(holder.current.with_value("privacy", "auto_lock_minutes", 25))
    focus(qtbot, window.tabs.findChild(QTabBar))
    qtbot.keyClick(window.tabs.findChild(QTabBar), Qt.Key.Key_Right)  # the next page, by keyboard
    assert window.tabs.widget(1).findChild(QComboBox) is not None
    privacy = [f.name for f in fields(Settings)].index("privacy")
    assert window.tabs.widget(privacy).findChild(QLabel) is None
    assert window.export_button.text().startswith("Export everything")  # asking for a widget builds its page
    assert window.tabs.widget(privacy).findChild(QLabel) is not None
    assert window.editors[("privacy", "auto_lock_minutes")].inputs[0].value() == 25
    window.show_page("privacy")
    walked = [owner(widget) for widget in tab_walk(qtbot, window)]
    close = window.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert walked.index(window.export_button) < walked.index(close)


def test_every_control_has_an_accessible_name(window: SettingsWindow) -> None:
    assert len(window.editors) == len(FIELD_TEXTS)  # builds the pages not shown yet, so each one is looked at
    nameless = []
    for index in range(window.tabs.count()):
        for widget in focusable_controls(window.tabs.widget(index)):
            name = accessible_name(widget)
            if not name.strip():
                nameless.append(type(widget).__name__)
    assert not nameless


def test_focus_is_drawn_where_the_keyboard_is(qtbot, window: SettingsWindow) -> None:
    window.show_page("privacy")
    for widget in (
        window.export_button,
        window.editors[("privacy", "retention_months")].inputs[0],
        window.editors[("privacy", "key_storage")].inputs[0],
    ):
        focus(qtbot, window.tabs.findChild(QTabBar))
        unfocused = widget.grab().toImage()
        tab_to(qtbot, widget)
        assert widget.grab().toImage() != unfocused, type(widget).__name__


@pytest.fixture
def app_look(qapp: QApplication) -> Iterator[QApplication]:
    """Restore the application's palette and font after a test changes them."""
    palette, font = qapp.palette(), qapp.font()
    yield qapp
    qapp.setPalette(palette)
    qapp.setFont(font)


def dark_palette() -> QPalette:
    """What a dark desktop theme hands Qt: light text on dark surfaces."""
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#e8e8e8"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.AlternateBase, "#2f2f2f"),
        (QPalette.ColorRole.Text, "#e8e8e8"),
        (QPalette.ColorRole.Button, "#383838"),
        (QPalette.ColorRole.ButtonText, "#e8e8e8"),
        (QPalette.ColorRole.Highlight, "#3d7bd9"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.PlaceholderText, "#9a9a9a"),
    ):
        palette.setColor(role, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#8a8a8a"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#8a8a8a"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#8a8a8a"))
    return palette


def save_pages(window: SettingsWindow, name: str) -> list[Path]:
    ARTIFACTS.mkdir(exist_ok=True)
    saved = []
    for group in ("work", "rough_calls", "privacy"):
        window.show_page(group)
        QApplication.processEvents()
        target = ARTIFACTS / f"settings-{name}-{group}.png"
        assert window.grab().save(str(target))
        saved.append(target)
    return saved


def luminance(color: QColor) -> float:
    return 0.2126 * color.redF() + 0.7152 * color.greenF() + 0.0722 * color.blueF()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_window_follows_the_system_palette(qtbot, app_look: QApplication, holder: SettingsHolder, keys, scheme: str):
    if scheme == "dark":
        app_look.setPalette(dark_palette())
    window = SettingsWindow(holder, keys)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    shots = save_pages(window, scheme)
    image = window.grab().toImage()
    corner = image.pixelColor(image.width() - 3, image.height() // 2)
    assert (luminance(corner) < 0.3) == (scheme == "dark"), corner.name()
    assert all(shot.stat().st_size > 0 for shot in shots)


def test_text_at_twice_the_size_is_not_clipped(qtbot, app_look: QApplication, holder: SettingsHolder, keys) -> None:
    font = QFont(app_look.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    app_look.setFont(font)
    window = SettingsWindow(holder, keys)
    qtbot.addWidget(window)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    window.resize(min(screen.width(), 1280), min(screen.height(), 800))
    window.show()
    qtbot.waitExposed(window)
    squeezed = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        page = window.tabs.widget(index)
        for widget in page.findChildren(QWidget):
            if not widget.isVisibleTo(page) or not isinstance(
                widget, QLabel | QAbstractButton | QAbstractSpinBox | QComboBox
            ):
                continue
            needed = widget.minimumSizeHint()
            if isinstance(widget, QLabel) and widget.wordWrap():
                too_small = widget.height() < widget.heightForWidth(widget.width())
            else:
                too_small = widget.width() < needed.width() or widget.height() < needed.height()
            if too_small:
                squeezed.append(
                    (
                        window.tabs.tabText(index),
                        type(widget).__name__,
                        widget.accessibleName() or getattr(widget, "text", lambda: "")(),
                    )
                )
    save_pages(window, "200pct")
    assert not squeezed


def test_a_deleted_window_stops_listening(qtbot, holder: SettingsHolder) -> None:
    window = SettingsWindow(holder)
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))
    holder.update(holder.current.with_value("notifications", "sound", True))  # would reach a deleted widget
    assert load_settings(holder.path).notifications.sound


def test_a_folder_is_picked_with_the_choose_button(qtbot, window: SettingsWindow, holder: SettingsHolder, tmp_path):
    chosen = tmp_path / "my exports"
    chosen.mkdir()
    window.show_page("export")
    editor = window.editors[("export", "last_folder")]
    choose = editor.inputs[1]
    assert accessible_name(choose) == "Choose a folder for Save exports in"
    qtbot.mouseClick(choose, Qt.MouseButton.LeftButton)
    dialog = window.findChild(QFileDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.setDirectory(str(tmp_path))
    dialog.selectFile(str(chosen))
    with qtbot.waitSignal(dialog.fileSelected, timeout=2000):
        dialog.accept()
    assert holder.current.export.last_folder == str(chosen)
    assert typing.cast(QLineEdit, editor.inputs[0]).text() == str(chosen)
