"""Activity: idle and active time, call awareness and break reminders, wired into the tray and the socket.

One coarse timer samples the OS (idle time, call, lock); the tracker back-dates changes with the idle time, so
a tick every ten seconds still gives intervals accurate to the second and costs almost nothing.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QMenu

from companion.core.activity import ActivityTracker, Sample, Thresholds
from companion.core.activity_records import ActivityState, BreakLog, IntervalRepository
from companion.core.activity_status import status_line, totals_status_values
from companion.core.break_rest import BreakEnding, RestMeter
from companion.core.breaks import Answer, BreakPolicy, BreakStatus
from companion.core.i18n import N_, _, localized_resource_path, ngettext
from companion.core.ipc import Reply, Request
from companion.core.session import ActivityDecision, ActivitySession
from companion.core.session_presence import SessionPresence
from companion.core.settings import Settings, WorkSettings
from companion.core.text import format_duration
from companion.lifecycle import Lifetime, Registry, Services
from companion.ui.breaks import BreakIdea, BreakWindow, break_prompt
from companion.ui.presence_prompt import NO_SYSTEM_IDLE_TITLE, PresenceCheck, no_system_idle_message
from companion.ui.prompt import ChoicePrompt
from companion.ui.tray import TrayLook

log = logging.getLogger(__name__)

TICK_MS = 10_000
PRESENCE_PROMPT = "still-at-it"  # its key in the prompt gate's queue
TOLD_NO_SYSTEM_IDLE = "told-no-system-idle"  # a marker in the data folder: the rep is told once, on first start


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
        self.rest_meter: RestMeter | None = None  # watches the idle time while a break window runs
        self.last_status = BreakStatus.NOT_DUE
        self.timer = self.life.timer(TICK_MS, self.tick)
        self.timer.setTimerType(Qt.TimerType.VeryCoarseTimer)
        # Set at start where there is no system-wide idle time: breaks then follow the session's time.
        self.presence: PresenceCheck | None = None

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
        self.session = ActivitySession(self.tracker, self.policy, services.prompt_gate)  # what each tick means
        registry.add_tray_section(self.add_menu_items)
        registry.register_command("break", self.handle_break_command)
        registry.register_command("call", self.handle_call_command)
        registry.add_status_line(self.status_text)
        registry.add_status(self.live_status)
        registry.add_about_fact(
            N_("Idle detection"),
            self.idle.name
            if self.idle.system_wide
            else _("{name} (system-wide idle detection is not available on this desktop)").format(name=self.idle.name),
        )
        registry.add_about_fact(N_("Call detection"), self.calls.name)
        registry.add_about_fact(N_("Screen lock"), self.lock.name)
        registry.add_about_fact(N_("Notifications"), self.notifier.name)
        registry.on_settings_changed(self.apply_settings)
        # A break held by do not disturb is offered as soon as the quiet ends, not at the next tick.
        services.prompt_gate.on_quiet_over(self.on_quiet_over)
        self.life.on_end(lambda: services.prompt_gate.forget_quiet_over(self.on_quiet_over))
        if not self.idle.system_wide:
            # No system-wide idle time: a "still at it?" check now and then; its prompt ends with the feature.
            self.presence = PresenceCheck(
                SessionPresence(services.clock), self._queue_presence_prompt, self._show_presence_prompt
            )
            self.life.on_end(self.presence.close)
        self.lock.on_sleep(self.on_sleep)
        self.tell_once_without_system_idle()
        self.tick()
        self.timer.start()

    def _queue_presence_prompt(self, show: Callable[[], None]) -> None:
        self.life.queue_prompt(self.ctx.prompt_gate, PRESENCE_PROMPT, show)

    def _show_presence_prompt(self, prompt: ChoicePrompt) -> None:
        self.ctx.show_prompt(self.life.window(prompt))

    def tell_once_without_system_idle(self) -> None:
        marker = self.ctx.paths.data / TOLD_NO_SYSTEM_IDLE
        if self.presence is not None and not marker.exists():
            self.ctx.notify(_tr(NO_SYSTEM_IDLE_TITLE), no_system_idle_message())
            marker.touch()

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
            self.rest_meter = None  # quitting is neither a skip nor a rest: recorded as started, not completed
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
        idle = self.idle.seconds_since_last_input()
        if self.presence is not None:
            idle = self.presence.presence.idle_seconds(idle)
        return Sample(idle, self.in_call(), bool(self.lock.is_locked()), self.paused)

    def tick(self) -> None:
        if self.life.ended:  # a sleep/resume callback from a backend after stop
            return
        paused = self.paused
        sample = self.sample()
        if self.rest_meter is not None:
            self.rest_meter.observe(sample.idle_seconds, self.ctx.clock.monotonic())
        self.follow(self.session.tick(sample, tracking=not paused, break_prompt_showing=self.prompt is not None))
        self.ctx.prompt_gate.show_next()  # the queue's prompts, once the call or the quiet after unlock is over

    def on_quiet_over(self) -> None:
        """Do not disturb, full screen or presenting ended: a held break, then the queue's prompts, come out now."""
        if self.life.ended:
            return
        self.evaluate_breaks()
        self.ctx.prompt_gate.show_next()

    def on_sleep(self, going_to_sleep: bool) -> None:
        if self.life.ended:
            return
        if going_to_sleep:
            self.follow(self.session.suspend(tracking=not self.paused, break_prompt_showing=self.prompt is not None))
        else:
            self.tick()

    def follow(self, decision: ActivityDecision) -> None:
        """Turn the core's decision for this tick (core.session.ActivitySession) into prompts, icons and messages.

        The break prompt comes before the listeners, so a check-in they queue waits behind a break that is due."""
        if decision.withdraw_break_prompt:
            self._close_prompt()  # a natural break happened while the prompt was up
        self.show_break_status(decision.break_status, decision.work_seconds)
        observation = decision.observation
        if observation.first_activity_of_day:
            self.registry.announce_first_activity_of_day()
        if observation.away_changed is not None:
            self.registry.announce_away(observation.away_changed)
        if self.presence is not None:
            self.presence.after_tick(self.ctx.tray.icon.geometry())
        if decision.daily_notice_seconds is not None:
            self.ctx.nudge(
                _tr("A full day's work"),
                _tr("You have been active for %1 today.").replace("%1", format_duration(decision.daily_notice_seconds)),
            )
        self.refresh_tooltip()

    def refresh_tooltip(self) -> None:
        """Only when the words change: setting a tooltip costs more than comparing two strings."""
        text = self.ctx.tray.icon.toolTip()
        line = self.status_text()
        if line not in text:
            self.ctx.tray.refresh_tooltip()

    def evaluate_breaks(self) -> None:
        """Ask the policy what now (after an answer or a break, between ticks), and show it."""
        if self.life.ended:  # a break window closed by stop(): record it, show nothing new
            return
        work = self.tracker.continuous_work_seconds()
        self.show_break_status(self.policy.evaluate(work, tracking=not self.paused), work)

    def show_break_status(self, status: BreakStatus, work_seconds: float) -> None:
        """Show the prompt if the policy says so, and make the icon say it."""
        self.last_status = status
        if status is BreakStatus.PROMPT:
            self.show_prompt(work_seconds)
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
        if self.presence is not None:
            self.presence.presence.seen()  # answering is being here
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
        self.rest_meter = RestMeter(self.ctx.clock.monotonic())
        window.show_centered()

    def _forget_break_window(self) -> None:
        self.break_window = None

    def on_break_finished(self, completed: bool) -> None:
        meter, self.rest_meter = self.rest_meter, None
        ending = meter.ending(completed, self.ctx.clock.monotonic()) if meter else BreakEnding.INTERRUPTED
        if ending is BreakEnding.RESTED:
            self.policy.finish_break(True)
            self.tracker.note_break_taken()
        else:
            self.policy.end_unrested(ending)
            if ending is BreakEnding.INTERRUPTED and self.break_window is not None:
                self.break_window.show_worked_through()
        log.info("break finished: %s", ending.value)
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
            # One literal, so the string extractor finds the whole sentence.
            parts.append(
                _tr("system-wide idle detection is not available on this desktop, so breaks follow session time")
            )
        return " · ".join(parts)

    def live_status(self) -> dict[str, Any]:
        return {
            **totals_status_values(self.tracker.totals_today(), self.in_call()),
            "activity_state": None if self.tracker.state is None else self.tracker.state.value,
            "tracking_paused": self.paused,
            "break_status": self.last_status.value,
            "idle_backend": self.idle.name,
            "idle_source": self.idle.name,
            "idle_system_wide": self.idle.system_wide,
        }

    # -- socket ----------------------------------------------------------------------------------------------
    def handle_break_command(self, request: Request) -> Reply:
        if self.take_break_now():
            minutes = self.policy.work.break_length_minutes
            return Reply(
                True,
                ngettext(
                    "Break started: {minutes} min. The break window is on your screen.",
                    "Break started: {minutes} min. The break window is on your screen.",
                    minutes,
                ).format(minutes=minutes),
            )
        return Reply(True, _("A break is already under way."))

    def handle_call_command(self, request: Request) -> Reply:
        """Flip "I'm on a call" (the global hotkey sends this), or set it with {"on": true/false}."""
        wanted = request.args.get("on")
        self.set_manual_call(not self.manual_call if not isinstance(wanted, bool) else wanted)
        return Reply(True, _("Marked as on a call.") if self.manual_call else _("No longer marked as on a call."))


def create() -> ActivityFeature:
    return ActivityFeature()
