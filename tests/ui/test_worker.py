"""BackgroundWork's progress reports: on the GUI thread, in order, before the result, and none after a stop."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from companion.ui.worker import BackgroundWork


def test_reports_arrive_on_the_gui_thread_in_order_before_the_result(qtbot) -> None:
    owner = QWidget()  # as a feature or window owns its work
    qtbot.addWidget(owner)
    work = BackgroundWork(owner)
    heard: list[tuple[str, object, bool]] = []

    def task(report: Callable[[Any], None]) -> str:
        for step in (1, 2, 3):
            report(step)
        return "done"

    def note(kind: str) -> Callable[[object], None]:
        return lambda value: heard.append((kind, value, threading.current_thread() is threading.main_thread()))

    work.run_with_progress(task, note("progress"), note("done"), note("error"))
    qtbot.waitUntil(lambda: not work.busy)
    assert heard == [("progress", 1, True), ("progress", 2, True), ("progress", 3, True), ("done", "done", True)]
    work.stop()


def test_nothing_is_reported_after_the_work_stopped(qtbot) -> None:
    owner = QWidget()  # as a feature or window owns its work
    qtbot.addWidget(owner)
    work = BackgroundWork(owner)
    heard: list[object] = []
    reported = threading.Event()
    release = threading.Event()

    def task(report: Callable[[Any], None]) -> None:
        report("queued before the stop")
        reported.set()
        release.wait(30)

    work.run_with_progress(task, heard.append, heard.append, heard.append)
    assert reported.wait(30)
    release.set()
    work.stop()  # waits for the task; the report still queued must not reach a stopped feature
    QCoreApplication.processEvents()  # the report was posted before `reported`: delivered now, if it were to be
    assert heard == []
