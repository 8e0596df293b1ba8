"""Icons drawn from the SVGs in resources/icons at every size a panel asks for, so they stay crisp."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from companion.resources import resource_path

ICON_SIZES = (16, 20, 22, 24, 32, 48, 64, 128)


@cache
def svg_icon(name: str) -> QIcon:
    renderer = QSvgRenderer(str(resource_path("icons", f"{name}.svg")))
    icon = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        icon.addPixmap(pixmap)
    return icon
