"""The weekly summary feature: a tray item and the `summary` command open the week in review; a gentle nudge at
the end of the last working day says it is ready (once a week, only if the rep wants it, never during a call)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMenu

from companion.app import AppContext
from companion.core.exports_record import remember_exports
from companion.core.ipc import Reply, Request
from companion.core.summary import IsoWeek, WeeklySummary, build_summary, nudge_due
from companion.core.summary_store import first_record_utc

log = logging.getLogger(__name__)

NUDGE_CHECK_MS = 60_000
NUDGED_WEEK_KEY = "summary.nudged_week"


class SummaryFeature(QObject):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx.tray)  # lives as long as the app's tray
        self.ctx = ctx
        self.window = None  # SummaryWindow, built on first use so the tray appears before the export code loads
        self.nudge_timer = QTimer(self)
        self.nudge_timer.setInterval(NUDGE_CHECK_MS)
        self.nudge_timer.timeout.connect(self.check_nudge)

    def add_menu_items(self, menu: QMenu) -> None:
        menu.addAction(self.tr("Your week in review\u2026"), self.show_window)

    def build(self, week: IsoWeek, include_highlights: bool) -> WeeklySummary:
        return build_summary(
            self.ctx.store, week, self.ctx.clock, self.ctx.vault, include_highlights=include_highlights
        )

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
        if self.window is None:
            from companion.ui.summary_window import SummaryWindow

            self.window = SummaryWindow(
                self.build,
                self.this_week,
                self.last_folder,
                lambda: self.ctx.vault.is_unlocked,
                include_highlights=lambda: self.ctx.settings.current.export.include_highlights,
            )
            self.window.folder_used.connect(self.remember_folder)
            self.window.exported.connect(self.remember_exports)
        else:
            self.window.show_week(self.window.week)  # figures may have moved on since it was last open
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    def remember_exports(self, written: list[Path]) -> None:
        """Erase everything removes what Companion wrote, so it keeps where (issue 13)."""
        log.info("summary exported to %d file(s)", len(written))
        remember_exports(self.ctx.store, written, self.ctx.clock.now().timestamp())

    def handle_command(self, request: Request) -> Reply:
        QTimer.singleShot(0, self.show_window)
        return Reply(True, "Your week in review is open.")

    def check_nudge(self) -> None:
        """Once a week, after the last working day ends: a notification, not a window that takes focus."""
        settings = self.ctx.settings.current
        if not settings.checkins.weekly_summary_nudge or not self.ctx.prompt_gate.may_prompt():
            return
        week = nudge_due(self.ctx.clock.now(), settings.work, self.ctx.store.get_meta(NUDGED_WEEK_KEY))
        if week is None or first_record_utc(self.ctx.store) is None:
            return
        self.ctx.store.set_meta(NUDGED_WEEK_KEY, str(week))
        self.ctx.nudge(
            self.tr("Your week in review is ready"),
            self.tr("Have a look back at your week: open Companion's menu and choose Your week in review."),
        )
        log.info("weekly summary nudge shown for %s", week)


def install(ctx: AppContext) -> None:
    feature = SummaryFeature(ctx)
    ctx.tray.add_section(feature.add_menu_items)
    ctx.handlers["summary"] = feature.handle_command
    ctx.on_quit.append(feature.nudge_timer.stop)
    feature.nudge_timer.start()
