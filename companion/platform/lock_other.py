"""Screen lock on Windows and macOS, polled at each tick (both are cheap calls), and the do-nothing fallback.

Windows: while the session is locked (or the secure desktop is up) the input desktop cannot be opened.
macOS: the session dictionary from CGSessionCopyCurrentDictionary holds CGSSessionScreenIsLocked while locked.
Sleep on both is found by the tracker from clock gaps.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable

from companion.core.i18n import N_
from companion.platform import BackendUnavailable

DESKTOP_SWITCHDESKTOP = 0x0100


class NoLockMonitor:
    name = N_("none (sleep found from clock gaps)")

    def is_locked(self) -> bool | None:
        return None

    def on_sleep(self, callback: Callable[[bool], None]) -> None:
        """Nothing reports sleep here; the tracker finds it from the clock."""


class WindowsLockMonitor(NoLockMonitor):
    name = N_("Windows input desktop")

    def __init__(self, input_desktop_open: Callable[[], bool] | None = None) -> None:
        if input_desktop_open is None:
            windll = getattr(ctypes, "windll", None)
            if windll is None:
                raise BackendUnavailable("not Windows")  # i18n: not for reps
            user32 = windll.user32

            def input_desktop_open() -> bool:
                handle = user32.OpenInputDesktop(0, False, DESKTOP_SWITCHDESKTOP)
                if not handle:
                    return False
                user32.CloseDesktop(handle)
                return True

        self._input_desktop_open = input_desktop_open

    def is_locked(self) -> bool | None:
        return not self._input_desktop_open()


class MacLockMonitor(NoLockMonitor):
    name = N_("macOS session dictionary")

    def __init__(self, screen_is_locked: Callable[[], bool | None] | None = None) -> None:
        if screen_is_locked is None:
            if sys.platform != "darwin":
                raise BackendUnavailable("not macOS")  # i18n: not for reps
            screen_is_locked = _mac_screen_is_locked_reader()
        self._screen_is_locked = screen_is_locked

    def is_locked(self) -> bool | None:
        return self._screen_is_locked()


def _mac_screen_is_locked_reader() -> Callable[[], bool | None]:  # pragma: no cover - macOS only
    quartz = ctypes.cdll.LoadLibrary(ctypes.util.find_library("ApplicationServices") or "")
    cf = ctypes.cdll.LoadLibrary(ctypes.util.find_library("CoreFoundation") or "")
    quartz.CGSessionCopyCurrentDictionary.restype = ctypes.c_void_p
    cf.CFDictionaryGetValue.restype = ctypes.c_void_p
    cf.CFDictionaryGetValue.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    cf.CFStringCreateWithCString.restype = ctypes.c_void_p
    cf.CFStringCreateWithCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32]
    cf.CFBooleanGetValue.argtypes = [ctypes.c_void_p]
    cf.CFRelease.argtypes = [ctypes.c_void_p]
    key = cf.CFStringCreateWithCString(None, b"CGSSessionScreenIsLocked", 0x08000100)  # UTF-8

    def screen_is_locked() -> bool | None:
        session = quartz.CGSessionCopyCurrentDictionary()
        if not session:
            return None
        try:
            value = cf.CFDictionaryGetValue(session, key)
            return bool(value) and bool(cf.CFBooleanGetValue(value))
        finally:
            cf.CFRelease(session)

    return screen_is_locked
