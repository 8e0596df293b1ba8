"""Break policy: when a break is due, what the rep's answer does, and what gets recorded.

It decides and records; it never shows anything. The tracker gives it the continuous work time; the prompt gate
says whether a prompt may interrupt now (never during a call, not right after one, not right after unlock or resume).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from companion.core.activity_records import BreakLog
from companion.core.break_rest import BreakEnding
from companion.core.clock import Clock, utc_offset_minutes
from companion.core.day_schedule import within_working_hours
from companion.core.prompt_gate import PromptGate
from companion.core.settings import WorkSettings


class BreakStatus(Enum):
    NOT_DUE = "not_due"
    WAITING = "waiting"  # due, but now is not a moment to ask (a call, just back, outside working hours is NOT_DUE)
    PROMPT = "prompt"  # show the prompt now
    PROMPTING = "prompting"  # the prompt is on screen, waiting for an answer
    ON_BREAK = "on_break"


class Answer(Enum):
    START = "start"
    POSTPONE = "postpone"
    SKIP = "skip"


@dataclass
class _Break:
    row_id: int
    started_mono: float | None = None


class BreakPolicy:
    def __init__(self, work: WorkSettings, clock: Clock, gate: PromptGate, log: BreakLog) -> None:
        self.work = work
        self._clock = clock
        self._gate = gate
        self._log = log
        self._due_after_work = work.break_interval_minutes * 60.0
        self._last_work = 0.0
        self._postponed_until: float | None = None  # monotonic
        self._postpones: tuple[date, int] = (clock.now().date(), 0)
        self._notice_day: date | None = None
        self._prompt: _Break | None = None  # the prompt on screen
        self._break: _Break | None = None  # the break under way

    def configure(self, work: WorkSettings) -> None:
        if work.break_interval_minutes != self.work.break_interval_minutes:
            self._due_after_work = work.break_interval_minutes * 60.0
        self.work = work

    @property
    def postpones_left(self) -> int:
        day, used = self._postpones
        used = used if day == self._clock.now().date() else 0
        return max(0, self.work.postpone_limit_per_day - used)

    @property
    def break_seconds(self) -> float:
        return self.work.break_length_minutes * 60.0

    def evaluate(self, work_seconds: float, tracking: bool = True) -> BreakStatus:
        """Called every tick with the tracker's continuous work time."""
        if work_seconds + 1.0 < self._last_work:
            # The work counter started again (a natural break): so does the schedule.
            self._due_after_work = self.work.break_interval_minutes * 60.0
            self._postponed_until = None
        self._last_work = work_seconds
        if self._break is not None:
            return BreakStatus.ON_BREAK
        if self._prompt is not None:
            return BreakStatus.PROMPTING
        if not tracking or not within_working_hours(self._clock.now(), self.work):
            return BreakStatus.NOT_DUE
        if work_seconds < self._due_after_work:
            return BreakStatus.NOT_DUE
        if self._postponed_until is not None and self._clock.monotonic() < self._postponed_until:
            return BreakStatus.NOT_DUE
        if not self._gate.may_prompt():
            return BreakStatus.WAITING
        now = self._clock.now()
        self._prompt = _Break(self._log.record_due("prompted", now.timestamp(), utc_offset_minutes(now)))
        return BreakStatus.PROMPT

    def answer(self, answer: Answer, work_seconds: float) -> Answer:
        """The rep's answer to the prompt; a postpone past the day's limit counts as a skip. Returns what applied."""
        prompt = self._prompt
        if prompt is None:
            return answer
        self._prompt = None
        if answer is Answer.POSTPONE and self.postpones_left == 0:
            answer = Answer.SKIP
        now = self._clock.now().timestamp()
        self._log.record_response(prompt.row_id, {"start": "started", "postpone": "postponed", "skip": "skipped"}[
            answer.value], now)  # fmt: skip
        if answer is Answer.START:
            prompt.started_mono = self._clock.monotonic()
            self._break = prompt
        elif answer is Answer.POSTPONE:
            day, used = self._postpones
            today = self._clock.now().date()
            self._postpones = (today, (used if day == today else 0) + 1)
            self._postponed_until = self._clock.monotonic() + self.work.postpone_minutes * 60.0
        else:
            self._due_after_work = work_seconds + self.work.break_interval_minutes * 60.0
        return answer

    def withdraw_prompt(self) -> bool:
        """The rep took a natural break while the prompt was up: it has nothing left to ask (left unanswered)."""
        if self._prompt is None:
            return False
        self._prompt = None
        return True

    def start_manual(self) -> bool:
        """ "Take a break now" from the tray or `companion break`; False if a break is already under way."""
        if self._break is not None:
            return False
        if self._prompt is not None:
            self.answer(Answer.START, self._last_work)
            return True
        now = self._clock.now()
        row = self._log.record_due("manual", now.timestamp(), utc_offset_minutes(now))
        self._log.record_response(row, "started", now.timestamp())
        self._break = _Break(row, self._clock.monotonic())
        return True

    def finish_break(self, completed: bool) -> None:
        """The break window closed: at the end of its countdown (completed) or earlier."""
        current = self._break
        if current is None:
            return
        self._break = None
        self._log.record_end(current.row_id, self._clock.now().timestamp(), completed)
        self._due_after_work = self.work.break_interval_minutes * 60.0
        self._postponed_until = None
        self._last_work = 0.0

    def end_unrested(self, ending: BreakEnding) -> None:
        """The break did not rest the rep: closed early (a skip) or worked through (interrupted, not taken).

        Neither resets the schedule as a break would: the next reminder comes one interval after this one."""
        current = self._break
        if current is None:
            return
        self._break = None
        now = self._clock.now().timestamp()
        if ending is BreakEnding.SKIPPED:
            self._log.record_response(current.row_id, "skipped", now)
        self._log.record_end(current.row_id, now, False)
        self._due_after_work = self._last_work + self.work.break_interval_minutes * 60.0
        self._postponed_until = None

    @property
    def on_break(self) -> bool:
        return self._break is not None

    def daily_notice_due(self, active_seconds_today: float) -> bool:
        """True once a day, when today's active time first reaches the notice threshold."""
        hours = self.work.daily_notice_hours
        today = self._clock.now().date()
        if hours <= 0 or self._notice_day == today or active_seconds_today < hours * 3600:
            return False
        self._notice_day = today
        return True
