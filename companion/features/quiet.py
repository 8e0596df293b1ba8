"""Quiet moments: while the desktop is in do-not-disturb, a window is full screen or the screen is presented,
prompts and sounds wait (core/quiet.py decides; companion/platform/quiet*.py reads the desktop, and
platform/backends.py's choose_backends picks the signals this desktop offers).

The watch samples every few seconds and tells the prompt gate; the gate holds every prompt (break, cooldown
offer, check-in) and calls the activity feature back when the quiet ends, so a held break is offered then.
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

SAMPLE_MS = 3000  # a prompt due in the next three seconds may still wait for the next sample; no sooner is needed


def _tr(text: str) -> str:
    return QCoreApplication.translate("Quiet", text)


def enabled_reasons(settings: QuietSettings) -> dict[QuietReason, bool]:
    return {reason: bool(getattr(settings, reason.value)) for reason in QuietReason}


class QuietFeature(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.life = Lifetime(self)
        self.timer = self.life.timer(SAMPLE_MS, self.sample)
        self.timer.setTimerType(Qt.TimerType.CoarseTimer)

    def start(self, services: Services, registry: Registry) -> None:
        self.ctx = services
        # The signals belong to the backends (closed with them); the feature only samples them.
        enabled = enabled_reasons(services.settings.current.quiet)
        self.watch = QuietWatch(services.clock, services.backends.quiet, enabled)
        registry.add_status_line(self.status_text)
        registry.add_status(self.live_status)
        registry.add_about_fact(N_("Quiet signals"), ", ".join(self.watch.names()) or N_("none on this desktop"))
        registry.on_settings_changed(self.apply_settings)
        self.sample()
        if self.watch.signals:
            self.timer.start()

    def stop(self) -> None:
        """No more samples. The gate keeps its last answer: telling it "quiet is over" now would offer a held break
        on the way out. Harmless twice."""
        self.life.end()

    def apply_settings(self, settings: Settings) -> None:
        if self.life.ended:
            return
        self.watch.configure(enabled_reasons(settings.quiet))
        self.sample()

    def sample(self) -> None:
        before = self.watch.state.reason
        state = self.watch.poll()
        if state.reason is not before:
            log.info("prompts %s", f"wait: {state.words}" if state.reason else "may show again")
            self.ctx.tray.refresh_tooltip()
        self.ctx.prompt_gate.update_quiet(_tr(state.words) if state.reason else "")

    def status_text(self) -> str:
        reason = self.watch.state.reason
        return _tr("waiting: %1").replace("%1", _tr(self.watch.state.words)) if reason else ""

    def live_status(self) -> dict[str, Any]:
        reason = self.watch.state.reason
        # quiet_signals: the desktop switches this run follows (as idle_source names the idle source), by their
        # untranslated names, so a script or a test can tell which of the desktop's switches is in use.
        return {"quiet_reason": reason.value if reason else None, "quiet_signals": self.watch.names()}


def create() -> QuietFeature:
    return QuietFeature()
