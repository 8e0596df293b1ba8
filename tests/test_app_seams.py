"""Where the features meet, inside a real CompanionApp: the Settings window driving the real activity feature, and
"Erase everything" removing the journal's key from a real Secret Service along with every file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QSpinBox, QWidget

from companion.app import CompanionApp, ShutdownState
from companion.core.clock import FakeClock
from companion.core.crypto import Vault
from companion.core.ipc import COMMANDS
from companion.core.journal import CheckIn, EntryKind, Journal, Writing
from companion.core.keys import KEY_ID_META, KeyManager, ScryptParams, keyring_account_in
from companion.core.paths import AppPaths
from companion.core.store import Store
from companion.features import journal
from companion.features.settings import SettingsFeature
from companion.platform.autostart_xdg import XdgAutostart
from companion.platform.keyring_helper import HELPER_OVERRIDE_ENV, secret_store_in_helper
from companion.platform.keyring_store import SERVICE, KeyringSecretStore, detect_secret_store
from companion.ui.journal_dialogs import UnlockDialog
from tests import desktop
from tests.app_harness import fallback_backends
from tests.features.test_settings_feature import answer_erase_dialog
from tests.ui.test_activity_ui import TICK, Desk


@pytest.fixture
def desk_with_settings(qapp: QApplication, app_paths: AppPaths, qtbot) -> Iterator[tuple[Desk, SettingsFeature]]:
    desk = Desk(qapp, app_paths, qtbot, autostart=XdgAutostart())
    feature = desk.app.add_feature(SettingsFeature())
    yield desk, feature
    desk.close()  # the staged shutdown closes the Settings window with the feature


def type_into(qtbot, spin: QSpinBox, text: str) -> None:
    """As the rep does: select what is there, type the new number, press Enter."""
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def test_a_shorter_break_interval_typed_in_settings_brings_the_next_break_forward(
    desk_with_settings: tuple[Desk, SettingsFeature], qtbot
) -> None:
    desk, settings = desk_with_settings
    desk.work(15 * 60)
    assert desk.feature.prompt is None  # 15 min into the default 50
    window = settings.show_window("work")
    qtbot.waitExposed(window)
    spin = window.editors[("work", "break_interval_minutes")].widget
    assert isinstance(spin, QSpinBox)

    type_into(qtbot, spin, "20")

    assert desk.app.settings.current.work.break_interval_minutes == 20
    assert desk.feature.policy.work.break_interval_minutes == 20  # the running feature was told, no restart
    started = desk.clock.monotonic()
    desk.work(60 * 60)
    assert desk.feature.prompt is not None
    assert desk.clock.monotonic() - started == pytest.approx(5 * 60, abs=TICK)  # 20 min in all, not 50


def test_a_longer_idle_threshold_typed_in_settings_keeps_a_quiet_spell_counted_as_work(
    desk_with_settings: tuple[Desk, SettingsFeature], qtbot
) -> None:
    desk, settings = desk_with_settings
    window = settings.show_window("work")
    spin = window.editors[("work", "idle_after_seconds")].widget
    assert isinstance(spin, QSpinBox)
    type_into(qtbot, spin, "600")
    assert desk.feature.tracker.thresholds.idle_after_seconds == 600.0
    desk.work(60)
    desk.rest(4 * 60)  # reading a long ticket: idle by the default 2 minutes, still work under the new 10
    assert desk.app.live_status()["activity_state"] == "active"


FAST = ScryptParams(log2_n=10)


@pytest.fixture
def settled_store(
    app_paths: AppPaths, secret_service: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Store, FakeClock]]:
    """A rep who set up the journal with the real keyring earlier and checked in and wrote in it today."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service["DBUS_SESSION_BUS_ADDRESS"])
    clock = FakeClock(datetime(2026, 11, 23, 10, 0))
    store = Store.open(app_paths.database, now=clock.now())
    set_up_vault = Vault()
    KeyManager(store, set_up_vault, KeyringSecretStore.detect(), clock, FAST).set_up()
    Journal(store, set_up_vault, clock).add(EntryKind.CHECKIN, CheckIn(4, 3, "one call at a time"))
    Journal(store, set_up_vault, clock).add(EntryKind.WIN, Writing("calmed an angry caller"))
    yield store, clock
    store.close()  # a second close (after an erase) does nothing


