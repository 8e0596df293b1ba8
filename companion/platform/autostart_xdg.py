"""Start at login on Linux and BSD desktops: an XDG autostart entry in $XDG_CONFIG_HOME/autostart.

The entry is the menu entry from resources/companion.desktop with the real command and icon path filled in.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from companion import APP_ID
from companion.platform.autostart_file import FileAutostart
from companion.resources import resource_path

# Inside a quoted Exec argument these four are escaped with a backslash (Desktop Entry spec, "The Exec key").
_EXEC_ESCAPED = re.compile(r'(["`$\\])')
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def exec_argument(argument: str) -> str:
    if argument and not (_EXEC_RESERVED & set(argument)) and "%" not in argument and "=" not in argument:
        return argument
    quoted = '"' + _EXEC_ESCAPED.sub(r"\\\1", argument).replace("%", "%%") + '"'
    # The whole value is then a desktop-file string, where a backslash is itself written twice.
    return quoted.replace("\\", "\\\\")


def exec_line(command: list[str]) -> str:
    return " ".join(exec_argument(argument) for argument in command)


def autostart_entry(command: list[str]) -> str:
    lines = []
    for line in resource_path(f"{APP_ID}.desktop").read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = f"Exec={exec_line(command)}"
        elif line.startswith("Icon="):
            line = f"Icon={resource_path('icons', f'{APP_ID}.svg')}"
        lines.append(line)
    lines.append("X-GNOME-Autostart-enabled=true")  # i18n: not for reps
    return "\n".join(lines) + "\n"


class XdgAutostart(FileAutostart):
    name = "xdg-autostart"

    def __init__(self, config_home: Path | None = None) -> None:
        self._config_home = config_home

    @property
    def path(self) -> Path:
        config_home = self._config_home or Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        return config_home / "autostart" / f"{APP_ID}.desktop"

    def content(self, command: list[str]) -> bytes:
        return autostart_entry(command).encode("utf-8")
