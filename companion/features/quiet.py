"""Quiet moments: while the desktop is in do-not-disturb, a window is full screen or the screen is presented,
prompts and sounds wait (core/quiet.py decides; companion/platform/quiet*.py reads the desktop, and
platform/backends.py's choose_backends picks the signals this desktop offers).

The desktop is asked when it matters, not every few seconds all day (each signal is a D-Bus or X round trip, and
polling them was most of the tray's idle CPU): the prompt gate calls `check_now` at the instant it would let a due
prompt out (a break, a cooldown offer, a check-in, the weekly nudge), and `companion status` asks too. Only while a
prompt is held by quiet does the feature sample every SAMPLE_MS, to see the quiet end; the gate then calls the
activity feature back, so a held break is offered at once.

The tray's status line says "waiting: ..." only while something waits. Do not disturb with nothing held back is the
desktop's business (its own panel shows it), and the line then has nothing to go stale.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt

from companion.core.i18n import N_
from companion.core.quiet import QuietReason, QuietWatch
from companion.core.settings import QuietSettings, Settings
from companion.lifecycle import Lifetime, Registry, Services

log = logging.getLogger(__name__)

SAMPLE_MS = 3000  # while a prompt is held: how soon after the release debounce the held prompt comes out


def _tr(text: str) -> str:
    return QCoreApplication.translate("Quiet", text)


def enabled_reasons(settings: QuietSettings) -> dict[QuietReason, bool]:
    return {reason: bool(getattr(settings, reason.value)) for reason in QuietReason}


class QuietFeature(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.life = Lifetime(self)
        # Runs only while a prompt is held by quiet (PromptGate.holding_for_quiet); stopped when nothing waits.
        self.timer = self.life.timer(SAMPLE_MS, self.sample)
        self.timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._status_shown = ""  # the status part this feature last refreshed the tray's tooltip for

    def start(self, services: Services, registry: Registry) -> None:
        self.ctx = services
        # The signals belong to the backends (closed with them); the feature only samples them.
        enabled = enabled_reasons(services.settings.current.quiet)
        self.watch = QuietWatch(services.clock, services.backends.quiet, enabled)
        registry.add_status_line(self.status_text)
        registry.add_status(self.live_status)
        registry.add_about_fact(N_("Quiet signals"), ", ".join(self.watch.names()) or N_("none on this desktop"))
        registry.on_settings_changed(self.apply_settings)
        gate = services.prompt_gate
        gate.set_quiet_check(self.check_now)
        self.life.on_end(lambda: gate.set_quiet_check(None))

    def stop(self) -> None:
        """No more samples, and the gate asks no more. It keeps its last answer: telling it "quiet is over" now would
        offer a held break on the way out. Harmless twice."""
        self.life.end()

    def apply_settings(self, settings: Settings) -> None:
        if self.life.ended:
            return
        self.watch.configure(enabled_reasons(settings.quiet))
        self.sample()  # a signal turned off releases at once

    def check_now(self) -> None:
        """The gate's question, at the instant it would let a due prompt out: is the desktop quiet now? Quiet found
        here starts the timer: the prompt that asked is about to wait."""
        if self._refresh():
            self.timer.start()

    def _refresh(self) -> bool:
        """Ask the desktop, unless the timer runs (a prompt is held already and the last sample is at most SAMPLE_MS
        old); True when it asks for quiet. An end of quiet found here reaches the gate from the event loop: the
        gate's listeners offer held prompts, which must not happen inside the gate's own question."""
        if self.life.ended:
            return False
        if not self.timer.isActive():
            self._ask_desktop()
            if self.watch.state.reason is None and self.ctx.prompt_gate.quiet_words:
                self.life.later(self._tell_gate)
        return self.watch.state.reason is not None

    def sample(self) -> None:
        """The timer's sample (and a change in Settings): tell the gate, which offers held prompts when quiet ends;
        stop sampling once nothing waits."""
        self._ask_desktop()
        self._tell_gate()
        if not self.ctx.prompt_gate.holding_for_quiet:
            self.timer.stop()

    def _ask_desktop(self) -> None:
        before = self.watch.state.reason
        state = self.watch.poll()
        if state.reason is not before:
            log.info("the desktop %s", f"asks for quiet: {state.words}" if state.reason else "no longer asks for quiet")
        if state.reason is not None:
            self.ctx.prompt_gate.update_quiet(_tr(state.words))  # starting to hold calls nobody back

    def _tell_gate(self) -> None:
        if self.life.ended:
            return
        state = self.watch.state
        self.ctx.prompt_gate.update_quiet(_tr(state.words) if state.reason else "")
        shown = self.status_text()
        if shown != self._status_shown:  # setting the tooltip costs more than comparing two strings
            self._status_shown = shown
            self.ctx.tray.refresh_tooltip()

    def status_text(self) -> str:
        """ "waiting: do not disturb is on" while a prompt is held by quiet; nothing when nothing waits."""
        gate = self.ctx.prompt_gate
        return _tr("waiting: %1").replace("%1", gate.quiet_words) if gate.holding_for_quiet else ""

    def live_status(self) -> dict[str, Any]:
        self._refresh()  # `companion status` reports the desktop as it is now, not as the last prompt found it
        reason = self.watch.state.reason
        # quiet_signals: the desktop switches this run follows (as idle_source names the idle source), by their
        # untranslated names, so a script or a test can tell which of the desktop's switches is in use.
        return {"quiet_reason": reason.value if reason else None, "quiet_signals": self.watch.names()}


def create() -> QuietFeature:
    return QuietFeature()