@pytest.mark.desktop
def test_erase_everything_removes_the_journal_key_from_the_real_keyring_and_every_file(
    qapp: QApplication, app_paths: AppPaths, settled_store: tuple[Store, FakeClock], qtbot
) -> None:
    store, clock = settled_store
    account = keyring_account_in(store)
    assert account is not None and keyring.get_password(SERVICE, account) is not None
    app_paths.log_file.write_text("a log line\n")
    settings = SettingsFeature()
    backends = fallback_backends(qapp, clock, autostart=XdgAutostart())
    app = CompanionApp(
        qapp, app_paths, store, clock, [journal.JournalFeature(detect_secret_store, FAST), settings], backends=backends
    )
    app.start_features()
    qtbot.waitUntil(lambda: app.vault.is_unlocked)  # the journal opened from the keyring at start
    app.settings.update(app.settings.current.with_value("work", "break_interval_minutes", 30))
    assert app_paths.settings_file.exists()
    window = settings.show_window("privacy")

    seen = answer_erase_dialog(qtbot, "ERASE", press_erase=True)
    qtbot.mouseClick(window.erase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.shutdown_state is ShutdownState.STOPPED, timeout=5000)

    assert seen == [True]
    assert keyring.get_password(SERVICE, account) is None
    assert not app_paths.database.exists()
    assert not app_paths.settings_file.exists()
    assert not app_paths.log_file.exists()
    assert not app.vault.is_unlocked and store.closed


def keyring_entries_of(key_id: str) -> list[str]:
    """The journal-key entries this database ever made, read from the Secret Service itself."""
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        items = secretstorage.get_default_collection(connection).search_items({"service": SERVICE})
        names = [item.get_attributes().get("username", "") for item in items]
    finally:
        connection.close()
    return [name for name in names if name.startswith(f"journal-key-{key_id}")]


def held_helpers_running(release: Path) -> list[int]:
    """Keyring helpers still waiting for `release` (tests.desktop.held_keyring_helper), by process id."""
    running = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            if str(release).encode() in cmdline.read_bytes():
                running.append(int(cmdline.parent.name))
    return running


@pytest.mark.desktop
def test_an_erase_while_a_keyring_repair_is_held_leaves_no_key_in_the_keyring(
    qapp: QApplication, app_paths: AppPaths, settled_store: tuple[Store, FakeClock], qtbot, tmp_path, monkeypatch
) -> None:
    """The keyring lost the key, the recovery code opened the journal, and the keyring's repair is held (the real
    helper) when the rep locks and erases everything: the held call ends with the app, and nothing reaches the
    keyring or the database afterwards."""
    store, clock = settled_store
    vault = Vault()
    keys = KeyManager(store, vault, KeyringSecretStore.detect(), clock, FAST)
    keys.unlock_with_keyring()
    code = keys.regenerate_recovery_code()
    vault.lock()
    keyring.delete_password(SERVICE, keys.keyring_account_in_use())  # the keyring was reset
    key_id = store.get_meta(KEY_ID_META)
    assert key_id is not None and keyring_entries_of(key_id) == []
    feature = journal.JournalFeature(secret_store_in_helper, FAST)
    app = CompanionApp(qapp, app_paths, store, clock, [feature], backends=fallback_backends(qapp, clock))
    app.start_features()
    qtbot.waitUntil(lambda: isinstance(feature.dialog, UnlockDialog) and feature.dialog.isVisible())
    dialog = feature.dialog
    assert isinstance(dialog, UnlockDialog)
    release = tmp_path / "release-the-keyring"
    monkeypatch.setenv(HELPER_OVERRIDE_ENV, desktop.held_keyring_helper(release))  # the repair's helper waits
    qtbot.keyClicks(dialog.secret, code)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.vault.is_unlocked)
    assert feature.key_moving
    qtbot.waitUntil(lambda: held_helpers_running(release) != [])  # the repair's put, waiting
    feature.lock()
    monkeypatch.delenv(HELPER_OVERRIDE_ENV)  # the erase's own keyring call is not held

    app.shutdown(erase=True)
    assert app.shutdown_state is ShutdownState.STOPPED and not app_paths.database.exists()
    assert held_helpers_running(release) == []  # ended with the app, not left to write later
    release.touch()
    assert keyring_entries_of(key_id) == []
    assert not app_paths.database.exists()


class ChimeRecorder:
    """Stands in for the OS sound player only (the boundary): records which tones the app asked for."""

    name = "recorder"

    def __init__(self) -> None:
        self.played: list[str] = []

    def play(self, tone: str) -> None:
        self.played.append(tone)


