"""Idle time on Windows: GetLastInputInfo against GetTickCount64.

LASTINPUTINFO.dwTime is a 32-bit tick count that wraps every 49.7 days; comparing it with the low 32 bits of the
64-bit tick count, modulo 2**32, gives the right answer across the wrap (the classic bug subtracts it from the
32-bit GetTickCount, or from the 64-bit count without the modulo).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

from companion.core.i18n import N_
from companion.platform import BackendUnavailable

_WRAP = 1 << 32


class LastInputInfo(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint)]


def idle_milliseconds(last_input_tick32: int, now_tick64: int) -> int:
    return (now_tick64 - last_input_tick32) % _WRAP


class WindowsIdleSource:
    name = N_("Windows GetLastInputInfo")
    system_wide = True

    def __init__(
        self,
        get_last_input_info: Callable[[LastInputInfo], bool] | None = None,
        get_tick_count64: Callable[[], int] | None = None,
    ) -> None:
        if get_last_input_info is None or get_tick_count64 is None:
            windll = getattr(ctypes, "windll", None)
            if windll is None:
                raise BackendUnavailable("not Windows")  # i18n: not for reps
            user32, kernel32 = windll.user32, windll.kernel32
            kernel32.GetTickCount64.restype = ctypes.c_ulonglong
            get_last_input_info = get_last_input_info or (
                lambda info: bool(user32.GetLastInputInfo(ctypes.byref(info)))
            )
            get_tick_count64 = get_tick_count64 or kernel32.GetTickCount64
        self._get_last_input_info = get_last_input_info
        self._get_tick_count64 = get_tick_count64

    def seconds_since_last_input(self) -> float | None:
        info = LastInputInfo(ctypes.sizeof(LastInputInfo), 0)
        if not self._get_last_input_info(info):
            return None
        return idle_milliseconds(info.dwTime, int(self._get_tick_count64())) / 1000.0
