"""Start at login: pick the backend for this operating system, and the command it should start."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from companion.core.interfaces import Autostart
from companion.core.paths import write_private_atomically


class FileAutostart:
    """A backend that is one file the session reads at login: on when the file is there, off when it is gone."""

    name = "file"

    @property
    def path(self) -> Path:
        raise NotImplementedError

    def content(self, command: list[str]) -> bytes:
        raise NotImplementedError

    def is_enabled(self) -> bool:
        return self.path.is_file()

    def enable(self, command: list[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_private_atomically(self.path, self.content(command))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)


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
