"""When a prompt may interrupt the rep, and which prompt comes next.

Never during a call, not right after one, not right after unlock or resume, not while the desktop asks for quiet (do
not disturb, a full-screen or presented window: core/quiet.py decides), and never on top of another prompt (a
break reminder, a cooldown offer and a check-in must not pile up). The break policy, the cooldown offer, the check-ins
and the weekly nudge all ask this gate.

A prompt on screen holds a PromptSlot; the UI releases it on every way a prompt can end (answered, closed, timed
out, deleted), and releasing is idempotent, so a prompt that went away without an answer can never keep the gate
shut. Prompts that wait for the gate stand in a queue, one per key (a newer offer of the same kind replaces the older
one), and `show_next` brings out the most urgent due one as soon as the gate opens.

The desktop's quiet is asked when it matters, not polled all day: the quiet feature gives the gate a check
(`set_quiet_check`) that the gate calls at the instant it would let a due prompt out, once nothing else holds it back,
so a prompt never lands on a presentation that began a moment ago. While a prompt is held by quiet the feature
samples on its own (`holding_for_quiet` says when), to see the quiet end.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from companion.core.clock import Clock

CALL_GRACE_SECONDS = 30.0  # a moment to finish notes after hanging up
RETURN_QUIET_SECONDS = 60.0  # after unlock or resume, let the rep settle before asking anything
# A prompt held by quiet asks again at least this often (the activity tick every 10 s, the journal's every 15 s, a
# cooldown offer every half second): no ask for this long means nothing waits any more.
STILL_WAITING_SECONDS = 30.0


@dataclass(eq=False)
class PromptSlot:
    """One prompt on screen. `release()` when it ends, however it ends; a second release does nothing."""

    name: str
    _on_release: Callable[[PromptSlot], None] = field(repr=False)
    released: bool = False

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        self._on_release(self)


@dataclass(frozen=True)
class PendingPrompt:
    key: str  # one waiting prompt per key: "break", "cooldown", "checkin", "closing"
    show: Callable[[], None]  # builds and shows the prompt (through the app's show_prompt, which takes a slot)
    priority: int  # higher first: a break that is due outranks the check-in
    not_before: float  # clock.monotonic(); "In 2 min" puts an offer back with a later time
    order: int  # first come, first served among equals


class PromptGate:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._in_call = False
        self._quiet_until = float("-inf")
        self._showing: list[PromptSlot] = []
        self._waiting: dict[str, PendingPrompt] = {}
        self._order = itertools.count()
        self._quiet_words = ""  # why prompts wait ("do not disturb is on"); empty when nothing asks for quiet
        self._quiet_check: Callable[[], None] | None = None
        self._held_by_quiet_at: float | None = None  # clock.monotonic() of the last due prompt quiet held back
        self._reopen_listeners: list[Callable[[], None]] = []

    # --- the gate --------------------------------------------------------------------------------------------------

    def update_call(self, in_call: bool) -> None:
        if self._in_call and not in_call:
            self._quiet_until = max(self._quiet_until, self._clock.monotonic() + CALL_GRACE_SECONDS)
        self._in_call = in_call

    def update_quiet(self, words: str) -> None:
        """The desktop asks for quiet (words say why) or no longer does (""); a held prompt is offered at once."""
        was_quiet, self._quiet_words = bool(self._quiet_words), words
        if was_quiet and not words:
            self._held_by_quiet_at = None
            for listener in list(self._reopen_listeners):
                listener()

    def on_quiet_over(self, listener: Callable[[], None]) -> None:
        """Call back when the desktop stops asking for quiet, so a held prompt need not wait for the next tick."""
        self._reopen_listeners.append(listener)

    def forget_quiet_over(self, listener: Callable[[], None]) -> None:
        """The listener's owner stopped: it is not called again (harmless when it was never added)."""
        if listener in self._reopen_listeners:
            self._reopen_listeners.remove(listener)

    def set_quiet_check(self, check: Callable[[], None] | None) -> None:
        """`check` asks the desktop now and answers through `update_quiet` (it may defer an end of quiet to the event
        loop: the listeners must not run inside the question). None: the gate keeps the last answer it was told."""
        self._quiet_check = check

    def check_quiet(self) -> str:
        """Ask the desktop now (through the check, when one is set): why prompts must wait, or "" when they need not."""
        if self._quiet_check is not None:
            self._quiet_check()
        return self._quiet_words

    @property
    def quiet_words(self) -> str:
        """The last answer the gate was told, without asking again (see check_quiet)."""
        return self._quiet_words

    @property
    def holding_for_quiet(self) -> bool:
        """A due prompt was held back by quiet lately (within STILL_WAITING_SECONDS) and the quiet goes on."""
        held_at = self._held_by_quiet_at
        return (
            bool(self._quiet_words)
            and held_at is not None
            and self._clock.monotonic() - held_at <= STILL_WAITING_SECONDS
        )

    def _held_by_quiet(self) -> bool:
        """Asked only once nothing else holds a due prompt back: is the desktop quiet at this instant?"""
        if not self.check_quiet():
            return False
        self._held_by_quiet_at = self._clock.monotonic()
        return True

    def note_return(self) -> None:
        """The screen was unlocked or the machine resumed."""
        self._quiet_until = max(self._quiet_until, self._clock.monotonic() + RETURN_QUIET_SECONDS)

    def prompt_opened(self, name: str = "prompt") -> PromptSlot:
        """A prompt is on screen: the gate stays shut until its slot is released."""
        slot = PromptSlot(name, self._release)
        self._showing.append(slot)
        return slot

    def _release(self, slot: PromptSlot) -> None:
        if slot in self._showing:
            self._showing.remove(slot)

    @property
    def showing(self) -> list[str]:
        """The names of the prompts on screen (normally none or one)."""
        return [slot.name for slot in self._showing]

    @property
    def in_call(self) -> bool:
        return self._in_call

    def may_prompt(self) -> bool:
        """Whether a prompt that is due may show now. The desktop's quiet is asked last, only when it decides."""
        if self._in_call or self._showing or self._clock.monotonic() < self._quiet_until:
            return False
        return not self._held_by_quiet()

    def seconds_until_open(self) -> float | None:
        """How long until a prompt may show; None while a call or a quiet moment goes on (nobody knows its end)."""
        if self._in_call:
            return None
        remaining = max(0.0, self._quiet_until - self._clock.monotonic())
        if remaining > 0.0:
            return None if self._quiet_words else remaining  # not due yet: the desktop is asked when it is
        return None if self._held_by_quiet() else 0.0

    # --- the queue -------------------------------------------------------------------------------------------------

    def enqueue(self, key: str, show: Callable[[], None], priority: int = 0, delay_seconds: float = 0.0) -> None:
        """Wait for the gate (and `delay_seconds`), then `show`. Replaces a prompt already waiting under `key`."""
        not_before = self._clock.monotonic() + delay_seconds
        self._waiting[key] = PendingPrompt(key, show, priority, not_before, next(self._order))

    def withdraw(self, key: str) -> bool:
        """The prompt waiting under `key` is no longer wanted (the rep took the break anyway, quit, ...)."""
        return self._waiting.pop(key, None) is not None

    def clear(self) -> None:
        self._waiting.clear()

    @property
    def waiting(self) -> list[str]:
        """The keys waiting, in the order they would show."""
        return [pending.key for pending in sorted(self._waiting.values(), key=_urgency)]

    def next_due(self) -> PendingPrompt | None:
        """The prompt that would show now, without taking it off the queue."""
        now = self._clock.monotonic()
        due = [pending for pending in self._waiting.values() if pending.not_before <= now]
        return min(due, key=_urgency) if due and self.may_prompt() else None

    def show_next(self) -> str | None:
        """If the gate is open, take the most urgent due prompt off the queue and show it; its key, or None.

        It leaves the queue before it shows: a prompt whose showing fails cannot hold up the ones behind it.
        """
        pending = self.next_due()
        if pending is None:
            return None
        del self._waiting[pending.key]
        pending.show()
        return pending.key


def _urgency(pending: PendingPrompt) -> tuple[int, int]:
    return (-pending.priority, pending.order)
