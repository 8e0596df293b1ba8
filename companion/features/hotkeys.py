"""Global hotkeys for "Tag a rough call" and "I'm on a call" (Settings > Hotkeys), working whichever application
has the focus. The backend is chosen once with the others (platform/backends.py's choose_backends); a key press
runs the same socket command `companion tag` / `companion call` would, so the hotkey and a desktop-bound command do
one thing.

What it offers the others: the keys really bound now (the GlobalShortcuts port: the tray's tag item shows its key
only when it works everywhere), `global_hotkeys` in `status --json`, and its lines under Settings > Hotkeys.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QVBoxLayout

from companion.core.hotkeys import (
    ACTION_LABEL,
    AnswersLater,
    HotkeyAction,
    HotkeyBackend,
    HotkeyState,
    bind_command,
    wanted_hotkeys,
)
from companion.core.i18n import N_, _
from companion.core.ipc import Request
from companion.core.settings import Settings
from companion.lifecycle import Lifetime, Registry, Services
from companion.platform.autostart import launch_command
from companion.platform.hotkey import NO_HOTKEY_BACKEND
from companion.platform.hotkey_gnome import GnomeCustomShortcuts

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Hotkeys", text)


class HotkeysFeature(QObject):
    def __init__(self, gnome: GnomeCustomShortcuts | None = None) -> None:
        super().__init__()
        self.life = Lifetime(self)
        self.gnome = gnome if gnome is not None else GnomeCustomShortcuts()
        self.problems: dict[HotkeyAction, str] = {}
        self.shortcuts: dict[str, str] = {}  # bound now, by action value -> keys; what the port answers

    def start(self, services: Services, registry: Registry) -> None:
        self.ctx = services
        self.registry = registry
        self.backend: HotkeyBackend = services.backends.hotkeys
        if isinstance(self.backend, AnswersLater):
            answers_later = self.backend
            answers_later.on_change = self.desktop_answered  # the portal answers after the rep confirms the keys
            self.life.on_end(lambda: setattr(answers_later, "on_change", lambda: None))
        self.life.on_end(self.backend.unbind_all)  # the X11 grabs and the portal session go with the feature
        has_backend = self.backend.name != NO_HOTKEY_BACKEND
        registry.add_about_fact(N_("Global hotkeys"), self.backend.name if has_backend else N_("none on this desktop"))
        registry.add_settings_page_extra("hotkeys", self.add_settings_help)
        registry.add_status(self.live_status)
        registry.offer_global_shortcuts(self)
        registry.on_settings_changed(self.apply_settings)
        self.apply_settings(services.settings.current)

    def stop(self) -> None:
        """Release every key (X11 grabs, the portal's session); a press after this runs nothing. Harmless twice."""
        self.shortcuts.clear()
        self.life.end()

    def bound(self) -> Mapping[str, str]:
        return dict(self.shortcuts)

    @property
    def _has_backend(self) -> bool:
        return self.backend.name != NO_HOTKEY_BACKEND

    def apply_settings(self, settings: Settings) -> None:
        if self.life.ended:
            return
        self.shortcuts.clear()
        self.problems.clear()
        self.backend.unbind_all()
        for action, hotkey in wanted_hotkeys(settings.hotkeys).items():
            if not self._has_backend and self._gnome_has(action, hotkey.gnome_accelerator):
                self.shortcuts[action.value] = hotkey.text  # GNOME runs `companion tag` on the key
            elif not self._has_backend:
                self.problems[action] = _tr("this desktop lets no application bind a key of its own.")
            else:
                bound = self.backend.bind(hotkey, functools.partial(self.pressed, action), _(ACTION_LABEL[action]))
                self._note(action, hotkey.text, bound)
        self.ctx.tray.rebuild_menu()

    def _note(self, action: HotkeyAction, keys: str, bound: bool | None) -> None:
        self.problems.pop(action, None)
        self.shortcuts.pop(action.value, None)
        if bound:
            self.shortcuts[action.value] = keys
            log.info("global hotkey %s bound to %s", keys, action.value)
        elif bound is None:
            self.problems[action] = _tr("waiting for your desktop to confirm the key.")
        else:
            self.problems[action] = _tr("another program already uses this key combination, or the desktop refused it.")

    def desktop_answered(self) -> None:
        """The portal's answer to the keys asked for: the tray and Settings show what it granted."""
        if self.life.ended or not isinstance(self.backend, AnswersLater):
            return
        for action, hotkey in wanted_hotkeys(self.ctx.settings.current.hotkeys).items():
            self._note(action, hotkey.text, self.backend.is_bound(hotkey))
        self.ctx.tray.rebuild_menu()

    def _gnome_has(self, action: HotkeyAction, accelerator: str) -> bool:
        try:
            return self.gnome.available() and self.gnome.bound(action) == accelerator
        except OSError:
            return False

    def pressed(self, action: HotkeyAction) -> None:
        log.info("global hotkey for %s pressed", action.value)
        self.registry.run_command(Request(action.value))

    def states(self) -> list[HotkeyState]:
        wanted = wanted_hotkeys(self.ctx.settings.current.hotkeys)
        program = launch_command()
        states = []
        for action in HotkeyAction:
            keys = wanted[action].text if action in wanted else ""
            bound = action.value in self.shortcuts
            problem = self.problems.get(action, "")
            states.append(HotkeyState(action, keys, bound, problem, bind_command(action, program)))
        return states

    def add_to_gnome(self, action: HotkeyAction) -> str:
        hotkey = wanted_hotkeys(self.ctx.settings.current.hotkeys).get(action)
        if hotkey is None:
            return _tr("Set a key combination first.")
        try:
            self.gnome.add(action, hotkey, launch_command())
            self.apply_settings(self.ctx.settings.current)
        except OSError as error:
            return _tr("GNOME did not take the shortcut (%1). Add it by hand in Settings > Keyboard.").replace(
                "%1", str(error)
            )
        return _tr("Added to GNOME's keyboard shortcuts: %1 now works everywhere.").replace("%1", hotkey.text)

    def add_settings_help(self, column: QVBoxLayout) -> None:
        from companion.ui.hotkey_help import HotkeyHelp

        column.addWidget(HotkeyHelp(self.states, self.add_to_gnome if self.gnome.available() else None))

    def live_status(self) -> dict[str, Any]:
        return {"global_hotkeys": dict(self.shortcuts)}


def create() -> HotkeysFeature:
    return HotkeysFeature()
