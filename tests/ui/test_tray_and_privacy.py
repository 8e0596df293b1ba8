"""The tray's status line is readable (issue 12, item 8) and "New recovery code" lives in Settings, Privacy, behind
a question that says the old code stops working."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from companion.core.contrast import READABLE_TEXT_RATIO, contrast_ratio
from companion.core.settings import SettingsHolder
from companion.ui.confirm import new_recovery_code_message
from companion.ui.settings_window import SettingsWindow
from companion.ui.tray import Tray
from tests.ui.test_settings_window import JournalKeysStandIn


def rgb(color: QColor) -> tuple[int, int, int]:
    return color.red(), color.green(), color.blue()


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#242424"), (QPalette.ColorRole.WindowText, "#eeeeec"),
        (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#eeeeec"),
        (QPalette.ColorRole.Button, "#303030"), (QPalette.ColorRole.ButtonText, "#eeeeec"),
        (QPalette.ColorRole.Highlight, "#3584e4"), (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.Mid, "#5e5e5e"),
    ):  # fmt: skip
        palette.setColor(role, QColor(color))
    return palette


@pytest.mark.parametrize("palette_name", ["light", "dark"])
def test_the_status_line_reads_at_four_and_a_half_to_one(qtbot, palette_name: str) -> None:
    tray = Tray(lambda: "Active 1 h 05 min today · last break 40 min ago")
    if palette_name == "dark":
        tray.menu.setPalette(dark_palette())
    tray.rebuild_menu()
    status = tray.menu.actions()[0]
    assert status.isEnabled() and status.font().bold()
    palette = tray.menu.palette()
    text = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
    background = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Window)
    assert contrast_ratio(rgb(text), rgb(background)) >= READABLE_TEXT_RATIO


def test_the_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((0xBE, 0xBE, 0xBE), (255, 255, 255)) == pytest.approx(1.87, abs=0.02)


def test_the_question_says_the_old_code_stops_working_and_enter_keeps_it(qtbot) -> None:
    box = new_recovery_code_message(None)
    qtbot.addWidget(box)
    assert "stop working" in box.informativeText()
    assert box.defaultButton().text() == "Keep my code"


def answer_next_box(qtbot, button_text: str) -> None:
    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, answer)


def test_new_recovery_code_in_settings_asks_first(qtbot, app_paths) -> None:
    holder = SettingsHolder(app_paths.settings_file)
    keys = JournalKeysStandIn(holder)
    window = SettingsWindow(holder, keys)
    qtbot.addWidget(window)
    window.show()
    answer_next_box(qtbot, "Keep my code")
    window.new_recovery_code_button.click()
    assert keys.calls == []
    answer_next_box(qtbot, "Make a new code")
    window.new_recovery_code_button.click()
    assert keys.calls == ["new_recovery_code"]
    assert isinstance(window.new_recovery_code_button, QWidget)
