"""A full-screen active window on X11: `_NET_WM_STATE_FULLSCREEN` in the `_NET_WM_STATE` of the root window's
`_NET_ACTIVE_WINDOW` (EWMH; needs a window manager that keeps them, which every X11 desktop has).

ctypes on libX11 with one display connection kept open: a sample is two property reads, no subprocess.
"""

from __future__ import annotations

import ctypes
import os

from companion.core.i18n import N_
from companion.core.quiet import QuietReason
from companion.platform import BackendUnavailable

_XA_WINDOW = 33
_XA_ATOM = 4


class X11Display:
    """One libX11 connection with the few calls the X11 backends need (property reads, atoms)."""

    def __init__(self, display: str | None = None) -> None:
        display = display or os.environ.get("DISPLAY")
        if not display:
            raise BackendUnavailable("no X display")  # i18n: not for reps
        try:
            self.lib = ctypes.cdll.LoadLibrary("libX11.so.6")
        except OSError as error:
            raise BackendUnavailable(f"libX11 missing ({error})") from error  # i18n: not for reps
        lib = self.lib
        lib.XOpenDisplay.restype = ctypes.c_void_p
        lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        lib.XDefaultRootWindow.restype = ctypes.c_ulong
        lib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
        lib.XFree.argtypes = [ctypes.c_void_p]
        lib.XInternAtom.restype = ctypes.c_ulong
        lib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        lib.XGetWindowProperty.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long, ctypes.c_int,
            ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p),
        ]  # fmt: skip
        self.handle = lib.XOpenDisplay(display.encode())
        if not self.handle:
            raise BackendUnavailable(f"cannot open X display {display}")  # i18n: not for reps
        self.root = lib.XDefaultRootWindow(self.handle)

    def atom(self, name: str) -> int:
        return int(self.lib.XInternAtom(self.handle, name.encode(), 0))

    def property_values(self, window: int, name: str, kind: int) -> list[int] | None:
        """The 32-bit items of a window property (windows, atoms), or None when it is missing or the window gone."""
        if not self.handle:
            return None
        actual_type, actual_format = ctypes.c_ulong(), ctypes.c_int()
        count, remaining, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
        status = self.lib.XGetWindowProperty(
            self.handle, window, self.atom(name), 0, 64, 0, kind, ctypes.byref(actual_type),
            ctypes.byref(actual_format), ctypes.byref(count), ctypes.byref(remaining), ctypes.byref(data),
        )  # fmt: skip
        if status != 0 or not data.value:
            return None
        try:
            if actual_format.value != 32:
                return None
            # Xlib hands 32-bit items back as C longs, whatever the word size.
            return list((ctypes.c_ulong * count.value).from_address(data.value))
        finally:
            self.lib.XFree(data)

    def close(self) -> None:
        if self.handle:
            self.lib.XCloseDisplay(self.handle)
            self.handle = None


class X11FullScreenSignal:
    name = N_("X11 full-screen active window")
    reason = QuietReason.FULL_SCREEN

    def __init__(self, display: str | None = None) -> None:
        self._x = X11Display(display)
        if self._x.property_values(self._x.root, "_NET_SUPPORTED", _XA_ATOM) is None:
            self._x.close()
            raise BackendUnavailable(
                "no EWMH window manager (no _NET_SUPPORTED on the root window)"  # i18n: not for reps
            )
        self._fullscreen = self._x.atom("_NET_WM_STATE_FULLSCREEN")

    def is_quiet(self) -> bool | None:
        active = self._x.property_values(self._x.root, "_NET_ACTIVE_WINDOW", _XA_WINDOW)
        if not active or not active[0]:
            return False  # nothing has the focus (the desktop itself)
        states = self._x.property_values(active[0], "_NET_WM_STATE", _XA_ATOM)
        return states is not None and self._fullscreen in states

    def close(self) -> None:
        self._x.close()
