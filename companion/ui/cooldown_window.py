"""The cooldown window: tension before, the breathing exercise, one reframing prompt, tension after.

Nothing is required: every step has Skip, End is always visible, "I have to take a call" ends it at once, and
closing the window is never blocked. The window only shows the session (core) and hands back its result; the
steps' pages are in ui/cooldown_pages.py, their words in ui/cooldown_words.py.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core.cooldown import CooldownSession, PhaseKind, Step
from companion.core.reframes import Reframe
from companion.ui.cooldown_pages import BreathingPage, ReframePage, TensionAfterPage, TensionBeforePage
from companion.ui.palette import BANNER_STYLE
from companion.ui.placement import center_on_screen
from companion.ui.tag_panel import CHIP_STYLE, hint_label

FRAME_MS = 40  # 25 frames a second while the pacer moves; no timer at all on the other steps


class CooldownWindow(QWidget):
    """Shows one CooldownSession; emits `finished(CooldownResult)` exactly once, however it ends."""

    finished = Signal(object)

    def __init__(
        self,
        session: CooldownSession,
        reframe: Reframe | None,
        reduced_motion: bool = False,
        play_tone: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session = session
        self.reframe = reframe
        self._reported = False
        self._placed = False
        self._play_tone = play_tone  # None: the soft tone is off
        self._last_phase: PhaseKind | None = None
        self.setWindowTitle(self.tr("Smile and take a break"))
        self.setStyleSheet(CHIP_STYLE + "QPushButton#tension { padding: 4px 6px; min-width: 22px; }")
        self.frame_timer = QTimer(self)
        self.frame_timer.setInterval(FRAME_MS)
        self.frame_timer.timeout.connect(self.tick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        self.step_label = hint_label("")
        layout.addWidget(self.step_label)
        # Everything but the bottom bar scrolls, so at 200 % on a small screen the call button, End and the
        # step's action stay on screen.
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(12)
        if session.plan.escalated:
            content_layout.addWidget(self._reset_banner())
        self.pages = QStackedWidget()
        self.before_page = TensionBeforePage(session)
        self.breathing_page = BreathingPage(reduced_motion)
        self.reframe_page = ReframePage(reframe)
        self.after_page = TensionAfterPage(session)
        for page in (self.before_page, self.breathing_page, self.reframe_page, self.after_page):
            self.pages.addWidget(page)
        content_layout.addWidget(self.pages, 1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the window keeps the number keys
        layout.addWidget(scroll, 1)
        layout.addLayout(self._bottom_bar())
        self._polish_pages()
        # Scroll up and down only: the rows (eleven tension buttons, the presets) keep their width.
        scroll.setMinimumWidth(content.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        # Only a height: the width comes from the layout (the rows' own width), and the scroll area lets the
        # height go down to what fits 400 logical pixels (1280×800 at 200 %).
        self.setMinimumHeight(260)
        self.resize(560, 500)
        # The window itself holds the focus, so number keys rate and no button is pressed by a stray Space.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._show_step()
        self._polish_pages()

    # Building the frame around the pages

    def _reset_banner(self) -> QLabel:
        banner = QLabel(
            self.tr(
                "Reset your clock: that is {count} rough calls within the hour. Breathe along here first; then, "
                "if you can, step away from the desk for a moment, get some air and let your eyes rest on "
                "something far away."
            ).format(count=self.session.plan.recent_count)
        )
        banner.setWordWrap(True)
        banner.setStyleSheet(BANNER_STYLE)  # the theme's colours: no glaring light box on a dark desktop
        return banner

    def _bottom_bar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.call_button = QPushButton(self.tr("I have to take a &call"))
        self.call_button.clicked.connect(self.take_call)
        self.end_button = QPushButton(self.tr("&End"))
        self.end_button.clicked.connect(self.end)
        self.next_button = QPushButton()
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next_step)
        row.addWidget(self.call_button)
        row.addStretch(1)
        row.addWidget(self.end_button)
        row.addWidget(self.next_button)
        return row

    def _polish_pages(self) -> None:
        """Pages not shown yet would keep button sizes measured before the style sheet applied to them."""
        for widget in self.findChildren(QWidget):
            widget.ensurePolished()
        for layout in self.findChildren(QLayout):
            layout.invalidate()

    # Following the session

    def next_step(self) -> None:
        if self.session.step is Step.TENSION_AFTER and not self.after_page.reflection_ok():
            return
        self.session.next_step()
        self._show_step()

    def tick(self) -> None:
        """One frame: move the pacer to where the clock says the breath is."""
        if self.session.tick():
            self._show_step()
            return
        if self.session.step is Step.BREATHING:
            self._show_breath()

    def _show_breath(self) -> None:
        state = self.session.pacer_state()
        if state.phase is not self._last_phase:
            self._last_phase = state.phase
            self._sound_for(state.phase)
        self.breathing_page.show_breath(state, self.session.pattern_key)

    def _sound_for(self, phase: PhaseKind) -> None:
        tone = {PhaseKind.INHALE: "in", PhaseKind.EXHALE: "out"}.get(phase)
        if tone is not None and self._play_tone is not None:
            self._play_tone(tone)

    def _show_step(self) -> None:
        step = self.session.step
        if step is Step.DONE:
            self._report()
            self.close()
            return
        pages = {
            Step.TENSION_BEFORE: self.before_page,
            Step.BREATHING: self.breathing_page,
            Step.REFRAME: self.reframe_page,
            Step.TENSION_AFTER: self.after_page,
        }
        if step is Step.REFRAME and self.reframe is None:
            self.session.next_step()
            self._show_step()
            return
        self.pages.setCurrentWidget(pages[step])
        number = list(pages).index(step) + 1
        self.step_label.setText(self.tr("Step {number} of 4").format(number=number))
        self.next_button.setText(
            {
                Step.TENSION_BEFORE: self.tr("&Start"),
                Step.REFRAME: self.tr("&Next"),
                Step.TENSION_AFTER: self.tr("&Done"),
            }.get(step, self.tr("&Skip"))
        )
        if step is Step.BREATHING:
            self._show_breath()
            self.frame_timer.start()
        else:
            self.frame_timer.stop()
        # The window holds the focus on every step, so the number keys rate "how tense now" on the last one too;
        # a rating picked by key hands the focus to the reflection line, where digits are words again.
        self.setFocus()

    # Ending

    def take_call(self) -> None:
        self.session.take_call()
        self._report()
        self.close()

    def end(self) -> None:
        if self.session.step is Step.TENSION_AFTER and not self.after_page.reflection_ok():
            return  # one gentle word about a customer's details first; End again keeps the line as it is
        self.session.end()
        self._report()
        self.close()

    def _report(self) -> None:
        if not self._reported:
            self._reported = True
            self.frame_timer.stop()
            self.finished.emit(self.session.result())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        scales = {Step.TENSION_BEFORE: self.before_page.scale, Step.TENSION_AFTER: self.after_page.scale}
        scale = scales.get(self.session.step)
        typing = isinstance(self.focusWidget(), QLineEdit)
        value = scale.value_for_key(event.key()) if scale is not None and not typing else None
        if value is not None and scale is not None:
            scale.pick(value)
            if scale is self.after_page.scale:
                self.after_page.reflection.setFocus()
        elif event.key() == Qt.Key.Key_Escape.value:
            self.close()
        elif event.key() in (Qt.Key.Key_Return.value, Qt.Key.Key_Enter.value):
            self.next_step()
        else:
            super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        if not self._placed:
            self._placed = True
            center_on_screen(self)
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.session.outcome is None:
            self.session.window_closed()
        self._report()
        super().closeEvent(event)
