"""Idle time from idle/resumed edges, for the desktops that notify instead of answering a question.

Wayland's ext-idle-notify-v1 and org_kde_kwin_idle, and Mutter's idle watches, say "no input for T seconds" (the
idled edge, T after the last input) and "input again" (the resumed edge). Between the edges nothing needs to be
asked, so the app's tick costs nothing; the tracker still gets seconds since the last input, which it back-dates
intervals with: the idled edge's time minus T is the moment of the last input.

While active the answer is 0: the last input was less than T ago, so with a short T (a second) it is off by at
most T, well under the tracker's idle threshold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class IdleEdges:
    """Keeps the last edge; `monotonic` is the clock the edges are timed with (the core's Clock.monotonic)."""

    timeout_seconds: float
    monotonic: Callable[[], float]
    # Set while idle: when the last input was, per the idled edge.
    _last_input_at: float | None = field(default=None, init=False)

    @property
    def idle(self) -> bool:
        return self._last_input_at is not None

    def idled(self, last_input_seconds_ago: float | None = None) -> None:
        """The desktop says the rep has not touched anything for the timeout (or for a figure it gave with it)."""
        ago = self.timeout_seconds if last_input_seconds_ago is None else max(0.0, last_input_seconds_ago)
        self._last_input_at = self.monotonic() - ago

    def resumed(self) -> None:
        self._last_input_at = None

    def seconds_since_last_input(self) -> float:
        if self._last_input_at is None:
            return 0.0
        return max(0.0, self.monotonic() - self._last_input_at)
