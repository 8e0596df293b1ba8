"""Quiet moments: while the desktop is in do-not-disturb, a window is full screen or the screen is presented,
prompts and sounds wait (core/quiet.py decides; companion/platform/quiet*.py reads the desktop).

The watch samples every few seconds and tells the prompt gate; the gate holds every prompt (break, cooldown
offer, check-in) and calls the activity feature back when the quiet ends, so a held break is offered then.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer

from companion.app import AppContext
from companion.core.quiet import QuietReason, QuietSignal, QuietWatch
from companion.core.settings import QuietSettings, Settings

log = logging.getLogger(__name__)

SAMPLE_MS = 3000  # a prompt due in the next three seconds may still wait for the next sample; no sooner is needed


def _tr(text: str) -> str:
    return QCoreApplication.translate("Quiet", text)


def enabled_reasons(settings: QuietSettings) -> dict[QuietReason, bool]:
    return {reason: bool(getattr(settings, reason.value)) for reason in QuietReason}


class QuietFeature(QObject):
    def __init__(self, ctx: AppContext, signals: list[QuietSignal] | None = None) -> None:
        super().__init__(ctx.tray)
        self.ctx = ctx
        if signals is None:
            from companion.platform.quiet import choose_quiet_signals

            signals = choose_quiet_signals()
        self.watch = QuietWatch(ctx.clock, signals, enabled_reasons(ctx.settings.current.quiet))
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.CoarseTimer)
        self.timer.setInterval(SAMPLE_MS)
        self.timer.timeout.connect(self.sample)

    def install(self) -> None:
        ctx = self.ctx
        ctx.status_line_parts.append(self.status_text)
        ctx.live_status.append(self.live_status)
        ctx.about_facts.append(("Quiet signals", ", ".join(self.watch.names()) or "none on this desktop"))
        ctx.settings.subscribe(self.apply_settings)
        ctx.on_quit.append(self.close)
        self.sample()
        if self.watch.signals:
            self.timer.start()

    def apply_settings(self, settings: Settings) -> None:
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
        return {"quiet_reason": reason.value if reason else None}

    def close(self) -> None:
        self.timer.stop()
        self.ctx.settings.unsubscribe(self.apply_settings)
        for signal in self.watch.signals:
            close = getattr(signal, "close", None)
            if close is not None:
                close()


def install(ctx: AppContext) -> None:
    QuietFeature(ctx).install()
