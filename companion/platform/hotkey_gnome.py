"""GNOME custom keyboard shortcuts (Settings > Keyboard > Custom Shortcuts), added for the rep on request: on GNOME
under Wayland no application may grab a key, and GNOME 43-45 offer no GlobalShortcuts portal, so the desktop
itself must run `companion tag` on the key.

Each shortcut is one relocatable `org.gnome.settings-daemon.plugins.media-keys.custom-keybinding` at a path of
Companion's own, listed in the `custom-keybindings` array of `org.gnome.settings-daemon.plugins.media-keys`.
"""

from __future__ import annotations

import os

from companion.core.hotkeys import ACTION_LABEL, Hotkey, HotkeyAction, bind_command
from companion.core.i18n import _
from companion.platform.gsettings import format_string_list, gsettings, parse_string_list

MEDIA_KEYS = "org.gnome.settings-daemon.plugins.media-keys"
CUSTOM = f"{MEDIA_KEYS}.custom-keybinding"
BASE = "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/"


def binding_path(action: HotkeyAction) -> str:
    return f"{BASE}companion-{action.value}/"


class GnomeCustomShortcuts:
    def __init__(self, env: dict[str, str] | None = None) -> None:
        self._env = env

    def available(self) -> bool:
        """On GNOME, with its media-keys schema installed (gnome-settings-daemon)."""
        desktop = (self._env or os.environ).get("XDG_CURRENT_DESKTOP", "").upper()
        return "GNOME" in desktop and gsettings("get", MEDIA_KEYS, "custom-keybindings", env=self._env) is not None

    def _paths(self) -> list[str]:
        text = gsettings("get", MEDIA_KEYS, "custom-keybindings", env=self._env)
        if text is None:
            raise OSError(_("GNOME's keyboard shortcut settings could not be read"))
        return parse_string_list(text)

    def add(self, action: HotkeyAction, hotkey: Hotkey, program: list[str]) -> None:
        """Add or update Companion's shortcut for the action; OSError with a sentence for the rep when GNOME refuses
        (the Settings window shows it). The shortcut's name is in the rep's language: GNOME's Settings lists it."""
        path = binding_path(action)
        values = {
            "name": f"Companion: {_(ACTION_LABEL[action])}",
            "command": bind_command(action, program),
            "binding": hotkey.gnome_accelerator,
        }
        for key, value in values.items():
            if gsettings("set", f"{CUSTOM}:{path}", key, value, env=self._env) is None:
                raise OSError(_("GNOME did not accept the shortcut's {key}").format(key=key))
        paths = self._paths()
        listed = format_string_list([*paths, path])
        if path not in paths and gsettings("set", MEDIA_KEYS, "custom-keybindings", listed, env=self._env) is None:
            raise OSError(_("GNOME did not accept the new shortcut in its list"))

    def bound(self, action: HotkeyAction) -> str | None:
        """The accelerator GNOME has for Companion's shortcut of this action, or None when there is none."""
        path = binding_path(action)
        if path not in self._paths():
            return None
        binding = gsettings("get", f"{CUSTOM}:{path}", "binding", env=self._env)
        return binding.strip("'") if binding else None

    def remove(self, action: HotkeyAction) -> None:
        path = binding_path(action)
        paths = self._paths()
        if path in paths:
            gsettings("set", MEDIA_KEYS, "custom-keybindings", format_string_list([p for p in paths if p != path]),
                      env=self._env)  # fmt: skip
        for key in ("name", "command", "binding"):
            gsettings("reset", f"{CUSTOM}:{path}", key, env=self._env)
