"""The settings feature inside a real CompanionApp: tray item, socket command, start at login, retention, and the
data controls, against a real database, a real settings file and a real XDG autostart folder."""

from __future__ import annotations

import json
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from companion.app import CompanionApp, ShutdownState
from companion.core.clock import FakeClock
from companion.core.crypto import new_data_key
from companion.core.data_controls import DUMP_NAME, ExportStage
from companion.core.ipc import Request
from companion.core.paths import AppPaths
from companion.core.settings import Settings, save_settings
from companion.core.store import Store
from companion.features.settings import SettingsFeature
from companion.lifecycle import Services
from companion.platform.autostart_xdg import XdgAutostart
from companion.ui.erase_dialog import EraseDialog
from tests import desktop
from tests.app_harness import fallback_backends
from tests.core.test_data_controls import MemorySecrets, add_interval, add_keyring_wrap, add_rough_call
from tests.ui.keyboard import focus, owner, tab_walk


class Harness:
    def __init__(self, app: CompanionApp, feature: SettingsFeature, export_target: Path) -> None:
        self.app = app
        self.feature = feature
        assert app.services is not None
        self.ctx: Services = app.services
        self.export_target = export_target


def build(qapp: QApplication, paths: AppPaths, clock: FakeClock, export_target: Path) -> Harness:
    store = Store.open(paths.database, now=clock.now())
    feature = SettingsFeature(ask_path=lambda parent, suggested: export_target)
    backends = fallback_backends(qapp, clock, autostart=XdgAutostart())
    app = CompanionApp(qapp, paths, store, clock, [feature], backends=backends)
    app.ports.offer_secret_store(MemorySecrets())  # the keyring port the journal offers in the product
    app.start_features()
    return Harness(app, feature, export_target)


@pytest.fixture
def harness(qapp: QApplication, app_paths: AppPaths, clock: FakeClock, tmp_path: Path) -> Iterator[Harness]:
    made = build(qapp, app_paths, clock, tmp_path / "exports" / "everything.zip")
    yield made
    made.app.shutdown()  # as Quit does: the window closes with the feature, then the store


def test_the_tray_menu_opens_the_settings_window(qtbot, harness: Harness) -> None:
    harness.app.tray.rebuild_menu()
    action = next(a for a in harness.app.tray.menu.actions() if a.text() == "Settings\u2026")
    action.trigger()
    window = harness.feature.window
    assert window is not None
    qtbot.waitExposed(window)
    assert window.isVisible()


def test_companion_settings_from_the_command_line_opens_the_window(qtbot, harness: Harness) -> None:
    reply = harness.app.registry.commands["settings"](Request("settings"))
    assert reply.ok
    assert harness.feature.window is not None and harness.feature.window.isVisible()


