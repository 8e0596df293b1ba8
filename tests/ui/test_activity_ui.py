"""The break prompt, the break window and the activity feature in the tray, offscreen with pytest-qt.

Idle time comes from the real last-resort backend (input to our own widgets) on the fake clock, so a whole
working day runs in a second; the database is a real SQLite file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMenu

from companion.app import CompanionApp
from companion.core.activity_records import ActivityState, BreakLog
from companion.core.breaks import BreakStatus
from companion.core.clock import FakeClock
from companion.core.hotkeys import HotkeyBackend
from companion.core.ipc import Request
from companion.core.paths import AppPaths
from companion.core.quiet import QuietSignal
from companion.core.settings import Settings
from companion.core.store import Store
from companion.features.activity import ActivityFeature, load_break_ideas
from companion.platform.autostart import NoAutostart
from companion.platform.backends import Backends
from companion.platform.calls_other import NoCallDetector
from companion.platform.hotkey import NoHotkeyBackend
from companion.platform.idle_own_windows import OwnWindowsIdleSource
from companion.platform.lock_other import NoLockMonitor
from companion.platform.notify import Notifier
from companion.ui.breaks import BreakIdea, BreakWindow, break_prompt
from companion.ui.tray import TrayLook
from tests.desktop import ARTIFACTS

TICK = 10.0


# -- the prompt ------------------------------------------------------------------------------------------------


def test_prompt_offers_start_postpone_and_skip_with_start_as_default(qtbot) -> None:
    prompt = break_prompt(52, postpone_minutes=5, postpones_left=2)
    qtbot.addWidget(prompt)
    assert [b.text() for b in prompt.buttons.values()] == ["&Start break", "&In 5 min", "S&kip"]
    assert prompt.buttons["start"].isDefault()
    assert any("working for 52 minutes" in label.text() for label in prompt.findChildren(QLabel))


def test_prompt_without_postpones_left_has_no_postpone_and_escape_skips(qtbot) -> None:
    prompt = break_prompt(50, postpone_minutes=5, postpones_left=0)
    qtbot.addWidget(prompt)
    assert list(prompt.buttons) == ["start", "skip"]
    with qtbot.waitSignal(prompt.chosen) as chosen:
        qtbot.keyClick(prompt, Qt.Key.Key_Escape)
    assert chosen.args == ["skip"]


def test_prompt_is_keyboard_operable(qtbot) -> None:
    prompt = break_prompt(50, postpone_minutes=5, postpones_left=3)
    qtbot.addWidget(prompt)
    prompt.show()
    prompt.buttons["postpone"].setFocus()
    with qtbot.waitSignal(prompt.chosen) as chosen:
        qtbot.keyClick(prompt.buttons["postpone"], Qt.Key.Key_Return)
    assert chosen.args == ["postpone"]


def test_prompt_does_not_take_the_focus_from_what_the_rep_is_typing_in(qtbot) -> None:
    editor = QLineEdit()
    qtbot.addWidget(editor)
    editor.show()
    editor.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor)
    prompt = break_prompt(50, postpone_minutes=5, postpones_left=3)
    qtbot.addWidget(prompt)
    prompt.show_near_tray()
    qtbot.waitExposed(prompt)
    assert prompt.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert QApplication.focusWidget() is editor
    assert not prompt.isModal()


# -- the break window ------------------------------------------------------------------------------------------


def test_break_window_counts_down_and_reports_a_completed_break(qtbot) -> None:
    clock = FakeClock()
    window = BreakWindow(300, BreakIdea("Water", "Drink a glass of water."), clock)
    qtbot.addWidget(window)
    window.show()
    assert window.countdown.text() == "5:00"
    clock.advance(61)
    window.tick()
    assert window.countdown.text() == "3:59"
    clock.advance(240)
    with qtbot.waitSignal(window.finished) as finished:
        window.tick()
    assert finished.args == [True]
    assert window.button.text() == "&Back to work"
    assert "Welcome back" in window.heading.text()
    ARTIFACTS.mkdir(exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / "activity-break-window-done.png"))


def test_ending_a_break_early_reports_it_not_completed(qtbot) -> None:
    window = BreakWindow(300, BreakIdea("Water", "Drink a glass of water."), FakeClock())
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.finished) as finished:
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert finished.args == [False]


def test_break_ideas_are_data_with_a_title_and_text() -> None:
    ideas = load_break_ideas()
    assert len(ideas) >= 10
    assert all(idea.title and len(idea.text) > 20 for idea in ideas)
    assert len({idea.title for idea in ideas}) == len(ideas)


# -- the feature in the app ------------------------------------------------------------------------------------


class DeskIdleSource(OwnWindowsIdleSource):
    """The test's keyboard stands for the whole desktop's input (the real system-wide backends are tested on real
    X11, sway and mutter in tests/platform); the session-time fallback is for a source that is not."""

    system_wide = True


class Desk:
    """The real app with the activity feature, and a rep at the keyboard on a fake clock."""

    def __init__(
        self,
        qapp: QApplication,
        paths: AppPaths,
        qtbot,
        lock_monitor: object | None = None,
        autostart: object | None = None,
        quiet: Sequence[QuietSignal] = (),
        hotkeys: HotkeyBackend | None = None,
        system_wide: bool = True,
    ) -> None:
        self.clock = FakeClock(datetime(2026, 11, 23, 9, 0))
        self.store = Store.open(paths.database)
        self.notified: list[str] = []
        self.idle = (DeskIdleSource if system_wide else OwnWindowsIdleSource)(qapp, self.clock)
        backends = Backends(
            idle=self.idle,
            calls=NoCallDetector(),
            lock=lock_monitor or NoLockMonitor(),
            notifier=Notifier(lambda title, text: self.notified.append(title), probe=False),
            autostart=autostart or NoAutostart(),
            quiet=tuple(quiet),
            hotkeys=hotkeys or NoHotkeyBackend(),
        )
        self.app = CompanionApp(qapp, paths, self.store, self.clock, [], backends=backends)
        self.registry = self.app.registry
        self.first_of_day: list[bool] = []
        self.away: list[bool] = []
        self.registry.on_first_activity_of_day(lambda: self.first_of_day.append(True))
        self.registry.on_away(self.away.append)
        self.keyboard = QLineEdit()
        qtbot.addWidget(self.keyboard)
        self.feature = self.app.add_feature(ActivityFeature())
        self.qapp = qapp

    def type_a_key(self) -> None:
        QApplication.sendEvent(
            self.keyboard, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
        )

    def work(self, seconds: float) -> None:
        for _ in range(int(seconds // TICK)):
            self.clock.advance(TICK)
            self.type_a_key()
            self.feature.tick()
            if self.feature.prompt is not None:
                return

    def rest(self, seconds: float) -> None:
        for _ in range(int(seconds // TICK)):
            self.clock.advance(TICK)
            self.feature.tick()

    def menu_action(self, text: str, menu: QMenu | None = None) -> QAction:
        self.app.tray.rebuild_menu()
        menus = [menu or self.app.tray.menu]
        while menus:
            current = menus.pop()
            for action in current.actions():
                if action.text().startswith(text):
                    return action
                if action.menu() is not None:
                    menus.append(action.menu())
        raise AssertionError(f"no menu item {text!r} in {self.app.tray.action_texts()}")

    def close(self) -> None:
        """Quit as the rep does: the app's staged shutdown stops the feature and closes the store."""
        self.app.shutdown()
        self.qapp.removeEventFilter(self.idle)