def long_day_settings(desk: Desk, *, enabled: bool, sound: bool) -> None:
    settings = desk.app.settings.current.with_value("work", "daily_notice_hours", 0.5)
    settings = settings.with_value("work", "break_interval_minutes", 240)  # no break prompt in the way
    settings = settings.with_value("notifications", "enabled", enabled).with_value("notifications", "sound", sound)
    desk.app.settings.update(settings)


def test_with_notifications_off_the_long_day_note_is_not_shown(
    desk_with_settings: tuple[Desk, SettingsFeature],
) -> None:
    desk, _ = desk_with_settings
    long_day_settings(desk, enabled=False, sound=True)
    chime = ChimeRecorder()
    desk.app._tone_player = chime
    desk.work(40 * 60)
    assert desk.app.live_status()["active_seconds_today"] >= 30 * 60
    assert desk.notified == [] and chime.played == []


def test_with_notifications_and_sound_on_the_long_day_note_comes_with_the_chime(
    desk_with_settings: tuple[Desk, SettingsFeature],
) -> None:
    desk, _ = desk_with_settings
    long_day_settings(desk, enabled=True, sound=True)
    chime = ChimeRecorder()
    desk.app._tone_player = chime
    desk.work(40 * 60)
    assert desk.notified == ["A full day's work"]
    assert chime.played == ["in"]


def test_the_exports_highlights_setting_is_the_export_dialogs_starting_choice(
    desk_with_settings: tuple[Desk, SettingsFeature], qtbot
) -> None:
    from companion.features import summary

    desk, _ = desk_with_settings
    desk.app.add_feature(summary.create())
    desk.menu_action("Your week in review").trigger()

    def week_window() -> QWidget | None:  # made a turn after the menu item (its code is imported in the first)
        return next((w for w in QApplication.topLevelWidgets() if w.windowTitle() == "Your week in review"), None)

    qtbot.waitUntil(lambda: week_window() is not None)
    window = week_window()
    assert window is not None
    qtbot.addWidget(window)
    dialog = window.open_export()
    assert not dialog.highlights_box.isChecked()
    dialog.reject()
    desk.app.settings.update(desk.app.settings.current.with_value("export", "include_highlights", True))
    dialog = window.open_export()
    assert dialog.highlights_box.isChecked()
    dialog.reject()


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # offscreen: a popup menu
def test_a_click_on_the_tray_icon_does_what_settings_says(
    desk_with_settings: tuple[Desk, SettingsFeature], qtbot
) -> None:
    from companion.features import rough_calls

    desk, _ = desk_with_settings
    desk.app.add_feature(rough_calls.create())
    desk.app.tray.clicked.emit()  # the default: "Opens the menu"
    qtbot.waitUntil(desk.app.tray.menu.isVisible)
    desk.app.tray.menu.hide()
    desk.app.settings.update(desk.app.settings.current.with_value("rough_calls", "tray_click_action", "status"))
    desk.app.tray.clicked.emit()
    assert desk.notified == ["Companion"]  # the day's status as a message, not only the rough-call count
    assert not desk.app.tray.menu.isVisible()


@pytest.mark.desktop
def test_the_tray_menu_reads_in_the_intended_order_with_every_feature(
    qapp: QApplication, app_paths: AppPaths, settled_store: tuple[Store, FakeClock], qtbot
) -> None:
    """Status line, rough calls, breaks and tracking, journal, week in review, settings, About, Quit: each feature's
    items together, one group per feature, in the app the launcher builds."""
    from companion.app import default_features

    store, clock = settled_store
    app = CompanionApp(qapp, app_paths, store, clock, default_features())
    try:
        app.start_features()
        qtbot.waitUntil(lambda: app.vault.is_unlocked)  # the journal's items as the rep usually sees them
        app.tray.rebuild_menu()
        groups: list[list[str]] = [[]]
        for action in app.tray.menu.actions():
            if action.isSeparator():
                groups.append([])
            else:
                groups[-1].append(action.text())
        groups = [group for group in groups if group]
        assert groups[0] == [app.status_line()]
        assert groups[1] == ["Tag a rough call…", "Take a cooldown now"]
        assert groups[2] == ["Take a break now", "I'm on a call", "Pause tracking"]
        assert groups[3] == ["Journal…", "Check in…", "Close the day…", "Lock journal", "Journal key"]
        assert groups[4] == ["Your week in review…"]
        assert groups[5] == ["Settings…"]
        assert groups[6] == ["About Companion", "Quit"]
        assert len(groups) == 7
        assert set(app.registry.commands) == COMMANDS  # every command the CLI forwards has its handler
    finally:
        app.quit()
