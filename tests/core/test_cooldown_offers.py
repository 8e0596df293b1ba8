"""The cooldown offers waiting after a rough call: the newest replaces the older, "In 2 min" comes back later, and
nothing comes out while the prompt gate is shut."""

from __future__ import annotations

from companion.core.clock import FakeClock
from companion.core.cooldown import CooldownPlan, Preset
from companion.core.cooldown_offers import DEFER_SECONDS, CooldownOffers

PLAN = CooldownPlan(Preset.DEFAULT_180.seconds, Preset.DEFAULT_180, "cyclic_sighing", False, 0)
ESCALATED = CooldownPlan(Preset.FULL_300.seconds, Preset.FULL_300, "cyclic_sighing", True, 3)


def test_the_newest_tag_replaces_the_waiting_offer_and_waits_for_the_gate():
    offers = CooldownOffers(FakeClock())
    offers.after_tag(None, PLAN)
    offers.after_tag(None, ESCALATED)
    assert offers.take_due(lambda: False) is None and offers
    taken = offers.take_due(lambda: True)
    assert taken is not None and taken.plan is ESCALATED
    assert not offers and offers.take_due(lambda: True) is None


def test_in_two_minutes_brings_the_same_offer_back_then():
    clock = FakeClock()
    offers = CooldownOffers(clock)
    first = offers.after_tag(None, PLAN)
    assert offers.take_due(lambda: True) == first
    offers.defer(first)
    clock.advance(DEFER_SECONDS - 1)
    assert offers.take_due(refuse_if_asked) is None and offers  # not due: the gate is not even asked
    clock.advance(1)
    again = offers.take_due(lambda: True)
    assert again is not None and again.plan is PLAN and not offers
    offers.defer(again)
    offers.clear()
    assert not offers


def refuse_if_asked() -> bool:
    raise AssertionError("the gate was asked though no offer is due")
