"""The break prompt (the shared ChoicePrompt with Start / In N min / Skip) and the calm break window."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from companion.core.clock import Clock
from companion.ui.prompt import Choice, ChoicePrompt

REPAINT_MS = 1000


@dataclass(frozen=True)
class BreakIdea:
    title: str
    text: str


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate("BreakPrompt", text, None, n)


def break_prompt(
    minutes_worked: int, postpone_minutes: int, postpones_left: int, anchor: QRect | None = None
) -> ChoicePrompt:
    """'Start break' is the default; 'In N min' only while postpones are left today; Escape means the same."""
    text = _tr(
        "You have been working for %n minutes without a pause. "
        "A few minutes away from the screen now will make the next calls easier.",
        minutes_worked,
    )
    choices = [Choice("start", _tr("&Start break"), default=True)]
    if postpones_left > 0:
        choices.append(Choice("postpone", _tr("&In %n min", postpone_minutes)))
    choices.append(Choice("skip", _tr("S&kip")))
    dismiss = "postpone" if postpones_left > 0 else "skip"
    return ChoicePrompt(_tr("Time for a short break"), text, choices, dismiss, anchor)


class BreakWindow(QWidget):
    """A countdown and one idea. `finished(True)` when the countdown ends, `finished(False)` if ended before."""

    finished = Signal(bool)

    def __init__(self, seconds: float, idea: BreakIdea, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Break"))
        self._clock = clock
        self._seconds = seconds
        self._started = clock.monotonic()
        self._done = False
        self._build(idea)
        self._timer = QTimer(self)
        self._timer.setInterval(REPAINT_MS)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self.tick()

    def _build(self, idea: BreakIdea) -> None:
        self.setObjectName("breakWindow")
        self.setStyleSheet(
            # The theme's own colours, so a dark desktop gets a dark break window with readable words.
            "#breakWindow { background: palette(window); }"
            "QLabel { color: palette(window-text); }"
            "QLabel#countdown { color: palette(window-text); }"
            "QProgressBar { border: none; background: palette(mid); border-radius: 3px; }"
            "QProgressBar::chunk { background: palette(highlight); border-radius: 3px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 24)
        layout.setSpacing(14)
        self.heading = QLabel(self.tr("Take a few minutes for yourself"))
        heading_font = QFont(self.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.25)
        self.heading.setFont(heading_font)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading.setWordWrap(True)
        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 3.2)
        big.setWeight(QFont.Weight.Light)
        self.countdown.setFont(big)
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.idea_title = QLabel(f"<b>{idea.title}</b>")
        self.idea_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idea_text = QLabel(idea.text)
        self.idea_text.setWordWrap(True)
        self.idea_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = QPushButton(self.tr("&End break early"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        row.addStretch(1)
        for widget in (self.heading, self.countdown, self.progress, self.idea_title, self.idea_text):
            layout.addWidget(widget)
        layout.addSpacing(6)
        layout.addLayout(row)
        self.setFixedWidth(440)
        self.setAccessibleName(self.tr("Break"))

    def remaining(self) -> float:
        return max(0.0, self._seconds - (self._clock.monotonic() - self._started))

    def tick(self) -> None:
        if self._done:
            return
        left = self.remaining()
        whole = math.ceil(left)
        self.countdown.setText(f"{whole // 60}:{whole % 60:02d}")
        self.progress.setValue(round(1000 * (1 - left / self._seconds)) if self._seconds else 1000)
        if left <= 0:
            self._finish()

    def _finish(self) -> None:
        self._done = True
        self._timer.stop()
        self.heading.setText(self.tr("That was your break. Welcome back."))
        self.countdown.setText("0:00")
        self.progress.setValue(1000)
        self.button.setText(self.tr("&Back to work"))
        self.finished.emit(True)

    def show_worked_through(self) -> None:
        """The countdown ran out but the rep kept working: say so kindly, it does not count as a break."""
        self.heading.setText(
            self.tr("The time is up, but you kept working through it, so it does not count as a break.")
        )
        self.idea_text.setText(self.tr("Next time, let the keyboard rest for those few minutes: it is your time."))

    def show_centered(self) -> None:
        self.adjustSize()
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.center().x() - self.width() // 2, area.center().y() - self.height() // 2)
        self.show()
        self.raise_()
        self.activateWindow()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._done:
            self._done = True
            self._timer.stop()
            self.finished.emit(False)
        super().closeEvent(event)