def test_start_at_login_toggled_in_the_window_writes_and_removes_a_valid_autostart_entry(
    qtbot, harness: Harness, private_home: Path
) -> None:
    validate = desktop.need("desktop-file-validate", "desktop-file-utils")
    entry = private_home / ".config" / "autostart" / "companion.desktop"
    window = harness.feature.show_window("startup")
    check = window.editors[("startup", "start_at_login")].inputs[0]
    assert not entry.exists()

    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=check.rect().topLeft() + check.rect().center() / 4)
    assert harness.ctx.settings.current.startup.start_at_login
    assert entry.is_file()
    result = subprocess.run([validate, str(entry)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "", result.stdout
    exec_line = next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    assert "companion" in exec_line
    assert exec_line.endswith(f"--data-dir {harness.ctx.paths.data}")  # this test's own data folder goes along

    check.click()
    assert not harness.ctx.settings.current.startup.start_at_login
    assert not entry.exists()


def test_a_refused_value_is_what_a_screen_reader_hears_with_the_field(qtbot, harness: Harness) -> None:
    window = harness.feature.show_window("work")
    line = window.editors[("work", "work_end")].inputs[0]
    window.apply_value("work", "work_end", "late")
    assert line.accessibleDescription() == "Must be a time like 09:00."
    window.apply_value("work", "work_end", "18:00")
    assert line.accessibleDescription() == ""


def test_the_saved_wish_to_start_at_login_is_restored_at_start(
    qapp, app_paths: AppPaths, clock: FakeClock, tmp_path: Path, private_home: Path
) -> None:
    save_settings(Settings().with_value("startup", "start_at_login", True), app_paths.settings_file)
    made = build(qapp, app_paths, clock, tmp_path / "x.zip")
    try:
        assert (private_home / ".config" / "autostart" / "companion.desktop").is_file()
    finally:
        made.app.shutdown()


def test_old_activity_is_pruned_at_start(qapp, app_paths: AppPaths, clock: FakeClock, tmp_path: Path) -> None:
    store = Store.open(app_paths.database, now=clock.now())
    for days_ago in (1, 40, 200, 400):
        add_interval(store, clock.now() - timedelta(days=days_ago))
    store.close()
    save_settings(Settings().with_value("privacy", "retention_months", 6), app_paths.settings_file)

    made = build(qapp, app_paths, clock, tmp_path / "x.zip")
    try:
        count = made.ctx.store.connection.execute("SELECT count(*) FROM activity_intervals").fetchone()[0]
        assert count == 2
    finally:
        made.app.shutdown()


class UrlCatcher(QObject):
    """Qt's own hook for opening URLs (QDesktopServices.setUrlHandler): what the file manager would be given."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)


def test_open_data_folder_hands_the_folder_to_the_desktop(qtbot, harness: Harness, app_paths: AppPaths) -> None:
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        window = harness.feature.show_window("privacy")
        qtbot.mouseClick(window.open_folder_button, Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(url.toLocalFile()) for url in catcher.opened] == [app_paths.data]


def test_export_writes_the_zip_and_warns_that_it_is_not_encrypted(qtbot, harness: Harness) -> None:
    harness.ctx.vault.unlock_with_data_key(new_data_key())
    add_rough_call(harness.ctx.store, harness.ctx.vault, "call-1", "a private note")
    window = harness.feature.show_window("privacy")

    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    assert not window.export_button.isEnabled()  # the zip is written on the feature's worker meanwhile
    qtbot.waitUntil(lambda: harness.feature.message is not None)

    message = harness.feature.message
    assert message is not None and message.isVisible() and window.export_button.isEnabled()
    assert "not encrypted" in message.text()
    with zipfile.ZipFile(harness.export_target) as archive:
        dump = json.loads(archive.read(DUMP_NAME))
    assert dump["tables"]["rough_calls"][0]["content"]["note"] == "a private note"
    message.close()


def test_export_says_what_it_is_writing_step_by_step_and_ends_with_where_the_file_is(
    qtbot, harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker waits after each step until the window has shown it, so every step's line is seen (they would
    otherwise pass faster than a look); the export itself is the real one, on the feature's real worker."""
    from companion.features import settings as feature_module

    harness.ctx.vault.unlock_with_data_key(new_data_key())
    add_rough_call(harness.ctx.store, harness.ctx.vault, "call-1", "a private note")
    looked = threading.Semaphore(0)
    real_export = feature_module.export_everything

    def export_in_steps(*args: Any) -> Path:
        *given, report = args

        def report_and_wait(stage: ExportStage) -> None:
            report(stage)
            assert looked.acquire(timeout=30), "the window never showed the step"

        return real_export(*given, report_and_wait)

    monkeypatch.setattr(feature_module, "export_everything", export_in_steps)
    window = harness.feature.show_window("privacy")
    assert window.export_progress.isHidden()
    focus(qtbot, window.export_button)
    qtbot.keyClick(window.export_button, Qt.Key.Key_Space)  # by keyboard
    lines = []
    steps = (
        "Reading your activity and breaks",
        "Opening your journal and notes",
        "Packing the export",
        "Writing the file",
    )
    for number, doing in enumerate(steps, start=1):
        expected = f"Step {number} of 4: {doing}\u2026"
        qtbot.waitUntil(lambda expected=expected: window.export_progress.text() == expected)
        assert window.export_progress.isVisible() and window.export_progress_bar.value() == number - 1
        assert not window.export_button.isEnabled()
        lines.append(window.export_progress.text())
        looked.release()
    qtbot.waitUntil(lambda: harness.feature.message is not None)
    message = harness.feature.message
    assert message is not None and len(set(lines)) == 4
    assert window.export_progress.text() == message.text()
    assert message.text().startswith(f"Everything is exported to {harness.export_target}.")
    assert window.export_progress_bar.isHidden() and window.export_button.isEnabled()
    message.close()
    focus(qtbot, window.export_button)
    assert window.export_progress in [owner(widget) for widget in tab_walk(qtbot, window)]  # Tab reaches the line


def test_export_while_the_journal_is_locked_says_what_to_do(qtbot, harness: Harness) -> None:
    harness.ctx.vault.unlock_with_data_key(new_data_key())
    add_rough_call(harness.ctx.store, harness.ctx.vault, "call-1", "a private note")
    harness.ctx.vault.lock()
    window = harness.feature.show_window("privacy")

    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: harness.feature.message is not None)

    assert harness.feature.message is not None
    assert harness.feature.message.icon() == QMessageBox.Icon.Warning
    assert harness.feature.message.text().startswith("Unlock your journal first")
    assert not harness.export_target.exists()
    harness.feature.message.close()


def answer_erase_dialog(qtbot, typed: str, press_erase: bool) -> list[bool]:
    """When the modal dialog is up, type into it and press a button, as the rep would."""
    seen: list[bool] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, EraseDialog):
            QTimer.singleShot(20, act)
            return
        qtbot.keyClicks(dialog.confirmation, typed)
        seen.append(dialog.erase_button.isEnabled())
        button: QWidget = dialog.erase_button if press_erase and dialog.erase_button.isEnabled() else (
            dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
        )  # fmt: skip
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)
    return seen


