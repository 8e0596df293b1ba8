"""The cooldown: what a rough interaction earns, the breathing patterns as data, and one session's steps.

Everything here is driven by the Clock it is given, so a test can walk a whole session by stepping a FakeClock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from companion.core.clock import Clock
from companion.core.rough_calls import CooldownResult, Outcome
from companion.core.settings import RoughCallSettings


class PhaseKind(Enum):
    INHALE = "inhale"
    TOP_UP = "top_up"  # the second, short inhale of a cyclic sigh
    HOLD_FULL = "hold_full"
    EXHALE = "exhale"
    HOLD_EMPTY = "hold_empty"


@dataclass(frozen=True)
class Phase:
    kind: PhaseKind
    seconds: float
    fill_from: float  # how full the lungs (the pacer's circle) are at the start and end, 0 to 1
    fill_to: float


@dataclass(frozen=True)
class BreathingPattern:
    key: str
    phases: tuple[Phase, ...]
    max_rounds: int | None = None

    @property
    def cycle_seconds(self) -> float:
        return sum(phase.seconds for phase in self.phases)


def _in(seconds: float, to: float = 1.0) -> Phase:
    return Phase(PhaseKind.INHALE, seconds, 0.0, to)


def _out(seconds: float) -> Phase:
    return Phase(PhaseKind.EXHALE, seconds, 1.0, 0.0)


# Cyclic sighing (Balban et al. 2023): a full inhale through the nose, a short second one to top up, then a long,
# slow exhale. Paced breathing at about six breaths a minute; box breathing; 4-7-8, capped at four rounds because
# long holds can make people light-headed.
PATTERNS: dict[str, BreathingPattern] = {
    "cyclic_sighing": BreathingPattern(
        "cyclic_sighing", (_in(2.5, 0.8), Phase(PhaseKind.TOP_UP, 1.0, 0.8, 1.0), _out(6.0))
    ),
    "paced": BreathingPattern("paced", (_in(4.0), _out(6.0))),
    "box": BreathingPattern(
        "box",
        (_in(4.0), Phase(PhaseKind.HOLD_FULL, 4.0, 1.0, 1.0), _out(4.0), Phase(PhaseKind.HOLD_EMPTY, 4.0, 0.0, 0.0)),
    ),
    "four_seven_eight": BreathingPattern(
        "four_seven_eight", (_in(4.0), Phase(PhaseKind.HOLD_FULL, 7.0, 1.0, 1.0), _out(8.0)), max_rounds=4
    ),
}
MAIN_PATTERNS = ("cyclic_sighing", "paced", "box")  # shown first; the rest sit under "more"


class Preset(Enum):
    RESET_60 = "reset_60"
    DEFAULT_180 = "default_180"
    FULL_300 = "full_300"

    @property
    def seconds(self) -> int:
        return int(self.value.rsplit("_", 1)[1])


def preset_for(seconds: float) -> Preset:
    """The shortest preset that holds `seconds` of exercise (the longest one for anything beyond it)."""
    for preset in Preset:
        if seconds <= preset.seconds:
            return preset
    return Preset.FULL_300


@dataclass(frozen=True)
class CooldownPlan:
    seconds: int
    preset: Preset
    pattern: str
    escalated: bool  # several rough ones within the window: suggest a longer reset away from the desk
    recent_count: int


def plan_cooldown(severity: int, recent_count: int, settings: RoughCallSettings) -> CooldownPlan:
    """Length by severity from settings; `recent_count` rough calls (this one included) within the window."""
    seconds = settings.cooldown_seconds_by_severity[severity - 1]
    escalated = recent_count >= settings.escalation_count
    if escalated:
        seconds = max(seconds, Preset.FULL_300.seconds)
    return CooldownPlan(seconds, preset_for(seconds), settings.breathing_pattern, escalated, recent_count)


@dataclass(frozen=True)
class PacerState:
    phase: PhaseKind
    fill: float  # 0 empty to 1 full, eased, for the circle's radius
    phase_remaining: float  # seconds left in this phase
    round: int  # 1-based
    rounds: int
    progress: float  # 0 to 1 over the whole exercise, for the countdown ring
    remaining: float  # seconds left in the exercise
    finished: bool


class BreathingTimeline:
    """Where the breath is at any moment of an exercise: whole rounds only, so it never stops mid-breath."""

    def __init__(self, pattern: BreathingPattern, target_seconds: float) -> None:
        self.pattern = pattern
        rounds = max(1, round(target_seconds / pattern.cycle_seconds))
        if pattern.max_rounds is not None:
            rounds = min(rounds, pattern.max_rounds)
        self.rounds = rounds
        self.total_seconds = rounds * pattern.cycle_seconds

    def state_at(self, elapsed: float) -> PacerState:
        if elapsed >= self.total_seconds:
            last = self.pattern.phases[-1]
            return PacerState(last.kind, last.fill_to, 0.0, self.rounds, self.rounds, 1.0, 0.0, True)
        elapsed = max(0.0, elapsed)
        round_index, into_round = divmod(elapsed, self.pattern.cycle_seconds)
        for phase in self.pattern.phases:
            if into_round < phase.seconds:
                break
            into_round -= phase.seconds
        fraction = into_round / phase.seconds
        eased = (1 - math.cos(math.pi * fraction)) / 2  # slow at both ends, as a breath is
        fill = phase.fill_from + (phase.fill_to - phase.fill_from) * eased
        return PacerState(
            phase.kind,
            fill,
            phase.seconds - into_round,
            int(round_index) + 1,
            self.rounds,
            elapsed / self.total_seconds,
            self.total_seconds - elapsed,
            False,
        )


class Step(Enum):
    TENSION_BEFORE = "tension_before"
    BREATHING = "breathing"
    REFRAME = "reframe"
    TENSION_AFTER = "tension_after"
    DONE = "done"


STEP_ORDER = (Step.TENSION_BEFORE, Step.BREATHING, Step.REFRAME, Step.TENSION_AFTER, Step.DONE)
TENSION_RANGE = range(0, 11)


class CooldownSession:
    """One cooldown's steps and answers. Every step can be skipped; ending early is always allowed."""

    def __init__(self, plan: CooldownPlan, clock: Clock) -> None:
        self._clock = clock
        self.plan = plan
        self.pattern_key = plan.pattern
        self.exercise_seconds: float = plan.seconds
        self.preset = plan.preset
        self.step = Step.TENSION_BEFORE
        self.tension_before: int | None = None
        self.tension_after: int | None = None
        self.reflection = ""
        self.started = clock.now()
        self._breathing_started: float | None = None
        self.timeline = BreathingTimeline(PATTERNS[self.pattern_key], self.exercise_seconds)
        self.breathing_finished = False
        self.outcome: Outcome | None = None

    def choose_pattern(self, key: str) -> None:
        if self._breathing_started is None:
            self.pattern_key = key
            self.timeline = BreathingTimeline(PATTERNS[key], self.exercise_seconds)

    def choose_preset(self, preset: Preset) -> None:
        self._set_length(preset.seconds, preset)

    def use_suggested_length(self) -> None:
        """Back to the length the severity (and the hour) suggested, which may lie between presets."""
        self._set_length(self.plan.seconds, self.plan.preset)

    @property
    def suggested_length_is_a_preset(self) -> bool:
        return self.plan.seconds == self.plan.preset.seconds

    def _set_length(self, seconds: float, preset: Preset) -> None:
        if self._breathing_started is None:
            self.preset = preset
            self.exercise_seconds = seconds
            self.timeline = BreathingTimeline(PATTERNS[self.pattern_key], self.exercise_seconds)

    def rate_tension(self, value: int | None) -> None:
        """The answer for the current tension step (None: skipped), then on to the next step."""
        if value is not None and value not in TENSION_RANGE:
            raise ValueError(f"tension is 0 to 10, not {value}")  # i18n: not for reps
        if self.step is Step.TENSION_BEFORE:
            self.tension_before = value
        elif self.step is Step.TENSION_AFTER:
            self.tension_after = value
        self.next_step()

    def next_step(self) -> Step:
        """Continue, or skip what is left of this step."""
        if self.step is Step.BREATHING:
            self.breathing_finished = True
        if self.step is not Step.DONE:
            self.step = STEP_ORDER[STEP_ORDER.index(self.step) + 1]
        if self.step is Step.BREATHING:
            self._breathing_started = self._clock.monotonic()
        if self.step is Step.DONE:
            self.finish(Outcome.COMPLETED)
        return self.step

    def pacer_state(self) -> PacerState:
        elapsed = 0.0 if self._breathing_started is None else self._clock.monotonic() - self._breathing_started
        return self.timeline.state_at(elapsed)

    def tick(self) -> bool:
        """Move on when the breathing is over; True if the step changed."""
        if self.step is Step.BREATHING and self.pacer_state().finished:
            self.next_step()
            return True
        return False

    def take_call(self) -> None:
        self.finish(Outcome.CUT_SHORT)

    def end(self) -> None:
        """The End button: complete if the exercise is done, cut short if it was not."""
        self.finish(Outcome.COMPLETED if self.breathing_finished else Outcome.CUT_SHORT)

    def window_closed(self) -> None:
        self.finish(Outcome.COMPLETED if self.breathing_finished else Outcome.ABANDONED)

    def finish(self, outcome: Outcome) -> None:
        if self.outcome is None:
            self.outcome = outcome

    def result(self) -> CooldownResult:
        assert self.outcome is not None, "finish the session first"  # i18n: not for reps
        return CooldownResult(
            self.outcome,
            self.pattern_key,
            self.preset.value,
            self.started,
            self._clock.now(),
            self.tension_before,
            self.tension_after,
            self.reflection,
        )
