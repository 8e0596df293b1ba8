"""BackgroundWork's progress reports: on the GUI thread, in order, before the result, and none after a stop."""

from __future__ import annotations

import gc
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


class _Kept:
    """One object of a task's result (a decrypted entry, say): tracked by the cyclic collector."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.words = [str(index)]


def test_what_a_task_returns_is_not_walked_by_a_collection_when_it_arrives(qtbot) -> None:
    """The collector pauses while a task runs, so what the task allocated meanwhile piles up in its youngest
    generation; the first collection after it walked all of it on the GUI thread (100,000 objects of a year's
    journal: 28 ms). The result arrives already in the oldest generation, and no collection runs on the way."""
    owner = QWidget()
    qtbot.addWidget(owner)
    work = BackgroundWork(owner)
    collections: list[int] = []  # the generation of each collection from the task's start to its result
    where: list[tuple[int, int]] = []  # (how many of the result in a young generation, in the oldest)

    def heard(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and not where:
            collections.append(info["generation"])

    def arrived(result: list[_Kept]) -> None:
        kept = {id(thing) for thing in result}
        young = {id(thing) for thing in gc.get_objects(generation=0) + gc.get_objects(generation=1)}
        old = {id(thing) for thing in gc.get_objects(generation=2)}
        where.append((len(kept & young), len(kept & old)))

    was_collecting = gc.isenabled()
    gc.enable()
    gc.callbacks.append(heard)
    try:
        work.run(lambda: [_Kept(index) for index in range(5000)], arrived, lambda error: None)
        assert not gc.isenabled()  # paused while it runs
        qtbot.waitUntil(lambda: bool(where))
        assert gc.isenabled()
        assert where == [(0, 5000)] and collections == []
    finally:
        gc.callbacks.remove(heard)
        work.stop()
        if not was_collecting:
            gc.disable()
