"""Quiet moments: while the desktop is in do-not-disturb, a window is full screen, or the screen is presented or
shared, prompts and sounds wait, as they do during a call.

The platform gives raw signals (each answers "quiet now?" or None when it cannot tell); this module decides what
holds prompts: which signals the rep left on in Settings, and a debounce so a flickering signal (alt-tab through a
full-screen video, a DND toggle pressed twice) neither lets a prompt slip out between flickers nor holds it longer
than a steady signal does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from companion.core.clock import Clock
from companion.core.i18n import N_

HOLD_AFTER_SECONDS = 0.0  # a prompt must never land on a presentation, so holding starts at the first sample
RELEASE_AFTER_SECONDS = 5.0  # the signal must stay off this long before held prompts come out


class QuietReason(Enum):
    """Why prompts wait; the value is the QuietSettings field that turns the signal off."""

    DO_NOT_DISTURB = "do_not_disturb"
    FULL_SCREEN = "full_screen"
    PRESENTING = "presenting"


# The clause after "waiting: " in the tray's status line (each stands alone); translated where it is shown.
REASON_WORDS: dict[QuietReason, str] = {
    QuietReason.DO_NOT_DISTURB: N_("do not disturb is on"),
    QuietReason.FULL_SCREEN: N_("a full-screen window is in front"),
    QuietReason.PRESENTING: N_("the screen is being shared or presented"),
}


class QuietSignal(Protocol):
    """One desktop signal (GNOME banners off, a full-screen active window...) from companion/platform."""

    name: str
    reason: QuietReason

    def is_quiet(self) -> bool | None:
        """True while it asks for quiet, False when not, None when it cannot tell now (treated as not quiet)."""
        ...


class Debounce:
    """A boolean that follows its input only after the input has held its new value for a while."""

    def __init__(self, hold_after: float = HOLD_AFTER_SECONDS, release_after: float = RELEASE_AFTER_SECONDS) -> None:
        self.hold_after = hold_after
        self.release_after = release_after
        self.value = False
        self._differs_since: float | None = None

    def update(self, raw: bool, now: float) -> bool:
        if raw == self.value:
            self._differs_since = None
            return self.value
        if self._differs_since is None:
            self._differs_since = now
        wait = self.hold_after if raw else self.release_after
        if now - self._differs_since >= wait:
            self.value = raw
            self._differs_since = None
        return self.value


@dataclass(frozen=True)
class QuietState:
    reason: QuietReason | None  # the first of the held reasons, in QuietReason order; None when prompts may show
    raw: frozenset[QuietReason]  # what the signals say this instant, before the debounce (for the log and tests)

    @property
    def words(self) -> str:
        return REASON_WORDS[self.reason] if self.reason is not None else ""


class QuietWatch:
    """Samples the signals the rep left on and says whether prompts should wait, and why."""

    def __init__(
        self,
        clock: Clock,
        signals: Sequence[QuietSignal],
        enabled: dict[QuietReason, bool] | None = None,
        release_after: float = RELEASE_AFTER_SECONDS,
    ) -> None:
        self._clock = clock
        self.signals = list(signals)
        self.enabled = {reason: True for reason in QuietReason} | (enabled or {})
        self._debounce = {reason: Debounce(release_after=release_after) for reason in QuietReason}
        self.state = QuietState(None, frozenset())

    def configure(self, enabled: dict[QuietReason, bool]) -> None:
        """A signal turned off in Settings stops holding at once (no release delay: the rep asked for it)."""
        self.enabled.update(enabled)
        for reason, on in enabled.items():
            if not on:
                self._debounce[reason] = Debounce(release_after=self._debounce[reason].release_after)

    def poll(self) -> QuietState:
        now = self._clock.monotonic()
        raw = frozenset(
            signal.reason for signal in self.signals if self.enabled[signal.reason] and signal.is_quiet() is True
        )
        held = [reason for reason in QuietReason if self._debounce[reason].update(reason in raw, now)]
        self.state = QuietState(held[0] if held else None, raw)
        return self.state

    def names(self) -> list[str]:
        return [signal.name for signal in self.signals]
