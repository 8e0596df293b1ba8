"""Activity: idle and active time, call awareness and break reminders, wired into the tray and the socket.

One coarse timer samples the OS (idle time, call, lock); the tracker back-dates changes with the idle time, so
a tick every ten seconds still gives intervals accurate to the second and costs almost nothing.
"""

from __future__ import annotations

import json
import logging
import random
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QMenu

from companion.core.activity import (
    ActivityState,
    ActivityTracker,
    BreakLog,
    IntervalRepository,
    Observation,
    Sample,
    Thresholds,
    status_line,
)
from companion.core.breaks import Answer, BreakPolicy, BreakStatus
from companion.core.i18n import localized_resource_path
from companion.core.ipc import Reply, Request
from companion.core.settings import Settings, WorkSettings
from companion.core.status import format_duration
from companion.lifecycle import Lifetime, Registry, Services
from companion.ui.breaks import BreakIdea, BreakWindow, break_prompt
from companion.ui.prompt import ChoicePrompt
from companion.ui.tray import TrayLook

log = logging.getLogger(__name__)

TICK_MS = 10_000
NO_SYSTEM_IDLE = "system-wide idle detection is not available on this desktop"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Activity", text)


def thresholds(work: WorkSettings) -> Thresholds:
    return Thresholds(float(work.idle_after_seconds), work.natural_break_minutes * 60.0)


def load_break_ideas() -> list[BreakIdea]:
    data = json.loads(localized_resource_path("text", "break_ideas.json").read_text(encoding="utf-8"))
    return [BreakIdea(item["title"], item["text"]) for item in data["ideas"]]


