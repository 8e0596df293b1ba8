"""The tray's icons: drawn from the SVGs in resources/icons at every size a panel asks for, so they stay crisp.

The tray loads them as PNGs rendered from those SVGs at the same sizes (scripts/render_tray_icons.py; a test keeps
them equal to a fresh render): QtSvg then never loads into the idle tray, about 1.9 MB resident
(docs/performance.md). The summary window and the PDF still draw their charts with QtSvg when they open.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from companion.resources import resource_path

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

ICON_SIZES = (16, 20, 22, 24, 32, 48, 64, 128)


def tray_png_name(name: str, size: int) -> str:
    return f"{name}-{size}.png"


def tray_png_path(name: str, size: int) -> Path:
    return resource_path("icons", "tray", tray_png_name(name, size))


@cache
def tray_icon(name: str) -> QIcon:
    """The icon named after its SVG (`companion`, `companion-break`...), from its PNGs at every size."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(tray_png_path(name, size)), QSize(size, size))
    return icon


def render_svg(name: str, size: int) -> QImage:
    """The SVG drawn at one size, as the PNGs hold it (straight alpha, so saving it as PNG loses nothing)."""
    # Only here: the tray icon shows before Qt's namespace (90-odd enums, about 25 ms) and these are made, and the
    # tray itself never needs QtSvg.
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(resource_path("icons", f"{name}.svg")))
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


@cache
def svg_icon(name: str) -> QIcon:
    """The icon drawn from its SVG now (`--self-test` proves QtSvg and the image plugins work this way)."""
    from PySide6.QtGui import QPixmap

    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(QPixmap.fromImage(render_svg(name, size)))
    return icon
