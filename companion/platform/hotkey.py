"""Choosing the global hotkey backend at start (platform/backends.py's choose_backends): X11 key grab, Windows
RegisterHotKey, macOS Carbon hot keys. On Wayland, the desktop portal's GlobalShortcuts. Plain imports per branch,
so PyInstaller sees each module. NoHotkeyBackend where none works (GNOME 43-47 or wlroots on Wayland, which offer no
GlobalShortcuts portal): Settings then shows the command to bind in the desktop's settings."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from companion.core.hotkeys import Hotkey, HotkeyBackend
from companion.platform import BackendUnavailable

log = logging.getLogger(__name__)


def hotkey_candidates(platform: str = sys.platform) -> list[Callable[[], Any]]:
    if platform == "win32":
        from companion.platform.hotkey_other import WindowsHotkeyBackend

        return [WindowsHotkeyBackend]
    if platform == "darwin":
        from companion.platform.hotkey_other import MacHotkeyBackend

        return [MacHotkeyBackend]
    if os.environ.get("WAYLAND_DISPLAY"):
        # A grab through Xwayland sees only X applications' keys: not a global hotkey. The portal is the way.
        from companion.platform.hotkey_portal import PortalHotkeyBackend

        return [PortalHotkeyBackend]
    from companion.platform.hotkey_x11 import X11HotkeyBackend

    return [X11HotkeyBackend]


NO_HOTKEY_BACKEND = "none"


class NoHotkeyBackend:
    """This desktop lets no application bind a key of its own: every bind is refused, nothing ever fires."""

    name = NO_HOTKEY_BACKEND

    def bind(self, hotkey: Hotkey, callback: Callable[[], None], description: str = "") -> bool:
        return False

    def unbind_all(self) -> None:
        pass

    def close(self) -> None:
        pass


def choose_hotkey_backend() -> HotkeyBackend:
    for factory in hotkey_candidates():
        try:
            backend: HotkeyBackend = factory()
        except BackendUnavailable as reason:
            log.info("hotkey backend %s not available: %s", getattr(factory, "__name__", factory), reason)
            continue
        log.info("hotkey backend: %s", backend.name)
        return backend
    return NoHotkeyBackend()