class ActivityFeature(QObject):
    """Samples the chosen backends (services.backends) on one coarse timer; announces away/back and the first
    activity of the day through the registry; the backends themselves are closed by the app after stop()."""

    def __init__(self) -> None:
        super().__init__()
        self.life = Lifetime(self)
        self.ideas = load_break_ideas()
        self.manual_call = False
        self.paused_until: datetime | None = None
        self.prompt: ChoicePrompt | None = None
        self.break_window: BreakWindow | None = None
        self.last_status = BreakStatus.NOT_DUE
        self.timer = self.life.timer(TICK_MS, self.tick)
        self.timer.setTimerType(Qt.TimerType.VeryCoarseTimer)

    # -- wiring ----------------------------------------------------------------------------------------------
    def start(self, services: Services, registry: Registry) -> None:
        self.ctx = services
        self.registry = registry
        backends = services.backends
        self.idle, self.calls, self.lock = backends.idle, backends.calls, backends.lock
        self.notifier = backends.notifier
        work = services.settings.current.work
        log_table = BreakLog(services.store)
        self.tracker = ActivityTracker(services.clock, IntervalRepository(services.store), log_table, thresholds(work))
        self.policy = BreakPolicy(work, services.clock, services.prompt_gate, log_table)
        registry.add_tray_section(self.add_menu_items)
        registry.register_command("break", self.handle_break_command)
        registry.add_status_line(self.status_text)
        registry.add_status(self.live_status)
        registry.add_about_fact(
            "Idle detection", self.idle.name + ("" if self.idle.system_wide else f" ({NO_SYSTEM_IDLE})")
        )
        registry.add_about_fact("Call detection", self.calls.name)
        registry.add_about_fact("Screen lock", self.lock.name)
        registry.add_about_fact("Notifications", self.notifier.name)
        registry.on_settings_changed(self.apply_settings)
        self.lock.on_sleep(self.on_sleep)
        self.tick()
        self.timer.start()

    def apply_settings(self, settings: Settings) -> None:
        self.tracker.thresholds = thresholds(settings.work)
        self.policy.configure(settings.work)

    def stop(self) -> None:
        """No window outlives the app (a break under way is recorded as ended early), then the open interval is
        saved. The app closes the backends after this. Harmless twice."""
        if self.life.ended:
            return
        self.life.end()
        self._close_prompt()
        if self.break_window is not None:
            self.break_window.close()
        if hasattr(self, "tracker"):
            self.tracker.close()

    # -- sampling --------------------------------------------------------------------------------------------
    @property
    def paused(self) -> bool:
        if self.paused_until is not None and self.ctx.clock.now() >= self.paused_until:
            self.paused_until = None
            log.info("tracking resumed after its pause")
        return self.paused_until is not None

    def in_call(self) -> bool:
        return self.manual_call or bool(self.calls.in_call())

    def sample(self) -> Sample:
        return Sample(self.idle.seconds_since_last_input(), self.in_call(), bool(self.lock.is_locked()), self.paused)

    def tick(self) -> None:
        if self.life.ended:  # a sleep/resume callback from a backend after stop
            return
        sample = self.sample()
        observation = self.tracker.observe(sample)
        self.ctx.prompt_gate.update_call(sample.in_call)
        self.after_observation(observation)

    def on_sleep(self, going_to_sleep: bool) -> None:
        if self.life.ended:
            return
        if going_to_sleep:
            self.after_observation(self.tracker.suspend_now())
        else:
            self.tick()

    def after_observation(self, observation: Observation) -> None:
        if observation.returned:
            self.ctx.prompt_gate.note_return()
        if observation.first_activity_of_day:
            self.registry.announce_first_activity_of_day()
        if observation.away_changed is not None:
            self.registry.announce_away(observation.away_changed)
        if self.prompt is not None and self.tracker.continuous_work_seconds() == 0.0 and self.policy.withdraw_prompt():
            self._close_prompt()  # a natural break happened while the prompt was up
        self.evaluate_breaks()
        active_today = self.tracker.totals_today().active_seconds
        if self.policy.daily_notice_due(active_today):
            self.ctx.nudge(
                _tr("A full day's work"),
                _tr("You have been active for %1 today.").replace("%1", format_duration(active_today)),
            )
        self.refresh_tooltip()

    def refresh_tooltip(self) -> None:
        """Only when the words change: setting a tooltip costs more than comparing two strings."""
        text = self.ctx.tray.icon.toolTip()
        line = self.status_text()
        if line not in text:
            self.ctx.tray.refresh_tooltip()

    def evaluate_breaks(self) -> None:
        """Ask the policy what now, show the prompt if it says so, and make the icon say it."""
        if self.life.ended:  # a break window closed by stop(): record it, show nothing new
            return
        work = self.tracker.continuous_work_seconds()
        self.last_status = self.policy.evaluate(work, tracking=not self.paused)
        if self.last_status is BreakStatus.PROMPT:
            self.show_prompt(work)
            self.last_status = BreakStatus.PROMPTING
        self.update_look()

    def update_look(self) -> None:
        if self.paused:
            look = TrayLook.PAUSED
        elif self.last_status in (BreakStatus.WAITING, BreakStatus.PROMPT, BreakStatus.PROMPTING):
            look = TrayLook.BREAK_DUE
        else:
            look = TrayLook.NORMAL
        self.ctx.tray.set_look(look)

    # -- breaks ----------------------------------------------------------------------------------------------
    def show_prompt(self, work_seconds: float) -> None:
        work = self.policy.work
        prompt = break_prompt(
            round(work_seconds / 60), work.postpone_minutes, self.policy.postpones_left, self.ctx.tray.icon.geometry()
        )
        prompt.chosen.connect(self.on_prompt_answer)
        self.prompt = prompt
        self.ctx.show_prompt(prompt)  # the prompt is the notice: a notification on top of it would only cover it

    def on_prompt_answer(self, key: str) -> None:
        self.prompt = None
        applied = self.policy.answer(Answer(key), self.tracker.continuous_work_seconds())
        log.info("break prompt answered: %s", applied.value)
        if applied is Answer.START:
            self.open_break_window()
        self.evaluate_breaks()

    def _close_prompt(self) -> None:
        prompt, self.prompt = self.prompt, None
        if prompt is not None:
            prompt.chosen.disconnect(self.on_prompt_answer)
            prompt.close()

    def take_break_now(self) -> bool:
        if not self.policy.start_manual():
            return False
        self._close_prompt()
        self.open_break_window()
        self.evaluate_breaks()
        return True

    def open_break_window(self) -> None:
        window = BreakWindow(self.policy.break_seconds, random.choice(self.ideas), self.ctx.clock)
        window.finished.connect(self.on_break_finished)
        window.destroyed.connect(self._forget_break_window)  # it deletes itself when closed
        self.break_window = window
        window.show_centered()

    def _forget_break_window(self) -> None:
        self.break_window = None

    def on_break_finished(self, completed: bool) -> None:
        self.policy.finish_break(completed)
        self.tracker.note_break_taken()
        log.info("break finished (completed: %s)", completed)
        self.evaluate_breaks()

    # -- tray ------------------------------------------------------------------------------------------------
    def add_menu_items(self, menu: QMenu) -> None:
        take = menu.addAction(_tr("Take a break now"), self.take_break_now)
        take.setEnabled(not self.policy.on_break)
        call = menu.addAction(_tr("I'm on a call"))
        call.setCheckable(True)
        call.setChecked(self.manual_call)
        call.toggled.connect(self.set_manual_call)
        if self.paused and self.paused_until is not None:
            until = self.paused_until.strftime("%H:%M")
            menu.addAction(_tr("Resume tracking (paused until %1)").replace("%1", until), self.resume_tracking)
        else:
            pause = menu.addMenu(_tr("Pause tracking"))
            pause.addAction(_tr("For 30 minutes"), lambda: self.pause_for(timedelta(minutes=30)))
            pause.addAction(_tr("For 1 hour"), lambda: self.pause_for(timedelta(hours=1)))
            pause.addAction(_tr("Until tomorrow"), self.pause_until_tomorrow)

    def set_manual_call(self, on_call: bool) -> None:
        self.manual_call = on_call
        log.info("manual call toggle: %s", on_call)
        self.tick()

    def pause_for(self, length: timedelta) -> None:
        self.paused_until = self.ctx.clock.now() + length
        self.tick()

    def pause_until_tomorrow(self) -> None:
        now = self.ctx.clock.now()
        self.paused_until = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=now.tzinfo)
        self.tick()

    def resume_tracking(self) -> None:
        self.paused_until = None
        self.tick()

    def status_text(self) -> str:
        parts = [status_line(self.tracker.totals_today())]
        if self.policy.on_break:
            parts.append(_tr("on a break"))
        elif self.tracker.state is ActivityState.ON_CALL:
            parts.append(_tr("on a call"))
        if self.paused and self.paused_until is not None:
            parts.append(_tr("tracking paused until %1").replace("%1", self.paused_until.strftime("%H:%M")))
        elif self.last_status in (BreakStatus.WAITING, BreakStatus.PROMPTING):
            parts.append(_tr("a break is due"))
        if not self.idle.system_wide:
            parts.append(_tr("system-wide idle detection is not available on this desktop"))
        return " · ".join(parts)

    def live_status(self) -> dict[str, Any]:
        totals = self.tracker.totals_today()
        return {
            "active_seconds_today": round(totals.active_seconds),
            "on_call_seconds_today": round(totals.on_call_seconds),
            "breaks_today": totals.breaks,
            "seconds_since_last_break": round(totals.seconds_since_last_break),
            "in_call": self.in_call(),
            "activity_state": None if self.tracker.state is None else self.tracker.state.value,
            "tracking_paused": self.paused,
            "break_status": self.last_status.value,
            "idle_backend": self.idle.name,
        }

    # -- socket ----------------------------------------------------------------------------------------------
    def handle_break_command(self, request: Request) -> Reply:
        if self.take_break_now():
            minutes = self.policy.work.break_length_minutes
            return Reply(True, f"Break started: {minutes} min. The break window is on your screen.")
        return Reply(True, "A break is already under way.")


def create() -> ActivityFeature:
    return ActivityFeature()
