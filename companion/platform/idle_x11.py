"""Idle time on X11 from the XScreenSaver extension, through ctypes on libXss (no subprocess, no extra package).

One display connection is opened at start and kept, so a query is one round trip to the X server.
"""

from __future__ import annotations

import ctypes
import os

from companion.core.i18n import N_
from companion.platform import BackendUnavailable


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("event_mask", ctypes.c_ulong),
    ]


class X11IdleSource:
    name = N_("X11 screen saver extension")
    system_wide = True

    def __init__(self, display: str | None = None) -> None:
        display = display or os.environ.get("DISPLAY")
        if not display:
            raise BackendUnavailable("no X display")  # i18n: not for reps
        try:
            self._x11 = ctypes.cdll.LoadLibrary("libX11.so.6")
            self._xss = ctypes.cdll.LoadLibrary("libXss.so.1")
        except OSError as error:
            raise BackendUnavailable(f"libXss or libX11 missing ({error})") from error  # i18n: not for reps
        self._x11.XOpenDisplay.restype = ctypes.c_void_p
        self._x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self._x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self._x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self._x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._x11.XFree.argtypes = [ctypes.c_void_p]
        self._xss.XScreenSaverQueryExtension.argtypes = [
            ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int)
        ]  # fmt: skip
        self._xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
        self._xss.XScreenSaverQueryInfo.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XScreenSaverInfo)
        ]  # fmt: skip
        self._display = self._x11.XOpenDisplay(display.encode())
        if not self._display:
            raise BackendUnavailable(f"cannot open X display {display}")  # i18n: not for reps
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not self._xss.XScreenSaverQueryExtension(self._display, ctypes.byref(event_base), ctypes.byref(error_base)):
            self._x11.XCloseDisplay(self._display)
            raise BackendUnavailable("the X server has no screen saver extension")  # i18n: not for reps
        self._root = self._x11.XDefaultRootWindow(self._display)
        self._info = self._xss.XScreenSaverAllocInfo()

    def seconds_since_last_input(self) -> float | None:
        if not self._display or not self._xss.XScreenSaverQueryInfo(self._display, self._root, self._info):
            return None
        return self._info.contents.idle / 1000.0

    def close(self) -> None:
        if self._display:
            self._x11.XFree(self._info)
            self._x11.XCloseDisplay(self._display)
            self._display = None
