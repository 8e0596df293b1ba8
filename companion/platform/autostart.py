"""Start at login: pick the backend for this operating system, and the command it should start."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from companion.core.interfaces import Autostart
from companion.platform.autostart_file import FileAutostart

__all__ = ["FileAutostart", "NoAutostart", "launch_command", "select_autostart"]


class NoAutostart:
    """An operating system we cannot register with: the Settings window greys the option out."""

    name = "none"

    def is_enabled(self) -> bool:
        return False

    def enable(self, command: list[str]) -> None:
        return None

    def disable(self) -> None:
        return None


def select_autostart(platform: str = sys.platform) -> Autostart:
    if platform.startswith("linux") or platform.startswith("freebsd"):
        from companion.platform.autostart_xdg import XdgAutostart

        return XdgAutostart()
    if platform == "win32":
        from companion.platform.autostart_windows import WindowsAutostart

        return WindowsAutostart()
    if platform == "darwin":
        from companion.platform.autostart_macos import MacAutostart

        return MacAutostart()
    return NoAutostart()


def launch_command() -> list[str]:
    """How the login session should start this Companion: the bundle's executable, the installed script, or
    this interpreter running the package (a source checkout)."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    beside_python = Path(sys.executable).parent
    for name in ("companion", "companion.exe", "companionw.exe"):
        script = beside_python / name
        if script.is_file():
            return [str(script)]
    on_path = shutil.which("companion")
    if on_path:
        return [on_path]
    return [sys.executable, "-m", "companion"]
