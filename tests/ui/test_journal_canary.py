"""Canary: what the rep writes never reaches disk in plain text, anywhere Companion (or Qt) writes.

Entries carrying a unique string are written through the real UI and through the store, the app is closed, then
every file in the data, config, log, home and temp folders (the database with its -wal and -shm included) is
searched for that string as bytes. Then an entry with a second canary is deleted and everything searched again.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from companion.app import CompanionApp
from companion.core.journal import EntryKind, Writing
from companion.core.keys import ScryptParams
from companion.core.store import Store
from companion.features.journal import JournalFeature
from companion.logsetup import configure_logging
from companion.platform.keyring_store import NoSecretStore
from companion.ui.journal_dialogs import PassphraseDialog, RecoveryCodeDialog
from tests.app_harness import fallback_backends
from tests.desktop import files_containing

PASSPHRASE = "canary passphrase 7"


@pytest.fixture
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return folder


@pytest.fixture
def logging_to_file(app_paths):
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    configure_logging(app_paths.log_file, verbose=True)
    yield app_paths.log_file
    for handler in root.handlers:
        if handler not in saved[1]:
            handler.close()
    root.handlers[:] = saved[1]
    root.setLevel(saved[0])
    logging.captureWarnings(False)


def test_scan_finds_a_planted_canary(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("xx canary-control xx", encoding="utf-16")
    assert files_containing(tmp_path, "canary-control") == [tmp_path / "plain.txt"]


def test_no_plain_text_on_disk_after_writing_and_deleting(
    qtbot, qapp, app_paths, clock, tmp_path, private_temp, logging_to_file
) -> None:
    canary = f"canary-{uuid.uuid4().hex}"
    deleted_canary = f"gone-{uuid.uuid4().hex}"
    store = Store.open(app_paths.database)
    feature = JournalFeature(NoSecretStore, ScryptParams(log2_n=10))
    backends = fallback_backends(qapp, clock)
    app = CompanionApp(qapp, app_paths, store, clock, [feature], tray_patience_seconds=3600, backends=backends)
    app.start()  # the tray, then the features
    try:
        qtbot.waitUntil(lambda: isinstance(feature.dialog, PassphraseDialog))
        feature.dialog.first.setText(PASSPHRASE)
        feature.dialog.second.setText(PASSPHRASE)
        qtbot.mouseClick(feature.dialog.ok_button, Qt.MouseButton.LeftButton)
        recovery = feature.dialog
        assert isinstance(recovery, RecoveryCodeDialog)
        recovery.confirm.setChecked(True)
        qtbot.mouseClick(recovery.done_button, Qt.MouseButton.LeftButton)

        # The morning check-in, through its dialog.
        qtbot.waitUntil(lambda: feature.prompt is not None and feature.prompt.isVisible())
        qtbot.mouseClick(feature.prompt.buttons["open"], Qt.MouseButton.LeftButton)
        checkin = feature.entry_dialog
        qtbot.mouseClick(checkin.form.mood.group.button(2), Qt.MouseButton.LeftButton)
        qtbot.mouseClick(checkin.form.energy.group.button(3), Qt.MouseButton.LeftButton)
        qtbot.keyClicks(checkin.form.intention, f"intention {canary}")
        qtbot.mouseClick(checkin.save_button, Qt.MouseButton.LeftButton)

        # A reflection typed in the window, then edited; a search for the canary.
        window = feature.open_journal()
        window.start_new(EntryKind.REFLECTION)
        qtbot.keyClicks(window.editor.form.text, f"the call about {canary} stung")
        qtbot.keyClicks(window.editor.form.tags, f"{canary}-tag")
        qtbot.keyClick(window.editor.form.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(window.editor.form.text, " and then it passed")
        qtbot.mouseClick(window.editor.save_button, Qt.MouseButton.LeftButton)
        # One written through the store directly, as other features would, and one without the canary.
        feature.journal.add(EntryKind.WIN, Writing(f"win {canary}", (canary,)))
        feature.journal.add(EntryKind.NOTE, Writing("nothing special"))
        qtbot.keyClicks(window.search, canary)
        qtbot.waitUntil(lambda: window.count_label.text() == "3 of 4 entries")

        # An entry with the second canary, deleted through the window.
        window.search.clear()
        window.start_new(EntryKind.NOTE)
        qtbot.keyClicks(window.editor.form.text, f"soon {deleted_canary}")
        qtbot.mouseClick(window.editor.save_button, Qt.MouseButton.LeftButton)
        assert feature.journal.search(deleted_canary)
        window.editor.delete_button.click()
        box = window.findChild(QMessageBox, "confirm-delete")
        qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "Delete"), Qt.MouseButton.LeftButton)
        assert not feature.journal.search(deleted_canary)
        assert len(feature.journal.search(canary)) == 3
        # While running, the write-ahead log and shared memory files exist too: search them as they are now.
        live_files = {path.name for path in app_paths.data.iterdir()}
        assert {"companion.db", "companion.db-wal", "companion.db-shm"} <= live_files
        assert files_containing(app_paths.data, canary) == []
        assert files_containing(app_paths.data, deleted_canary) == []
    finally:
        app.shutdown()  # the journal locks, its windows close, then the store closes
        for handler in logging.getLogger().handlers:
            handler.flush()

    database = app_paths.database
    assert database.exists() and database.stat().st_size > 0
    assert logging_to_file.read_text(encoding="utf-8").count("journal entry") >= 4  # it did log: ids, not words
    for folder in (app_paths.data, app_paths.config, app_paths.logs, private_temp, tmp_path):
        assert files_containing(folder, canary) == []
        assert files_containing(folder, deleted_canary) == []
