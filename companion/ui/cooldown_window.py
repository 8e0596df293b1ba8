"""The cooldown window: tension before, the breathing exercise, one reframing prompt, tension after.

Nothing is required: every step has Skip, End is always visible, "I have to take a call" ends it at once, and
closing the window is never blocked. The window only shows the session (core) and hands back its result.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.cooldown import MAIN_PATTERNS, PATTERNS, CooldownSession, PhaseKind, Preset, Step
from companion.core.personal_data import personal_hints
from companion.core.reframes import Reframe
from companion.core.rough_calls import MAX_NOTE_CHARS
from companion.ui.breathing_pacer import BreathingPacer
from companion.ui.flow_layout import FlowLayout
from companion.ui.palette import BANNER_STYLE
from companion.ui.placement import center_on_screen
from companion.ui.tag_panel import CHIP_STYLE, hint_label, personal_hint_sentence

FRAME_MS = 40  # 25 frames a second while the pacer moves; no timer at all on the other steps
SMILE_FROM_PROGRESS = 0.6  # the smile invitation appears for the last part of the exercise
TEN_KEYS = (Qt.Key.Key_Plus.value, Qt.Key.Key_Equal.value)


def pattern_names() -> dict[str, str]:
    tr = CooldownWindow.tr
    return {
        "cyclic_sighing": tr("Cyclic sighing"),
        "paced": tr("Paced, 4 in and 6 out"),
        "box": tr("Box, 4-4-4-4"),
        "four_seven_eight": tr("4-7-8, four rounds"),
    }


def pattern_descriptions() -> dict[str, str]:
    tr = CooldownWindow.tr
    return {
        "cyclic_sighing": tr(
            "Breathe in through your nose, top up with a second short breath in, then let it all out slowly."
        ),
        "paced": tr("In for four, out for six: about six breaths a minute."),
        "box": tr("In, hold, out, hold: four seconds each."),
        "four_seven_eight": tr("In for four, hold for seven, out for eight. Stop if you feel light-headed."),
    }


def phase_words(kind: PhaseKind, pattern: str) -> str:
    tr = CooldownWindow.tr
    long_out = pattern in ("cyclic_sighing", "four_seven_eight")
    return {
        PhaseKind.INHALE: tr("Breathe in"),
        PhaseKind.TOP_UP: tr("Top up"),
        PhaseKind.HOLD_FULL: tr("Hold"),
        PhaseKind.EXHALE: tr("Long breath out") if long_out else tr("Breathe out"),
        PhaseKind.HOLD_EMPTY: tr("Rest"),
    }[kind]


def preset_names() -> dict[Preset, str]:
    tr = CooldownWindow.tr
    return {Preset.RESET_60: tr("1 min reset"), Preset.DEFAULT_180: tr("3 min"), Preset.FULL_300: tr("5 min")}


def spoken_seconds(seconds: float) -> str:
    """90 -> '1½ min', 120 -> '2 min', 45 -> '45 s': how long, as the rep would say it."""
    tr = CooldownWindow.tr
    if seconds < 60:
        return tr("{seconds} s").format(seconds=round(seconds))
    minutes, rest = divmod(round(seconds), 60)
    if rest == 0:
        return tr("{minutes} min").format(minutes=minutes)
    if rest == 30:
        return tr("{minutes}½ min").format(minutes=minutes)
    return tr("{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)


def _clock_text(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class TensionScale(QWidget):
    """Eleven buttons, 0 to 10; keys 0-9 and + (for 10) pick one."""

    picked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.group = QButtonGroup(self)
        self.buttons: list[QPushButton] = []
        for value in range(11):
            button = QPushButton(str(value))
            button.setCheckable(True)
            button.setObjectName("tension")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the window takes the number keys; Tab skips 11 stops
            # An explicit minimum: a push button's own hint is the style's 80 px, and eleven of those are wider
            # than a 1280×800 screen at 200 %.
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance("10") + 16)
            button.setAccessibleName(self.tr("Tension {value} of 10").format(value=value))
            self.group.addButton(button, value)
            button.clicked.connect(lambda _=False, v=value: self.picked.emit(v))
            self.buttons.append(button)
            row.addWidget(button, 1)
        layout.addLayout(row)
        ends = QHBoxLayout()
        calm = hint_label(self.tr("0 calm"))
        tense = hint_label(self.tr("10 as tense as it gets"))
        keys = hint_label(self.tr("keys 0–9, + for 10"))
        ends.addWidget(calm)
        ends.addStretch(1)
        ends.addWidget(keys)
        ends.addStretch(1)
        ends.addWidget(tense)
        layout.addLayout(ends)

    def value_for_key(self, key: int) -> int | None:
        if Qt.Key.Key_0.value <= key <= Qt.Key.Key_9.value:
            return key - Qt.Key.Key_0.value
        return 10 if key in TEN_KEYS else None

    def pick(self, value: int) -> None:
        self.buttons[value].setChecked(True)
        self.picked.emit(value)


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
        self._warned_reflection = ""
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
        self.before_page = self._tension_before_page()
        self.breathing_page = self._breathing_page(reduced_motion)
        self.reframe_page = self._reframe_page()
        self.after_page = self._tension_after_page()
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

    # Building the pages

    def _title(self, text: str) -> QLabel:
        label = QLabel(text)
        font = QFont(label.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        label.setFont(font)
        label.setWordWrap(True)
        return label

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

    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        return page, layout

    def _tension_page(self, question: str, on_pick: Callable[[int], None]) -> tuple[QWidget, QVBoxLayout, TensionScale]:
        page, layout = self._page()
        layout.addWidget(self._title(question))
        scale = TensionScale()
        scale.picked.connect(on_pick)
        layout.addWidget(scale)
        layout.addSpacing(8)
        return page, layout, scale

    def _tension_before_page(self) -> QWidget:
        page, layout, self.before_scale = self._tension_page(self.tr("How tense are you right now?"), self._rate_before)
        layout.addWidget(QLabel(self.tr("How long")))
        presets = FlowLayout()  # lengths and patterns wrap: their words are longer in some languages
        self.preset_group = QButtonGroup(self)
        self.preset_buttons: dict[Preset, QPushButton] = {}
        suggested_is_preset = self.session.suggested_length_is_a_preset
        if not suggested_is_preset:
            self.suggested_button = QPushButton(
                self.tr("{length}, suggested").format(length=spoken_seconds(self.session.plan.seconds))
            )
            self.suggested_button.setCheckable(True)
            self.suggested_button.setChecked(True)
            self.suggested_button.clicked.connect(self.session.use_suggested_length)
            self.preset_group.addButton(self.suggested_button)
            presets.addWidget(self.suggested_button)
        for preset, name in preset_names().items():
            button = QPushButton(name)
            button.setCheckable(True)
            button.setChecked(suggested_is_preset and preset is self.session.preset)
            button.clicked.connect(lambda _=False, p=preset: self.session.choose_preset(p))
            self.preset_group.addButton(button)
            self.preset_buttons[preset] = button
            presets.addWidget(button)
        layout.addLayout(presets)
        layout.addWidget(QLabel(self.tr("How to breathe")))
        patterns = FlowLayout()
        self.pattern_group = QButtonGroup(self)
        self.pattern_buttons: dict[str, QPushButton] = {}
        names = pattern_names()
        for key in MAIN_PATTERNS:
            patterns.addWidget(self._pattern_button(key, names[key]))
        self.more_button = QToolButton()
        self.more_button.setText(self.tr("More"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more = QMenu(self.more_button)
        for key in PATTERNS:
            if key not in MAIN_PATTERNS:
                more.addAction(names[key], lambda k=key: self._choose_pattern(k))
        self.more_button.setMenu(more)
        patterns.addWidget(self.more_button)
        layout.addLayout(patterns)
        self.pattern_description = QLabel()
        self.pattern_description.setWordWrap(True)
        layout.addWidget(self.pattern_description)
        layout.addStretch(1)
        self._choose_pattern(self.session.pattern_key)
        return page

    def _pattern_button(self, key: str, name: str) -> QPushButton:
        button = QPushButton(name)
        button.setCheckable(True)
        button.clicked.connect(lambda _=False, k=key: self._choose_pattern(k))
        self.pattern_group.addButton(button)
        self.pattern_buttons[key] = button
        return button

    def _breathing_page(self, reduced_motion: bool) -> QWidget:
        page, layout = self._page()
        self.pacer = BreathingPacer(reduced_motion)
        layout.addWidget(self.pacer, 1)
        self.phase_label = self._title("")
        self.phase_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phase_label.setAccessibleName(self.tr("Breathing phase"))
        layout.addWidget(self.phase_label)
        self.counter_label = QLabel()
        self.counter_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.counter_label)
        self.smile_label = QLabel(
            self.tr(
                "If it comes easily, let a soft, real smile rest on your face for your next three breaths out. "
                "If it does not come, that is fine too."
            )
        )
        self.smile_label.setWordWrap(True)
        self.smile_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.smile_label.hide()
        layout.addWidget(self.smile_label)
        return page

    def _reframe_page(self) -> QWidget:
        page, layout = self._page()
        layout.addWidget(self._title(self.tr("Another way to look at it")))
        self.reframe_label = QLabel(self.reframe.text if self.reframe else "")
        self.reframe_label.setWordWrap(True)
        font = QFont(self.reframe_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.reframe_label.setFont(font)
        layout.addWidget(self.reframe_label)
        layout.addStretch(1)
        return page

    def _tension_after_page(self) -> QWidget:
        page, layout, self.after_scale = self._tension_page(self.tr("And how tense are you now?"), self._rate_after)
        self.reflection = QLineEdit()
        self.reflection.setPlaceholderText(self.tr("One line for yourself, if you like"))
        self.reflection.setMaxLength(MAX_NOTE_CHARS)
        # No returnPressed -> next_step: Enter travels on to the window's keyPressEvent, which finishes once.
        self.reflection.textEdited.connect(lambda _text: self.reflection_warning.hide())
        layout.addWidget(self.reflection)
        self.reflection_warning = QLabel()
        self.reflection_warning.setWordWrap(True)
        self.reflection_warning.hide()
        layout.addWidget(self.reflection_warning)
        layout.addStretch(1)
        return page

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

    def _choose_pattern(self, key: str) -> None:
        self.session.choose_pattern(key)
        for pattern, button in self.pattern_buttons.items():
            button.setChecked(pattern == key)
        self.more_button.setText(pattern_names()[key] if key not in MAIN_PATTERNS else self.tr("More"))
        self.pattern_description.setText(pattern_descriptions()[key])

    def _rate_before(self, value: int) -> None:
        """Only the rating: the breathing starts on Start (Enter), so How long and How to breathe are seen first."""
        if self.session.step is Step.TENSION_BEFORE:
            self.session.tension_before = value

    def _rate_after(self, value: int) -> None:
        self.session.tension_after = value

    def next_step(self) -> None:
        if self.session.step is Step.TENSION_AFTER and not self._reflection_ok():
            return
        self.session.next_step()
        self._show_step()

    def _reflection_ok(self) -> bool:
        text = self.reflection.text().strip()
        hints = personal_hints(text)
        if hints and text != self._warned_reflection:
            self._warned_reflection = text
            self.reflection_warning.setText(personal_hint_sentence(hints))
            self.reflection_warning.show()
            return False
        self.session.reflection = text
        return True

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
        self.pacer.show_state(state)
        self.phase_label.setText(phase_words(state.phase, self.session.pattern_key))
        self.counter_label.setText(
            self.tr("Round {round} of {rounds} · {left} left").format(
                round=state.round, rounds=state.rounds, left=_clock_text(state.remaining)
            )
        )
        self.smile_label.setVisible(state.progress >= SMILE_FROM_PROGRESS)

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
        if self.session.step is Step.TENSION_AFTER and not self._reflection_ok():
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
        scale = {Step.TENSION_BEFORE: self.before_scale, Step.TENSION_AFTER: self.after_scale}.get(self.session.step)
        typing = isinstance(self.focusWidget(), QLineEdit)
        value = scale.value_for_key(event.key()) if scale is not None and not typing else None
        if value is not None and scale is not None:
            scale.pick(value)
            if scale is self.after_scale:
                self.reflection.setFocus()
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