def test_erase_needs_the_typed_word(qtbot, harness: Harness, app_paths: AppPaths) -> None:
    window = harness.feature.show_window("privacy")
    seen = answer_erase_dialog(qtbot, "erase it", press_erase=True)
    qtbot.mouseClick(window.erase_button, Qt.MouseButton.LeftButton)
    assert seen == [False]
    assert not harness.feature.erase_requested
    assert app_paths.database.exists()


def test_erase_everything_removes_the_data_the_settings_the_logs_and_the_keyring_entry_then_quits(
    qtbot, harness: Harness, app_paths: AppPaths, private_home: Path
) -> None:
    harness.ctx.vault.unlock_with_data_key(new_data_key())
    add_rough_call(harness.ctx.store, harness.ctx.vault, "call-1", "a private note")
    add_keyring_wrap(harness.ctx.store, "journal-key-7")
    secrets = harness.app.ports.secret_store
    assert isinstance(secrets, MemorySecrets)
    secrets.put("journal-key-7", b"k" * 32)
    harness.ctx.settings.update(harness.ctx.settings.current.with_value("startup", "start_at_login", True))
    app_paths.log_file.write_text("a log line\n")
    window = harness.feature.show_window("privacy")

    seen = answer_erase_dialog(qtbot, "ERASE", press_erase=True)
    qtbot.mouseClick(window.erase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: harness.app.shutdown_state is ShutdownState.STOPPED, timeout=5000)

    assert seen == [True]
    assert not app_paths.database.exists()
    assert not app_paths.settings_file.exists()
    assert not app_paths.log_file.exists()
    assert secrets.entries == {}
    assert not (private_home / ".config" / "autostart" / "companion.desktop").exists()
    assert not harness.ctx.vault.is_unlocked
