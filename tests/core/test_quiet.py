"""The quiet policy on a fake clock: which signals hold prompts, the release debounce, the gate's reopening, and the
gate asking the desktop only when a prompt is due (its quiet check) instead of being told every few seconds."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from companion.core.clock import FakeClock
from companion.core.prompt_gate import CALL_GRACE_SECONDS, STILL_WAITING_SECONDS, PromptGate
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


class Desktop:
    """The quiet feature's part, without Qt: a watch over one switch, sampled when the gate asks (counted), and by
    `sample()` as the feature's timer does while a prompt is held."""

    def __init__(self, clock: FakeClock, gate: PromptGate) -> None:
        self.switch = Switch(QuietReason.DO_NOT_DISTURB, on=True)
        self.watch = QuietWatch(clock, [self.switch])
        self.gate = gate
        self.asked = 0
        gate.set_quiet_check(self.check)

    def check(self) -> None:
        self.asked += 1
        state = self.watch.poll()
        if state.reason is not None:  # the feature tells an end of quiet from the event loop, not from here
            self.gate.update_quiet(state.words)

    def sample(self) -> None:
        self.gate.update_quiet(self.watch.poll().words)


def test_a_due_prompt_is_held_by_quiet_with_no_sample_before_it() -> None:
    clock = FakeClock()
    gate = PromptGate(clock)
    desktop = Desktop(clock, gate)
    shown: list[str] = []
    gate.enqueue("break", lambda: shown.append("break"))
    assert desktop.asked == 0 and gate.quiet_words == ""  # nobody told the gate anything before the prompt was due
    assert gate.show_next() is None and shown == []
    assert desktop.asked == 1 and gate.quiet_words == "do not disturb is on"
    assert gate.holding_for_quiet and gate.seconds_until_open() is None
    assert not gate.may_prompt()  # a break policy asking on its own is held the same way


def test_a_held_prompt_comes_out_after_the_release_debounce() -> None:
    clock = FakeClock()
    gate = PromptGate(clock)
    desktop = Desktop(clock, gate)
    shown: list[str] = []
    gate.on_quiet_over(lambda: gate.show_next())  # what the activity feature does
    gate.enqueue("checkin", lambda: shown.append("checkin"))
    assert gate.show_next() is None
    desktop.switch.on = False
    desktop.sample()  # off since now: it may flick back
    clock.advance(RELEASE_AFTER_SECONDS - 1)
    desktop.sample()
    assert shown == [] and gate.holding_for_quiet
    clock.advance(1)
    desktop.sample()
    assert shown == ["checkin"] and not gate.holding_for_quiet and gate.quiet_words == ""


def test_the_desktop_is_asked_only_when_a_prompt_is_due_and_nothing_else_holds_it() -> None:
    clock = FakeClock()
    gate = PromptGate(clock)
    desktop = Desktop(clock, gate)
    assert gate.show_next() is None  # nothing waits
    gate.enqueue("checkin", lambda: None, delay_seconds=120)
    assert gate.show_next() is None  # waits, but not due
    gate.update_call(True)
    clock.advance(120)
    assert gate.show_next() is None and not gate.may_prompt()  # due, but a call holds it anyway
    gate.update_call(False)
    assert gate.seconds_until_open() == CALL_GRACE_SECONDS and not gate.may_prompt()  # the grace after the call
    assert desktop.asked == 0 and not gate.holding_for_quiet
    clock.advance(CALL_GRACE_SECONDS)
    assert gate.show_next() is None and desktop.asked == 1 and gate.holding_for_quiet


def test_holding_for_quiet_ends_when_nothing_asks_again() -> None:
    """A held prompt asks again every tick; one withdrawn (the rep took the break anyway) asks no more, and the
    feature's sample timer, which runs while the gate holds for quiet, stops."""
    clock = FakeClock()
    gate = PromptGate(clock)
    Desktop(clock, gate)
    assert not gate.may_prompt()
    clock.advance(STILL_WAITING_SECONDS)
    assert gate.holding_for_quiet
    clock.advance(1)
    assert not gate.holding_for_quiet and gate.quiet_words  # the desktop may still be quiet: nothing waits for it
    assert not gate.may_prompt() and gate.holding_for_quiet  # a new ask holds again


def test_without_a_check_the_gate_keeps_what_it_was_told() -> None:
    gate = PromptGate(FakeClock())
    gate.update_quiet("do not disturb is on")
    assert gate.check_quiet() == "do not disturb is on" and not gate.may_prompt()
    gate.set_quiet_check(None)
    gate.update_quiet("")
    assert gate.check_quiet() == "" and gate.may_prompt()
