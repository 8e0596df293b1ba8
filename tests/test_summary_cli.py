"""`companion export` as the rep runs it: a separate process, no display, no running Companion."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from companion.core.paths import AppPaths
from tests import desktop
from tests.summary_fixtures import ordinary_weeks


def _run(data: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value for key, value in os.environ.items() if key not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    return subprocess.run(
        desktop.companion_command("--data-dir", str(data), "export", *args),
        capture_output=True, text=True, env=env, cwd=cwd, timeout=120,
    )  # fmt: skip


@pytest.fixture
def data(app_paths: AppPaths) -> Path:
    with ordinary_weeks(app_paths.database):
        return app_paths.data


def test_export_pdf_headless_without_a_running_companion(data: Path, tmp_path: Path) -> None:
    result = _run(data, "--week", "2026-W47", "--format", "pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    target = tmp_path / "companion-week-2026-W47.pdf"
    assert result.stdout.strip() == f"Saved {target}"
    tool = desktop.need("pdftotext", "poppler-utils")
    text = " ".join(subprocess.run([tool, str(target), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "You took a cooldown after 3 of 5 rough calls." in text  # the CLI cannot unlock: no tension figure
    assert "Unlock your journal to see how tense you felt before and after your cooldowns." in text


def test_export_json_to_a_chosen_file(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "week.json"
    target.parent.mkdir()
    result = _run(data, "--week", "2026W47", "--format", "json", "--output", str(target), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    exported = json.loads(target.read_text())
    assert (exported["schema"], exported["week"], exported["totals"]["rough_calls"]) == (
        "companion.weekly/1",
        "2026-W47",
        5,
    )


def test_highlights_in_the_cli_say_they_need_the_journal_unlocked(data: Path, tmp_path: Path) -> None:
    result = _run(data, "--week", "2026-W47", "--format", "markdown", "--highlights", cwd=tmp_path)
    assert result.returncode == 0
    assert "Your highlights need the journal unlocked" in result.stderr
    text = (tmp_path / "companion-week-2026-W47.md").read_text()
    assert "Calmed an angry caller" not in text and "they were left out" in text


def test_csv_with_events_writes_two_files(data: Path, tmp_path: Path) -> None:
    result = _run(data, "--week", "2026-W47", "--format", "csv", "--events", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == [
        "companion-week-2026-W47-events.csv", "companion-week-2026-W47.csv"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "2027-W53"], "2027 has no week 53."),
        (["--week", "soon"], "'soon' is not a week; write it like 2026-W47, or say 'this' or 'last'."),
        (["--week", "2026-W47", "--format", "html", "--output", "/nonexistent-folder/w.html"],
         "The folder /nonexistent-folder does not exist. Choose another place to save w.html."),
    ],
)  # fmt: skip
def test_export_problems_are_sentences(data: Path, tmp_path: Path, args: list[str], message: str) -> None:
    result = _run(data, *args, cwd=tmp_path)
    assert (result.returncode, result.stderr.strip(), result.stdout) == (1, message, "")
    assert not list(tmp_path.glob("companion-week-*"))


def test_export_before_any_data(tmp_path: Path) -> None:
    result = _run(tmp_path / "fresh", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "There is nothing to summarise yet: start Companion on your work days first."
    assert not (tmp_path / "fresh" / "companion.db").exists()
