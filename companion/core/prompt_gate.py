"""When a prompt may interrupt the rep: never during a call, not right after one, not right after unlock or resume,
not while the desktop asks for quiet (do not disturb, a full-screen or presented window: core/quiet.py decides),
and never on top of another prompt (a break reminder, a cooldown offer and a check-in must not pile up).

The break policy, the cooldown offer, the check-ins and the weekly nudge all ask this gate; it holds no prompts
itself, it only answers and counts the ones on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from companion.core.clock import Clock

CALL_GRACE_SECONDS = 30.0  # a moment to finish notes after hanging up
RETURN_QUIET_SECONDS = 60.0  # after unlock or resume, let the rep settle before asking anything


class PromptGate:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._in_call = False
        self._quiet_until = float("-inf")
        self._prompts_showing = 0
        self._quiet_words = ""  # why prompts wait ("do not disturb is on"); empty when nothing asks for quiet
        self._reopen_listeners: list[Callable[[], None]] = []

    def update_call(self, in_call: bool) -> None:
        if self._in_call and not in_call:
            self._quiet_until = max(self._quiet_until, self._clock.monotonic() + CALL_GRACE_SECONDS)
        self._in_call = in_call

    def update_quiet(self, words: str) -> None:
        """The desktop asks for quiet (words say why) or no longer does (""); a held prompt is offered at once."""
        was_quiet, self._quiet_words = bool(self._quiet_words), words
        if was_quiet and not words:
            for listener in list(self._reopen_listeners):
                listener()

    def on_quiet_over(self, listener: Callable[[], None]) -> None:
        """Call back when the desktop stops asking for quiet, so a held prompt need not wait for the next tick."""
        self._reopen_listeners.append(listener)

    def forget_quiet_over(self, listener: Callable[[], None]) -> None:
        """The listener's owner stopped: it is not called again (harmless when it was never added)."""
        if listener in self._reopen_listeners:
            self._reopen_listeners.remove(listener)

    @property
    def quiet_words(self) -> str:
        return self._quiet_words

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
        return (
            not self._in_call
            and not self._quiet_words
            and self._prompts_showing == 0
            and self._clock.monotonic() >= self._quiet_until
        )

    def seconds_until_open(self) -> float | None:
        """How long until a prompt may show; None while a call or a quiet moment goes on (nobody knows its end)."""
        if self._in_call or self._quiet_words:
            return None
        return max(0.0, self._quiet_until - self._clock.monotonic())
