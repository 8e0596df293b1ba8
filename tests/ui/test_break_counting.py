"""A break counts only when the rep rested (issue 12, item 11): input through most of it is interrupted, not
taken; closing the window early is a skip; the week's summary says so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt

from companion.core.activity_records import BreakLog
from companion.core.break_rest import BreakEnding, RestMeter
from companion.core.summary import build_summary
from companion.core.summary_week import IsoWeek
from tests.ui.test_activity_ui import TICK, Desk

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)\(\)")


@pytest.fixture
def desk(qapp, app_paths, qtbot) -> Iterator[Desk]:
    made = Desk(qapp, app_paths, qtbot)
    yield made
    made.close()


def test_the_meter_tells_rest_from_work_and_an_early_close_from_both() -> None:
    rested = RestMeter(0.0)
    for second in range(10, 301, 10):
        rested.observe(float(second), float(second))  # no input since the break began
    assert rested.ending(True, 300.0) is BreakEnding.RESTED
    worked = RestMeter(0.0)
    for second in range(10, 301, 10):
        worked.observe(0.5, float(second))  # a key pressed just before every look
    assert worked.ending(True, 300.0) is BreakEnding.INTERRUPTED
    glanced = RestMeter(0.0)
    for second in range(10, 301, 10):
        glanced.observe(0.5 if second <= 60 else float(second - 60), float(second))  # a minute of typing
    assert glanced.ending(True, 300.0) is BreakEnding.RESTED
    assert RestMeter(0.0).ending(False, 3.0) is BreakEnding.SKIPPED
    unknown = RestMeter(0.0)
    unknown.observe(None, 300.0)  # a backend that cannot tell never costs the rep a break
    assert unknown.ending(True, 300.0) is BreakEnding.RESTED


def test_working_through_the_whole_break_records_it_interrupted_and_not_taken(desk: Desk, qtbot) -> None:
    desk.work(60 * 60)
    qtbot.mouseClick(desk.feature.prompt.buttons["start"], Qt.MouseButton.LeftButton)
    window = desk.feature.break_window
    assert window is not None
    desk.work(5 * 60)  # typing in another window all through the break
    with qtbot.waitSignal(window.finished):
        window.tick()
    assert "does not count as a break" in window.heading.text()
    assert "Welcome back" not in window.heading.text()
    rows = BreakLog(desk.store).rows()
    assert [(r["kind"], r["response"], r["completed"]) for r in rows] == [("prompted", "started", 0)]
    assert desk.app.live_status()["breaks_today"] == 0
    summary = build_summary(desk.store, IsoWeek.of(date(2026, 11, 23)), desk.clock, desk.app.vault)
    assert summary.breaks_taken == 0 and summary.total("interrupted_breaks") == 1
    assert any("1 more break ran while you kept working, so it is not counted." in s for s in summary.sentences)
    window.close()


def test_escape_a_few_seconds_into_a_break_is_a_skip(desk: Desk, qtbot) -> None:
    desk.work(60 * 60)
    qtbot.mouseClick(desk.feature.prompt.buttons["start"], Qt.MouseButton.LeftButton)
    window = desk.feature.break_window
    desk.rest(TICK)
    with qtbot.waitSignal(window.finished) as finished:
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert finished.args == [False]
    rows = BreakLog(desk.store).rows()
    assert [(r["kind"], r["response"], r["completed"]) for r in rows] == [("prompted", "skipped", 0)]
    assert desk.app.live_status()["breaks_today"] == 0
    summary = build_summary(desk.store, IsoWeek.of(date(2026, 11, 23)), desk.clock, desk.app.vault)
    assert summary.breaks_taken == 0 and summary.total("skipped") == 1
    assert not any("You stepped away" in sentence for sentence in summary.sentences)


def test_resting_through_the_break_still_counts(desk: Desk, qtbot) -> None:
    desk.work(60 * 60)
    qtbot.mouseClick(desk.feature.prompt.buttons["start"], Qt.MouseButton.LeftButton)
    window = desk.feature.break_window
    desk.rest(5 * 60)
    with qtbot.waitSignal(window.finished):
        window.tick()
    assert "Welcome back" in window.heading.text()
    assert desk.app.live_status()["breaks_today"] == 1
    window.close()
