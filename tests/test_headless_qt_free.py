"""The headless commands run with PySide6 made unimportable, as on a server or over ssh: `status`, the commands a
shortcut forwards (`tag`, `break`, `journal`) and `export` to HTML, CSV, JSON and Markdown load no Qt at all; a PDF
export loads QtGui (QPdfWriter) but never QtWidgets.

Each command runs in its own process through the real entry point, behind a wrapper that blocks the modules first
and reports afterwards which PySide6 modules were loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from companion.core.ipc import Request
from companion.core.paths import AppPaths
from tests.fake_companion import answering_socket
from tests.summary_fixtures import open_writer, ordinary_weeks

# Blocks what `blocked` names (None in sys.modules makes any import of it raise ImportError), runs the real
# command line, then writes the PySide6 modules that were loaded to the file named by the second argument.
WRAPPER = """
import json, sys
blocked, report, *argv = sys.argv[1:]
for name in blocked.split(","):
    sys.modules[name] = None
from companion.__main__ import main
try:
    code = main(argv)
finally:
    loaded = sorted(n for n, m in sys.modules.items() if n.startswith("PySide6") and m is not None)
    with open(report, "w") as out:
        json.dump(loaded, out)
sys.exit(code)
"""
NO_QT = "PySide6"
NO_WIDGETS = "PySide6.QtWidgets"


def run_blocked(blocked: str, *args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    report = cwd / "loaded-qt.json"
    env = {key: value for key, value in os.environ.items() if key not in {"DISPLAY", "WAYLAND_DISPLAY"}}
    result = subprocess.run(
        [sys.executable, "-c", WRAPPER, blocked, str(report), *args],
        capture_output=True, text=True, env=env, cwd=cwd, timeout=120,
    )  # fmt: skip
    loaded = json.loads(report.read_text()) if report.exists() else ["(no report: the wrapper did not finish)"]
    return result, loaded


@pytest.fixture
def data(app_paths: AppPaths) -> Path:
    with ordinary_weeks(app_paths.database):
        return app_paths.data


@pytest.mark.parametrize(("fmt", "suffix"), [("html", "html"), ("csv", "csv"), ("json", "json"), ("markdown", "md")])
def test_export_loads_no_qt(data: Path, tmp_path: Path, fmt: str, suffix: str) -> None:
    result, loaded = run_blocked(NO_QT, "--data-dir", str(data), "export", "--week", "2026-W47", "--format", fmt,
                                 cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert loaded == []
    target = tmp_path / f"companion-week-2026-W47.{suffix}"
    assert result.stdout.strip() == f"Saved {target}"
    assert "2026-W47" in target.read_text(encoding="utf-8") or fmt == "csv"


def test_export_of_last_week_to_a_named_html_file_loads_no_qt(app_paths: AppPaths, tmp_path: Path) -> None:
    """The issue's own example: `companion export --week last --format html --output x.html` with PySide6 blocked."""
    last_monday = date.today() - timedelta(days=date.today().weekday() + 7)
    writer = open_writer(app_paths.database)
    try:
        writer.work_day(last_monday + timedelta(days=2), [("active", "09:00", "12:00"), ("on_call", "13:00", "14:30")])
    finally:
        writer.store.close()
    result, loaded = run_blocked(NO_QT, "--data-dir", str(app_paths.data), "export", "--week", "last",
                                 "--format", "html", "--output", "x.html", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert loaded == []
    html = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html  # self-contained, with its charts
    year, week, _ = last_monday.isocalendar()
    assert f"{year}-W{week:02d}" in html
    assert "4 h 30 min" in html  # the day's work: three hours active and ninety minutes on a call


def test_pdf_export_loads_qtgui_but_no_widgets(data: Path, tmp_path: Path) -> None:
    result, loaded = run_blocked(NO_WIDGETS, "--data-dir", str(data), "export", "--week", "2026-W47",
                                 "--format", "pdf", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "companion-week-2026-W47.pdf").read_bytes().startswith(b"%PDF")
    assert "PySide6.QtGui" in loaded
    assert "PySide6.QtWidgets" not in loaded


def test_status_loads_no_qt(data: Path, tmp_path: Path) -> None:
    result, loaded = run_blocked(NO_QT, "--data-dir", str(data), "status", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert loaded == []
    values = json.loads(result.stdout)
    assert values["running"] is False and values["schema_version"] >= 1 and "active_seconds_today" in values


@pytest.fixture
def listening_companion(app_paths: AppPaths) -> Iterator[list[Request]]:
    """Something listening where the running Companion would, answering each request with the real protocol: the
    client side is what is under test here (the app's handlers have their own tests)."""
    with answering_socket(app_paths.data, answers=3) as received:
        yield received


def test_forwarded_commands_load_no_qt(app_paths: AppPaths, tmp_path: Path, listening_companion) -> None:
    data = str(app_paths.data)
    for args, said in (
        (["tag", "--severity", "3", "--tag", "yelling"], "did tag"),
        (["break"], "did break"),
        (["journal", "--win", "Kept my calm"], "did journal"),
    ):
        result, loaded = run_blocked(NO_QT, "--data-dir", data, *args, cwd=tmp_path)
        assert (result.returncode, result.stdout.strip()) == (0, said), result.stderr
        assert loaded == []
    request_id = listening_companion[0].args.pop("request_id")  # a fresh one per command: a retry stores one row
    assert isinstance(request_id, str) and len(request_id) == 16
    assert [(request.command, request.args) for request in listening_companion] == [
        ("tag", {"severity": 3, "tags": ["yelling"], "note": ""}),
        ("break", {}),
        ("journal", {"kind": "win", "text": "Kept my calm"}),
    ]


def test_forwarded_commands_without_a_running_companion_say_so_without_qt(app_paths: AppPaths, tmp_path: Path) -> None:
    result, loaded = run_blocked(NO_QT, "--data-dir", str(app_paths.data), "break", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "Companion is not running. Start it with `companion`."
    assert loaded == []


def test_export_with_highlights_tries_the_journal_without_qt(data: Path, tmp_path: Path) -> None:
    """--highlights reaches for the journal key (keyring, else a passphrase at the terminal): still no Qt."""
    result, loaded = run_blocked(NO_QT, "--data-dir", str(data), "export", "--week", "2026-W47", "--format",
                                 "markdown", "--highlights", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert loaded == []
    assert "Your highlights need the journal unlocked" in result.stderr
    assert "they were left out" in (tmp_path / "companion-week-2026-W47.md").read_text(encoding="utf-8")
