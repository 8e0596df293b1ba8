"""Global hotkeys on X11: XGrabKey on the root window through ctypes on libX11, on a display connection of our own
whose socket sits on a QSocketNotifier, so a key press wakes the event loop and nothing is polled.

X delivers a grabbed key only when the modifier state matches exactly, so each key is grabbed four times: alone,
with CapsLock (LockMask), with NumLock (Mod2Mask, where every common keymap puts it) and with both.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

from companion.core.hotkeys import Hotkey, Modifier
from companion.core.i18n import N_
from companion.platform import BackendUnavailable

log = logging.getLogger(__name__)

SHIFT_MASK, LOCK_MASK, CONTROL_MASK, MOD1_MASK, MOD2_MASK, MOD4_MASK = 1, 2, 4, 8, 16, 64
MODIFIER_MASK = {
    Modifier.SHIFT: SHIFT_MASK, Modifier.CTRL: CONTROL_MASK, Modifier.ALT: MOD1_MASK, Modifier.META: MOD4_MASK,
}  # fmt: skip
LOCK_VARIANTS = (0, LOCK_MASK, MOD2_MASK, LOCK_MASK | MOD2_MASK)
KEY_PRESS, GRAB_MODE_ASYNC, BAD_ACCESS = 2, 1, 10


class _XKeyEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("root", ctypes.c_ulong),
        ("subwindow", ctypes.c_ulong), ("time", ctypes.c_ulong), ("x", ctypes.c_int), ("y", ctypes.c_int),
        ("x_root", ctypes.c_int), ("y_root", ctypes.c_int), ("state", ctypes.c_uint), ("keycode", ctypes.c_uint),
        ("same_screen", ctypes.c_int),
    ]  # fmt: skip


class _XEvent(ctypes.Union):
    _fields_ = [("type", ctypes.c_int), ("xkey", _XKeyEvent), ("pad", ctypes.c_long * 24)]


class _XErrorEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int), ("display", ctypes.c_void_p), ("resourceid", ctypes.c_ulong),
        ("serial", ctypes.c_ulong), ("error_code", ctypes.c_ubyte), ("request_code", ctypes.c_ubyte),
        ("minor_code", ctypes.c_ubyte),
    ]  # fmt: skip


_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_XErrorEvent))
_errors: list[int] = []


def _record_error(display: int, event: ctypes._Pointer[_XErrorEvent]) -> int:
    # Xlib's default handler exits the process; a refused grab (BadAccess: another program holds the key) must not.
    _errors.append(int(event.contents.error_code))
    return 0


_error_handler = _ERROR_HANDLER(_record_error)  # kept for the process's life: Xlib holds only the C pointer


class X11HotkeyBackend(QObject):
    name = N_("X11 key grab")

    def __init__(self, display: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        display = display or os.environ.get("DISPLAY")
        if not display or os.environ.get("WAYLAND_DISPLAY"):
            raise BackendUnavailable(
                "no X11 session (on Wayland a grab sees only X applications)"  # i18n: not for reps
            )
        try:
            self._x = ctypes.cdll.LoadLibrary("libX11.so.6")
        except OSError as error:
            raise BackendUnavailable(f"libX11 missing ({error})") from error  # i18n: not for reps
        x = self._x
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        for name in ("XConnectionNumber", "XPending", "XFlush", "XCloseDisplay"):
            getattr(x, name).argtypes = [ctypes.c_void_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XStringToKeysym.restype = ctypes.c_ulong
        x.XStringToKeysym.argtypes = [ctypes.c_char_p]
        x.XKeysymToKeycode.restype = ctypes.c_ubyte
        x.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        x.XGrabKey.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int,
                               ctypes.c_int, ctypes.c_int]  # fmt: skip
        x.XUngrabKey.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_ulong]
        x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.POINTER(_XEvent)]
        x.XSetErrorHandler.argtypes = [_ERROR_HANDLER]
        x.XSetErrorHandler.restype = ctypes.c_void_p
        self._display = x.XOpenDisplay(display.encode())
        if not self._display:
            raise BackendUnavailable(f"cannot open X display {display}")  # i18n: not for reps
        x.XSetErrorHandler(_error_handler)
        self._root = x.XDefaultRootWindow(self._display)
        self._bound: dict[tuple[int, int], Callable[[], None]] = {}  # (keycode, modifier mask) -> callback
        self._notifier = QSocketNotifier(x.XConnectionNumber(self._display), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def bind(self, hotkey: Hotkey, callback: Callable[[], None], description: str = "") -> bool:
        keysym = self._x.XStringToKeysym((hotkey.key.lower() if len(hotkey.key) == 1 else hotkey.key).encode())
        keycode = int(self._x.XKeysymToKeycode(self._display, keysym)) if keysym else 0
        if not keycode:
            log.warning("the keyboard layout has no key for %s", hotkey.text)
            return False
        mask = 0
        for modifier in hotkey.modifiers:
            mask |= MODIFIER_MASK[modifier]
        _errors.clear()
        for variant in LOCK_VARIANTS:
            self._x.XGrabKey(self._display, keycode, mask | variant, self._root, 0, GRAB_MODE_ASYNC, GRAB_MODE_ASYNC)
        self._x.XSync(self._display, 0)
        if _errors:
            log.warning("another program already holds %s (X error %s)", hotkey.text, _errors[0])
            self._ungrab(keycode, mask)
            self._x.XSync(self._display, 0)
            _errors.clear()
            return False
        self._bound[(keycode, mask)] = callback
        self._drain()  # XSync may have read events into Xlib's queue without the socket showing them again
        return True

    def _ungrab(self, keycode: int, mask: int) -> None:
        for variant in LOCK_VARIANTS:
            self._x.XUngrabKey(self._display, keycode, mask | variant, self._root)

    def unbind_all(self) -> None:
        if not self._display:
            return
        for keycode, mask in self._bound:
            self._ungrab(keycode, mask)
        self._bound.clear()
        self._x.XSync(self._display, 0)

    def _drain(self) -> None:
        event = _XEvent()
        while self._display and self._x.XPending(self._display):
            self._x.XNextEvent(self._display, ctypes.byref(event))
            if event.type != KEY_PRESS:
                continue
            key = (int(event.xkey.keycode), int(event.xkey.state) & ~(LOCK_MASK | MOD2_MASK))
            callback = self._bound.get(key)
            if callback is not None:
                callback()

    def close(self) -> None:
        if self._display:
            self.unbind_all()
            self._notifier.setEnabled(False)
            self._x.XCloseDisplay(self._display)
            self._display = None
            self.deleteLater()  # the notifier goes with it, in the event loop rather than in a later garbage collection
