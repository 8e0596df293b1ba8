"""The tag panel, the offer and the cooldown window with real widgets, a real store and a real Vault.

The call detector is the one OS boundary here: the tests drive the prompt gate, its interface, directly.
"""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from companion.app import CompanionApp
from companion.core.clock import FakeClock
from companion.core.cooldown import PhaseKind, Preset, Step
from companion.core.cooldown_offers import DEFER_SECONDS
from companion.core.crypto import new_data_key
from companion.core.ipc import Request
from companion.core.prompt_gate import CALL_GRACE_SECONDS
from companion.core.rough_calls import Outcome, TagRequest
from companion.features.rough_calls import RoughCallsFeature
from companion.ui.cooldown_window import CooldownWindow
from companion.ui.prompt import ChoicePrompt
from companion.ui.tag_panel import TagPanel

# The offscreen platform cannot raise windows or pass size hints to a window manager; on a desktop it can.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)\(\)")


@pytest.fixture
def told() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def app(companion_app, told: list[tuple[str, str]]) -> CompanionApp:
    companion = companion_app(told=told)  # shut down by the fixture, as Quit does
    companion.vault.unlock_with_data_key(new_data_key())
    return companion


@pytest.fixture
def feature(app: CompanionApp) -> RoughCallsFeature:
    return app.add_feature(RoughCallsFeature())


def rows(app: CompanionApp, sql: str) -> list[tuple]:
    with sqlite3.connect(app.store.path) as conn:
        return conn.execute(sql).fetchall()


def test_the_panel_by_keyboard_alone_stores_one_tag(qtbot: QtBot, app: CompanionApp, feature: RoughCallsFeature):
    panel = feature.open_panel()
    qtbot.waitExposed(panel)
    qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_4)
    qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_Y)
    with qtbot.waitSignal(feature.tagged) as tagged:
        qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_Return)
    assert rows(app, "SELECT severity FROM rough_calls") == [(4,)]
    stored = feature.repo.get(tagged.args[0].id)
    assert stored is not None and stored.categories == ("yelling",) and stored.note == ""


def test_the_note_field_takes_letters_and_enter_saves_from_it(qtbot: QtBot, feature: RoughCallsFeature):
    panel = feature.open_panel()
    qtbot.waitExposed(panel)
    qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_5)
    qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_T)
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, "stayed calm")
    with qtbot.waitSignal(feature.tagged) as tagged:
        qtbot.keyClick(panel.note, Qt.Key.Key_Return)
    call = feature.repo.get(tagged.args[0].id)
    assert call is not None
    assert (call.severity, call.categories, call.note) == (5, ("threats",), "stayed calm")


def test_a_note_with_a_customers_email_gets_one_gentle_word_first(qtbot: QtBot, feature: RoughCallsFeature):
    panel = feature.open_panel()
    qtbot.waitExposed(panel)
    panel.note.setText("follow up with sam@example.com")
    panel.save()
    assert panel.note_warning.isVisible() and "email address" in panel.note_warning.text()
    assert feature.repo.count_since(60) == 0
    with qtbot.waitSignal(feature.tagged):
        panel.save()
    assert feature.repo.count_since(60) == 1


def test_while_the_journal_is_locked_the_panel_says_so_and_keeps_time_and_severity(
    qtbot: QtBot, app: CompanionApp, feature: RoughCallsFeature
):
    app.vault.lock()
    panel = feature.open_panel()
    qtbot.waitExposed(panel)
    assert panel.locked_notice.isVisible() and "locked" in panel.locked_notice.text()
    assert not panel.note.isEnabled() and not panel.chips["yelling"].isEnabled()
    qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_3)
    with qtbot.waitSignal(feature.tagged):
        qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_Return)
    assert rows(app, "SELECT severity, content FROM rough_calls") == [(3, None)]


def test_the_offer_appears_after_tagging(qtbot: QtBot, app: CompanionApp, feature: RoughCallsFeature):
    with qtbot.waitSignal(feature.offer_shown) as shown:
        feature.save_tag(TagRequest(3))
    offer: ChoicePrompt = shown.args[0]
    qtbot.waitExposed(offer)
    assert offer.windowTitle() == "Smile and take a break?"
    assert list(offer.buttons) == ["start", "later", "not_now"]
    assert rows(app, "SELECT response FROM cooldowns") == [("offered",)]


