"""The tray app's start after its icon (companion/ui/staged_start.py): one stage per turn of the event loop, and a
stage that fails ends the loop and is raised again, as a start that ran before `exec` would have."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QTimer

from companion.ui.staged_start import Stage, StagedStart


def test_stages_run_in_order_one_per_turn_so_other_events_come_between(qtbot):
    log: list[str] = []
    # A zero timer started before the stages: in a start that ran them all at once it would fire after them all.
    between = QTimer()
    between.setInterval(0)
    between.timeout.connect(lambda: log.append("event"))
    between.start()
    start = StagedStart(QCoreApplication.instance(), [Stage(lambda n=n: log.append(f"stage {n}")) for n in range(3)])
    qtbot.waitUntil(lambda: not start.running)
    between.stop()
    stages = [entry for entry in log if entry.startswith("stage")]
    assert stages == ["stage 0", "stage 1", "stage 2"]
    first, last = log.index("stage 0"), log.index("stage 2")
    assert "event" in log[first:last], log  # the loop turned between the stages


def test_a_failing_stage_ends_the_loop_with_1_runs_no_later_stage_and_is_raised_again(qtbot, monkeypatch):
    ran: list[str] = []
    exits: list[int] = []
    qapp = QCoreApplication.instance()
    monkeypatch.setattr(qapp, "exit", exits.append)  # the test's own loop must go on

    def broken() -> None:
        raise ValueError("a bug in a stage")

    start = StagedStart(qapp, [Stage(lambda: ran.append("first")), Stage(broken), Stage(lambda: ran.append("never"))])
    qtbot.waitUntil(lambda: not start.running)
    assert ran == ["first"] and exits == [1]
    with pytest.raises(ValueError, match="a bug in a stage"):
        start.raise_failure()


def test_stop_runs_no_further_stage(qtbot):
    ran: list[str] = []
    start = StagedStart(
        QCoreApplication.instance(), [Stage(lambda: ran.append("one")), Stage(lambda: ran.append("two"))]
    )
    start.stop()
    start.stop()
    for _ in range(3):  # a zero timer would have fired by now
        QCoreApplication.processEvents()
    assert ran == [] and not start.running


def test_a_stages_modules_are_imported_on_a_worker_before_it_runs_on_the_gui_thread(qtbot, tmp_path, monkeypatch):
    import sys
    import threading

    (tmp_path / "staged_module_probe.py").write_text(
        "import threading\nIMPORTED_ON = threading.current_thread().name\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    seen: list[tuple[str, str]] = []

    def run() -> None:
        seen.append((sys.modules["staged_module_probe"].IMPORTED_ON, threading.current_thread().name))

    start = StagedStart(QCoreApplication.instance(), [Stage(run, ("staged_module_probe",))])
    qtbot.waitUntil(lambda: not start.running)
    start.stop()
    monkeypatch.delitem(sys.modules, "staged_module_probe")
    assert seen == [("companion-worker", threading.main_thread().name)]


def test_a_module_that_fails_to_import_fails_in_its_stage_on_the_gui_thread(qtbot, monkeypatch):
    exits: list[int] = []
    qapp = QCoreApplication.instance()
    monkeypatch.setattr(qapp, "exit", exits.append)

    def run() -> None:
        import companion_no_such_module  # noqa: F401  # the stage imports what it needs, as the real ones do

    start = StagedStart(qapp, [Stage(run, ("companion_no_such_module",))])
    qtbot.waitUntil(lambda: not start.running)
    start.stop()
    assert exits == [1]
    with pytest.raises(ModuleNotFoundError):
        start.raise_failure()
