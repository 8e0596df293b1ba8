"""Global hotkeys for "Tag a rough call" and "I'm on a call" (Settings > Hotkeys), working whichever application
has the focus. The backend is chosen once at start (companion/platform/hotkey.py); a key press runs the same
socket command `companion tag` / `companion call` would, so the hotkey and a desktop-bound command do one thing.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from companion.app import AppContext
from companion.core.hotkeys import (
    ACTION_LABEL,
    HotkeyAction,
    HotkeyBackend,
    HotkeyState,
    bind_command,
    wanted_hotkeys,
)
from companion.core.ipc import Request
from companion.core.settings import Settings
from companion.platform.autostart import launch_command
from companion.platform.hotkey_gnome import GnomeCustomShortcuts

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Hotkeys", text)


class HotkeysFeature(QObject):
    def __init__(
        self, ctx: AppContext, backend: HotkeyBackend | None = None, gnome: GnomeCustomShortcuts | None = None
    ) -> None:
        super().__init__(ctx.tray)
        self.ctx = ctx
        if backend is None:
            from companion.platform.hotkey import choose_hotkey_backend

            backend = choose_hotkey_backend()
        self.backend = backend
        self.gnome = gnome if gnome is not None else GnomeCustomShortcuts()
        self.problems: dict[HotkeyAction, str] = {}
        if self.backend is not None and hasattr(self.backend, "on_change"):
            self.backend.on_change = self.desktop_answered  # the portal answers after the rep confirms the keys

    def install(self) -> None:
        ctx = self.ctx
        ctx.about_facts.append(("Global hotkeys", self.backend.name if self.backend else "none on this desktop"))
        ctx.settings_page_extras["hotkeys"] = self.add_settings_help
        ctx.live_status.append(self.live_status)
        ctx.settings.subscribe(self.apply_settings)
        ctx.on_quit.append(self.close)
        self.apply_settings(ctx.settings.current)

    def apply_settings(self, settings: Settings) -> None:
        self.ctx.global_shortcuts.clear()
        self.problems.clear()
        if self.backend is not None:
            self.backend.unbind_all()
        for action, hotkey in wanted_hotkeys(settings.hotkeys).items():
            if self.backend is None and self._gnome_has(action, hotkey.gnome_accelerator):
                self.ctx.global_shortcuts[action.value] = hotkey.text  # GNOME runs `companion tag` on the key
            elif self.backend is None:
                self.problems[action] = _tr("this desktop lets no application bind a key of its own.")
            else:
                bound = self.backend.bind(hotkey, lambda action=action: self.pressed(action), ACTION_LABEL[action])
                self._note(action, hotkey.text, bound)
        self.ctx.tray.rebuild_menu()

    def _note(self, action: HotkeyAction, keys: str, bound: bool | None) -> None:
        self.problems.pop(action, None)
        self.ctx.global_shortcuts.pop(action.value, None)
        if bound:
            self.ctx.global_shortcuts[action.value] = keys
            log.info("global hotkey %s bound to %s", keys, action.value)
        elif bound is None:
            self.problems[action] = _tr("waiting for your desktop to confirm the key.")
        else:
            self.problems[action] = _tr("another program already uses this key combination, or the desktop refused it.")

    def desktop_answered(self) -> None:
        """The portal's answer to the keys asked for: the tray and Settings show what it granted."""
        assert self.backend is not None
        for action, hotkey in wanted_hotkeys(self.ctx.settings.current.hotkeys).items():
            self._note(action, hotkey.text, self.backend.is_bound(hotkey))  # type: ignore[attr-defined]
        self.ctx.tray.rebuild_menu()

    def _gnome_has(self, action: HotkeyAction, accelerator: str) -> bool:
        try:
            return self.gnome.available() and self.gnome.bound(action) == accelerator
        except OSError:
            return False

    def pressed(self, action: HotkeyAction) -> None:
        log.info("global hotkey for %s pressed", action.value)
        handler = self.ctx.handlers.get(action.value)
        if handler is not None:
            handler(Request(action.value))

    def states(self) -> list[HotkeyState]:
        settings = self.ctx.settings.current.hotkeys
        wanted = wanted_hotkeys(settings)
        program = launch_command()
        states = []
        for action in HotkeyAction:
            keys = wanted[action].text if action in wanted else ""
            bound = action.value in self.ctx.global_shortcuts
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

    def add_settings_help(self, column: Any) -> None:
        from companion.ui.hotkey_help import HotkeyHelp

        column.addWidget(HotkeyHelp(self.states, self.add_to_gnome if self.gnome.available() else None))

    def live_status(self) -> dict[str, Any]:
        return {"global_hotkeys": dict(self.ctx.global_shortcuts)}

    def close(self) -> None:
        self.ctx.settings.unsubscribe(self.apply_settings)
        if self.backend is not None:
            self.backend.close()


def install(ctx: AppContext) -> None:
    HotkeysFeature(ctx).install()