def test_the_offer_waits_for_the_call_to_end_and_its_grace(
    qtbot: QtBot, clock: FakeClock, app: CompanionApp, feature: RoughCallsFeature
):
    gate = app.prompt_gate
    gate.update_call(True)
    feature.save_tag(TagRequest(4))
    feature.present_next()
    assert feature.offer is None and feature.pending
    gate.update_call(False)
    clock.advance(CALL_GRACE_SECONDS / 2)
    feature.present_next()
    assert feature.offer is None
    clock.advance(CALL_GRACE_SECONDS)
    with qtbot.waitSignal(feature.offer_shown, timeout=3000):
        pass  # the gate timer notices the grace is over
    assert feature.offer is not None


def test_in_two_minutes_defers_and_comes_back(
    qtbot: QtBot, clock: FakeClock, app: CompanionApp, feature: RoughCallsFeature
):
    feature.save_tag(TagRequest(2))
    assert feature.offer is not None
    feature.offer.buttons["later"].click()
    assert feature.offer is None
    clock.advance(DEFER_SECONDS + 1)
    with qtbot.waitSignal(feature.offer_shown, timeout=3000):
        pass
    assert rows(app, "SELECT response FROM cooldowns ORDER BY id") == [("deferred",), ("offered",)]


def test_three_rough_calls_within_the_hour_suggest_resetting_your_clock(
    qtbot: QtBot, clock: FakeClock, feature: RoughCallsFeature
):
    for _ in range(3):
        feature.save_tag(TagRequest(1))
        clock.advance(10 * 60)
    assert feature.offer is not None
    assert feature.offer.windowTitle() == "Time to reset your clock?"
    texts = [label.text() for label in feature.offer.findChildren(QLabel)]
    assert any("3 rough calls within the hour" in text for text in texts)


def _start(qtbot: QtBot, feature: RoughCallsFeature, severity: int = 3) -> CooldownWindow:
    feature.save_tag(TagRequest(severity))
    assert feature.offer is not None
    with qtbot.waitSignal(feature.cooldown_opened) as opened:
        feature.offer.buttons["start"].click()
    window: CooldownWindow = opened.args[0]
    qtbot.waitExposed(window)
    return window


def test_the_cooldown_walks_its_phases_with_the_clock_and_records_tension(
    qtbot: QtBot, clock: FakeClock, app: CompanionApp, feature: RoughCallsFeature
):
    window = _start(qtbot, feature)
    assert window.pages.currentWidget() is window.before_page
    window.before_page.preset_buttons[Preset.RESET_60].click()
    qtbot.keyClick(window, Qt.Key.Key_7)
    assert window.pages.currentWidget() is window.before_page  # rating alone does not start the breathing
    assert window.next_button.text() == "&Start"
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.breathing_page
    assert window.frame_timer.isActive()
    seen = []
    radii = []
    for _ in range(int(window.session.timeline.pattern.cycle_seconds * 4)):
        clock.advance(0.25)
        window.tick()
        seen.append(window.breathing_page.phase_label.text())
        radii.append(window.breathing_page.pacer.circle_radius())
    assert {"Breathe in", "Top up", "Long breath out"} <= set(seen)
    assert max(radii) > 2 * min(radii)
    assert not window.breathing_page.smile_label.isVisible()
    clock.advance(window.session.timeline.total_seconds * 0.7 - 9)
    window.tick()
    assert window.breathing_page.smile_label.isVisible() and "smile" in window.breathing_page.smile_label.text()
    clock.advance(window.session.timeline.total_seconds)
    window.tick()
    assert window.pages.currentWidget() is window.reframe_page and window.reframe_page.reframe_label.text()
    assert not window.frame_timer.isActive()
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.after_page
    assert window.focusWidget() is window  # number keys rate here, they do not type into the line
    qtbot.keyClick(window, Qt.Key.Key_3)
    assert window.focusWidget() is window.after_page.reflection
    qtbot.keyClicks(window.after_page.reflection, "breathing helped 2")
    with qtbot.waitSignal(feature.cooldown_recorded) as recorded:
        qtbot.keyClick(window.after_page.reflection, Qt.Key.Key_Return)
    cooldown_id, result = recorded.args
    assert result.outcome is Outcome.COMPLETED
    assert rows(app, "SELECT response, outcome, preset, pattern FROM cooldowns") == [
        ("started", "completed", "reset_60", "cyclic_sighing")
    ]
    assert feature.repo.cooldown_content(cooldown_id) == {
        "tension_before": 7, "tension_after": 3, "reflection": "breathing helped 2",
    }  # fmt: skip


def test_i_have_to_take_a_call_ends_it_at_once_as_cut_short(
    qtbot: QtBot, clock: FakeClock, app: CompanionApp, feature: RoughCallsFeature
):
    window = _start(qtbot, feature, severity=5)
    qtbot.keyClick(window, Qt.Key.Key_Plus)
    qtbot.keyClick(window, Qt.Key.Key_Enter)
    assert window.session.tension_before == 10 and window.session.step is Step.BREATHING
    clock.advance(20)
    window.tick()
    with qtbot.waitSignal(feature.cooldown_recorded):
        qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()
    assert rows(app, "SELECT outcome, ended_utc - started_utc FROM cooldowns") == [("cut_short", 20.0)]
    assert feature.window is None


