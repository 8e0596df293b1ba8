"""Accessibility beyond the Settings window: every window by keyboard alone, names for every control, and a tray
icon that stands out on dark and light panels."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QWidget

from companion.resources import resource_path
from companion.ui.about import AboutDialog
from companion.ui.erase_dialog import EraseDialog
from companion.ui.prompt import Choice, ChoicePrompt
from companion.ui.tray import TrayLook
from tests.ui.keyboard import accessible_name, focus, focusable_controls, owner, tab_walk


def show(qtbot, window: QWidget) -> QWidget:
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def first_control(window: QWidget) -> QWidget:
    return sorted(focusable_controls(window), key=lambda w: (w.mapTo(window, w.rect().topLeft()).y(), w.x()))[0]


@pytest.mark.parametrize("make", ["erase", "about", "prompt"])
def test_every_window_is_walked_by_keyboard_alone_and_names_its_controls(qtbot, make: str) -> None:
    window = show(
        qtbot,
        {
            "erase": lambda: EraseDialog(),
            "about": lambda: AboutDialog([("Data folder", "/home/rep/.local/share/companion")]),
            "prompt": lambda: ChoicePrompt(
                "Time for a break",
                "You have been at it for 50 minutes.",
                [Choice("start", "&Start break", default=True), Choice("later", "In &5 min"), Choice("skip", "S&kip")],
                dismiss_key="skip",
            ),
        }[make](),
    )
    controls = focusable_controls(window)
    assert controls
    focus(qtbot, first_control(window))
    reached = {owner(widget) for widget in tab_walk(qtbot, window)}
    enabled = {control for control in controls if control.isEnabled()}
    assert enabled <= reached
    assert all(accessible_name(control).strip() for control in controls)


def test_the_erase_dialog_is_finished_by_keyboard(qtbot) -> None:
    dialog = show(qtbot, EraseDialog())
    focus(qtbot, dialog.confirmation)
    qtbot.keyClick(dialog.confirmation, Qt.Key.Key_Return)  # Enter alone does not erase
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.confirmation, "erase")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(dialog.confirmation, Qt.Key.Key_Return)


def test_escape_cancels_the_erase_dialog(qtbot) -> None:
    dialog = show(qtbot, EraseDialog())
    focus(qtbot, dialog.confirmation)
    qtbot.keyClicks(dialog.confirmation, "ERASE")
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.keyClick(dialog.confirmation, Qt.Key.Key_Escape)


def contrast(a: QColor, b: QColor) -> float:
    def relative(color: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())

    high, low = sorted((relative(a), relative(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


PANELS = {"dark": QColor("#202020"), "light": QColor("#f2f2f2"), "black": QColor("#000000"), "white": QColor("#ffffff")}


@pytest.mark.parametrize("look", list(TrayLook))
@pytest.mark.parametrize("panel", list(PANELS))
def test_the_tray_icon_outline_stands_out_on_dark_and_light_panels(qapp: QApplication, look: TrayLook, panel: str):
    """At panel size, walking in from the panel towards the icon's centre, every way round, the icon's edge
    (its light rim, or the coloured disc just inside it) reaches 3:1 contrast with the panel within 3 pixels."""
    size, background = 22, PANELS[panel]
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(background)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(resource_path("icons", f"{look.value}.svg"))).render(painter, QRectF(0, 0, size, size))
    painter.end()
    centre = (size - 1) / 2
    outer = 30 / 64 * size  # the disc's radius plus its rim, in the SVG's own units scaled to the panel
    hidden_rays = []
    for step in range(48):
        angle = 2 * math.pi * step / 48
        samples = [
            image.pixelColor(round(centre + radius * math.cos(angle)), round(centre + radius * math.sin(angle)))
            for radius in (outer - 0.5, outer - 1.5, outer - 2.5)
        ]
        if max(contrast(color, background) for color in samples) < 3.0:
            hidden_rays.append(step)
    assert not hidden_rays, f"the edge melts into the panel at {len(hidden_rays)} of 48 angles"
