"""The prompt gate: calls, the grace after one, the quiet after unlock or resume, and one prompt at a time."""

from companion.core.clock import FakeClock
from companion.core.prompt_gate import CALL_GRACE_SECONDS, RETURN_QUIET_SECONDS, PromptGate


def test_closed_during_a_call_and_for_a_grace_after_it():
    clock = FakeClock()
    gate = PromptGate(clock)
    assert gate.may_prompt()
    gate.update_call(True)
    assert not gate.may_prompt() and gate.seconds_until_open() is None
    gate.update_call(False)
    assert not gate.may_prompt() and gate.seconds_until_open() == CALL_GRACE_SECONDS
    clock.advance(CALL_GRACE_SECONDS)
    assert gate.may_prompt()


def test_quiet_after_the_rep_returns():
    clock = FakeClock()
    gate = PromptGate(clock)
    gate.note_return()
    clock.advance(RETURN_QUIET_SECONDS - 1)
    assert not gate.may_prompt()
    clock.advance(1)
    assert gate.may_prompt()


def test_one_prompt_at_a_time():
    gate = PromptGate(FakeClock())
    gate.prompt_opened()
    assert not gate.may_prompt()
    gate.prompt_closed()
    gate.prompt_closed()  # a stray second close never opens the gate "below zero"
    gate.prompt_opened()
    assert not gate.may_prompt()
    gate.prompt_closed()
    assert gate.may_prompt()
