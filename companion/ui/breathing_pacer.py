"""The breathing pacer: a circle that grows with the in-breath and shrinks with the out-breath, inside a ring
that counts down the exercise. It paints whatever PacerState it is given; the cooldown window drives it from the
clock, so a test steps it with a FakeClock. Reduced motion shows only the seconds left in the phase, as text.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from companion.core.cooldown import PacerState

RING_COLOUR = QColor("#6f9fb8")
TRACK_COLOUR = QColor("#dde7ec")  # i18n: not for reps
FILL_COLOUR = QColor(130, 190, 180, 150)
GUIDE_COLOUR = QColor("#b8d2cc")
MIN_RADIUS_SHARE = 0.28  # an empty breath is still a visible circle


class BreathingPacer(QWidget):
    def __init__(self, reduced_motion: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reduced_motion = reduced_motion
        self.state: PacerState | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(180, 180)
        self.setAccessibleName(self.tr("Breathing pacer"))

    def sizeHint(self) -> QSize:
        return QSize(240, 240)

    def show_state(self, state: PacerState) -> None:
        self.state = state
        self.update()

    def circle_radius(self) -> float:
        """The breathing circle's radius now, in logical pixels (0 in reduced motion)."""
        if self.state is None or self.reduced_motion:
            return 0.0
        outer = self._outer_radius()
        inner = outer - 14
        return inner * (MIN_RADIUS_SHARE + (1 - MIN_RADIUS_SHARE) * self.state.fill)

    def _outer_radius(self) -> float:
        return min(self.width(), self.height()) / 2 - 6

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.state is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre = QPointF(self.width() / 2, self.height() / 2)
        if self.reduced_motion:
            self._paint_counter(painter, centre)
        else:
            self._paint_ring(painter, centre)
            self._paint_breath(painter, centre)
        painter.end()

    def _paint_ring(self, painter: QPainter, centre: QPointF) -> None:
        assert self.state is not None
        radius = self._outer_radius()
        box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.setPen(QPen(TRACK_COLOUR, 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawEllipse(box)
        remaining = 1.0 - self.state.progress
        if remaining > 0:
            painter.setPen(QPen(RING_COLOUR, 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            # Qt angles are sixteenths of a degree, counter-clockwise from three o'clock: start at twelve.
            painter.drawArc(box, 90 * 16, int(remaining * 360 * 16))

    def _paint_breath(self, painter: QPainter, centre: QPointF) -> None:
        full = self._outer_radius() - 14
        painter.setPen(QPen(GUIDE_COLOUR, 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, full, full)
        radius = self.circle_radius()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(FILL_COLOUR)
        painter.drawEllipse(centre, radius, radius)

    def _paint_counter(self, painter: QPainter, centre: QPointF) -> None:
        assert self.state is not None
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * 4)
        painter.setFont(font)
        painter.setPen(self.palette().windowText().color())
        seconds = max(1, math.ceil(self.state.phase_remaining)) if not self.state.finished else 0
        box = QRectF(0, 0, self.width(), self.height())
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(seconds))