def test_closing_the_window_is_never_blocked_and_records_abandoned(
    qtbot: QtBot, app: CompanionApp, feature: RoughCallsFeature
):
    window = _start(qtbot, feature)
    with qtbot.waitSignal(feature.cooldown_recorded):
        assert window.close()
    assert rows(app, "SELECT outcome FROM cooldowns") == [("abandoned",)]


def test_reduced_motion_shows_words_and_a_counter_without_a_circle(
    qtbot: QtBot, clock: FakeClock, app: CompanionApp, feature: RoughCallsFeature
):
    settings = app.settings
    settings.update(settings.current.with_value("rough_calls", "reduced_motion", True))
    window = _start(qtbot, feature)
    window.next_step()
    clock.advance(1)
    window.tick()
    breathing = window.breathing_page
    assert breathing.pacer.reduced_motion and breathing.pacer.circle_radius() == 0
    assert breathing.phase_label.text() == "Breathe in" and "left" in breathing.counter_label.text()


def test_four_seven_eight_sits_under_more_and_stops_after_four_rounds(
    qtbot: QtBot, clock: FakeClock, feature: RoughCallsFeature
):
    window = _start(qtbot, feature, severity=5)
    assert "four_seven_eight" not in window.before_page.pattern_buttons
    action = next(a for a in window.before_page.more_button.menu().actions() if "4-7-8" in a.text())
    action.trigger()
    window.next_step()
    clock.advance(3 * 19 + 5)
    window.tick()
    breathing = window.breathing_page
    assert breathing.counter_label.text().startswith("Round 4 of 4")
    assert breathing.pacer.state is not None and breathing.pacer.state.phase is PhaseKind.HOLD_FULL


def test_companion_tag_over_the_socket_saves_and_reports_the_offer(app: CompanionApp, feature: RoughCallsFeature):
    reply = app.registry.commands["tag"](Request("tag", {"severity": 4, "tags": ["yelling"], "note": "n"}))
    assert reply.ok and reply.data["offer_shown"] and "on screen" in reply.message
    assert rows(app, "SELECT severity FROM rough_calls") == [(4,)]
    bad = app.registry.commands["tag"](Request("tag", {"severity": 9}))
    assert not bad.ok and "1 to 5" in bad.message
    opened = app.registry.commands["tag"](Request("tag", {}))
    assert opened.ok and isinstance(feature.panel, TagPanel)


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # offscreen: a popup menu
def test_the_tray_has_the_tag_item_and_a_left_click_can_open_the_panel(app: CompanionApp, feature: RoughCallsFeature):
    app.tray.rebuild_menu()
    assert "Tag a rough call…" in app.tray.action_texts()
    assert feature.tag_action.shortcut().toString() == "Ctrl+Shift+T"
    app.tray.clicked.emit()
    assert feature.panel is None and app.tray.menu.isVisible()  # the default: a left click opens the menu
    app.tray.menu.hide()
    settings = app.settings
    settings.update(settings.current.with_value("rough_calls", "tray_click_action", "tag"))
    app.tray.clicked.emit()
    assert feature.panel is not None and feature.panel.isVisible()


def test_the_in_app_shortcut_opens_the_panel_from_the_cooldown_window(qtbot: QtBot, feature: RoughCallsFeature):
    window = _start(qtbot, feature)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert feature.panel is not None and feature.panel.isVisible()


def test_escape_on_the_offer_declines_it(qtbot: QtBot, app: CompanionApp, feature: RoughCallsFeature):
    feature.save_tag(TagRequest(2))
    assert feature.offer is not None
    qtbot.keyClick(feature.offer, Qt.Key.Key_Escape)
    assert feature.offer is None and feature.window is None
    assert rows(app, "SELECT response, outcome FROM cooldowns") == [("declined", None)]


def test_a_new_tag_replaces_an_unanswered_offer(qtbot: QtBot, app: CompanionApp, feature: RoughCallsFeature):
    feature.save_tag(TagRequest(1))
    first = feature.offer
    feature.save_tag(TagRequest(4))
    assert feature.offer is not None and feature.offer is not first
    assert rows(app, "SELECT response FROM cooldowns ORDER BY id") == [("offered",), ("offered",)]


