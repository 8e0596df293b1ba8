"""The private journal: unlock at start (keyring first, else ask), first-run set-up with the recovery code, the
journal window, the morning check-in and end-of-day ritual, auto-lock and lock now, export, key changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox

from companion import APP_NAME
from companion.core.activity import IntervalRepository
from companion.core.call_notes import CallNote, OpenedRecords, call_notes, read_state
from companion.core.day_schedule import greeting, seconds_until_auto_lock
from companion.core.errors import CompanionError, KeyUnavailable, WrongPassphrase
from companion.core.i18n import _
from companion.core.interfaces import AbandonableSecretStore, SecretStore
from companion.core.ipc import Reply, Request
from companion.core.journal import WRITING_KINDS, Content, EntryKind, Journal, JournalEntry, Writing
from companion.core.keys import (
    DerivedKey,
    KeyManager,
    KeyMethod,
    KeysChangedMeanwhile,
    RecoveryCodeNeeded,
    ScryptParams,
    store_keyring_key,
    store_new_keyring_key,
)
from companion.core.paths import write_private_atomically
from companion.core.session import JournalFacts, JournalRhythm
from companion.core.settings import Settings
from companion.core.store import Store
from companion.core.text_input import quick_text_problem
from companion.lifecycle import Lifetime, Registry, Services
from companion.platform.keyring_async import KeyringRead, read_secret
from companion.platform.keyring_helper import secret_store_in_helper
from companion.ui.prompt import Choice, ChoicePrompt
from companion.ui.worker import BackgroundWork

if TYPE_CHECKING:  # windows, dialogs and the export load on first use, not with the tray (issue 8's footprint)
    from companion.ui.journal_dialogs import EntryDialog, PassphraseDialog, UnlockDialog
    from companion.ui.journal_window import JournalWindow

log = logging.getLogger(__name__)

# The day's rhythm (check-in, closing) is checked this often; the auto-lock has a timer of its own for its moment.
# At 15 s this tick and its idle query were most of what the tray did at idle (docs/performance.md, round 5).
RHYTHM_INTERVAL_MS = 60_000
LOCK_TIMER_SLACK_MS = 50  # the auto-lock's look comes just after its moment, never just before it
DECRYPT_ON_WORKER_FROM = 500  # entries; about 30 µs each, so below this the GUI thread decrypts them unnoticed
Action = Callable[[], None]


def create() -> JournalFeature:
    return JournalFeature()


class JournalKeyControls:
    """The Settings window's Privacy actions, carried out by the journal feature (the core.ports.KeyControls port)."""

    def __init__(self, feature: JournalFeature) -> None:
        self._feature = feature

    def switch_key_storage(self, method: str, parent: object, moved: Callable[[str], None] | None = None) -> bool:
        if method == KeyMethod.PASSPHRASE.value:
            self._feature.choose_passphrase()
            return False
        return self._feature.move_to_keyring_now(moved)

    def change_passphrase(self, parent: object) -> None:
        self._feature.choose_passphrase()

    def show_recovery_code(self, parent: object) -> None:
        self._feature.show_recovery_code()

    def new_recovery_code(self, parent: object) -> None:
        self._feature.new_recovery_code()  # the Settings window asked the rep first


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
        self._timer = self.life.timer(RHYTHM_INTERVAL_MS, self.tick)
        # Armed for the auto-lock's moment when that comes before the next tick (`_arm_auto_lock`).
        self.auto_lock_timer = self.life.timer(0, self.follow_rhythm, single_shot=True)
        self._keyring_read: KeyringRead | None = None  # the keyring asked for the key, off the GUI thread
        self._work = BackgroundWork(self)  # scrypt, keyring set-up, bulk decryption: off the GUI thread
        self.life.on_end(self._work.stop)  # waits for the task in flight and drops its result
        # Moving the key (the keyring's helper children, scrypt for a new passphrase): its own worker, so a move
        # never makes an unlock or the window's decryption wait, nor they it. One move at a time: `_key_move`.
        self._key_work = BackgroundWork(self)
        self.life.on_end(self._key_work.stop)
        self._key_move: KeyMethod | None = None  # where a move under way takes the key
        self.life.on_end(self._stop_keyring_read)  # the helper child ends; no answer arrives after stop
        self._opened_call_notes = OpenedRecords()  # rough-call notes opened once while unlocked; forgotten on lock
        self.life.on_end(self._opened_call_notes.forget)

    # --- start, set-up and unlock --------------------------------------------------------------------------

    def start(self, services: Services, registry: Registry) -> None:
        """Register, then open the journal from the event loop (a dialog may be needed, so not inside start)."""
        self.ctx = services
        self.keys = KeyManager(services.store, services.vault, None, services.clock, self._scrypt_params)
        self.journal = Journal(services.store, services.vault, services.clock)
        self.rhythm = JournalRhythm(services.clock)  # the day's check-in, closing and auto-lock, decided in the core
        self._intervals = IntervalRepository(services.store)
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
        if self.keys.secrets_store is None:
            self.keys.secrets_store = self._find_secrets()
        secrets, account = self.keys.secrets_store, self.keys.new_keyring_account()

        def stored(wrapping_key: bytes) -> None:
            result = self.keys.set_up_with_keyring_key(account, wrapping_key)
            self._show_recovery_code(result.recovery_code, then=self._unlocked, welcome=True)

        def refused(error: BaseException) -> None:
            if not isinstance(error, KeyUnavailable):
                log.error("keyring set-up failed", exc_info=error)
                error = KeyUnavailable(_("The keyring could not be reached."))
            reason = self.tr(
                "%1 Choose a passphrase to protect your journal instead; Companion will ask for it when it starts."
            ).replace("%1", error.message)
            self._ask_new_passphrase(reason, self._set_up)

        # Putting the key in the keyring and reading it back is two helper children: on the worker, not the tray.
        self._work.run(lambda: store_new_keyring_key(secrets, account), stored, refused)

    def _set_up(self, passphrase: str) -> None:
        result = self.keys.set_up(passphrase=passphrase)
        self._save_key_storage(KeyMethod.PASSPHRASE)
        self._show_recovery_code(result.recovery_code, then=self._unlocked, welcome=True)

    def when_unlocked(self, action: Action, reason: str = "") -> None:
        """Run `action` now if the journal is unlocked; otherwise unlock (keyring, else ask) and run it then."""
        if self.ctx.vault.is_unlocked:
            action()
            return
        self._after_unlock.append(action)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return
        if self.unlocking():
            return  # the keyring or the worker is already at it; the action runs when the journal opens
        if not self.keys.is_set_up():
            self.set_up()
            return
        if self.keys.everyday_method() is KeyMethod.PASSPHRASE:
            self._ask_to_unlock(reason or self.tr("Enter your passphrase to open your journal."), has_passphrase=True)
            return
        if self.keys.secrets_store is None:
            self.keys.secrets_store = self._find_secrets()
        self._keyring_read = read_secret(self.keys.secrets_store, self.keys.keyring_account_in_use(),
                                         self._keyring_answered, self._keyring_unavailable, self)  # fmt: skip

    def unlocking(self) -> bool:
        """The journal is on its way to unlocking (the keyring or scrypt is working): a tag's note can wait."""
        return (self._keyring_read is not None and self._keyring_read.running) or self._work.busy

    def _keyring_answered(self, secret: bytes | None) -> None:
        self._keyring_read = None
        try:
            self.keys.unlock_with_keyring_secret(secret)
        except KeyUnavailable as error:
            self._keyring_unavailable(error)
            return
        self._unlocked()

    def _keyring_unavailable(self, error: KeyUnavailable) -> None:
        self._keyring_read = None
        why = error.message
        if not isinstance(error, RecoveryCodeNeeded):  # its sentence asks for the code already
            why += " " + self.tr("Enter your recovery code to open your journal, or unlock your keyring first.")
        self._ask_to_unlock(why, has_passphrase=False)

    def _ask_to_unlock(self, reason: str, has_passphrase: bool) -> None:
        from companion.ui.journal_dialogs import UnlockDialog

        dialog = UnlockDialog(reason, has_passphrase)
        dialog.submitted.connect(lambda mode, secret: self._try_unlock(dialog, mode, secret))
        dialog.rejected.connect(self._after_unlock.clear)
        self._show_dialog(dialog)

    def _try_unlock(self, dialog: UnlockDialog, mode: str, secret: str) -> None:
        """scrypt takes about 0.4 s: it runs on the worker while the dialog says "Unlocking…" and the tray answers."""
        if self._work.busy:
            return
        try:
            open_with = self.keys.secret_opener(KeyMethod.PASSPHRASE if mode == "passphrase" else KeyMethod.RECOVERY)
        except WrongPassphrase as error:
            dialog.show_error(error.message)
            return
        dialog.show_unlocking()
        self._work.run(lambda: open_with(secret), lambda data_key: self._opened(dialog, mode, data_key),
                       lambda error: self._refused(dialog, mode, error))  # fmt: skip

    def _refused(self, dialog: UnlockDialog, mode: str, error: BaseException) -> None:
        if not isinstance(error, WrongPassphrase):
            log.error("unlock failed (%s)", mode, exc_info=error)
            dialog.show_error(self.tr("Companion could not open your journal. Try again."))
            return
        log.info("unlock refused (%s)", mode)
        dialog.show_error(error.message)

    def _opened(self, dialog: UnlockDialog, mode: str, data_key: bytes) -> None:
        self.keys.unlock_with_data_key(data_key)
        dialog.succeeded()
        self.dialog = None
        if mode == "recovery" and self.keys.everyday_method() is KeyMethod.KEYRING:
            self._repair_keyring()
        self._unlocked()

    def _repair_keyring(self) -> None:
        """Opened with the recovery code because the keyring lost its entry: give the keyring a fresh one. It lands
        even if the rep locks before the keyring answers (else the next start asks for the code again)."""
        self._move_to_keyring(repair=True)

    def _unlocked(self) -> None:
        log.info("journal unlocked")
        if self.window is not None:
            self._show_entries()
        pending, self._after_unlock = self._after_unlock, []
        for action in pending:
            action()

    def stop(self) -> None:
        """On quit: no more checks, no keyring child or worker left running, unsaved words are saved, the key
        leaves memory, every window and prompt closes. Harmless twice."""
        if self.life.ended:
            return
        store = self.keys.secrets_store if hasattr(self, "keys") else None
        if isinstance(store, AbandonableSecretStore):
            store.abandon()  # a key move's keyring call in flight ends now instead of at its 15 s limit
        self.life.end()
        self._after_unlock.clear()
        if hasattr(self, "journal"):
            self.lock()
        if self.window is not None:
            self.window.search_work.stop()  # waits for a search in flight (milliseconds) and drops its result
        for widget in (self.prompt, self.dialog, self.entry_dialog, self.window):
            if widget is not None:
                widget.blockSignals(True)  # closing is not an answer: nothing runs on the way out
                widget.close()
                widget.deleteLater()
        self.prompt = self.dialog = self.entry_dialog = None
        self.window = None

    def _stop_keyring_read(self) -> None:
        if self._keyring_read is not None:
            self._keyring_read.stop()
            self._keyring_read = None

    def lock(self) -> None:
        """Lock now: save what is being written, then forget the key and every decrypted word."""
        if self.window is not None:
            self.window.save_unsaved()
        was_unlocked = self.ctx.vault.is_unlocked
        self.ctx.vault.lock()  # first: a worker still reading rough-call notes sees it and forgets what it opened
        self.journal.forget()
        self._opened_call_notes.forget()
        if self.window is not None:
            self.window.show_locked()
        if was_unlocked:
            log.info("journal locked")

    # --- auto-lock and the day's rhythm --------------------------------------------------------------------

    def away_changed(self, away: bool) -> None:
        self._away_since = self.ctx.clock.monotonic() if away else None
        self.check_auto_lock()

    def tick(self) -> None:
        self.follow_rhythm()
        self.ctx.prompt_gate.show_next()  # a prompt that waited for a call or the quiet after unlock to end

    def follow_rhythm(self) -> None:
        """Ask the core what the journal's day calls for now (core.session.JournalRhythm) and do it: lock after the
        minutes away, queue the check-in at the start of the rep's day, closing the day after it."""
        away_for = 0.0 if self._away_since is None else self.ctx.clock.monotonic() - self._away_since
        idle_seconds = self.ctx.backends.idle.seconds_since_last_input()
        facts = JournalFacts(
            unlocked=self.ctx.vault.is_unlocked,
            away_seconds=away_for,
            idle_seconds=idle_seconds,
            last_checkin=self.journal.latest_time(EntryKind.CHECKIN),
            last_closing=self.journal.latest_time(EntryKind.CLOSING),
            worked=self._intervals.worked_between,
        )
        settings = self.ctx.settings.current
        decision = self.rhythm.decide(settings, facts)
        if decision.lock:
            log.info("auto-lock after %d min away", settings.privacy.auto_lock_minutes)
            self.lock()
        if decision.checkin_withdrawn:
            self.ctx.prompt_gate.withdraw(EntryKind.CHECKIN.value)  # checked in meanwhile, or turned off
        if decision.offer_checkin:
            self._queue_prompt(EntryKind.CHECKIN)
        if decision.offer_closing is not None:
            self._queue_prompt(EntryKind.CLOSING)
        self._arm_auto_lock(settings.privacy.auto_lock_minutes, away_for, idle_seconds)

    def _arm_auto_lock(self, minutes: int, away_seconds: float, idle_seconds: float | None) -> None:
        """Look again at the moment the auto-lock falls due, if that comes before the next tick: it locks on time
        without ticking more often. The rep coming back meanwhile makes that look find nothing to do."""
        due = seconds_until_auto_lock(minutes, away_seconds, idle_seconds)
        if self.life.ended or not self.ctx.vault.is_unlocked or due is None or due * 1000 >= RHYTHM_INTERVAL_MS:
            self.auto_lock_timer.stop()
            return
        self.auto_lock_timer.start(int(due * 1000) + LOCK_TIMER_SLACK_MS)

    # The moments that ask: the first activity of the day, start and unlock, going away or coming back, the tick.
    check_auto_lock = offer_checkin = offer_closing_if_due = follow_rhythm

    def _queue_prompt(self, kind: EntryKind) -> None:
        """Into the prompt gate's queue: it shows when no call, no other prompt and no quiet time stands in the way."""
        gate = self.ctx.prompt_gate
        self.life.queue_prompt(gate, kind.value, lambda: self._offer(kind))  # withdrawn when the journal stops
        gate.show_next()

    def _offer(self, kind: EntryKind) -> None:
        from companion.ui.journal_forms import journal_prompts

        prompts = journal_prompts()["morning" if kind is EntryKind.CHECKIN else "closing"]
        if self.prompt is not None:
            self.prompt.close()
        title = greeting(self.ctx.clock.now()) if kind is EntryKind.CHECKIN else prompts["title"]
        prompt = self.prompt = ChoicePrompt(
            title,
            prompts["question"],
            [Choice("open", self.tr("&Check in") if kind is EntryKind.CHECKIN else self.tr("&Close the day"), True),
             Choice("later", self.tr("&Not now"))],
            dismiss_key="later",
            anchor=self.ctx.tray.icon.geometry(),
        )  # fmt: skip

        def forget() -> None:  # answered, closed or deleted: never touch it again (it deletes itself on close)
            if self.prompt is prompt:
                self.prompt = None

        def chosen(key: str) -> None:  # slots return None: PySide6 mishandles a returned bool
            forget()
            if key == "open":
                self.open_entry_dialog(kind)

        prompt.chosen.connect(chosen)
        prompt.destroyed.connect(lambda _object=None: forget())
        self.ctx.show_prompt(prompt)

    def open_entry_dialog(self, kind: EntryKind) -> None:
        def show() -> None:
            if self.entry_dialog is not None:
                self.entry_dialog.close()
            from companion.ui.journal_dialogs import EntryDialog

            dialog = EntryDialog(kind)
            if kind is EntryKind.CHECKIN:
                dialog.setWindowTitle(greeting(self.ctx.clock.now()))  # not "Good morning" at 20:29
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
        built_now = self.window is None
        if self.window is None:
            from companion.features.journal_writes import serve_journal_window
            from companion.ui.journal_window import JournalWindow

            self.window = JournalWindow(self.journal, call_notes=self._call_notes,
                                        call_notes_reader=self._call_notes_reader)  # fmt: skip
            serve_journal_window(self.window, self.journal)  # the window asks; the feature writes
            self.window.lock_requested.connect(self.lock)
            self.window.unlock_requested.connect(lambda: self.when_unlocked(lambda: None))
            self.window.export_requested.connect(self.start_export)
            self.window.checkin_requested.connect(lambda: self.open_entry_dialog(EntryKind.CHECKIN))
        if self.ctx.vault.is_unlocked:
            self._show_entries()
        else:
            self.window.show_locked()
        if built_now and self.ctx.vault.is_unlocked:
            # Its first build (Qt polishing its widgets for the first time: 20 ms and more) and its first paint in
            # turns of their own (issue 15). Locked, it shows at once: the unlock dialog comes up over it.
            self.life.later(self._present_window)
        else:
            self._present_window()
        if not self.ctx.vault.is_unlocked:
            self.when_unlocked(lambda: None, self.tr("Unlock your journal to read and write in it."))
        return self.window

    def _present_window(self) -> None:
        if self.window is not None:
            self.window.show()
            self.window.raise_()
            self.window.activateWindow()

    def _show_entries(self) -> None:
        """The open journal in the window; the first time after an unlock the entries are read and decrypted on the
        worker (0.2 s and more for years of entries) while the window says "Opening your journal…"."""
        assert self.window is not None
        if self._work.busy:
            return  # the worker is decrypting (or unlocking); its result shows the entries
        if self.journal.is_loaded or self.journal.count() < DECRYPT_ON_WORKER_FROM:
            self.window.show_unlocked()  # a few ms: no "Opening…" flash for a small journal
            return
        self.window.show_opening()
        writes = self.journal.writes

        def decrypted(loaded: dict[str, Any]) -> None:
            if not self.ctx.vault.is_unlocked:
                self._opened_call_notes.forget()  # what the worker opened after lock() forgot
                return  # locked meanwhile: lock() already showed the locked page and forgot the words
            window = self.window if self.window is not None and self.window.is_showing_opening else None
            if self.journal.writes != writes:  # an entry written meanwhile: read them all again, on the worker
                if window is not None:
                    self._show_entries()
                return  # (or, with nobody waiting, when the journal is next read)
            self.journal.adopt(loaded, writes)
            if window is not None:
                window.show_unlocked()

        def failed(error: BaseException) -> None:
            log.warning("the journal could not be decrypted on the worker: %s", type(error).__name__)
            if self.window is not None and self.ctx.vault.is_unlocked:
                self.window.show_unlocked()  # reads it here instead, with the same sentences as before

        database, vault, opened = self.ctx.store.path, self.ctx.vault, self._opened_call_notes
        as_of = read_state(self.ctx.store)  # the app's connection now: its next read matches if nothing is written

        def decrypt() -> dict[str, Any]:
            # A connection of the worker's own (WAL: the app writes meanwhile); an entry committed after this read
            # moved `writes` on, and `decrypted` reads again.
            store = Store.open_read_only(database)
            try:
                rows = self.journal.sealed_rows(store)
                loaded = self.journal.decrypt(rows)
                try:  # the rough-call notes too (a year of calls is 25,000 records): the first fill only looks them up
                    call_notes(store, vault, "", opened, as_of)
                except CompanionError as error:
                    log.warning("rough-call notes were not read ahead: %s", type(error).__name__)
            finally:
                store.close()
            return loaded

        self._work.run(decrypt, decrypted, failed)

    def _call_notes(self, query: str) -> list[CallNote]:
        return call_notes(self.ctx.store, self.ctx.vault, query, self._opened_call_notes)

    def _call_notes_reader(self) -> Callable[[], list[CallNote]]:
        """For the window's search on its worker: the notes as opened, if nothing was written since; otherwise a
        reader that reads them through a read-only connection of its own, there (the app's connection stays on the
        GUI thread). A lock meanwhile forgets what it opened: `lock()` locks the vault before it forgets."""
        store, vault, opened = self.ctx.store, self.ctx.vault, self._opened_call_notes
        as_of = read_state(store)
        if opened.read_at == as_of:
            notes = opened.latest
            return lambda: notes
        database = store.path

        def read() -> list[CallNote]:
            try:
                notes_store = Store.open_read_only(database)
                try:
                    return call_notes(notes_store, vault, "", opened, as_of)
                finally:
                    notes_store.close()
            finally:
                if not vault.is_unlocked:  # locked while reading: nothing opened here outlives the key
                    opened.forget()

        return read

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
        problem = quick_text_problem(text)
        if problem is not None:
            return Reply(False, problem)
        if not self.ctx.vault.is_unlocked and self.unlocking():
            # Start-up: the keyring is answering (or scrypt is working). The words wait in memory, never on disk,
            # and are sealed the moment the journal opens, as a tagged call's note is.
            def save_once_open() -> None:
                self._save_quick_entry(EntryKind(kind), text)

            self.when_unlocked(save_once_open)
            return Reply(True, self.tr("Your journal is unlocking; the entry will be saved as soon as it opens."))
        if not self.ctx.vault.is_unlocked:
            return Reply(False, self.tr("Your journal is locked; unlock it from the tray, then try again."))
        entry = self._save_quick_entry(EntryKind(kind), text)
        return Reply(True, self.tr("Saved to your journal."), {"entry_uid": entry.uid})

    def _save_quick_entry(self, kind: EntryKind, text: str) -> JournalEntry:
        entry = self.journal.add(kind, Writing(text.strip()))
        if self.window is not None:
            try:  # the entry is saved: a window that fails to redraw must not make the reply say otherwise
                self.window.refresh()
            except Exception:
                log.exception("the open journal window could not show the new entry")
        return entry

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
            # "New recovery code" lives in Settings, Privacy, behind a question: the old code stops working.

    def key_fact(self) -> str:
        """The `journal_key` value of `status --json`: English, scripts read it."""
        method = self.keys.everyday_method()
        if method is KeyMethod.KEYRING:
            return "system keyring, with a recovery code"  # i18n: not for reps
        if method is KeyMethod.PASSPHRASE:
            return "passphrase, with a recovery code"  # i18n: not for reps
        return "not set up yet"  # i18n: not for reps

    # --- key changes (re-wrap only) ------------------------------------------------------------------------

    def choose_passphrase(self) -> None:
        def keep_current_method() -> None:  # cancelled: the settings must keep saying what really opens it
            method = self.keys.everyday_method()
            if method is not None:
                self._save_key_storage(method)

        def ask() -> None:
            reason = self.tr("Your journal will open with this passphrase.")
            dialog = self._passphrase_dialog(reason, on_cancel=keep_current_method)
            dialog.chosen.connect(lambda passphrase: self._move_to_passphrase(dialog, passphrase))

        self.when_unlocked(ask)

    def _move_to_passphrase(self, dialog: PassphraseDialog, passphrase: str) -> None:
        """scrypt (about 0.4 s) on the key worker while the dialog says it is working; then the journal opens with
        the passphrase, and the keyring entry it leaves behind is removed on the worker too."""
        if self._key_move is not None:
            log.info("a key move is under way; the passphrase waits for the rep to press again")
            return
        try:
            derive = self.keys.passphrase_deriver(passphrase)
        except CompanionError as error:
            dialog.show_error(error.message)
            return
        dialog.show_working()
        self._key_move, asked = KeyMethod.PASSPHRASE, self.ctx.settings.current.privacy.key_storage

        def derived(key: DerivedKey) -> None:
            self._key_move = None
            if not dialog.isVisible():  # cancelled meanwhile: its on_cancel already said where the key is
                return
            if not self.ctx.vault.is_unlocked:
                dialog.show_error(self.tr("Your journal locked before its key could move. Nothing was changed."))
                return
            if not self._still_wanted(KeyMethod.PASSPHRASE, asked):
                dialog.reject()
                return
            stale = self.keys.use_passphrase_key(key)
            self._save_key_storage(KeyMethod.PASSPHRASE)
            dialog.succeeded()
            self.ctx.notify(APP_NAME, self.tr("Your journal now opens with your passphrase."))
            self._forget_keyring_entry_later(stale)

        def failed(error: BaseException) -> None:
            self._key_move = None
            log.error("the new passphrase could not be derived", exc_info=error)
            dialog.show_error(self.tr("The passphrase could not be set. Nothing was changed."))

        self._key_work.run(derive, derived, failed)

    def move_to_keyring(self) -> None:
        self.when_unlocked(lambda: self._move_to_keyring())

    def move_to_keyring_now(self, moved: Callable[[str], None] | None) -> bool:
        """Settings' choice: True when the move starts now (the journal is open and no move is under way), and
        `moved` hears how it ended (KeyControls.switch_key_storage); otherwise as the tray's item, False."""
        if not self.ctx.vault.is_unlocked or self._key_move is not None:
            self.move_to_keyring()
            return False
        self._move_to_keyring(moved=moved)
        return True

    def _move_to_keyring(self, repair: bool = False, moved: Callable[[str], None] | None = None) -> None:
        """The new key goes into the keyring and is read back on the key worker (two helper children, a second or
        so), the tray answering meanwhile; only then does the journal open with it. If the keyring refuses, the key
        stays where it was and the settings say so. A second request while one is under way adds nothing.
        `moved`, if given, is told the end: "" or the sentence saying why the key stayed.

        The data key is wrapped for the new entry now, while the journal is open, so saving it needs no open
        journal: a lock meanwhile ends a move the rep asked for (and says so), but not a `repair`, which puts back
        what the keyring lost. Either is saved only if the key's way in is still what it was when it began (no
        change of method, no erase meanwhile); until then the wrapped key waits in memory, as long as the keyring
        takes to answer."""
        if self._key_move is not None:
            return
        if self.keys.secrets_store is None:
            self.keys.secrets_store = self._find_secrets()
        secrets, move = self.keys.secrets_store, self.keys.begin_keyring_move()
        account, announce = move.account, not repair
        self._key_move, asked = KeyMethod.KEYRING, self.ctx.settings.current.privacy.key_storage
        log.info("repairing the journal key's keyring entry" if repair else "moving the journal key to the keyring")

        def ended(sentence: str) -> None:
            if moved is not None:
                moved(sentence)

        def kept_where_it_was(error: KeyUnavailable) -> None:
            method = self.keys.everyday_method()
            if method is not None:
                self._save_key_storage(method)
            log.info("the journal key stays where it was: %s", error.message)
            sentence = error.message
            if method is KeyMethod.PASSPHRASE:
                sentence = self.tr("%1 Your passphrase still opens the journal.").replace("%1", error.message)
                if announce:
                    self.ctx.notify(APP_NAME, sentence)
            ended(sentence)

        def stored(_none: None) -> None:
            self._key_move = None
            locked_meanwhile = not repair and not self.ctx.vault.is_unlocked
            if locked_meanwhile or not self._still_wanted(KeyMethod.KEYRING, asked):
                self._forget_keyring_entry_later(account)  # the new entry opens nothing
                if locked_meanwhile:
                    kept_where_it_was(KeyUnavailable(self.tr("Your journal locked before its key could move.")))
                else:
                    ended("")  # the settings say where the key is now
                return
            try:
                stale = self.keys.finish_keyring_move(move)
            except KeysChangedMeanwhile as changed:
                log.info("the new keyring entry is not used: %s", changed)
                self._forget_keyring_entry_later(account)
                ended("")
                return
            self._forget_keyring_entry_later(stale)
            self._save_key_storage(KeyMethod.KEYRING)
            if announce:
                self.ctx.notify(APP_NAME, self.tr("Your journal now opens with the system keyring."))
            ended("")

        def refused(error: BaseException) -> None:
            self._key_move = None
            if not isinstance(error, KeyUnavailable):
                log.error("moving the key to the keyring failed", exc_info=error)
                error = KeyUnavailable(_("The keyring could not be reached."))
            kept_where_it_was(error)

        self._key_work.run(lambda: store_keyring_key(secrets, account, move.wrapping_key), stored, refused)

    @property
    def key_moving(self) -> bool:
        """The key is on its way to the keyring or a new passphrase (the key worker is at it)."""
        return self._key_move is not None

    def _still_wanted(self, target: KeyMethod, asked: str) -> bool:
        """A move ends as asked unless the settings changed meanwhile to say the key belongs elsewhere (the rep
        changed their mind): then the key stays where it is, as the settings now say."""
        now = self.ctx.settings.current.privacy.key_storage
        return now in (asked, target.value)

    def _forget_keyring_entry_later(self, account: str | None) -> None:
        if account is not None:
            keys = self.keys
            self._key_work.run(lambda: keys.forget_keyring_entry(account), lambda _none: None,
                               lambda error: log.warning("old keyring entry: %s", type(error).__name__))  # fmt: skip

    def new_recovery_code(self) -> None:
        self.when_unlocked(lambda: self._show_recovery_code(self.keys.regenerate_recovery_code()))

    def show_recovery_code(self) -> None:
        """The current code again (journals set up before it was kept get a new one)."""
        self.when_unlocked(
            lambda: self._show_recovery_code(self.keys.recovery_code() or self.keys.regenerate_recovery_code())
        )

    def settings_changed(self, settings: Settings) -> None:
        """The rep chose the other key storage in the settings window: move to it (re-wrap only). A move already
        under way is not started twice; when it ends it follows what the settings say then."""
        wanted = KeyMethod(settings.privacy.key_storage)
        current = self.keys.everyday_method()
        if current is None or current is wanted or self._key_move is not None:
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
        dialog = self._passphrase_dialog(reason, on_cancel)

        def chosen(passphrase: str) -> None:
            try:
                use(passphrase)
            except CompanionError as error:
                dialog.show_error(error.message)
                return
            dialog.succeeded()

        dialog.chosen.connect(chosen)

    def _passphrase_dialog(self, reason: str, on_cancel: Action | None = None) -> PassphraseDialog:
        from companion.ui.journal_dialogs import PassphraseDialog

        dialog = PassphraseDialog(reason)
        if on_cancel is not None:
            dialog.rejected.connect(on_cancel)
        self._show_dialog(dialog)
        return dialog

    def _show_recovery_code(self, code: str, then: Action | None = None, welcome: bool = False) -> None:
        from companion.core.welcome import start_at_login_default
        from companion.ui.journal_dialogs import RecoveryCodeDialog

        dialog = RecoveryCodeDialog(code, welcome=welcome, start_at_login=start_at_login_default())
        if welcome:
            dialog.finished.connect(lambda _result: self._after_welcome(dialog))
        if then is not None:
            dialog.finished.connect(lambda _result: then())
        self._show_dialog(dialog)

    def _after_welcome(self, dialog: QDialog) -> None:
        """The first start: the rep's start-at-login answer, and no check-in or closing prompt today."""
        choice = getattr(dialog, "start_at_login", None)
        if choice is not None:
            settings = self.ctx.settings
            settings.update(settings.current.with_value("startup", "start_at_login", choice.isChecked()))
        self.rhythm.welcomed(self.ctx.settings.current)
        self.ctx.prompt_gate.withdraw(EntryKind.CHECKIN.value)  # one queued before the set-up finished

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
