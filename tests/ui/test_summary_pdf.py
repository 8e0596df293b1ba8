"""The PDF export: real Qt drawing, checked with poppler (pdftotext for the words, pdftoppm for pages to look at)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from companion.core.clock import FakeClock
from companion.core.crypto import Vault
from companion.core.summary import WeeklySummary, build_summary
from companion.core.summary_export import export_summary
from companion.core.summary_week import IsoWeek
from companion.ui.pdf_export import page_size_for, render_pdf
from tests import desktop
from tests.summary_fixtures import Writer, open_writer, ordinary_weeks

W47 = IsoWeek(2026, 47)


@pytest.fixture
def writer(tmp_path: Path) -> Writer:
    with ordinary_weeks(tmp_path / "companion.db") as writer:
        yield writer


@pytest.fixture
def summary(writer: Writer, clock: FakeClock) -> WeeklySummary:
    return build_summary(writer.store, W47, clock, writer.vault, include_highlights=True)


def _pdf_text(path: Path) -> str:
    tool = desktop.need("pdftotext", "poppler-utils")
    return subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _page_size(path: Path) -> str:
    tool = desktop.need("pdfinfo", "poppler-utils")
    info = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout
    return re.search(r"Page size:\s+(.*)", info).group(1)


def test_pdf_has_selectable_text_with_the_key_numbers(
    qapp: QApplication, summary: WeeklySummary, tmp_path: Path
) -> None:
    path = export_summary(summary, "pdf", tmp_path / "week.pdf", pdf=render_pdf)[0]
    assert path.read_bytes().startswith(b"%PDF-")
    text = " ".join(_pdf_text(path).split())
    for expected in (
        "Your week in review: 16 to 22 November 2026 (2026-W47)",
        "You took a cooldown after 3 of 5 rough calls; your tension fell by 2.3 points on average.",
        "Compared with last week: 3 fewer rough calls; breaks up from 2 to 13; time at work up from 4 h 00 min to "
        "36 h 25 min; cooldowns completed up from 0 to 2.",
        "At work 36 h 25 min in all, 10 h 00 min of it on calls; 13 breaks taken, 1 postponed, 1 skipped.",
        "4 offered, 3 started, 2 completed, 1 cut short.",
        "Calmed an angry caller",
        "Made on this device. Nobody else can see it unless you share it.",
    ):
        assert expected in text, expected
    # The chart text is real text too: titles, axis labels and a bar's value.
    for chart_words in ("Time at work and on breaks", "Rough calls by severity", "Hours", "Severity 5", "8.0 h"):
        assert chart_words in text, chart_words


def test_pdf_pages_render_to_png_for_a_person_to_look_at(
    qapp: QApplication, summary: WeeklySummary, tmp_path: Path
) -> None:
    tool = desktop.need("pdftoppm", "poppler-utils")
    path = export_summary(summary, "pdf", tmp_path / "week.pdf", pdf=render_pdf)[0]
    desktop.ARTIFACTS.mkdir(exist_ok=True)
    prefix = desktop.ARTIFACTS / "summary-pdf-page"
    for old in desktop.ARTIFACTS.glob("summary-pdf-page-*.png"):
        old.unlink()
    subprocess.run([tool, "-r", "80", "-png", str(path), str(prefix)], check=True, timeout=60)
    pages = sorted(desktop.ARTIFACTS.glob("summary-pdf-page-*.png"))
    assert 2 <= len(pages) <= 4
    assert all(page.stat().st_size > 10_000 for page in pages)  # drawn pages, not blank ones


def test_page_size_follows_the_locale(qapp: QApplication, summary: WeeklySummary, tmp_path: Path) -> None:
    us = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    germany = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    (tmp_path / "letter.pdf").write_bytes(render_pdf(summary, us))
    (tmp_path / "a4.pdf").write_bytes(render_pdf(summary, germany))
    assert _page_size(tmp_path / "letter.pdf").startswith("612 x 792 pts (letter)")
    assert _page_size(tmp_path / "a4.pdf").startswith("595 x 842 pts (A4)")
    assert page_size_for(us).id() != page_size_for(germany).id()


def test_pdf_of_an_empty_locked_week_says_so(qapp: QApplication, tmp_path: Path, clock: FakeClock) -> None:
    writer = open_writer(tmp_path / "empty.db")
    summary = build_summary(writer.store, W47, clock, Vault())
    writer.store.close()
    path = tmp_path / "empty.pdf"
    path.write_bytes(render_pdf(summary))
    text = " ".join(_pdf_text(path).split())
    assert "Nothing was recorded this week." in text
    assert "No rough calls were tagged this week." in text
    assert "Unlock your journal to see your mood and energy through the week." in text
