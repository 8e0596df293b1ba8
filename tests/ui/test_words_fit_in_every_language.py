"""Longer words never clip: the tag panel's chips and severity buttons and the cooldown's choices show their whole
text in every shipped language, at the narrowest width each window allows (German runs longest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from companion.core import i18n
from companion.core.clock import FakeClock
from companion.core.cooldown import CooldownSession, plan_cooldown
from companion.core.settings import RoughCallSettings
from companion.ui.translations import install_translations


@pytest.fixture(params=i18n.LANGUAGES)
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    install_translations(qapp, request.param)
    yield request.param
    install_translations(qapp, "en")


def clipped_buttons(window: QWidget) -> list[str]:
    """Buttons narrower than their text needs, or reaching outside the window."""
    inside = window.rect()
    clipped = []
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window):
            continue
        where = button.geometry().translated(button.parentWidget().mapTo(window, button.pos()) - button.pos())
        if button.width() < button.sizeHint().width() or not inside.contains(where):
            clipped.append(button.text())
    return clipped


def test_the_tag_panel_shows_every_chip_whole(qtbot, language: str) -> None:
    from companion.ui.tag_panel import TagPanel

    panel = TagPanel(True)
    qtbot.addWidget(panel)
    panel.show()
    panel.resize(panel.minimumWidth(), panel.height())
    qtbot.waitUntil(lambda: panel.width() == panel.minimumWidth())
    panel.resize(panel.width(), panel.layout().totalHeightForWidth(panel.width()))
    QApplication.processEvents()
    assert clipped_buttons(panel) == []


def test_the_cooldown_choices_show_whole(qtbot, language: str) -> None:
    from companion.ui.cooldown_window import CooldownWindow

    clock = FakeClock()
    window = CooldownWindow(CooldownSession(plan_cooldown(3, 1, RoughCallSettings()), clock), None)
    qtbot.addWidget(window)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot closes and deletes it
    window.show()
    window.resize(window.minimumWidth(), 900)
    QApplication.processEvents()
    page = window.before_page
    clipped = [text for text in clipped_buttons(page) if text]
    assert clipped == []
