"""When a prompt may interrupt the rep: never during a call, not right after one, not right after unlock or resume,
and never on top of another prompt (a break reminder, a cooldown offer and a check-in must not pile up).

The break policy, the cooldown offer, the check-ins and the weekly nudge all ask this gate; it holds no prompts
itself, it only answers and counts the ones on screen.
"""

from __future__ import annotations

from companion.core.clock import Clock

CALL_GRACE_SECONDS = 30.0  # a moment to finish notes after hanging up
RETURN_QUIET_SECONDS = 60.0  # after unlock or resume, let the rep settle before asking anything


class PromptGate:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._in_call = False
        self._quiet_until = float("-inf")
        self._prompts_showing = 0

    def update_call(self, in_call: bool) -> None:
        if self._in_call and not in_call:
            self._quiet_until = max(self._quiet_until, self._clock.monotonic() + CALL_GRACE_SECONDS)
        self._in_call = in_call

    def note_return(self) -> None:
        """The screen was unlocked or the machine resumed."""
        self._quiet_until = max(self._quiet_until, self._clock.monotonic() + RETURN_QUIET_SECONDS)

    def prompt_opened(self) -> None:
        self._prompts_showing += 1

    def prompt_closed(self) -> None:
        self._prompts_showing = max(0, self._prompts_showing - 1)

    @property
    def in_call(self) -> bool:
        return self._in_call

    def may_prompt(self) -> bool:
        return not self._in_call and self._prompts_showing == 0 and self._clock.monotonic() >= self._quiet_until

    def seconds_until_open(self) -> float | None:
        """How long until a prompt may show; None while a call goes on (it ends when the call does)."""
        if self._in_call:
            return None
        return max(0.0, self._quiet_until - self._clock.monotonic())
