"""The start-fault window (issue 13) with real widgets: a temporary fault keeps trying and hands over the result; a
lasting one ends Companion when closed. And the quarantine warning stays in front of the first-run dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from companion.ui import start_fault
from companion.ui.start_fault import StartFaultWindow


# offscreen has no tray to show the waiting icon in; the desktop test shows it in a real tray host
@pytest.mark.qt_log_ignore("No such signal QPlatformNativeInterface::systemTrayWindowChanged")
def test_a_temporary_fault_retries_until_it_clears_and_ends_the_wait_with_the_result(qtbot, qapp, monkeypatch):
    monkeypatch.setattr(start_fault, "RETRY_MS", 20)
    store = object()
    outcomes = iter(["still locked", "still locked, and now this", store])
    exits: list[int] = []
    monkeypatch.setattr(qapp, "exit", exits.append)
    window: StartFaultWindow[object] = StartFaultWindow(qapp, "first sentence", lambda: next(outcomes))
    window.show()
    assert window.box.isVisible() and window.box.windowTitle() == "Companion is waiting to start"
    qtbot.waitUntil(lambda: exits == [0])
    assert window.result is store
    assert not window.box.isVisible() and window.tray is not None and not window.tray.isVisible()


def test_closing_the_window_of_a_lasting_fault_ends_companion(qtbot, qapp, monkeypatch):
    exits: list[int] = []
    monkeypatch.setattr(qapp, "exit", exits.append)
    window: StartFaultWindow[str] = StartFaultWindow(qapp, "the folder belongs to another user")
    window.show()
    assert window.box.windowTitle() == "Companion cannot start" and window.tray is None
    assert "belongs to another user" in window.box.text()
    window.box.button(window.box.StandardButton.Close).click()
    assert exits == [1]


def test_the_quarantine_warning_stays_in_front_of_the_first_run_dialog(companion_app, app_paths):
    app = companion_app()
    app.report_quarantine(app_paths.data / "companion.db.broken-20261123-093000")
    flags = app.windows.quarantine_box.windowFlags()
    assert flags & Qt.WindowType.WindowStaysOnTopHint


def test_a_problem_reported_after_start_waits_for_the_rep_and_goes_at_shutdown(companion_app):
    app = companion_app()
    app.report_problem("Companion could not read its settings file.")
    notice = app.windows.notices[0]
    assert notice.isVisible() and not notice.isModal() and "settings file" in notice.text()
    app.shutdown()
    assert not notice.isVisible() and app.windows.notices == []
