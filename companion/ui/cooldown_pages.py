"""The cooldown's four steps as pages: tension before (with how long and how to breathe), the breathing exercise,
one reframing prompt, tension after (with a line for the rep). The window (ui/cooldown_window.py) moves between
them and ends the session; each page shows and records only its own step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.cooldown import MAIN_PATTERNS, PATTERNS, CooldownSession, PacerState, Preset, Step
from companion.core.personal_data import personal_hints
from companion.core.reframes import Reframe
from companion.core.rough_calls import MAX_NOTE_CHARS
from companion.ui.breathing_pacer import BreathingPacer
from companion.ui.cooldown_words import (
    clock_text,
    pattern_descriptions,
    pattern_names,
    phase_words,
    preset_names,
    spoken_seconds,
)
from companion.ui.flow_layout import FlowLayout
from companion.ui.tag_panel import hint_label, personal_hint_sentence

SMILE_FROM_PROGRESS = 0.6  # the smile invitation appears for the last part of the exercise
TEN_KEYS = (Qt.Key.Key_Plus.value, Qt.Key.Key_Equal.value)


def title_label(text: str) -> QLabel:
    """A step's question or heading, larger than the text around it."""
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.4)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _column(page: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


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


class TensionPage(QWidget):
    """A question and the 0-10 scale under it; the pages before and after the exercise add their own parts."""

    def __init__(self, on_pick: Callable[[int], None]) -> None:
        super().__init__()
        self.column = _column(self)
        self.question = title_label("")
        self.column.addWidget(self.question)
        self.scale = TensionScale()
        self.scale.picked.connect(on_pick)
        self.column.addWidget(self.scale)
        self.column.addSpacing(8)


class TensionBeforePage(TensionPage):
    """Step 1: how tense now, how long and how to breathe. The choices go straight to the session."""

    def __init__(self, session: CooldownSession) -> None:
        super().__init__(self._rate)
        self.session = session
        self.question.setText(self.tr("How tense are you right now?"))
        layout = self.column
        layout.addWidget(QLabel(self.tr("How long")))
        presets = FlowLayout()  # lengths and patterns wrap: their words are longer in some languages
        self.preset_group = QButtonGroup(self)
        self.preset_buttons: dict[Preset, QPushButton] = {}
        suggested_is_preset = session.suggested_length_is_a_preset
        if not suggested_is_preset:
            self.suggested_button = QPushButton(
                self.tr("{length}, suggested").format(length=spoken_seconds(session.plan.seconds))
            )
            self.suggested_button.setCheckable(True)
            self.suggested_button.setChecked(True)
            self.suggested_button.clicked.connect(session.use_suggested_length)
            self.preset_group.addButton(self.suggested_button)
            presets.addWidget(self.suggested_button)
        for preset, name in preset_names().items():
            button = QPushButton(name)
            button.setCheckable(True)
            button.setChecked(suggested_is_preset and preset is session.preset)
            button.clicked.connect(lambda _=False, p=preset: session.choose_preset(p))
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
                more.addAction(names[key], lambda k=key: self.choose_pattern(k))
        self.more_button.setMenu(more)
        patterns.addWidget(self.more_button)
        layout.addLayout(patterns)
        self.pattern_description = QLabel()
        self.pattern_description.setWordWrap(True)
        layout.addWidget(self.pattern_description)
        layout.addStretch(1)
        self.choose_pattern(session.pattern_key)

    def _pattern_button(self, key: str, name: str) -> QPushButton:
        button = QPushButton(name)
        button.setCheckable(True)
        button.clicked.connect(lambda _=False, k=key: self.choose_pattern(k))
        self.pattern_group.addButton(button)
        self.pattern_buttons[key] = button
        return button

    def choose_pattern(self, key: str) -> None:
        self.session.choose_pattern(key)
        for pattern, button in self.pattern_buttons.items():
            button.setChecked(pattern == key)
        self.more_button.setText(pattern_names()[key] if key not in MAIN_PATTERNS else self.tr("More"))
        self.pattern_description.setText(pattern_descriptions()[key])

    def _rate(self, value: int) -> None:
        """Only the rating: the breathing starts on Start (Enter), so How long and How to breathe are seen first."""
        if self.session.step is Step.TENSION_BEFORE:
            self.session.tension_before = value


class BreathingPage(QWidget):
    """Step 2: the pacer, the phase in words, the rounds and time left, and late on an invitation to smile."""

    def __init__(self, reduced_motion: bool) -> None:
        super().__init__()
        layout = _column(self)
        self.pacer = BreathingPacer(reduced_motion)
        layout.addWidget(self.pacer, 1)
        self.phase_label = title_label("")
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

    def show_breath(self, state: PacerState, pattern_key: str) -> None:
        self.pacer.show_state(state)
        self.phase_label.setText(phase_words(state.phase, pattern_key))
        self.counter_label.setText(
            self.tr("Round {round} of {rounds} · {left} left").format(
                round=state.round, rounds=state.rounds, left=clock_text(state.remaining)
            )
        )
        self.smile_label.setVisible(state.progress >= SMILE_FROM_PROGRESS)


class ReframePage(QWidget):
    """Step 3: one thought to look at the call another way (skipped when there is none)."""

    def __init__(self, reframe: Reframe | None) -> None:
        super().__init__()
        layout = _column(self)
        layout.addWidget(title_label(self.tr("Another way to look at it")))
        self.reframe_label = QLabel(reframe.text if reframe else "")
        self.reframe_label.setWordWrap(True)
        font = QFont(self.reframe_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.reframe_label.setFont(font)
        layout.addWidget(self.reframe_label)
        layout.addStretch(1)


class TensionAfterPage(TensionPage):
    """Step 4: how tense now, and one line for the rep, checked once for a customer's details."""

    def __init__(self, session: CooldownSession) -> None:
        super().__init__(self._rate)
        self.session = session
        self._warned_reflection = ""
        self.question.setText(self.tr("And how tense are you now?"))
        layout = self.column
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

    def _rate(self, value: int) -> None:
        self.session.tension_after = value

    def reflection_ok(self) -> bool:
        """Keeps the line for the session, unless it looks like a customer's details and the rep has not been
        told yet: then one gentle word, and the same line again is kept as it is."""
        text = self.reflection.text().strip()
        hints = personal_hints(text)
        if hints and text != self._warned_reflection:
            self._warned_reflection = text
            self.reflection_warning.setText(personal_hint_sentence(hints))
            self.reflection_warning.show()
            return False
        self.session.reflection = text
        return True
