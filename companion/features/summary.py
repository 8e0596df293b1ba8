"""The weekly summary feature: a tray item and the `summary` command open the week in review; a gentle nudge at
the end of the last working day says it is ready (once a week, only if the rep wants it, never during a call)."""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from companion.core.errors import CompanionError
from companion.core.exports_record import remember_exports
from companion.core.i18n import _
from companion.core.ipc import Reply, Request
from companion.core.store import Store
from companion.core.summary import IsoWeek, WeeklySummary, build_summary, nudge_due
from companion.core.summary_store import first_record_utc
from companion.lifecycle import Lifetime, Registry, Services

if TYPE_CHECKING:  # the window loads on first use, so the tray appears before the export code
    from companion.core.summary_export import PdfRenderer
    from companion.ui.summary_window import ExportRequest, SummaryBuilder, SummaryWindow

log = logging.getLogger(__name__)

NUDGE_CHECK_MS = 60_000
WINDOW_MODULE = "companion.ui.summary_window"
NUDGED_WEEK_KEY = "summary.nudged_week"


class SummaryFeature(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.window: SummaryWindow | None = None
        self.life = Lifetime(self)
        self.nudge_timer = self.life.timer(NUDGE_CHECK_MS, self.check_nudge)

    def start(self, services: Services, registry: Registry) -> None:
        self.ctx = services
        registry.add_tray_section(self.add_menu_items)
        registry.register_command("summary", self.handle_command)
        self.nudge_timer.start()

    def stop(self) -> None:
        """Timers, a pending open, a build or export on the window's worker and the window end here; the store is
        closed only after this."""
        if self.window is not None:
            self.window.work.stop()  # cancels the task in flight and waits for it: nothing reads the store after
        self.life.end()
        self.window = None

    def add_menu_items(self, menu: QMenu) -> None:
        menu.addAction(self.tr("Your week in review\u2026"), self.show_window)

    def build(self, week: IsoWeek, include_highlights: bool) -> WeeklySummary:
        """Runs on the window's worker, so it reads through a read-only connection of its own (WAL: the app's
        writes go on meanwhile) instead of the app's."""
        store = Store.open_read_only(self.ctx.store.path)
        try:
            return build_summary(store, week, self.ctx.clock, self.ctx.vault, include_highlights=include_highlights)
        finally:
            store.close()

    def this_week(self) -> IsoWeek:
        return IsoWeek.of(self.ctx.clock.now().date())

    def last_folder(self) -> Path:
        remembered = Path(self.ctx.settings.current.export.last_folder).expanduser()
        if self.ctx.settings.current.export.last_folder and remembered.is_dir():
            return remembered
        documents = Path.home() / "Documents"
        return documents if documents.is_dir() else Path.home()

    def remember_folder(self, folder: str) -> None:
        settings = self.ctx.settings.current
        if settings.export.last_folder != folder:
            self.ctx.settings.update(settings.with_value("export", "last_folder", folder))

    def show_window(self) -> None:
        if self.life.ended:
            return
        if self.window is None and WINDOW_MODULE not in sys.modules:
            importlib.import_module(WINDOW_MODULE)  # this turn the code (20 ms: QtSvg, charts, the report)...
            self.life.later(self.show_window)  # ...the next the window: both in one turn stalled 40 ms (issue 15)
            return
        if self.window is None:
            from companion.ui.summary_window import SummaryWindow

            self.window = self.life.window(
                SummaryWindow(
                    self.build,
                    self.this_week,
                    self.last_folder,
                    lambda: self.ctx.vault.is_unlocked,
                    include_highlights=lambda: self.ctx.settings.current.export.include_highlights,
                )
            )
            serve_summary_window(self.window, self.build)  # the window asks; the feature writes the files
            self.window.folder_used.connect(self.remember_folder)
            self.window.exported.connect(self.remember_exports)
        else:
            self.window.show_week(self.window.week)  # figures may have moved on since it was last open
        self.window.present()

    def remember_exports(self, written: list[Path]) -> None:
        """Erase everything removes what Companion wrote, so it keeps where (issue 13)."""
        log.info("summary exported to %d file(s)", len(written))
        remember_exports(self.ctx.store, written, self.ctx.clock.now().timestamp())

    def handle_command(self, request: Request) -> Reply:
        self.life.later(self.show_window)  # the reply goes out first
        return Reply(True, _("Your week in review is open."))

    def check_nudge(self) -> None:
        """Once a week, after the last working day ends: a notification, not a window that takes focus."""
        settings = self.ctx.settings.current
        if not settings.checkins.weekly_summary_nudge:
            return
        week = nudge_due(self.ctx.clock.now(), settings.work, self.ctx.store.get_meta(NUDGED_WEEK_KEY))
        # The gate last: it may ask the desktop whether it is quiet, which only a nudge that is due needs to know.
        if week is None or first_record_utc(self.ctx.store) is None or not self.ctx.prompt_gate.may_prompt():
            return
        self.ctx.store.set_meta(NUDGED_WEEK_KEY, str(week))
        self.ctx.nudge(
            self.tr("Your week in review is ready"),
            self.tr("Have a look back at your week: open Companion's menu and choose Your week in review."),
        )
        log.info("weekly summary nudge shown for %s", week)


def serve_summary_window(window: SummaryWindow, build: SummaryBuilder, pdf: PdfRenderer | None = None) -> None:
    """Write the files the window asks for on its worker (the PDF too: QPdfWriter, QPainter, QTextDocument and
    QSvgRenderer are made and used only there, none with a GUI-thread parent, which Qt supports in any thread), and
    tell the window how that went. `pdf` replaces the PDF renderer (a test makes it slow on purpose)."""

    def export(request: ExportRequest) -> None:
        def task() -> list[Path]:
            from companion.core.summary_export import export_summary
            from companion.ui.pdf_export import render_pdf

            summary = build(request.week, request.include_highlights)
            request.cancel.check()
            return export_summary(summary, request.fmt, request.path, events=request.events,
                                  pdf=pdf or render_pdf, before_write=request.cancel.check)  # fmt: skip

        def failed(error: BaseException) -> None:
            if isinstance(error, CompanionError):
                window.export_failed(error.message)
                return
            log.error("the weekly export failed", exc_info=error)
            window.export_failed(_("Companion could not save your week. Try again, or choose another format."))

        window.work.run(task, window.export_done, failed, cancel=request.cancel)

    window.export_requested.connect(export)


def create() -> SummaryFeature:
    return SummaryFeature()