@pytest.fixture
def desk(qapp: QApplication, app_paths: AppPaths, qtbot) -> Iterator[Desk]:
    made = Desk(qapp, app_paths, qtbot)
    yield made
    made.close()


def test_about_and_status_say_which_backends_work_and_that_idle_is_not_system_wide(
    qapp: QApplication, app_paths: AppPaths, qtbot
) -> None:
    desk = Desk(qapp, app_paths, qtbot, system_wide=False)
    try:
        facts = dict(desk.registry.about_facts)
        assert facts["Idle detection"].startswith("Companion's own windows only")
        assert "system-wide idle detection is not available on this desktop" in desk.app.status_line()
        assert "breaks follow session time" in desk.app.status_line()
        assert desk.app.backends.idle.seconds_since_last_input() == 0.0
        status = desk.feature.live_status()
        assert status["idle_source"] == "Companion's own windows only" and status["idle_system_wide"] is False
        assert desk.notified == ["Breaks follow your session time"]  # told once, on first start
    finally:
        desk.close()
    again = Desk(qapp, app_paths, qtbot, system_wide=False)
    try:
        assert again.notified == []  # not on the next start
        again.rest(30 * 60)  # no input anywhere Companion can see: presumed at work, then asked
        presence = again.feature.presence
        assert presence is not None
        prompt = presence.prompt
        assert prompt is not None and prompt.windowTitle() == "Still at it?"
        assert again.feature.tracker.state is ActivityState.ACTIVE
        qtbot.mouseClick(prompt.buttons["was_away"], Qt.MouseButton.LeftButton)
        again.rest(TICK)
        assert again.feature.tracker.state is ActivityState.AWAY
        assert again.feature.tracker.continuous_work_seconds() == 0.0
        again.rest(30 * 60)  # asked again; the rep quits with the check on screen
        unanswered = presence.prompt
        assert unanswered is not None and unanswered.isVisible()
    finally:
        again.close()
    assert not unanswered.isVisible()  # the feature's lifetime closed the check with the app


def test_the_still_at_it_check_waits_in_the_prompt_queue_until_a_call_ends(
    qapp: QApplication, app_paths: AppPaths, qtbot
) -> None:
    desk = Desk(qapp, app_paths, qtbot, system_wide=False)
    try:
        presence = desk.feature.presence
        assert presence is not None
        desk.feature.set_manual_call(True)
        desk.rest(30 * 60)
        assert presence.prompt is None and presence.queued  # due, but never during a call
        desk.feature.set_manual_call(False)
        desk.rest(60)  # the gate's grace after a call
        assert presence.prompt is not None and presence.prompt.isVisible()
    finally:
        desk.close()


