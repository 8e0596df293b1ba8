"""The private journal: unlock at start (keyring first, else ask), first-run set-up with the recovery code, the
journal window, the morning check-in and end-of-day ritual, auto-lock and lock now, export, key changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox

from companion import APP_NAME
from companion.core.clock import Clock, SystemClock
from companion.core.crypto import Vault
from companion.core.errors import CompanionError, KeyUnavailable, WrongPassphrase
from companion.core.interfaces import SecretStore
from companion.core.ipc import Reply, Request
from companion.core.journal import WRITING_KINDS, Content, EntryKind, Journal, Writing
from companion.core.keys import KeyManager, KeyMethod, ScryptParams
from companion.core.keys import unlock_headless as unlock_keys_headless
from companion.core.paths import write_private_atomically
from companion.core.settings import Settings
from companion.core.store import Store
from companion.lifecycle import Lifetime, Registry, Services
from companion.platform.keyring_helper import secret_store_in_helper
from companion.platform.keyring_store import detect_secret_store
from companion.ui.prompt import Choice, ChoicePrompt

if TYPE_CHECKING:  # windows, dialogs and the export load on first use, not with the tray (issue 8's footprint)
    from companion.ui.journal_dialogs import EntryDialog, UnlockDialog
    from companion.ui.journal_window import JournalWindow

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 15_000  # auto-lock and the end-of-day ritual are checked this often
Action = Callable[[], None]


def create() -> JournalFeature:
    return JournalFeature()


class JournalKeyControls:
    """The Settings window's Privacy actions, carried out by the journal feature (the core.ports.KeyControls port)."""

    def __init__(self, feature: JournalFeature) -> None:
        self._feature = feature

    def switch_key_storage(self, method: str, parent: object) -> None:
        if method == KeyMethod.PASSPHRASE.value:
            self._feature.choose_passphrase()
        else:
            self._feature.move_to_keyring()

    def change_passphrase(self, parent: object) -> None:
        self._feature.choose_passphrase()

    def show_recovery_code(self, parent: object) -> None:
        self._feature.show_recovery_code()


def unlock_headless(store: Store, vault: Vault, clock: Clock | None = None) -> None:
    """For headless commands (`companion export --highlights`): the keyring, else a passphrase read with getpass.

    Raises KeyUnavailable (nothing set up, no terminal) or WrongPassphrase, each with a sentence for the rep.
    """
    keys = KeyManager(store, vault, detect_secret_store(), clock or SystemClock())
    unlock_keys_headless(keys)


