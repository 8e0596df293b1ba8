"""Colours from the desktop's palette, light or dark (issue 12): windows, banners, chips and error words follow the
theme with readable contrast. Exports (PDF, HTML) keep their own light colours for print."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from companion.core.contrast import is_dark

# Error words: Material's error tones, dark red on light, light red on dark; both above 4.5:1 on their background.
ERROR_ON_LIGHT = "#b3261e"
ERROR_ON_DARK = "#ffb4ab"  # i18n: not for reps


def _rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


def dark_theme(widget: QWidget) -> bool:
    return is_dark(_rgb(widget.palette().color(QPalette.ColorRole.Window)))


def error_colour(widget: QWidget) -> str:
    return ERROR_ON_DARK if dark_theme(widget) else ERROR_ON_LIGHT


def error_style(widget: QWidget, selector: str = "QLabel") -> str:
    return f"{selector} {{ color: {error_colour(widget)}; }}"


# A calm surface that sets a banner or the break window apart from the window, in the theme's own colours.
BANNER_STYLE = (
    "QLabel { background: palette(alternate-base); color: palette(text); border: 1px solid palette(mid);"
    " border-radius: 8px; padding: 10px; }"
)
