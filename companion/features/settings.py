"""The Settings window, start at login, retention and the data controls, wired into the tray and the socket.

Erase everything asks the app to quit with erase=True: the app's staged shutdown stops every feature, closes the
store, and only then removes the files (app.py `_erase`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from companion import APP_NAME
from companion.core.data_controls import ExportProgress, ExportStage, export_everything, prune_activity
from companion.core.errors import CompanionError
from companion.core.i18n import N_, _
from companion.core.interfaces import Autostart
from companion.core.ipc import Reply, Request
from companion.core.paths import AppPaths
from companion.core.settings import Settings
from companion.core.store import Store
from companion.lifecycle import Lifetime, Registry, Services
from companion.platform.autostart import launch_command
from companion.ui.worker import BackgroundWork

if TYPE_CHECKING:  # the window loads when the rep first opens it, not with the tray (issue 8's footprint)
    from companion.ui.settings_window import SettingsWindow

log = logging.getLogger(__name__)

ExportPathChooser = Callable[[QWidget, Path], Path | None]


def ask_export_path(parent: QWidget, suggested: Path) -> Path | None:
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        parent.tr("Export everything (not encrypted)"),
        str(suggested),
        parent.tr("Zip archives (*.zip)"),
    )
    return Path(chosen) if chosen else None


class SettingsFeature(QObject):
    def __init__(self, ask_path: ExportPathChooser = ask_export_path) -> None:
        super().__init__()
        self.ask_path = ask_path
        self.window: SettingsWindow | None = None
        self.message: QMessageBox | None = None
        self.erase_requested = False
        self._login_start_applied: bool | None = None
        self.life = Lifetime(self)
        self.work = BackgroundWork(self)  # Export everything reads and zips on it, off the GUI thread

    def start(self, services: Services, registry: Registry) -> None:
        self.ctx = services
        self.registry = registry  # the other features' extras under a Settings page, read when the window opens
        self.autostart: Autostart = services.backends.autostart
        self.prune_old_activity()
        self.sync_autostart(services.settings.current)
        registry.on_settings_changed(self.sync_autostart)
        registry.add_tray_section(self.add_tray_items)
        registry.register_command("settings", self.handle_settings)
        registry.add_about_fact(N_("Start at login"), self.autostart.name)

    def stop(self) -> None:
        """An export in flight is cancelled and waited for; the window, its message box and any dialog it opened
        close; nothing here fires after this."""
        self.work.stop()
        self.life.end()
        self.window = None
        self.message = None

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
            self.ctx.notify(APP_NAME, _("Companion could not change whether it starts at login."))

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

            self.window = self.life.window(
                SettingsWindow(
                    self.ctx.settings,
                    self.ctx.ports.key_controls,
                    autostart_available=self.autostart.name != "none",
                    page_extras=self.registry.settings_page_extras,
                )
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
        return Reply(True, _("The Settings window is open."))

    # --- data controls ------------------------------------------------------------------------------------

    def open_data_folder(self) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ctx.paths.data))):
            self._tell(
                QMessageBox.Icon.Warning,
                _("The data folder could not be opened. It is {path}").format(path=self.ctx.paths.data),
            )

    def export(self) -> None:
        """Ask where, then read and zip on the worker (its own read-only connection; WAL lets the app write on);
        the button waits meanwhile and the answer comes as a message over the window."""
        if self.work.busy:
            return
        parent = self.window or self.life.window(QWidget())
        folder = Path(self.ctx.settings.current.export.last_folder or Path.home())
        suggested = folder / f"companion-everything-{self.ctx.clock.now():%Y-%m-%d}.zip"  # i18n: not for reps
        target = self.ask_path(parent, suggested)
        if target is None:
            return
        database, vault, settings, paths, now = (
            self.ctx.store.path,
            self.ctx.vault,
            self.ctx.settings.current,
            self.ctx.paths,
            self.ctx.clock.now(),
        )

        def task(report: ExportProgress) -> Path:
            store = Store.open_read_only(database)
            try:
                return export_everything(store, vault, settings, paths, target, now, report)
            finally:
                store.close()

        if self.window is not None:
            self.window.export_started()
        self.work.run_with_progress(task, self._export_progress, self._exported, self._export_failed)

    def _export_progress(self, stage: ExportStage) -> None:
        if self.window is not None:
            self.window.show_export_progress(stage)

    def _export_ended(self, icon: QMessageBox.Icon, sentence: str) -> None:
        """The same sentence in the window's progress line, where the rep was looking, and in a message over it."""
        if self.window is not None:
            self.window.export_ended(sentence)
        self._tell(icon, sentence)

    def _export_failed(self, error: BaseException) -> None:
        if not isinstance(error, CompanionError):
            log.error("export everything failed", exc_info=error)
        message = error.message if isinstance(error, CompanionError) else _("Companion could not export everything.")
        self._export_ended(QMessageBox.Icon.Warning, message)

    def _exported(self, written: Path) -> None:
        self._export_ended(
            QMessageBox.Icon.Information,
            _(
                "Everything is exported to {written}.\n\nThis file is not encrypted: keep it somewhere only you can "
                "reach, and delete it when you no longer need it."
            ).format(written=written),
        )

    def confirm_erase(self) -> None:
        from companion.ui.erase_dialog import EraseDialog

        dialog = EraseDialog(self.window)
        if dialog.exec() == EraseDialog.DialogCode.Accepted and not self.life.ended:
            self.request_erase()

    def request_erase(self) -> None:
        """Erase once everything else has stopped and the store is closed: the app's staged shutdown does it."""
        log.info("erase everything requested")
        self.erase_requested = True
        if self.window is not None:
            self.window.close()
        self.ctx.request_quit(True)

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        """A non-blocking message over the Settings window."""
        self.message = self.life.window(QMessageBox(icon, APP_NAME, text, QMessageBox.StandardButton.Ok, self.window))
        self.message.open()


def create() -> SettingsFeature:
    return SettingsFeature()
