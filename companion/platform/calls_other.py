"""Call awareness on Windows (the microphone privacy ConsentStore) and macOS (CoreAudio), and the fallback."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable
from typing import Protocol

from companion.core.i18n import N_
from companion.platform import BackendUnavailable

CONSENT_STORE = (
    r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore\microphone"  # i18n: not for reps
)


class NoCallDetector:
    name = N_("none (use “I'm on a call” in the tray)")

    def in_call(self) -> bool | None:
        return None


class Registry(Protocol):
    """The few registry reads the Windows detector needs (HKEY_CURRENT_USER), so they can be replaced in tests."""

    def subkeys(self, path: str) -> list[str]: ...

    def value(self, path: str, name: str) -> int | None: ...


class WinRegistry:  # pragma: no cover - Windows only
    def __init__(self) -> None:
        import winreg

        self._winreg = winreg

    def subkeys(self, path: str) -> list[str]:
        winreg = self._winreg
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:
                return [winreg.EnumKey(key, i) for i in range(winreg.QueryInfoKey(key)[0])]
        except OSError:
            return []

    def value(self, path: str, name: str) -> int | None:
        winreg = self._winreg
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:
                value, _ = winreg.QueryValueEx(key, name)
        except OSError:
            return None
        return int(value) if isinstance(value, int) else None


class WindowsCallDetector:
    """An app is using the microphone now when its ConsentStore key has a start time and a stop time of 0."""

    name = N_("Windows microphone privacy records")

    def __init__(self, registry: Registry | None = None) -> None:
        if registry is None:
            if sys.platform != "win32":
                raise BackendUnavailable("not Windows")  # i18n: not for reps
            registry = WinRegistry()
        self._registry = registry

    def in_call(self) -> bool | None:
        apps = [f"{CONSENT_STORE}\\{name}" for name in self._registry.subkeys(CONSENT_STORE) if name != "NonPackaged"]
        desktop_apps = f"{CONSENT_STORE}\\NonPackaged"
        apps += [f"{desktop_apps}\\{name}" for name in self._registry.subkeys(desktop_apps)]
        return any(self._in_use(app) for app in apps)

    def _in_use(self, key: str) -> bool:
        started = self._registry.value(key, "LastUsedTimeStart")
        stopped = self._registry.value(key, "LastUsedTimeStop")
        return bool(started) and stopped == 0


def _four_cc(code: str) -> int:
    return int.from_bytes(code.encode("ascii"), "big")


class _PropertyAddress(ctypes.Structure):
    _fields_ = [("selector", ctypes.c_uint32), ("scope", ctypes.c_uint32), ("element", ctypes.c_uint32)]


SYSTEM_OBJECT = 1  # kAudioObjectSystemObject
DEFAULT_INPUT_DEVICE = _four_cc("dIn ")  # kAudioHardwarePropertyDefaultInputDevice
RUNNING_SOMEWHERE = _four_cc("gone")  # kAudioDevicePropertyDeviceIsRunningSomewhere
SCOPE_GLOBAL = _four_cc("glob")
ELEMENT_MAIN = 0

# (object id, selector) -> the UInt32 property value, or None if CoreAudio reported an error
PropertyReader = Callable[[int, int], int | None]


class MacCallDetector:
    """The default input device is "running somewhere" while any process records from it."""

    name = N_("macOS CoreAudio input device")

    def __init__(self, read_property: PropertyReader | None = None) -> None:
        if read_property is None:
            if sys.platform != "darwin":
                raise BackendUnavailable("not macOS")  # i18n: not for reps
            read_property = _core_audio_reader()
        self._read = read_property

    def in_call(self) -> bool | None:
        device = self._read(SYSTEM_OBJECT, DEFAULT_INPUT_DEVICE)
        if not device:
            return None
        running = self._read(device, RUNNING_SOMEWHERE)
        return None if running is None else bool(running)


def _core_audio_reader() -> PropertyReader:  # pragma: no cover - macOS only
    path = ctypes.util.find_library("CoreAudio")
    if not path:
        raise BackendUnavailable("CoreAudio framework not found")  # i18n: not for reps
    get = ctypes.cdll.LoadLibrary(path).AudioObjectGetPropertyData
    get.restype = ctypes.c_int32
    get.argtypes = [
        ctypes.c_uint32, ctypes.POINTER(_PropertyAddress), ctypes.c_uint32, ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_uint32), ctypes.c_void_p,
    ]  # fmt: skip

    def read(object_id: int, selector: int) -> int | None:
        address = _PropertyAddress(selector, SCOPE_GLOBAL, ELEMENT_MAIN)
        value = ctypes.c_uint32(0)
        size = ctypes.c_uint32(ctypes.sizeof(value))
        status = get(object_id, ctypes.byref(address), 0, None, ctypes.byref(size), ctypes.byref(value))
        return None if status != 0 else int(value.value)

    return read
