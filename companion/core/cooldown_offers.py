"""The cooldown offers waiting to be shown after a rough call: what the rough-calls feature asks before it builds
the offer's prompt.

The newest tag's offer replaces any earlier one still waiting (one cooldown, sized for how the hour went); "In 2 min"
puts the offer back for later; an offer comes out only when it is due and the prompt gate is open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from companion.core.clock import Clock
from companion.core.cooldown import CooldownPlan
from companion.core.rough_calls import RoughCall

DEFER_SECONDS = 120.0  # "In 2 min"


@dataclass(frozen=True)
class PendingOffer:
    rough_call: RoughCall | None
    plan: CooldownPlan
    not_before: float  # clock.monotonic() seconds


class CooldownOffers:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._pending: list[PendingOffer] = []

    def after_tag(self, rough_call: RoughCall | None, plan: CooldownPlan) -> PendingOffer:
        """A new tag: its offer, due now, replaces whatever was waiting."""
        offer = PendingOffer(rough_call, plan, self._clock.monotonic())
        self._pending = [offer]
        return offer

    def defer(self, offer: PendingOffer, seconds: float = DEFER_SECONDS) -> None:
        """'In 2 min': the same offer again, not before then."""
        self._pending.append(PendingOffer(offer.rough_call, offer.plan, self._clock.monotonic() + seconds))

    def take_due(self, gate_open: Callable[[], bool]) -> PendingOffer | None:
        """The first offer that is due, taken off the list, if the gate lets a prompt show now; else None.

        The gate is asked only when an offer is due: its answer may ask the desktop whether it is quiet."""
        now = self._clock.monotonic()
        due = next((offer for offer in self._pending if offer.not_before <= now), None)
        if due is None or not gate_open():
            return None
        self._pending.remove(due)
        return due

    def clear(self) -> None:
        self._pending.clear()

    def __bool__(self) -> bool:
        """Whether any offer is waiting (due or not)."""
        return bool(self._pending)
