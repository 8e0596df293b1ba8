"""The quiet policy on a fake clock: which signals hold prompts, the release debounce, and the gate's reopening."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from companion.core.clock import FakeClock
from companion.core.prompt_gate import PromptGate
from companion.core.quiet import RELEASE_AFTER_SECONDS, Debounce, QuietReason, QuietWatch


@dataclass
class Switch:
    """A signal's answer as the test sets it (the platform's real signals are tested in tests/platform)."""

    reason: QuietReason
    on: bool | None = False
    name: str = "switch"

    def is_quiet(self) -> bool | None:
        return self.on


def test_holding_starts_at_once_and_release_waits_for_a_steady_off() -> None:
    debounce = Debounce()
    assert debounce.update(True, 0.0) is True
    assert debounce.update(False, 1.0) is True
    assert debounce.update(True, 2.0) is True  # flickered back on: the off spell starts again
    assert debounce.update(False, 3.0) is True
    assert debounce.update(False, 3.0 + RELEASE_AFTER_SECONDS - 0.1) is True
    assert debounce.update(False, 3.0 + RELEASE_AFTER_SECONDS) is False


@given(st.lists(st.tuples(st.booleans(), st.floats(0.0, 3.0)), max_size=40))
def test_a_signal_flickering_faster_than_the_release_never_lets_a_prompt_out(flicks: list[tuple[bool, float]]) -> None:
    debounce, now = Debounce(), 0.0
    debounce.update(True, now)
    off_since: float | None = None
    for raw, step in flicks:
        now += step
        off_since = (off_since if off_since is not None else now) if not raw else None
        held = debounce.update(raw, now)
        if raw or (off_since is not None and now - off_since < RELEASE_AFTER_SECONDS):
            assert held


def test_the_watch_names_the_first_held_reason_and_skips_signals_turned_off() -> None:
    clock = FakeClock()
    dnd, full = Switch(QuietReason.DO_NOT_DISTURB), Switch(QuietReason.FULL_SCREEN, on=True)
    watch = QuietWatch(clock, [dnd, full])
    assert watch.poll().reason is QuietReason.FULL_SCREEN
    dnd.on = True
    state = watch.poll()
    assert state.reason is QuietReason.DO_NOT_DISTURB and state.words == "do not disturb is on"
    watch.configure({QuietReason.DO_NOT_DISTURB: False})
    assert watch.poll().reason is QuietReason.FULL_SCREEN
    watch.configure({QuietReason.FULL_SCREEN: False})
    assert watch.poll().reason is None  # turned off in Settings: released at once, no debounce


def test_an_unknown_answer_counts_as_not_quiet() -> None:
    clock = FakeClock()
    watch = QuietWatch(clock, [Switch(QuietReason.PRESENTING, on=None)])
    assert watch.poll().reason is None


def test_the_gate_holds_prompts_while_quiet_and_calls_back_when_it_ends() -> None:
    clock = FakeClock()
    gate = PromptGate(clock)
    reopened: list[bool] = []
    gate.on_quiet_over(lambda: reopened.append(True))
    gate.update_quiet("do not disturb is on")
    assert not gate.may_prompt() and gate.seconds_until_open() is None
    gate.update_quiet("do not disturb is on")
    assert reopened == []
    gate.update_quiet("")
    assert gate.may_prompt() and reopened == [True]
    gate.update_quiet("")
    assert reopened == [True]  # only on the change
