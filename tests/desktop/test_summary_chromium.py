"""The HTML export in a real browser (headless Chromium): a screenshot to look at, and a print to PDF that keeps
the charts and text, to show it prints well."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from companion.core.clock import FakeClock
from companion.core.summary import build_summary
from companion.core.summary_export import export_summary
from companion.core.summary_week import IsoWeek
from tests import desktop
from tests.summary_fixtures import ordinary_weeks

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--hide-scrollbars",
]  # fmt: skip


@pytest.fixture
def html_file(tmp_path: Path, clock: FakeClock) -> Path:
    with ordinary_weeks(tmp_path / "companion.db") as writer:
        summary = build_summary(writer.store, IsoWeek(2026, 47), clock, writer.vault, include_highlights=True)
    return export_summary(summary, "html", tmp_path / "week.html")[0]


def _chromium(tmp_path: Path, *args: str) -> None:
    browser = desktop.need("chromium", "chromium")
    profile = tmp_path / "chromium-profile"
    subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        check=True, capture_output=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_html_export_in_headless_chromium(html_file: Path, tmp_path: Path) -> None:
    desktop.ARTIFACTS.mkdir(exist_ok=True)
    shot = desktop.ARTIFACTS / "summary-html-chromium.png"
    shot.unlink(missing_ok=True)
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=820,2600", html_file.as_uri())
    assert shot.stat().st_size > 30_000  # the page with its charts, not a blank one


def test_html_export_prints_with_its_charts_and_numbers(html_file: Path, tmp_path: Path) -> None:
    printed = tmp_path / "printed.pdf"
    _chromium(tmp_path, f"--print-to-pdf={printed}", "--no-pdf-header-footer", html_file.as_uri())
    tool = desktop.need("pdftotext", "poppler-utils")
    text = " ".join(
        subprocess.run([tool, str(printed), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    for expected in ("3 of 5 rough calls", "Rough calls by severity", "Severity 5", "Tension before and after",
                     "Made on this device."):  # fmt: skip
        assert expected in text, expected
    pages = subprocess.run([desktop.need("pdfinfo", "poppler-utils"), str(printed)], capture_output=True, text=True)
    assert 2 <= int(next(line.split()[-1] for line in pages.stdout.splitlines() if line.startswith("Pages:"))) <= 5
