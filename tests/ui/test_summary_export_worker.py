"""Exports and the week's build run on the week-in-review window's worker: real widgets, a real store, real files.

A slow export is made slow on purpose through the PDF renderer the summary feature takes (`serve_summary_window`'s
`pdf`): it waits on a gate the test opens, so nothing in the product sleeps.
"""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialogButtonBox

from companion.core.clock import FakeClock
from companion.core.summary import IsoWeek, WeeklySummary, build_summary
from companion.features import summary as summary_feature
from companion.ui.pdf_export import render_pdf
from companion.ui.summary_window import SummaryWindow
from tests import desktop
from tests.summary_fixtures import Writer, ordinary_weeks

W47 = IsoWeek(2026, 47)


class Gate:
    """A PDF renderer that holds the worker until the test opens the gate, then renders for real."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.opened = threading.Event()
        self.threads: list[str] = []

    def __call__(self, summary: WeeklySummary) -> bytes:
        self.threads.append(threading.current_thread().name)
        self.entered.set()
        if not self.opened.wait(30):
            raise TimeoutError("the test never opened the gate")
        return render_pdf(summary)


@pytest.fixture
def writer(tmp_path: Path) -> Writer:
    with ordinary_weeks(tmp_path / "companion.db") as writer:
        yield writer


@pytest.fixture
def gate() -> Gate:
    gate = Gate()
    yield gate
    gate.opened.set()  # never leave a worker waiting


def _window(qtbot, writer: Writer, clock: FakeClock, folder: Path, pdf=None) -> SummaryWindow:
    build_threads: list[str] = []

    def build(week: IsoWeek, highlights: bool) -> WeeklySummary:
        build_threads.append(threading.current_thread().name)
        return build_summary(writer.store, week, clock, writer.vault, include_highlights=highlights)

    window = SummaryWindow(build, lambda: IsoWeek.of(clock.now().date()), lambda: folder, lambda: True)
    window.build_threads = build_threads  # type: ignore[attr-defined]
    summary_feature.serve_summary_window(window, build, pdf=pdf)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.summary is not None)
    return window


def _save(window: SummaryWindow, fmt: str):
    dialog = window.open_export()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    return dialog


def test_the_week_is_built_on_the_worker_and_says_so_meanwhile(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path
) -> None:
    window = _window(qtbot, writer, clock, tmp_path)
    assert window.week == W47
    assert set(window.build_threads) == {"companion-worker"}  # type: ignore[attr-defined]
    window.show_week(IsoWeek(2026, 46))
    assert window.scroll.widget().text() == "Putting your week together\u2026"  # until the worker answers
    assert not window.export_button.isEnabled()
    with qtbot.waitSignal(window.week_shown) as shown:
        pass
    assert shown.args == [IsoWeek(2026, 46)] and window.export_button.isEnabled()


@pytest.mark.parametrize("fmt", ["pdf", "html", "markdown", "csv", "json"])
def test_every_format_is_written_on_the_worker_and_is_right(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path, fmt: str
) -> None:
    renders: list[str] = []

    def pdf(summary: WeeklySummary) -> bytes:
        renders.append(threading.current_thread().name)
        return render_pdf(summary)

    window = _window(qtbot, writer, clock, tmp_path, pdf=pdf)
    with qtbot.waitSignal(window.exported) as exported:
        dialog = _save(window, fmt)
        assert dialog.saving  # Save stays disabled while the worker writes
    [saved] = exported.args[0]
    assert not dialog.isVisible() and not window.exporting
    qtbot.waitUntil(lambda: window.work.running_threads == 0)  # the thread ends just after it handed the answer back
    if fmt == "pdf":
        assert renders == ["companion-worker"]  # QPdfWriter, QPainter and QTextDocument off the GUI thread
        tool = desktop.need("pdftotext", "poppler-utils")
        text = subprocess.run([tool, str(saved), "-"], capture_output=True, text=True, check=True).stdout
        assert "You took a cooldown after 3 of 5 rough calls" in " ".join(text.split())
        assert "Page 1." in text
    elif fmt == "json":
        assert json.loads(saved.read_text())["totals"]["rough_calls"] == 5
    elif fmt == "csv":
        assert saved.read_text().splitlines()[0].startswith("week,")
    else:
        assert "3 of 5 rough calls" in saved.read_text()


def test_closing_the_window_during_an_export_cancels_it_and_leaves_no_thread(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path, gate: Gate
) -> None:
    window = _window(qtbot, writer, clock, tmp_path, pdf=gate)
    done: list[object] = []
    window.exported.connect(done.append)
    dialog = _save(window, "pdf")
    qtbot.waitUntil(gate.entered.is_set)
    assert window.exporting and window.work.running_threads >= 1  # (the build's thread may still be ending)
    window.close()
    assert not dialog.isVisible() and not window.exporting
    gate.opened.set()  # the render finishes; the export sees it was cancelled before writing
    qtbot.waitUntil(lambda: window.work.running_threads == 0)
    qtbot.wait(0)  # a result already queued back to the GUI thread is delivered now, and dropped
    assert done == [] and not list(tmp_path.glob("companion-week-*"))
    assert gate.threads == ["companion-worker"]


def test_cancel_in_the_dialog_during_an_export_writes_nothing(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path, gate: Gate
) -> None:
    window = _window(qtbot, writer, clock, tmp_path, pdf=gate)
    dialog = _save(window, "pdf")
    qtbot.waitUntil(gate.entered.is_set)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert not window.exporting and not dialog.saving
    gate.opened.set()
    qtbot.waitUntil(lambda: window.work.running_threads == 0)
    assert not list(tmp_path.glob("companion-week-*"))
    with qtbot.waitSignal(window.exported):  # the next export starts afresh and is written
        _save(window, "html")
    assert (tmp_path / "companion-week-2026-W47.html").is_file()


def test_the_window_stays_responsive_and_shows_progress_during_a_slow_export(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path, gate: Gate
) -> None:
    window = _window(qtbot, writer, clock, tmp_path, pdf=gate)
    ticks: list[int] = []
    timer = QTimer(window)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    dialog = _save(window, "pdf")
    qtbot.waitUntil(gate.entered.is_set)
    assert dialog.progress_bar.isHidden()  # nothing shows for an export under a second
    qtbot.waitUntil(lambda: len(ticks) >= 20)  # the GUI thread's timer keeps ticking while the worker is held
    qtbot.waitUntil(lambda: dialog.progress_bar.isVisible(), timeout=5000)  # over a second: a calm progress line
    assert dialog.progress_label.text() == "Saving your week\u2026"
    assert window.exporting and not gate.opened.is_set()
    with qtbot.waitSignal(window.exported):
        gate.opened.set()
    timer.stop()
    assert dialog.progress_bar.isHidden() and (tmp_path / "companion-week-2026-W47.pdf").is_file()


def test_stopping_the_worker_on_quit_waits_for_the_export_and_drops_it(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path, gate: Gate
) -> None:
    window = _window(qtbot, writer, clock, tmp_path, pdf=gate)
    done: list[object] = []
    window.exported.connect(done.append)
    _save(window, "pdf")
    qtbot.waitUntil(gate.entered.is_set)
    flag = window._exporting
    assert flag is not None
    # The held render ends once stop() has cancelled it, as a real render ends by itself.
    opener = threading.Thread(target=lambda: flag.wait(30) and gate.opened.set())
    opener.start()
    window.work.stop()  # what the summary feature does on quit, before the store closes
    opener.join()
    assert window.work.running_threads == 0
    qtbot.wait(0)
    assert done == [] and not list(tmp_path.glob("companion-week-*"))
