"""Idle time on macOS: CGEventSourceSecondsSinceLastEventType through ctypes (no pyobjc)."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable

from companion.core.i18n import N_
from companion.platform import BackendUnavailable

COMBINED_SESSION_STATE = 0  # kCGEventSourceStateCombinedSessionState
ANY_INPUT_EVENT = 0xFFFFFFFF  # kCGAnyInputEventType


class MacIdleSource:
    name = N_("macOS Quartz event source")
    system_wide = True

    def __init__(self, seconds_since_last_event: Callable[[int, int], float] | None = None) -> None:
        if seconds_since_last_event is None:
            if sys.platform != "darwin":
                raise BackendUnavailable("not macOS")  # i18n: not for reps
            path = ctypes.util.find_library("ApplicationServices")
            if not path:
                raise BackendUnavailable("ApplicationServices framework not found")  # i18n: not for reps
            function = ctypes.cdll.LoadLibrary(path).CGEventSourceSecondsSinceLastEventType
            function.restype = ctypes.c_double
            function.argtypes = [ctypes.c_int32, ctypes.c_uint32]
            seconds_since_last_event = function
        self._seconds_since = seconds_since_last_event

    def seconds_since_last_input(self) -> float | None:
        seconds = float(self._seconds_since(COMBINED_SESSION_STATE, ANY_INPUT_EVENT))
        return seconds if seconds >= 0 else None
