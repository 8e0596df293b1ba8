"""The floor: a bare PySide6 app with one tray icon and a 1 s timer. Companion is measured against this."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon


def main() -> int:
    app = QApplication(["floor"])
    app.setQuitOnLastWindowClosed(False)
    pixmap = QPixmap(22, 22)
    pixmap.fill(QColor("#1f7a74"))
    tray = QSystemTrayIcon(QIcon(pixmap))
    tray.show()
    timer = QTimer()
    timer.timeout.connect(lambda: None)
    timer.start(1000)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
