"""Renders the tray's PNGs from resources/icons/*.svg at every size the tray offers (companion/ui/icons.py).

    python scripts/render_tray_icons.py

Run it after changing an icon's SVG; tests/ui/test_tray.py fails while a PNG differs from its SVG.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtGui import QGuiApplication

from companion.resources import resources_root
from companion.ui.icons import ICON_SIZES, render_svg, tray_png_name
from companion.ui.tray import TrayLook


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(["render-tray-icons", "-platform", "offscreen"])
    for look in TrayLook:
        for size in ICON_SIZES:
            path = resources_root() / "icons" / "tray" / tray_png_name(look.value, size)
            path.parent.mkdir(exist_ok=True)
            if not render_svg(look.value, size).save(str(path), "PNG"):
                print(f"could not write {path}", file=sys.stderr)
                return 1
            print(path)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
