"""The Settings window, start at login, retention and the data controls, wired into the tray and the socket.

Install this feature last: erasing everything happens in its quit hook, after the other features have written
what they write on the way out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from companion import APP_NAME
from companion.app import AppContext
from companion.core.data_controls import EraseReport, erase_everything, export_everything, prune_activity
from companion.core.errors import CompanionError
from companion.core.interfaces import Autostart
from companion.core.ipc import Reply, Request
from companion.core.paths import AppPaths
from companion.core.settings import Settings
from companion.platform.autostart import launch_command, select_autostart

if TYPE_CHECKING:  # the window loads when the rep first opens it, not with the tray (issue 8's footprint)
    from companion.ui.settings_window import SettingsWindow

log = logging.getLogger(__name__)

ExportPathChooser = Callable[[QWidget, Path], Path | None]


def ask_export_path(parent: QWidget, suggested: Path) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(
        parent,
        parent.tr("Export everything (not encrypted)"),
        str(suggested),
        parent.tr("Zip archives (*.zip)"),
    )
    return Path(chosen) if chosen else None


class SettingsFeature:
    def __init__(self, ctx: AppContext, autostart: Autostart, ask_path: ExportPathChooser = ask_export_path) -> None:
        self.ctx = ctx
        self.autostart = autostart
        self.ask_path = ask_path
        self.window: SettingsWindow | None = None
        self.message: QMessageBox | None = None
        self.erase_requested = False
        self._login_start_applied: bool | None = None

    # --- at start -----------------------------------------------------------------------------------------

    def prune_old_activity(self) -> None:
        try:
            prune_activity(self.ctx.store, self.ctx.clock.now(), self.ctx.settings.current.privacy.retention_months)
        except CompanionError as error:
            log.error("retention pruning failed: %s", error.message)

    def sync_autostart(self, settings: Settings) -> None:
        """The setting is what the rep asked for; make the OS agree (also after a move or an erase)."""
        wanted = settings.startup.start_at_login
        if self.autostart.name == "none" or wanted == self._login_start_applied:
            return
        self._login_start_applied = wanted
        try:
            if wanted:
                self.autostart.enable(self.login_command())  # rewritten at each start: the command may have moved
            elif self.autostart.is_enabled():
                self.autostart.disable()
        except OSError as error:
            log.error("start at login could not be changed via %s: %s", self.autostart.name, error)
            self.ctx.notify(APP_NAME, "Companion could not change whether it starts at login.")

    def login_command(self) -> list[str]:
        """The command to start at login; a data folder chosen by option or variable goes with it, since the login
        session will not have that option or variable."""
        command = launch_command()
        if self.ctx.paths != AppPaths.resolve(env={}):
            command += ["--data-dir", str(self.ctx.paths.data)]
        return command

    # --- the window ---------------------------------------------------------------------------------------

    def show_window(self, page: str | None = None) -> SettingsWindow:
        if self.window is None:
            from companion.ui.settings_window import SettingsWindow

            self.window = SettingsWindow(
                self.ctx.settings,
                self.ctx.key_controls,
                autostart_available=self.autostart.name != "none",
                page_extras=self.ctx.settings_page_extras,
            )
            self.window.open_data_folder_requested.connect(self.open_data_folder)
            self.window.export_requested.connect(self.export)
            self.window.erase_requested.connect(self.confirm_erase)
        if page is not None:
            self.window.show_page(page)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        return self.window

    def add_tray_items(self, menu: QMenu) -> None:
        menu.addAction(menu.tr("Settings\u2026"), self.show_window)

    def handle_settings(self, request: Request) -> Reply:
        self.show_window()
        return Reply(True, "The Settings window is open.")

    # --- data controls ------------------------------------------------------------------------------------

    def open_data_folder(self) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ctx.paths.data))):
            self._tell(QMessageBox.Icon.Warning, f"The data folder could not be opened. It is {self.ctx.paths.data}")

    def export(self) -> Path | None:
        parent = self.window or QWidget()
        folder = Path(self.ctx.settings.current.export.last_folder or Path.home())
        suggested = folder / f"companion-everything-{self.ctx.clock.now():%Y-%m-%d}.zip"
        target = self.ask_path(parent, suggested)
        if target is None:
            return None
        try:
            written = export_everything(
                self.ctx.store, self.ctx.vault, self.ctx.settings.current, self.ctx.paths, target, self.ctx.clock.now()
            )
        except CompanionError as error:
            self._tell(QMessageBox.Icon.Warning, error.message)
            return None
        self._tell(
            QMessageBox.Icon.Information,
            f"Everything is exported to {written}.\n\nThis file is not encrypted: keep it somewhere only you can "
            "reach, and delete it when you no longer need it.",
        )
        return written

    def confirm_erase(self) -> None:
        from companion.ui.erase_dialog import EraseDialog

        dialog = EraseDialog(self.window)
        if dialog.exec() == EraseDialog.DialogCode.Accepted:
            self.request_erase()

    def request_erase(self) -> None:
        """Erase once everything else has stopped: quit, and let the quit hook do it."""
        log.info("erase everything requested")
        self.erase_requested = True
        if self.window is not None:
            self.window.close()
        self.ctx.tray.quit_requested.emit()

    def erase_on_quit(self) -> None:
        if not self.erase_requested:
            return
        report = self.erase_now()
        if report.problems:
            QMessageBox.warning(None, APP_NAME, "Companion erased what it could.\n\n" + "\n".join(report.problems))

    def erase_now(self) -> EraseReport:
        self.ctx.vault.lock()
        if self.autostart.name != "none":
            self.autostart.disable()
        self._stop_logging_to(self.ctx.paths.logs)
        return erase_everything(self.ctx.paths, self.ctx.store, self.ctx.secret_store)

    @staticmethod
    def _stop_logging_to(folder: Path) -> None:
        root = logging.getLogger()
        for handler in list(root.handlers):
            filename = getattr(handler, "baseFilename", None)
            if filename and Path(filename).parent == folder:
                root.removeHandler(handler)
                handler.close()

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        """A non-blocking message over the Settings window."""
        self.message = QMessageBox(icon, APP_NAME, text, QMessageBox.StandardButton.Ok, self.window)
        self.message.open()


def install(ctx: AppContext) -> None:
    connect(ctx, SettingsFeature(ctx, select_autostart()))


def connect(ctx: AppContext, feature: SettingsFeature) -> SettingsFeature:
    feature.prune_old_activity()
    feature.sync_autostart(ctx.settings.current)
    ctx.settings.subscribe(feature.sync_autostart)
    ctx.tray.add_section(feature.add_tray_items)
    ctx.handlers["settings"] = feature.handle_settings
    ctx.on_quit.append(feature.erase_on_quit)
    ctx.about_facts.append(("Start at login", feature.autostart.name))
    return feature