def test_the_tray_status_line_counts_todays_rough_calls(app: CompanionApp, feature: RoughCallsFeature):
    assert "rough today" not in app.status_line()
    feature.save_tag(TagRequest(3))
    feature.save_tag(TagRequest(2))
    assert "2 rough today" in app.status_line()


def test_the_soft_tone_marks_each_breath_in_and_out(qtbot: QtBot, clock: FakeClock, app: CompanionApp, feature):
    played: list[str] = []
    window = _start(qtbot, feature)
    window._play_tone = played.append  # the platform player is tested on its own against PulseAudio
    window.before_page.scale.pick(5)
    window.next_step()
    for _ in range(int(2 * window.session.timeline.pattern.cycle_seconds / 0.25) - 1):  # two whole breaths
        clock.advance(0.25)
        window.tick()
    assert played == ["in", "out", "in", "out"]


def test_the_soft_tone_setting_builds_a_player_only_when_on(qtbot: QtBot, app: CompanionApp, feature):
    window = _start(qtbot, feature)
    assert window._play_tone is None and app._tone_player is None
    window.close()
    settings = app.settings
    settings.update(settings.current.with_value("rough_calls", "soft_tone", True))
    window = _start(qtbot, feature)
    assert window._play_tone is not None and app._tone_player is not None


def test_quitting_records_a_running_cooldown_as_abandoned_and_offers_nothing_new(
    qtbot: QtBot, app: CompanionApp, feature: RoughCallsFeature
):
    _start(qtbot, feature)
    feature.save_tag(TagRequest(2))  # its offer waits for the cooldown window to close
    app.shutdown()
    assert feature.offer is None
    assert rows(app, "SELECT response, outcome FROM cooldowns ORDER BY id") == [("started", "abandoned")]


def test_quitting_with_an_offer_on_screen_does_not_count_as_declining_it(app: CompanionApp, feature: RoughCallsFeature):
    feature.save_tag(TagRequest(2))
    app.shutdown()
    assert rows(app, "SELECT response FROM cooldowns") == [("offered",)]


def test_a_suggested_length_between_presets_is_offered_and_chosen_first(qtbot: QtBot, feature: RoughCallsFeature):
    window = _start(qtbot, feature, severity=2)
    before = window.before_page
    assert before.suggested_button.isChecked() and before.suggested_button.text() == "1½ min, suggested"
    assert not any(button.isChecked() for button in before.preset_buttons.values())
    before.preset_buttons[Preset.FULL_300].click()
    assert window.session.exercise_seconds == 300 and not before.suggested_button.isChecked()


def test_a_tray_click_set_to_status_tells_todays_count(app: CompanionApp, feature: RoughCallsFeature, told):
    settings = app.settings
    settings.update(settings.current.with_value("rough_calls", "tray_click_action", "status"))
    feature.save_tag(TagRequest(3))
    app.tray.clicked.emit()
    assert told == [("Companion", "1 rough today")]


class UnlockingJournal:
    """The journal port while the start-up keyring conversation runs: actions wait until `open_now`."""

    def __init__(self, app: CompanionApp) -> None:
        self.app = app
        self.busy = True
        self.waiting: list[tuple[object, str]] = []

    def when_unlocked(self, action, reason: str = "") -> None:
        self.waiting.append((action, reason))

    def unlocking(self) -> bool:
        return self.busy

    def open_now(self) -> None:
        self.app.vault.unlock_with_data_key(self.key)
        for action, _reason in self.waiting:
            action()


@pytest.mark.parametrize("unlock_fails_first", [False, True])
def test_a_note_typed_in_the_panel_while_the_journal_unlocks_waits_and_is_sealed(
    qtbot: QtBot, app: CompanionApp, feature: RoughCallsFeature, unlock_fails_first: bool
):
    """The panel offers the note while the keyring answers at start; it is sealed when the journal opens. When the
    keyring then fails, the rep is asked to unlock instead of the note being dropped."""
    journal = UnlockingJournal(app)
    journal.key = new_data_key()
    app.ports.offer_journal(journal)
    app.vault.lock()
    panel = feature.open_panel()
    qtbot.waitExposed(panel)
    assert not panel.locked_notice.isVisible() and panel.note.isEnabled()
    qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_2)
    panel.note.setText("kept my voice low")
    journal.busy = not unlock_fails_first
    with qtbot.waitSignal(feature.tagged) as tagged:
        panel.save()
    assert rows(app, "SELECT severity, content FROM rough_calls") == [(2, None)]  # nothing plain, nothing sealed yet
    assert len(journal.waiting) == 1
    assert "Unlock your journal" in journal.waiting[0][1]  # what the rep reads if the journal must ask
    journal.open_now()
    call = feature.repo.get(tagged.args[0].id)
    assert call is not None and call.note == "kept my voice low"