class JournalFeature(QObject):
    def __init__(
        self,
        # keyring, secretstorage and jeepney stay out of the long-running app: a child process talks to the keyring
        find_secrets: Callable[[], SecretStore] = secret_store_in_helper,
        scrypt_params: ScryptParams | None = None,
    ) -> None:
        super().__init__()
        self._find_secrets = find_secrets  # built at start, after the tray is up
        self._scrypt_params = scrypt_params
        self.life = Lifetime(self)
        self.window: JournalWindow | None = None
        self.dialog: QDialog | None = None  # the one key dialog showing (set-up, unlock, recovery code)
        self.entry_dialog: EntryDialog | None = None
        self.prompt: ChoicePrompt | None = None
        self._after_unlock: list[Action] = []
        self._away_since: float | None = None
        self._closing_offered_on: date | None = None
        self._checkin_offered_on: date | None = None
        self._checkin_waiting = False
        self._timer = self.life.timer(CHECK_INTERVAL_MS, self.tick)

    # --- start, set-up and unlock --------------------------------------------------------------------------

    def start(self, services: Services, registry: Registry) -> None:
        """Register, then open the journal from the event loop (a dialog may be needed, so not inside start)."""
        self.ctx = services
        self.keys = KeyManager(services.store, services.vault, None, services.clock, self._scrypt_params)
        self.journal = Journal(services.store, services.vault, services.clock)
        self.registry = registry
        registry.register_command("journal", self.handle_journal)
        registry.add_tray_section(self.add_menu_items)
        registry.on_first_activity_of_day(self.offer_checkin)
        registry.on_away(self.away_changed)
        registry.on_settings_changed(self.settings_changed)
        registry.offer_journal_access(self)
        registry.offer_key_controls(JournalKeyControls(self))
        registry.add_status(lambda: {"journal_unlocked": services.vault.is_unlocked, "journal_key": self.key_fact()})
        self.life.later(self.open_at_start)

    def open_at_start(self) -> None:
        """Unlock at start (set up on the first run), then offer the check-in if there is none yet today."""
        self._timer.start()
        if self.keys.secrets_store is None:
            self.keys.secrets_store = self._find_secrets()
            log.info("journal key store: %s", self.keys.secrets_store.name)
        self.registry.offer_secret_store(self.keys.secrets_store)  # erase everything removes our entry through it
        self.when_unlocked(self.offer_checkin)

    def set_up(self) -> None:
        """First run: the keyring if it works (and the rep has not chosen a passphrase), else a passphrase."""
        if self.ctx.settings.current.privacy.key_storage == "passphrase":
            self._ask_new_passphrase(self.tr("You chose to protect your journal with a passphrase."), self._set_up)
            return
        try:
            result = self.keys.set_up()
        except KeyUnavailable as error:
            reason = self.tr(
                "%1 Choose a passphrase to protect your journal instead; Companion will ask for it when it starts."
            ).replace("%1", error.message)
            self._ask_new_passphrase(reason, self._set_up)
            return
        self._show_recovery_code(result.recovery_code, then=self._unlocked)

    def _set_up(self, passphrase: str) -> None:
        result = self.keys.set_up(passphrase=passphrase)
        self._save_key_storage(KeyMethod.PASSPHRASE)
        self._show_recovery_code(result.recovery_code, then=self._unlocked)

    def when_unlocked(self, action: Action, reason: str = "") -> None:
        """Run `action` now if the journal is unlocked; otherwise unlock (keyring, else ask) and run it then."""
        if self.ctx.vault.is_unlocked:
            action()
            return
        self._after_unlock.append(action)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return
        if not self.keys.is_set_up():
            self.set_up()
            return
        if self.keys.everyday_method() is KeyMethod.PASSPHRASE:
            self._ask_to_unlock(reason or self.tr("Enter your passphrase to open your journal."), has_passphrase=True)
            return
        try:
            self.keys.unlock_with_keyring()
        except KeyUnavailable as error:
            why = error.message
            if "recovery code" not in why:
                why += " " + self.tr("Enter your recovery code to open your journal, or unlock your keyring first.")
            self._ask_to_unlock(why, has_passphrase=False)
            return
        self._unlocked()

    def _ask_to_unlock(self, reason: str, has_passphrase: bool) -> None:
        from companion.ui.journal_dialogs import UnlockDialog

        dialog = UnlockDialog(reason, has_passphrase)
        dialog.submitted.connect(lambda mode, secret: self._try_unlock(dialog, mode, secret))
        dialog.rejected.connect(self._after_unlock.clear)
        self._show_dialog(dialog)

    def _try_unlock(self, dialog: UnlockDialog, mode: str, secret: str) -> None:
        try:
            if mode == "passphrase":
                self.keys.unlock_with_passphrase(secret)
            else:
                self.keys.unlock_with_recovery_code(secret)
        except WrongPassphrase as error:
            log.info("unlock refused (%s)", mode)
            dialog.show_error(error.message)
            return
        dialog.succeeded()
        self.dialog = None
        if mode == "recovery" and self.keys.everyday_method() is KeyMethod.KEYRING:
            self._repair_keyring()
        self._unlocked()

    def _repair_keyring(self) -> None:
        """Opened with the recovery code because the keyring lost its entry: give the keyring a fresh one."""
        try:
            self.keys.use_keyring()
        except KeyUnavailable as error:
            log.info("keyring still unavailable after recovery: %s", error.message)

    def _unlocked(self) -> None:
        log.info("journal unlocked")
        if self.window is not None:
            self.window.show_unlocked()
        pending, self._after_unlock = self._after_unlock, []
        for action in pending:
            action()

    def stop(self) -> None:
        """On quit: no more checks, unsaved words are saved, the key leaves memory, every window and prompt
        closes. Harmless twice."""
        if self.life.ended:
            return
        self.life.end()
        self._after_unlock.clear()
        if hasattr(self, "journal"):
            self.lock()
        for widget in (self.prompt, self.dialog, self.entry_dialog, self.window):
            if widget is not None:
                widget.blockSignals(True)  # closing is not an answer: nothing runs on the way out
                widget.close()
                widget.deleteLater()
        self.prompt = self.dialog = self.entry_dialog = None
        self.window = None

    def lock(self) -> None:
        """Lock now: save what is being written, then forget the key and every decrypted word."""
        if self.window is not None:
            self.window.save_unsaved()
        self.journal.forget()
        was_unlocked = self.ctx.vault.is_unlocked
        self.ctx.vault.lock()
        if self.window is not None:
            self.window.show_locked()
        if was_unlocked:
            log.info("journal locked")

    # --- auto-lock and the day's rhythm --------------------------------------------------------------------

    def away_changed(self, away: bool) -> None:
        self._away_since = self.ctx.clock.monotonic() if away else None
        self.check_auto_lock()

    def tick(self) -> None:
        self.check_auto_lock()
        if self._checkin_waiting:
            self.offer_checkin()
        self.offer_closing_if_due()

    def check_auto_lock(self) -> None:
        minutes = self.ctx.settings.current.privacy.auto_lock_minutes
        if minutes <= 0 or not self.ctx.vault.is_unlocked:
            return
        limit = minutes * 60
        away_for = 0.0 if self._away_since is None else self.ctx.clock.monotonic() - self._away_since
        idle = self.ctx.backends.idle.seconds_since_last_input() or 0.0
        if max(away_for, idle) >= limit:
            log.info("auto-lock after %d min away", minutes)
            self.lock()

    def offer_checkin(self) -> None:
        """The morning check-in (first activity of the day, or start); gentle, optional, once a day, never in a
        call: while the prompt gate is closed it waits for a later tick."""
        today = self.ctx.clock.now().date()
        if (
            not self.ctx.settings.current.checkins.morning_checkin
            or self._checkin_offered_on == today
            or self.journal.has_entry_on(EntryKind.CHECKIN, today)
        ):
            self._checkin_waiting = False
            return
        if not self.ctx.prompt_gate.may_prompt():
            self._checkin_waiting = True
            return
        self._checkin_waiting = False
        self._checkin_offered_on = today
        self._offer(EntryKind.CHECKIN)

    def offer_closing_if_due(self) -> None:
        settings = self.ctx.settings.current
        now = self.ctx.clock.now()
        if (
            not settings.checkins.end_of_day_ritual
            or now.weekday() not in settings.work.work_days
            or now.strftime("%H:%M") < settings.work.work_end
            or self._closing_offered_on == now.date()
            or not self.ctx.prompt_gate.may_prompt()
            or self.journal.has_entry_on(EntryKind.CLOSING, now.date())
        ):
            return
        self._closing_offered_on = now.date()
        self._offer(EntryKind.CLOSING)

    def _offer(self, kind: EntryKind) -> None:
        from companion.ui.journal_forms import journal_prompts

        prompts = journal_prompts()["morning" if kind is EntryKind.CHECKIN else "closing"]
        if self.prompt is not None:
            self.prompt.close()
        self.prompt = ChoicePrompt(
            prompts["title"],
            prompts["question"],
            [Choice("open", self.tr("&Check in") if kind is EntryKind.CHECKIN else self.tr("&Close the day"), True),
             Choice("later", self.tr("&Not now"))],
            dismiss_key="later",
            anchor=self.ctx.tray.icon.geometry(),
        )  # fmt: skip

        def chosen(key: str) -> None:  # slots return None: PySide6 mishandles a returned bool
            if key == "open":
                self.open_entry_dialog(kind)

        self.prompt.chosen.connect(chosen)
        self.ctx.show_prompt(self.prompt)

    def open_entry_dialog(self, kind: EntryKind) -> None:
        def show() -> None:
            if self.entry_dialog is not None:
                self.entry_dialog.close()
            from companion.ui.journal_dialogs import EntryDialog

            dialog = EntryDialog(kind)
            dialog.submitted.connect(lambda content: self._save_from_dialog(dialog, kind, content))
            self.entry_dialog = dialog
            dialog.show()
            dialog.raise_()
            dialog.activateWindow()

        self.when_unlocked(show)

    def _save_from_dialog(self, dialog: EntryDialog, kind: EntryKind, content: Content) -> None:
        def save() -> None:
            try:
                self.journal.add(kind, content)
            except CompanionError as error:
                dialog.show_error(error.message)  # the dialog stays open with what was typed
                return
            dialog.succeeded()
            if self.window is not None and not self.window.is_showing_locked:
                self.window.refresh()

        self.when_unlocked(save, self.tr("Unlock your journal to save this entry."))

    # --- the window, the tray, the socket ------------------------------------------------------------------

    def open_journal(self) -> JournalWindow:
        if self.window is None:
            from companion.features.journal_writes import serve_journal_window
            from companion.ui.journal_window import JournalWindow

            self.window = JournalWindow(self.journal)
            serve_journal_window(self.window, self.journal)  # the window asks; the feature writes
            self.window.lock_requested.connect(self.lock)
            self.window.unlock_requested.connect(lambda: self.when_unlocked(lambda: None))
            self.window.export_requested.connect(self.start_export)
            self.window.checkin_requested.connect(lambda: self.open_entry_dialog(EntryKind.CHECKIN))
        if self.ctx.vault.is_unlocked:
            self.window.show_unlocked()
        else:
            self.window.show_locked()
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        if not self.ctx.vault.is_unlocked:
            self.when_unlocked(lambda: None, self.tr("Unlock your journal to read and write in it."))
        return self.window

    def handle_journal(self, request: Request) -> Reply:
        """`companion journal` opens the window; with a kind and text it writes a quick entry (a keyboard shortcut
        for "that was a win") without opening anything."""
        kind, text = request.args.get("kind"), request.args.get("text")
        if kind is None and text is None:
            self.open_journal()
            return Reply(True, self.tr("The journal is open."))
        # A kind from the socket can be any JSON value (a list is unhashable): check it is text before looking it up.
        unknown = not isinstance(kind, str) or kind not in {k.value for k in WRITING_KINDS}
        if unknown or not isinstance(text, str) or not text.strip():
            return Reply(False, self.tr("A quick entry needs a kind (win, gratitude, reflection or note) and text."))
        if not self.ctx.vault.is_unlocked:
            return Reply(False, self.tr("Your journal is locked; unlock it from the tray, then try again."))
        entry = self.journal.add(EntryKind(kind), Writing(text.strip()))
        if self.window is not None:
            self.window.refresh()
        return Reply(True, self.tr("Saved to your journal."), {"entry_uid": entry.uid})

    def add_menu_items(self, menu: QMenu) -> None:
        menu.addAction(self.tr("Journal…"), self.open_journal)
        menu.addAction(self.tr("Check in…"), lambda: self.open_entry_dialog(EntryKind.CHECKIN))
        menu.addAction(self.tr("Close the day…"), lambda: self.open_entry_dialog(EntryKind.CLOSING))
        if self.ctx.vault.is_unlocked:
            menu.addAction(self.tr("Lock journal"), self.lock)
            keys = menu.addMenu(self.tr("Journal key"))  # a child of the tray menu, deleted at its next rebuild
            if self.keys.everyday_method() is KeyMethod.KEYRING:
                keys.addAction(self.tr("Use a passphrase instead…"), self.choose_passphrase)
            else:
                keys.addAction(self.tr("Change passphrase…"), self.choose_passphrase)
                keys.addAction(self.tr("Use the system keyring"), self.move_to_keyring)
            keys.addAction(self.tr("New recovery code…"), self.new_recovery_code)

    def key_fact(self) -> str:
        method = self.keys.everyday_method()
        if method is KeyMethod.KEYRING:
            return "system keyring, with a recovery code"
        if method is KeyMethod.PASSPHRASE:
            return "passphrase, with a recovery code"
        return "not set up yet"

    # --- key changes (re-wrap only) ------------------------------------------------------------------------

    def choose_passphrase(self) -> None:
        def keep_current_method() -> None:  # cancelled: the settings must keep saying what really opens it
            method = self.keys.everyday_method()
            if method is not None:
                self._save_key_storage(method)

        def ask() -> None:
            reason = self.tr("Your journal will open with this passphrase.")
            self._ask_new_passphrase(reason, self._apply_passphrase, on_cancel=keep_current_method)

        self.when_unlocked(ask)

    def _apply_passphrase(self, passphrase: str) -> None:
        self.keys.change_passphrase(passphrase)
        self._save_key_storage(KeyMethod.PASSPHRASE)
        self.ctx.notify(APP_NAME, self.tr("Your journal now opens with your passphrase."))

    def move_to_keyring(self) -> None:
        def move() -> None:
            try:
                self.keys.use_keyring()
            except KeyUnavailable as error:
                self._save_key_storage(KeyMethod.PASSPHRASE)
                self.ctx.notify(APP_NAME, self.tr("%1 Your passphrase still opens the journal.").replace(
                    "%1", error.message))  # fmt: skip
                return
            self._save_key_storage(KeyMethod.KEYRING)
            self.ctx.notify(APP_NAME, self.tr("Your journal now opens with the system keyring."))

        self.when_unlocked(move)

    def new_recovery_code(self) -> None:
        self.when_unlocked(lambda: self._show_recovery_code(self.keys.regenerate_recovery_code()))

    def show_recovery_code(self) -> None:
        """The current code again (journals set up before it was kept get a new one)."""
        self.when_unlocked(
            lambda: self._show_recovery_code(self.keys.recovery_code() or self.keys.regenerate_recovery_code())
        )

    def settings_changed(self, settings: Settings) -> None:
        """The rep chose the other key storage in the settings window: move to it (re-wrap only)."""
        wanted = KeyMethod(settings.privacy.key_storage)
        current = self.keys.everyday_method()
        if current is None or current is wanted:
            return
        if wanted is KeyMethod.PASSPHRASE:
            self.choose_passphrase()
        else:
            self.move_to_keyring()

    def _save_key_storage(self, method: KeyMethod) -> None:
        holder = self.ctx.settings
        if holder.current.privacy.key_storage != method.value:
            holder.update(holder.current.with_value("privacy", "key_storage", method.value))

    def _ask_new_passphrase(self, reason: str, use: Callable[[str], None], on_cancel: Action | None = None) -> None:
        from companion.ui.journal_dialogs import PassphraseDialog

        dialog = PassphraseDialog(reason)
        if on_cancel is not None:
            dialog.rejected.connect(on_cancel)

        def chosen(passphrase: str) -> None:
            try:
                use(passphrase)
            except CompanionError as error:
                dialog.show_error(error.message)
                return
            dialog.succeeded()

        dialog.chosen.connect(chosen)
        self._show_dialog(dialog)

    def _show_recovery_code(self, code: str, then: Action | None = None) -> None:
        from companion.ui.journal_dialogs import RecoveryCodeDialog

        dialog = RecoveryCodeDialog(code)
        if then is not None:
            dialog.finished.connect(lambda _result: then())
        self._show_dialog(dialog)

    def _show_dialog(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.blockSignals(True)  # replaced, not answered: its pending actions stay
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _forget_dialog(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    # --- export --------------------------------------------------------------------------------------------

    def start_export(self, fmt: str) -> None:
        """The rep asked: warn that the file is not encrypted, then ask where to save it."""
        from companion.core.journal_export import NOT_ENCRYPTED_WARNING

        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Export your journal"),
            self.tr(NOT_ENCRYPTED_WARNING),
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setObjectName("export-warning")
        go = box.addButton(self.tr("Choose where to save…"), QMessageBox.ButtonRole.AcceptRole)

        def answered(button: object) -> None:
            if button is go:
                self._choose_export_file(fmt)

        box.buttonClicked.connect(answered)
        box.open()

    def _choose_export_file(self, fmt: str) -> None:
        from companion.core.journal_export import FORMATS

        folder = self.ctx.settings.current.export.last_folder or str(Path.home())
        suggested = Path(folder) / f"companion-journal-{self.ctx.clock.now():%Y-%m-%d}{FORMATS[fmt]}"
        dialog = QFileDialog(self.window, self.tr("Save the journal export"), str(suggested))
        dialog.setObjectName("export-file")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.selectFile(str(suggested))

        def selected(name: str) -> None:
            self.export_to(Path(name), fmt)

        dialog.fileSelected.connect(selected)
        dialog.open()

    def export_to(self, target: Path, fmt: str) -> int:
        from companion.core.journal_export import render

        entries = self.journal.search()
        write_private_atomically(target, render(entries, fmt).encode("utf-8"))
        log.info("journal exported (%d entries, %s)", len(entries), fmt)
        holder = self.ctx.settings
        holder.update(holder.current.with_value("export", "last_folder", str(target.parent)))
        self.ctx.notify(APP_NAME, self.tr("Saved %n entries to %1 (not encrypted).", "", len(entries)).replace(
            "%1", str(target)))  # fmt: skip
        return len(entries)