def test_a_working_morning_brings_the_prompt_and_in_5_min_brings_it_back(desk: Desk, qtbot) -> None:
    desk.work(60 * 60)
    prompt = desk.feature.prompt
    assert prompt is not None and prompt.isVisible()
    assert desk.app.tray.look is TrayLook.BREAK_DUE
    assert desk.notified == []  # the prompt is the notice
    assert desk.first_of_day == [True]
    qtbot.mouseClick(prompt.buttons["postpone"], Qt.MouseButton.LeftButton)
    assert desk.feature.prompt is None
    assert desk.app.tray.look is TrayLook.NORMAL
    started = desk.clock.monotonic()
    desk.work(30 * 60)
    assert desk.feature.prompt is not None
    assert desk.clock.monotonic() - started == pytest.approx(5 * 60, abs=TICK)


def test_starting_the_break_opens_the_window_and_records_a_completed_break(desk: Desk, qtbot) -> None:
    desk.work(60 * 60)
    qtbot.mouseClick(desk.feature.prompt.buttons["start"], Qt.MouseButton.LeftButton)
    window = desk.feature.break_window
    assert window is not None and window.isVisible()
    assert "on a break" in desk.app.status_line()
    assert not desk.menu_action("Take a break now").isEnabled()
    desk.rest(5 * 60)
    with qtbot.waitSignal(window.finished):
        window.tick()
    values = desk.app.live_status()
    assert values["breaks_today"] == 1
    assert values["seconds_since_last_break"] < TICK
    rows = BreakLog(desk.store).rows()
    assert [(r["kind"], r["response"], r["completed"]) for r in rows] == [("prompted", "started", 1)]


def test_walking_away_answers_the_prompt_by_itself(desk: Desk) -> None:
    desk.work(60 * 60)
    assert desk.feature.prompt is not None
    desk.rest(6 * 60)
    assert desk.feature.prompt is None  # the natural break made the question moot
    assert desk.away == [True]
    desk.work(60)
    assert desk.away == [True, False]
    assert desk.app.live_status()["breaks_today"] == 1


def test_the_manual_call_toggle_defers_the_prompt_until_the_call_ends(desk: Desk) -> None:
    desk.work(45 * 60)
    desk.menu_action("I'm on a call").trigger()
    assert desk.app.live_status()["in_call"] is True
    desk.rest(15 * 60)  # listening, not typing: still work
    assert desk.feature.prompt is None
    assert desk.feature.last_status is BreakStatus.WAITING
    assert desk.app.tray.look is TrayLook.BREAK_DUE
    assert "on a call" in desk.app.status_line()
    desk.menu_action("I'm on a call").trigger()
    desk.work(20)
    assert desk.feature.prompt is None  # a moment's grace after hanging up
    desk.work(60)
    assert desk.feature.prompt is not None


def test_pause_tracking_changes_the_icon_and_ends_by_itself(desk: Desk) -> None:
    desk.work(60)
    desk.menu_action("For 30 minutes").trigger()
    assert desk.app.tray.look is TrayLook.PAUSED
    assert desk.app.live_status()["activity_state"] == "paused"
    assert desk.menu_action("Resume tracking (paused until 09:31)")
    desk.work(31 * 60)
    assert desk.app.tray.look is TrayLook.NORMAL
    assert desk.app.live_status()["tracking_paused"] is False
    assert desk.app.live_status()["activity_state"] == "active"


def test_companion_break_over_the_socket_starts_one_break_at_a_time(desk: Desk) -> None:
    first = desk.registry.commands["break"](Request("break"))
    assert first.ok and "Break started: 5 min" in first.message
    assert desk.feature.break_window is not None and desk.feature.break_window.isVisible()
    second = desk.registry.commands["break"](Request("break"))
    assert second.message == "A break is already under way."


def test_status_over_the_socket_has_the_activity_figures(desk: Desk) -> None:
    desk.work(20 * 60)
    reply = desk.registry.commands["ping"](Request("ping"))
    for key in ("active_seconds_today", "on_call_seconds_today", "breaks_today", "seconds_since_last_break", "in_call"):
        assert key in reply.data
    assert reply.data["active_seconds_today"] == pytest.approx(20 * 60, abs=TICK)
    assert reply.data["in_call"] is False


def test_settings_changes_apply_without_a_restart(desk: Desk) -> None:
    changed = desk.app.settings.current.with_value("work", "break_interval_minutes", 20)
    assert isinstance(changed, Settings)
    desk.app.settings.update(changed)
    desk.work(25 * 60)
    assert desk.feature.prompt is not None
    assert desk.clock.now().strftime("%H:%M") == "09:20"


def test_quitting_closes_the_windows_and_records_a_break_under_way_as_ended_early(desk: Desk) -> None:
    desk.work(60 * 60)
    assert desk.feature.prompt is not None
    desk.registry.commands["break"](Request("break"))  # the prompt gives way to the break
    assert desk.feature.prompt is None
    window = desk.feature.break_window
    desk.feature.stop()
    assert not window.isVisible()
    rows = BreakLog(desk.store).rows()
    assert [(r["kind"], r["response"], r["completed"]) for r in rows] == [("prompted", "started", 0)]
