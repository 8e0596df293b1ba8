"""The prompt gate: calls, the grace after one, the quiet after unlock or resume, and one prompt at a time."""

import pytest

from companion.core.clock import FakeClock
from companion.core.prompt_gate import CALL_GRACE_SECONDS, RETURN_QUIET_SECONDS, PromptGate, PromptSlot


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


def test_one_prompt_at_a_time_and_a_slot_released_twice_frees_only_itself():
    gate = PromptGate(FakeClock())
    first = gate.prompt_opened("break")
    assert not gate.may_prompt() and gate.showing == ["break"]
    second = gate.prompt_opened("check-in")  # shown anyway by someone who did not ask: both must end
    first.release()
    first.release()  # a stray second release never frees the other prompt's hold
    assert not gate.may_prompt() and gate.showing == ["check-in"]
    second.release()
    assert gate.may_prompt() and gate.showing == []


def test_waiting_prompts_come_one_by_one_most_urgent_first():
    clock = FakeClock()
    gate = PromptGate(clock)
    shown: list[str] = []
    slots: list[PromptSlot] = []

    def show(name: str):
        def build() -> None:
            shown.append(name)
            slots.append(gate.prompt_opened(name))

        return build

    gate.update_call(True)
    gate.enqueue("checkin", show("checkin"))
    gate.enqueue("cooldown", show("cooldown"), priority=2)
    gate.enqueue("closing", show("closing"))
    assert gate.show_next() is None and gate.waiting == ["cooldown", "checkin", "closing"]  # in a call
    gate.update_call(False)
    clock.advance(CALL_GRACE_SECONDS)
    assert gate.show_next() == "cooldown"
    assert gate.show_next() is None  # the cooldown offer is on screen
    slots[-1].release()  # answered
    assert gate.show_next() == "checkin"
    slots[-1].release()  # closed without an answer: the same as answered, for the gate
    assert gate.show_next() == "closing"
    assert shown == ["cooldown", "checkin", "closing"] and gate.waiting == []


def test_a_prompt_whose_showing_fails_or_that_never_took_a_slot_does_not_block_the_next():
    gate = PromptGate(FakeClock())

    def broken() -> None:
        raise RuntimeError("Internal C++ object (ChoicePrompt) already deleted.")

    gate.enqueue("checkin", broken, priority=1)
    gate.enqueue("closing", lambda: None)
    with pytest.raises(RuntimeError):
        gate.show_next()
    assert gate.waiting == ["closing"] and gate.may_prompt()
    assert gate.show_next() == "closing"


def test_a_newer_offer_replaces_the_waiting_one_and_a_delay_holds_it_back():
    clock = FakeClock()
    gate = PromptGate(clock)
    shown: list[str] = []
    gate.enqueue("cooldown", lambda: shown.append("first tag"))
    gate.enqueue("cooldown", lambda: shown.append("second tag"), delay_seconds=120)
    assert gate.waiting == ["cooldown"] and gate.show_next() is None
    clock.advance(119)
    assert gate.show_next() is None
    clock.advance(1)
    assert gate.show_next() == "cooldown" and shown == ["second tag"]
    gate.enqueue("checkin", lambda: shown.append("checkin"))
    assert gate.withdraw("checkin") and not gate.withdraw("checkin")
    assert gate.show_next() is None
