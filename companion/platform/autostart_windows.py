"""Start at login on Windows: a value named Companion under HKCU\\...\\CurrentVersion\\Run."""

from __future__ import annotations

import subprocess
from types import ModuleType
from typing import Any

from companion import APP_NAME

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"  # i18n: not for reps


class WindowsAutostart:
    """`registry` is the winreg module (or an object with the same functions, where Windows is not at hand)."""

    name = "windows-run-key"

    def __init__(self, registry: ModuleType | Any | None = None) -> None:
        if registry is None:
            import winreg as registry  # type: ignore[no-redef]
        self._reg = registry

    def is_enabled(self) -> bool:
        try:
            with self._reg.OpenKey(self._reg.HKEY_CURRENT_USER, RUN_KEY, 0, self._reg.KEY_READ) as key:
                self._reg.QueryValueEx(key, APP_NAME)
        except FileNotFoundError:
            return False
        return True

    def enable(self, command: list[str]) -> None:
        with self._reg.CreateKeyEx(self._reg.HKEY_CURRENT_USER, RUN_KEY, 0, self._reg.KEY_SET_VALUE) as key:
            self._reg.SetValueEx(key, APP_NAME, 0, self._reg.REG_SZ, subprocess.list2cmdline(command))

    def disable(self) -> None:
        try:
            with self._reg.OpenKey(self._reg.HKEY_CURRENT_USER, RUN_KEY, 0, self._reg.KEY_SET_VALUE) as key:
                self._reg.DeleteValue(key, APP_NAME)
        except FileNotFoundError:
            pass  # already off
