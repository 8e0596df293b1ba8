"""The keyboard model's keys in process (issue 12, item 9): Enter presses the focused Unlock outside a dialog, but
never a rating or a chip. The walk through every window with real focus is tests/desktop/test_windows_fit.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from companion.ui.keyboard_model import install_keyboard_model

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)\(\)")


@pytest.fixture(autouse=True)
def keyboard_model(qapp: QApplication) -> Iterator[None]:
    model = install_keyboard_model(qapp)
    yield
    qapp.removeEventFilter(model)


def test_enter_presses_the_focused_unlock_in_the_locked_journal(qtbot, tmp_path: Path) -> None:
    from companion.core.clock import FakeClock
    from companion.core.crypto import Vault
    from companion.core.journal import Journal
    from companion.core.store import Store
    from companion.ui.journal_window import JournalWindow

    store = Store.open(tmp_path / "c.db")
    window = JournalWindow(Journal(store, Vault(), FakeClock()))
    qtbot.addWidget(window)
    window.show()
    window.unlock_button.setFocus()
    with qtbot.waitSignal(window.unlock_requested):
        qtbot.keyClick(window.unlock_button, Qt.Key.Key_Return)
    window.close()
    store.close()


def test_enter_on_a_chip_does_not_press_it(qtbot) -> None:
    from companion.ui.tag_panel import TagPanel

    panel = TagPanel(True)
    qtbot.addWidget(panel)
    chip = panel.chips["yelling"]
    submitted: list[object] = []
    panel.submitted.connect(submitted.append)
    qtbot.keyClick(chip, Qt.Key.Key_Return)
    assert not chip.isChecked()  # Enter saves the panel; it never toggles the chip
    assert len(submitted) == 1
