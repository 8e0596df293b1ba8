"""Global hotkeys on Windows (RegisterHotKey) and macOS (Carbon's RegisterEventHotKey, which needs no
accessibility permission, unlike an event tap).

Each backend talks to the OS through a small `api` object (register, unregister) and is told of a press through
`deliver(hotkey_id)`; the real api also installs what hears the press (a native event filter for WM_HOTKEY, a
Carbon event handler). Tests pass their own api behind the same interface, as neither OS runs here.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QAbstractNativeEventFilter, QCoreApplication, QObject

from companion.core.hotkeys import Hotkey, Modifier
from companion.core.i18n import N_
from companion.platform import BackendUnavailable

log = logging.getLogger(__name__)


class HotkeyApi(Protocol):
    def register(self, hotkey_id: int, modifiers: int, key: int) -> bool: ...

    def unregister(self, hotkey_id: int) -> None: ...


class _IdHotkeyBackend(QObject):
    """Numbered registrations and their callbacks, the part both OS backends share."""

    name = ""

    def __init__(self, api: HotkeyApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._api = api
        self._callbacks: dict[int, Callable[[], None]] = {}
        self._next_id = 1

    def codes(self, hotkey: Hotkey) -> tuple[int, int] | None:
        raise NotImplementedError

    def bind(self, hotkey: Hotkey, callback: Callable[[], None], description: str = "") -> bool:
        codes = self.codes(hotkey)
        if codes is None:
            return False
        hotkey_id, self._next_id = self._next_id, self._next_id + 1
        if not self._api.register(hotkey_id, *codes):
            log.warning("the OS refused %s: another program holds it", hotkey.text)
            return False
        self._callbacks[hotkey_id] = callback
        return True

    def deliver(self, hotkey_id: int) -> None:
        callback = self._callbacks.get(hotkey_id)
        if callback is not None:
            callback()

    def unbind_all(self) -> None:
        for hotkey_id in self._callbacks:
            self._api.unregister(hotkey_id)
        self._callbacks.clear()

    def close(self) -> None:
        self.unbind_all()


# -- Windows ---------------------------------------------------------------------------------------------------
MOD_ALT, MOD_CONTROL, MOD_SHIFT, MOD_WIN, MOD_NOREPEAT = 0x1, 0x2, 0x4, 0x8, 0x4000
WINDOWS_MODIFIERS = {
    Modifier.ALT: MOD_ALT, Modifier.CTRL: MOD_CONTROL, Modifier.SHIFT: MOD_SHIFT, Modifier.META: MOD_WIN,
}  # fmt: skip
WM_HOTKEY = 0x0312


def windows_virtual_key(key: str) -> int:
    if len(key) == 1:
        return ord(key.upper())  # VK_A..VK_Z and VK_0..VK_9 are the ASCII codes
    return 0x70 + int(key[1:]) - 1  # VK_F1 = 0x70


class _Msg(ctypes.Structure):
    _fields_ = [
        ("hwnd", ctypes.c_void_p), ("message", ctypes.c_uint), ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t), ("time", ctypes.c_ulong), ("x", ctypes.c_long), ("y", ctypes.c_long),
    ]  # fmt: skip


class _WmHotkeyFilter(QAbstractNativeEventFilter):
    def __init__(self, deliver: Callable[[int], None]) -> None:
        super().__init__()
        self._deliver = deliver

    def nativeEventFilter(self, event_type: Any, message: Any) -> tuple[bool, int]:
        if bytes(event_type) == b"windows_generic_MSG":
            msg = _Msg.from_address(int(message))
            if msg.message == WM_HOTKEY:
                self._deliver(int(msg.wParam))
                return True, 0
        return False, 0


class User32HotkeyApi:
    """RegisterHotKey with no window: WM_HOTKEY arrives in the GUI thread's queue, where Qt's filter sees it."""

    _user32: Any  # declared here: type checkers on other systems see the body after the platform check as dead

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise BackendUnavailable("not Windows")  # i18n: not for reps
        self._user32 = ctypes.windll.user32

    def register(self, hotkey_id: int, modifiers: int, key: int) -> bool:
        return bool(self._user32.RegisterHotKey(None, hotkey_id, modifiers | MOD_NOREPEAT, key))

    def unregister(self, hotkey_id: int) -> None:
        self._user32.UnregisterHotKey(None, hotkey_id)


class WindowsHotkeyBackend(_IdHotkeyBackend):
    name = N_("Windows RegisterHotKey")

    def __init__(self, api: HotkeyApi | None = None, parent: QObject | None = None) -> None:
        super().__init__(api if api is not None else User32HotkeyApi(), parent)
        self._filter: _WmHotkeyFilter | None = None
        application = QCoreApplication.instance()
        if api is None and application is not None:
            self._filter = _WmHotkeyFilter(self.deliver)
            application.installNativeEventFilter(self._filter)

    def codes(self, hotkey: Hotkey) -> tuple[int, int] | None:
        mask = 0
        for modifier in hotkey.modifiers:
            mask |= WINDOWS_MODIFIERS[modifier]
        return mask, windows_virtual_key(hotkey.key)

    def close(self) -> None:
        super().close()
        application = QCoreApplication.instance()
        if self._filter is not None and application is not None:
            application.removeNativeEventFilter(self._filter)
            self._filter = None


# -- macOS -----------------------------------------------------------------------------------------------------
CMD_KEY, SHIFT_KEY, OPTION_KEY, CONTROL_KEY = 0x100, 0x200, 0x800, 0x1000
# Qt's "Ctrl" is the Command key on macOS and "Meta" the Control key; the hotkey means what Qt means.
MAC_MODIFIERS = {
    Modifier.CTRL: CMD_KEY, Modifier.SHIFT: SHIFT_KEY, Modifier.ALT: OPTION_KEY, Modifier.META: CONTROL_KEY,
}  # fmt: skip
# Carbon virtual key codes (kVK_ANSI_*, kVK_F*): positions on the ANSI keyboard, not characters.
MAC_KEY_CODES = {
    "A": 0x00, "S": 0x01, "D": 0x02, "F": 0x03, "H": 0x04, "G": 0x05, "Z": 0x06, "X": 0x07, "C": 0x08, "V": 0x09,
    "B": 0x0B, "Q": 0x0C, "W": 0x0D, "E": 0x0E, "R": 0x0F, "Y": 0x10, "T": 0x11, "1": 0x12, "2": 0x13, "3": 0x14,
    "4": 0x15, "6": 0x16, "5": 0x17, "9": 0x19, "7": 0x1A, "8": 0x1C, "0": 0x1D, "O": 0x1F, "U": 0x20, "I": 0x22,
    "P": 0x23, "L": 0x25, "J": 0x26, "K": 0x28, "N": 0x2D, "M": 0x2E,
    "F1": 0x7A, "F2": 0x78, "F3": 0x63, "F4": 0x76, "F5": 0x60, "F6": 0x61, "F7": 0x62, "F8": 0x64, "F9": 0x65,
    "F10": 0x6D, "F11": 0x67, "F12": 0x6F,
}  # fmt: skip
SIGNATURE = int.from_bytes(b"CMPN", "big")
K_EVENT_CLASS_KEYBOARD, K_EVENT_HOT_KEY_PRESSED = int.from_bytes(b"keyb", "big"), 5


class _EventHotKeyID(ctypes.Structure):
    _fields_ = [("signature", ctypes.c_uint32), ("id", ctypes.c_uint32)]


class _EventTypeSpec(ctypes.Structure):
    _fields_ = [("eventClass", ctypes.c_uint32), ("eventKind", ctypes.c_uint32)]


_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)


class CarbonHotkeyApi:
    _carbon: Any  # declared here: type checkers on other systems see the body after the platform check as dead

    def __init__(self, deliver: Callable[[int], None]) -> None:
        if sys.platform != "darwin":
            raise BackendUnavailable("not macOS")  # i18n: not for reps
        try:
            self._carbon = ctypes.cdll.LoadLibrary("/System/Library/Frameworks/Carbon.framework/Carbon")
        except OSError as error:
            raise BackendUnavailable(f"Carbon missing ({error})") from error  # i18n: not for reps
        carbon = self._carbon
        carbon.GetApplicationEventTarget.restype = ctypes.c_void_p
        carbon.RegisterEventHotKey.argtypes = [ctypes.c_uint32, ctypes.c_uint32, _EventHotKeyID, ctypes.c_void_p,
                                               ctypes.c_uint32, ctypes.POINTER(ctypes.c_void_p)]  # fmt: skip
        carbon.UnregisterEventHotKey.argtypes = [ctypes.c_void_p]
        carbon.InstallEventHandler.argtypes = [
            ctypes.c_void_p, _HANDLER, ctypes.c_uint32, ctypes.POINTER(_EventTypeSpec), ctypes.c_void_p,
            ctypes.c_void_p,
        ]  # fmt: skip
        carbon.GetEventParameter.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_void_p,
                                             ctypes.c_size_t, ctypes.c_void_p, ctypes.c_void_p]  # fmt: skip
        self._refs: dict[int, ctypes.c_void_p] = {}
        self._deliver = deliver

        def pressed(_call: int, event: int, _data: int) -> int:
            hotkey = _EventHotKeyID()
            carbon.GetEventParameter(event, int.from_bytes(b"----", "big"), int.from_bytes(b"hkid", "big"), None,
                                     ctypes.sizeof(hotkey), None, ctypes.byref(hotkey))  # fmt: skip
            if hotkey.signature == SIGNATURE:
                self._deliver(int(hotkey.id))
            return 0

        self._handler = _HANDLER(pressed)  # kept: Carbon holds only the C pointer
        spec = _EventTypeSpec(K_EVENT_CLASS_KEYBOARD, K_EVENT_HOT_KEY_PRESSED)
        carbon.InstallEventHandler(carbon.GetApplicationEventTarget(), self._handler, 1, ctypes.byref(spec), None, None)

    def register(self, hotkey_id: int, modifiers: int, key: int) -> bool:
        ref = ctypes.c_void_p()
        target = self._carbon.GetApplicationEventTarget()
        status = self._carbon.RegisterEventHotKey(
            key, modifiers, _EventHotKeyID(SIGNATURE, hotkey_id), target, 0, ctypes.byref(ref)
        )
        if status != 0:
            return False
        self._refs[hotkey_id] = ref
        return True

    def unregister(self, hotkey_id: int) -> None:
        ref = self._refs.pop(hotkey_id, None)
        if ref is not None:
            self._carbon.UnregisterEventHotKey(ref)


class MacHotkeyBackend(_IdHotkeyBackend):
    name = N_("macOS Carbon hot keys")

    def __init__(self, api: HotkeyApi | None = None, parent: QObject | None = None) -> None:
        # The real api calls back into this backend; `self.deliver` is looked up only when a key is pressed.
        real = None if api is not None else CarbonHotkeyApi(lambda hotkey_id: self.deliver(hotkey_id))
        super().__init__(api if api is not None else real, parent)  # type: ignore[arg-type]

    def codes(self, hotkey: Hotkey) -> tuple[int, int] | None:
        mask = 0
        for modifier in hotkey.modifiers:
            mask |= MAC_MODIFIERS[modifier]
        return mask, MAC_KEY_CODES[hotkey.key]
