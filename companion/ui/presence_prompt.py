"""The gentle "still at it?" check, for desktops where Companion cannot see idle time (core.session_presence)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRect

from companion.core.session_presence import PresenceAnswer, SessionPresence
from companion.ui.prompt import Choice, ChoicePrompt

NO_SYSTEM_IDLE_TITLE = QT_TRANSLATE_NOOP("Presence", "Breaks follow your session time")  # shown with _tr()


def _tr(text: str) -> str:
    return QCoreApplication.translate("Presence", text)


def no_system_idle_message() -> str:
    return _tr(
        "This desktop does not tell Companion when you step away, so breaks are counted from when your session "
        "started. Now and then Companion will ask whether you are still at it; if nobody answers, it counts the "
        "time as a break."
    )


def presence_prompt(anchor: QRect | None = None) -> ChoicePrompt:
    """Closing it or pressing Escape means "still here": only someone at the desk can do either."""
    choices = [
        Choice(PresenceAnswer.STILL_HERE.value, _tr("&Yes, still working"), default=True),
        Choice(PresenceAnswer.WAS_AWAY.value, _tr("I was &away")),
    ]
    text = _tr("Companion cannot see whether you are at your desk on this desktop. Are you still working?")
    return ChoicePrompt(_tr("Still at it?"), text, choices, PresenceAnswer.STILL_HERE.value, anchor)


class PresenceCheck:
    """Asks when the core says so, once the prompt gate lets it (never during a call or over another prompt), and
    hands the answer back to the core. One check at a time; the answer window starts when it is on screen."""

    def __init__(
        self,
        presence: SessionPresence,
        queue: Callable[[Callable[[], None]], None],
        show: Callable[[ChoicePrompt], None],
    ) -> None:
        self.presence = presence
        self._queue = queue  # wait for the prompt gate, then call back
        self._show = show
        self.prompt: ChoicePrompt | None = None
        self.queued = False

    def after_tick(self, anchor: QRect | None) -> None:
        if self.prompt is None and not self.queued and self.presence.check_due():
            self.queued = True
            self._queue(lambda: self._show_now(anchor))

    def _show_now(self, anchor: QRect | None) -> None:
        self.queued = False
        if self.prompt is not None or not self.presence.check_due():
            return  # the rep was seen while the check waited for the gate
        self.prompt = presence_prompt(anchor)
        self.prompt.chosen.connect(self._answered)
        self.presence.check_shown()
        self._show(self.prompt)

    def _answered(self, key: str) -> None:
        self.prompt = None
        self.presence.answer(PresenceAnswer(key))

    def close(self) -> None:
        prompt, self.prompt = self.prompt, None
        if prompt is not None:
            prompt.chosen.disconnect(self._answered)
            prompt.close()
