"""Breaks on a desktop that tells nobody how long the rep has been idle: a schedule counted from the session.

With only Companion's own windows to watch, the rep would look idle all day and no break would ever come due. So
the rep is presumed at work from the moment they were last seen (the session start, input in Companion's windows,
an answer to a prompt), and every CHECK_EVERY of presumed work a gentle "still at it?" asks. "Yes" keeps counting;
"I was away" or no answer within ANSWER_WITHIN means the rep left: the idle time reported to the tracker then runs
from the last moment they were seen (an answer) or from the check (no answer, the kinder guess), so the tracker
records the absence as a natural break, back-dated, as it would with a real idle source.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from companion.core.clock import Clock

CHECK_EVERY_SECONDS = 30 * 60.0
ANSWER_WITHIN_SECONDS = 5 * 60.0


class PresenceAnswer(Enum):
    STILL_HERE = "still_here"
    WAS_AWAY = "was_away"


@dataclass
class SessionPresence:
    clock: Clock
    check_every_seconds: float = CHECK_EVERY_SECONDS
    answer_within_seconds: float = ANSWER_WITHIN_SECONDS

    def __post_init__(self) -> None:
        self._seen_at = self.clock.monotonic()  # the last moment the rep was surely here
        self._check_at: float | None = None  # the check on screen, shown at this moment
        self._away_since: float | None = None  # presumed away since this moment, until seen again
        self._was_away_since: float | None = None  # the rep said they were away since then: reported once

    @property
    def checking(self) -> bool:
        return self._check_at is not None

    @property
    def presumed_away(self) -> bool:
        return self._away_since is not None

    def idle_seconds(self, own_windows_idle: float | None) -> float:
        """What the tracker should take as seconds since the last input. Input to our own windows is being seen."""
        now = self.clock.monotonic()
        if own_windows_idle is not None and now - own_windows_idle > self._seen_at:
            self.seen(now - own_windows_idle)
        if self._was_away_since is not None:
            since, self._was_away_since = self._was_away_since, None
            return max(0.0, now - since)  # one sample of the absence, back-dated; the next is the return
        if self._check_at is not None and now - self._check_at >= self.answer_within_seconds:
            self._away_since, self._check_at = self._check_at, None  # nobody answered: gone since the check
        return 0.0 if self._away_since is None else max(0.0, now - self._away_since)

    def check_due(self) -> bool:
        """True once per stretch of presumed work: show the "still at it?" check now (then call check_shown)."""
        if self._check_at is not None or self._away_since is not None:
            return False
        return self.clock.monotonic() - self._seen_at >= self.check_every_seconds

    def check_shown(self) -> None:
        self._check_at = self.clock.monotonic()

    def answer(self, answer: PresenceAnswer) -> None:
        now = self.clock.monotonic()
        self._check_at = None
        if answer is PresenceAnswer.WAS_AWAY:
            # Away since the last moment they were surely here (or the check, if it was left for long).
            self._was_away_since = self._seen_at if self._away_since is None else min(self._seen_at, self._away_since)
        self.seen(now)  # whatever the answer, they are here now

    def seen(self, at: float | None = None) -> None:
        """The rep did something (input in Companion's windows, answered a prompt, took a break): here, working."""
        self._seen_at = self.clock.monotonic() if at is None else at
        self._away_since = None
