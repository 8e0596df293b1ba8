"""Cooldown policy, the breathing timeline and a session's steps, all on a FakeClock."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.core.clock import FakeClock
from companion.core.cooldown import (
    PATTERNS,
    BreathingTimeline,
    CooldownSession,
    PhaseKind,
    Preset,
    Step,
    plan_cooldown,
    preset_for,
)
from companion.core.rough_calls import Outcome
from companion.core.settings import RoughCallSettings


@pytest.mark.parametrize(("severity", "seconds", "preset"), [(1, 60, Preset.RESET_60), (3, 120, Preset.DEFAULT_180),
                                                           (5, 300, Preset.FULL_300)])  # fmt: skip
def test_length_follows_severity_from_settings(severity: int, seconds: int, preset: Preset) -> None:
    plan = plan_cooldown(severity, 1, RoughCallSettings())
    assert (plan.seconds, plan.preset, plan.escalated) == (seconds, preset, False)


def test_lengths_come_from_the_reps_settings() -> None:
    settings = replace(RoughCallSettings(), cooldown_seconds_by_severity=(30, 30, 240, 240, 600))
    assert plan_cooldown(3, 1, settings).seconds == 240
    assert plan_cooldown(1, 1, settings).preset is Preset.RESET_60


def test_several_rough_ones_within_the_window_escalate_to_a_longer_reset() -> None:
    settings = RoughCallSettings()
    assert not plan_cooldown(1, settings.escalation_count - 1, settings).escalated
    plan = plan_cooldown(1, settings.escalation_count, settings)
    assert plan.escalated and plan.seconds >= 300 and plan.preset is Preset.FULL_300


def test_preset_for_picks_the_shortest_that_holds_the_length() -> None:
    assert [preset_for(s) for s in (10, 60, 61, 180, 181, 900)] == [
        Preset.RESET_60, Preset.RESET_60, Preset.DEFAULT_180, Preset.DEFAULT_180, Preset.FULL_300, Preset.FULL_300,
    ]  # fmt: skip


def test_cyclic_sighing_is_two_inhales_then_a_long_exhale() -> None:
    timeline = BreathingTimeline(PATTERNS["cyclic_sighing"], 60)
    kinds = [timeline.state_at(t).phase for t in (0.5, 3.0, 5.0)]
    assert kinds == [PhaseKind.INHALE, PhaseKind.TOP_UP, PhaseKind.EXHALE]
    exhale = next(p for p in PATTERNS["cyclic_sighing"].phases if p.kind is PhaseKind.EXHALE)
    inhales = sum(p.seconds for p in PATTERNS["cyclic_sighing"].phases if p.kind is not PhaseKind.EXHALE)
    assert exhale.seconds > inhales


def test_paced_breathing_is_about_six_a_minute_and_4_7_8_is_capped_at_four_rounds() -> None:
    assert 60 / PATTERNS["paced"].cycle_seconds == pytest.approx(6)
    assert BreathingTimeline(PATTERNS["four_seven_eight"], 300).rounds == 4


@given(
    pattern=st.sampled_from(sorted(PATTERNS)),
    target=st.floats(min_value=20, max_value=900),
    elapsed=st.floats(min_value=-5, max_value=1000),
)
def test_pacer_state_stays_in_bounds_and_ends_on_whole_rounds(pattern: str, target: float, elapsed: float) -> None:
    timeline = BreathingTimeline(PATTERNS[pattern], target)
    state = timeline.state_at(elapsed)
    assert 0.0 <= state.fill <= 1.0
    assert 0.0 <= state.progress <= 1.0
    assert 1 <= state.round <= state.rounds == timeline.rounds
    assert state.finished == (elapsed >= timeline.total_seconds)
    assert timeline.total_seconds == pytest.approx(timeline.rounds * PATTERNS[pattern].cycle_seconds)


@given(pattern=st.sampled_from(sorted(PATTERNS)), t=st.floats(min_value=0, max_value=58))
def test_the_circle_moves_smoothly(pattern: str, t: float) -> None:
    # A 60 fps frame never moves the circle by more than a small step: no jumps between phases.
    timeline = BreathingTimeline(PATTERNS[pattern], 60)
    assert abs(timeline.state_at(t + 1 / 60).fill - timeline.state_at(t).fill) < 0.03


def _session(clock: FakeClock, severity: int = 3) -> CooldownSession:
    return CooldownSession(plan_cooldown(severity, 1, RoughCallSettings()), clock)


def test_a_session_walks_through_its_steps_with_the_clock(clock: FakeClock) -> None:
    session = _session(clock)
    session.choose_preset(Preset.RESET_60)
    session.rate_tension(7)
    assert session.step is Step.BREATHING
    clock.advance(30)
    assert not session.tick() and session.pacer_state().remaining > 0
    clock.advance(session.timeline.total_seconds)
    assert session.tick() and session.step is Step.REFRAME
    session.next_step()
    session.rate_tension(3)
    assert session.step is Step.DONE
    result = session.result()
    assert (result.outcome, result.tension_before, result.tension_after) == (Outcome.COMPLETED, 7, 3)
    assert (result.preset, result.pattern) == ("reset_60", "cyclic_sighing")
    assert (result.ended - result.started).total_seconds() == pytest.approx(30 + session.timeline.total_seconds)


def test_every_step_can_be_skipped(clock: FakeClock) -> None:
    session = _session(clock)
    for _ in range(4):
        session.next_step()
    result = session.result()
    assert result.outcome is Outcome.COMPLETED
    assert (result.tension_before, result.tension_after) == (None, None)


def test_taking_a_call_cuts_it_short_and_a_closed_window_is_abandoned(clock: FakeClock) -> None:
    called = _session(clock)
    called.rate_tension(None)
    called.take_call()
    assert called.result().outcome is Outcome.CUT_SHORT
    closed = _session(clock)
    closed.window_closed()
    assert closed.result().outcome is Outcome.ABANDONED
    ended_after_breathing = _session(clock)
    ended_after_breathing.next_step()
    ended_after_breathing.next_step()
    ended_after_breathing.end()
    assert ended_after_breathing.result().outcome is Outcome.COMPLETED


def test_pattern_and_preset_are_fixed_once_breathing_starts(clock: FakeClock) -> None:
    session = _session(clock)
    session.choose_pattern("box")
    session.rate_tension(5)
    session.choose_pattern("paced")
    session.choose_preset(Preset.FULL_300)
    assert session.pattern_key == "box" and session.preset is Preset.DEFAULT_180


def test_tension_outside_zero_to_ten_is_refused(clock: FakeClock) -> None:
    with pytest.raises(ValueError):
        _session(clock).rate_tension(11)


def test_a_suggested_length_between_presets_is_kept_until_the_rep_picks_a_preset(clock: FakeClock) -> None:
    session = _session(clock, severity=2)  # 90 s by default: between the 60 s reset and the 3 min preset
    assert not session.suggested_length_is_a_preset
    assert session.exercise_seconds == 90 and session.preset is Preset.DEFAULT_180
    session.choose_preset(Preset.FULL_300)
    assert session.exercise_seconds == 300
    session.use_suggested_length()
    assert session.exercise_seconds == 90
