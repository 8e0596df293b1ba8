"""Saves that happen once however often they are asked for: answers remembered by the client's request id.

A rep pressing Enter twice, Enter plus a default button, or a `companion tag` retried after a socket timeout
sends the same request id again; the running instance answers with what it stored the first time. The ids live
in memory for a while (a retry comes within seconds); a restart forgets them, which is harmless because a
client that timed out against a process that then quit gets no answer to repeat.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

Answer = TypeVar("Answer")

REMEMBER_SECONDS = 15 * 60.0
REMEMBER_AT_MOST = 256
MAX_REQUEST_ID_CHARS = 64


def valid_request_id(value: object) -> bool:
    """A request id is short printable text; anything else is refused by the socket handler with a sentence."""
    return isinstance(value, str) and 0 < len(value) <= MAX_REQUEST_ID_CHARS and value.isprintable()


class RecentAnswers(Generic[Answer]):
    """Request id -> the answer given, for `REMEMBER_SECONDS` of monotonic time, at most `REMEMBER_AT_MOST` ids."""

    def __init__(self, seconds: float = REMEMBER_SECONDS, at_most: int = REMEMBER_AT_MOST) -> None:
        self._seconds = seconds
        self._at_most = at_most
        self._answers: OrderedDict[str, tuple[float, Answer]] = OrderedDict()

    def get(self, request_id: str, now: float) -> Answer | None:
        """The answer already given to `request_id`; None for an empty id (no id: every request is new)."""
        self._forget_old(now)
        if not request_id:
            return None
        remembered = self._answers.get(request_id)
        return None if remembered is None else remembered[1]

    def put(self, request_id: str, answer: Answer, now: float) -> None:
        if not request_id:
            return
        self._answers[request_id] = (now, answer)
        self._answers.move_to_end(request_id)
        while len(self._answers) > self._at_most:
            self._answers.popitem(last=False)

    def _forget_old(self, now: float) -> None:
        while self._answers:
            oldest_at, _ = next(iter(self._answers.values()))
            if now - oldest_at <= self._seconds:
                return
            self._answers.popitem(last=False)
