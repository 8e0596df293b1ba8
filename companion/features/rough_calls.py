"""Rough-call tagging and the "smile and take a break" cooldown, wired into the app.

Tag (tray, `companion tag`, the in-app shortcut) -> store the tag -> offer a cooldown when the prompt gate allows
(never during a call) -> the cooldown window -> store what happened.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from companion import APP_NAME
from companion.core.cooldown import CooldownPlan, CooldownSession, Preset, plan_cooldown
from companion.core.cooldown_offers import CooldownOffers, PendingOffer
from companion.core.i18n import localized_resource_path
from companion.core.idempotency import valid_request_id
from companion.core.interfaces import SoundPlayer
from companion.core.ipc import Reply, Request
from companion.core.reframes import ReframeRotation, load_reframes
from companion.core.rough_calls import (
    MAX_NOTE_CHARS,
    SEVERITIES,
    CooldownResult,
    Response,
    RoughCall,
    RoughCallRepository,
    TagRequest,
    counts_for_day,
)
from companion.core.text_input import quick_text_problem
from companion.core.words import support_sentence
from companion.lifecycle import Lifetime, Registry, Services
from companion.ui.prompt import Choice, ChoicePrompt

if TYPE_CHECKING:  # the windows load when first opened, so they add nothing to start-up
    from companion.ui.cooldown_window import CooldownWindow
    from companion.ui.tag_panel import TagPanel

log = logging.getLogger(__name__)

GATE_POLL_MS = 500  # only while an offer waits for a call to end
TAG_SHORTCUT = "Ctrl+Shift+T"  # i18n: not for reps


def tr(text: str) -> str:
    return QCoreApplication.translate("RoughCalls", text)


def spoken_length(seconds: float) -> str:
    minutes = round(seconds / 60)
    return tr("a minute") if minutes <= 1 else tr("{minutes} minutes").format(minutes=minutes)


class RoughCallsFeature(QObject):
    tagged = Signal(object)  # RoughCall
    offer_shown = Signal(object)  # ChoicePrompt
    cooldown_opened = Signal(object)  # CooldownWindow
    cooldown_recorded = Signal(int, object)  # cooldown id, CooldownResult

    def __init__(self) -> None:
        super().__init__()
        self.life = Lifetime(self)
        self.offer: ChoicePrompt | None = None
        self.panel: TagPanel | None = None
        self.window: CooldownWindow | None = None
        self._offer_subject: tuple[int, PendingOffer] | None = None
        self._offer_takes_focus = False  # true only while a tag from the panel is being saved
        self._gate_timer = self.life.timer(GATE_POLL_MS, self.present_next)
        self.tag_action = QAction(tr("Tag a rough call…"), self)
        self.tag_action.setShortcut(QKeySequence(TAG_SHORTCUT))
        self.tag_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.tag_action.triggered.connect(self.open_panel)
        # The tray's own item shows a shortcut only when it works everywhere (a global hotkey is bound); the
        # in-app Ctrl+Shift+T above works only inside Companion's windows, so the menu does not advertise it.
        self.tray_tag_action = QAction(tr("Tag a rough call…"), self)
        self.tray_tag_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.tray_tag_action.setShortcutVisibleInContextMenu(True)  # the tray's menu is a context menu to Qt
        self.tray_tag_action.triggered.connect(self.open_panel)

    def start(self, services: Services, registry: Registry) -> None:
        self.ctx = services
        self.pending = CooldownOffers(services.clock)  # the core's queue of offers waiting for the gate
        self.repo = RoughCallRepository(services.store, services.vault, services.clock)
        self.reframes = ReframeRotation(load_reframes(localized_resource_path("text", "reframes.json")), services.store)
        registry.add_tray_section(self._tray_section)
        self.life.connect(services.tray.clicked, self._on_tray_click)
        registry.register_command("tag", self.handle_tag)
        registry.add_status_line(self._status_line_part)

    def stop(self) -> None:
        """An unanswered offer stays `offered` (the rep did not decline it); a running cooldown is recorded as
        abandoned by its window; nothing new is offered on the way out. Harmless twice."""
        if self.life.ended:
            return
        if hasattr(self, "pending"):  # not there when start failed before it
            self.pending.clear()
        self._drop_offer()
        for window in (self.panel, self.window):
            if window is not None:
                window.close()
        self.panel = self.window = None
        self.life.end()

    # Entry points

    def _tray_section(self, menu: QMenu) -> None:
        # The key shown is the global shortcut where one is bound: Ctrl+Shift+T works only inside Companion.
        self.tray_tag_action.setShortcut(QKeySequence(self.ctx.ports.global_shortcuts.bound().get("tag", "")))
        menu.addAction(self.tray_tag_action)
        menu.addAction(tr("Take a cooldown now"), self.start_manual_cooldown)

    def _on_tray_click(self) -> None:
        action = self.ctx.settings.current.rough_calls.tray_click_action
        if action == "tag":
            self.open_panel()
        elif action == "status":
            self.ctx.notify(APP_NAME, self.ctx.tray.status_line())  # the whole day, as the menu's top line says it
        elif not self.ctx.tray.open_menu():
            status = self.ctx.tray.status_line()
            self.ctx.notify(APP_NAME, status + "\n" + tr("Right-click the icon for Companion's menu."))

    def _status_line_part(self) -> str:
        count = counts_for_day(self.ctx.store, self.ctx.clock).rough_interactions
        return tr("{count} rough today").format(count=count) if count else ""

    def open_panel(self) -> TagPanel:
        if self.panel is None:
            from companion.ui.tag_panel import TagPanel

            # While the journal is on its way to unlocking (start-up's keyring conversation), the note is held in
            # memory and sealed once it opens, so the panel offers the note and the tags as if it were open.
            content_allowed = self.ctx.vault.is_unlocked or self.ctx.ports.journal.unlocking()
            self.panel = self.life.window(TagPanel(content_allowed))
            self.panel.addAction(self.tag_action)
            self.panel.submitted.connect(self._save_from_panel)
            self.panel.destroyed.connect(self._forget_panel)
        self.panel.show()
        self.panel.raise_()
        return self.panel

    def _forget_panel(self) -> None:
        self.panel = None

    def handle_tag(self, request: Request) -> Reply:
        """`companion tag`: no severity opens the panel; with one, save at once. Replies once the offer shows."""
        args: dict[str, Any] = request.args
        severity = args.get("severity")
        if severity is None:
            self.open_panel()
            return Reply(True, tr("The tag panel is open."))
        tags, note = args.get("tags", []), args.get("note", "")
        if not isinstance(severity, int) or isinstance(severity, bool) or severity not in SEVERITIES:  # not 3.0
            return Reply(False, tr("The severity must be a whole number from 1 to 5."))
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags) or not isinstance(note, str):
            return Reply(False, tr("Tags must be words and the note must be text."))
        problem = quick_text_problem(note, MAX_NOTE_CHARS, "note") or next(
            (p for tag in tags if (p := quick_text_problem(tag, MAX_NOTE_CHARS, "tag"))), None
        )
        if problem is not None:
            return Reply(False, problem)
        request_id = args.get("request_id", "")
        if request_id != "" and not valid_request_id(request_id):
            return Reply(False, tr("The request id must be short text."))
        request_made = TagRequest(severity, tuple(tags), note, request_id)
        repeated = self.repo.answered(request_id)
        call = repeated or self.save_tag(request_made)
        parts = [tr("Tagged a rough call ({severity} of 5).").format(severity=severity)]
        if repeated is None and (held := self._hold_unsealed(call, request_made)) is not None:
            parts.append(
                tr("Your journal is unlocking; the tags and note will be sealed as soon as it opens.")
                if held
                else tr("Your journal is locked, so the tags and note were not kept.")
            )
        if self.offer is not None:
            parts.append(tr("Your cooldown offer is on screen."))
        elif self.ctx.prompt_gate.in_call:
            parts.append(tr("The cooldown offer will wait until your call ends."))
        elif why := self.ctx.prompt_gate.check_quiet():
            parts.append(tr("The cooldown offer will wait: {why}.").format(why=why))
        data = {"rough_call_id": call.id, "offer_shown": self.offer is not None, "repeated": repeated is not None}
        return Reply(True, " ".join(parts), data)

    # Tag, then offer

    def _save_from_panel(self, request: TagRequest) -> None:
        """The rep is at the keyboard in Companion's own panel: an offer shown now takes the focus, so Enter starts
        the cooldown. One that waits for a call to end appears later, over other work, and does not."""
        self._offer_takes_focus = True
        try:
            repeated = self.repo.answered(request.request_id)
            call = self.save_tag(request)
            if repeated is None:
                self._hold_unsealed(call, request, ask=True)
        finally:
            self._offer_takes_focus = False

    def save_tag(self, request: TagRequest) -> RoughCall:
        repeated = self.repo.answered(request.request_id)
        if repeated is not None:  # the same save asked for again: stored and offered once already
            return repeated
        call = self.repo.tag(request)
        settings = self.ctx.settings.current.rough_calls
        recent = self.repo.count_since(settings.escalation_window_minutes * 60)
        plan = plan_cooldown(call.severity, recent, settings)
        self.pending.after_tag(call, plan)  # replaces any earlier offer still waiting
        self._drop_offer()
        self.tagged.emit(call)
        self.present_next()
        return call

    def _hold_unsealed(self, call: RoughCall, request: TagRequest, ask: bool = False) -> bool | None:
        """Tags or a note the locked journal could not seal: held in memory and sealed once the journal opens
        (True) when it is on its way to unlocking, or when `ask` (the rep typed them in the panel, which offered
        them while the journal was unlocking) by asking the rep to unlock; else not kept (False). None when there
        was nothing to hold."""
        if not (request.categories or request.note.strip()) or call.content_saved:
            return None
        journal = self.ctx.ports.journal
        if not (journal.unlocking() or ask):
            return False
        reason = tr("Unlock your journal to keep your note and tags with this rough call.")
        journal.when_unlocked(lambda: self._seal_held(call.id, request), reason)
        return True

    def _seal_held(self, row_id: int, request: TagRequest) -> None:
        """The journal opened: seal the categories and note that waited in memory for it."""
        self.repo.seal_held_content(row_id, request)

    def present_next(self) -> None:
        """Show the next due offer if nothing else is on screen and the gate allows; else keep waiting."""
        if not self.pending:
            self._gate_timer.stop()
            return
        if self.offer is not None or self.window is not None:
            return
        due = self.pending.take_due(self.ctx.prompt_gate.may_prompt)
        if due is None:
            self._gate_timer.start()
            return
        if not self.pending:
            self._gate_timer.stop()
        self._show_offer(due)

    def _show_offer(self, pending: PendingOffer) -> None:
        cooldown_id = self.repo.offer_cooldown(pending.rough_call.id if pending.rough_call else None)
        length = spoken_length(pending.plan.seconds)
        if pending.plan.escalated:
            title = tr("Time to reset your clock?")
            text = tr(
                "That is {count} rough calls within the hour. Step away from the desk for {length}: get some "
                "air, look at something far away, and let the last hour go."
            ).format(count=pending.plan.recent_count, length=length)
        else:
            title = tr("Smile and take a break?")
            text = tr("That one was hard. Take {length} to breathe and let it go before the next customer.").format(
                length=length
            )
        support = support_sentence(
            pending.rough_call.severity if pending.rough_call else 0,
            pending.plan.escalated,
            self.ctx.settings.current.rough_calls.support_contact,
        )
        if support:
            text = f"{text}\n\n{tr(support)}"
        choices = [Choice("start", tr("&Start"), default=True), Choice("later", tr("In &2 min")),
                   Choice("not_now", tr("&Not now"))]  # fmt: skip
        self.offer = ChoicePrompt(title, text, choices, "not_now", self.ctx.tray.icon.geometry())
        self._offer_subject = (cooldown_id, pending)
        self.offer.chosen.connect(self._on_offer_chosen)
        if self._offer_takes_focus:
            self.offer.take_focus()
        self.ctx.show_prompt(self.offer)
        log.info("cooldown %d offered", cooldown_id)
        self.offer_shown.emit(self.offer)

    def _drop_offer(self) -> None:
        """Close a visible offer without an answer: its row stays `offered`, as the data model says."""
        if self.offer is not None:
            self.offer.chosen.disconnect(self._on_offer_chosen)
            self.offer.close()
            self.offer = None
            self._offer_subject = None

    def _on_offer_chosen(self, key: str) -> None:
        assert self._offer_subject is not None
        cooldown_id, pending = self._offer_subject
        self.offer = None
        self._offer_subject = None
        if key == "start":
            self.repo.answer_offer(cooldown_id, Response.STARTED)
            self._open_window(cooldown_id, pending.plan)
        elif key == "later":
            self.repo.answer_offer(cooldown_id, Response.DEFERRED)
            self.pending.defer(pending)
            self._gate_timer.start()
        else:
            self.repo.answer_offer(cooldown_id, Response.DECLINED)
            self.present_next()

    # The cooldown itself

    def start_manual_cooldown(self) -> None:
        if self.window is not None:
            self.window.raise_()
            return
        settings = self.ctx.settings.current.rough_calls
        plan = CooldownPlan(Preset.DEFAULT_180.seconds, Preset.DEFAULT_180, settings.breathing_pattern, False, 0)
        cooldown_id = self.repo.offer_cooldown(None)
        self.repo.answer_offer(cooldown_id, Response.STARTED)
        self._open_window(cooldown_id, plan)

    def _open_window(self, cooldown_id: int, plan: CooldownPlan) -> None:
        from companion.ui.cooldown_window import CooldownWindow

        settings = self.ctx.settings.current.rough_calls
        reframe = self.reframes.next() if settings.reframing_prompts else None
        session = CooldownSession(plan, self.ctx.clock)
        tone = self._tone_player().play if settings.soft_tone else None
        self.window = self.life.window(CooldownWindow(session, reframe, settings.reduced_motion, tone))
        self.window.addAction(self.tag_action)
        self.window.finished.connect(lambda result: self._record(cooldown_id, result))
        self.window.show()
        self.window.activateWindow()
        self.cooldown_opened.emit(self.window)

    def _tone_player(self) -> SoundPlayer:
        return self.ctx.tone_player()  # only built when the rep has turned the tone on

    def _record(self, cooldown_id: int, result: CooldownResult) -> None:
        self.window = None
        self.repo.record_session(cooldown_id, result)
        self.cooldown_recorded.emit(cooldown_id, result)
        self.present_next()


def create() -> RoughCallsFeature:
    return RoughCallsFeature()
