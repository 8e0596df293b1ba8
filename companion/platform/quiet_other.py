"""Quiet signals on Windows and macOS.

Windows: `SHQueryUserNotificationState` (shell32) answers one state for the whole desktop: a full-screen
application (QUNS_BUSY, QUNS_RUNNING_D3D_FULL_SCREEN, QUNS_APP), presentation mode (QUNS_PRESENTATION_MODE) or
quiet time, which is what Focus Assist reports through this call (QUNS_QUIET_TIME). One query serves the three
signals; the OS call is injectable so tests replace it behind the same interface.

macOS: Focus (do not disturb) has no public API. From macOS 12 its active assertions are in
~/Library/DoNotDisturb/DB/Assertions.json, readable only when the rep grants Companion Full Disk Access; without it
the signal answers None (unknown) and About says so. macOS 11 and earlier keep `doNotDisturb` in the
`com.apple.notificationcenterui` defaults, read with `defaults -currentHost read`.
"""

from __future__ import annotations

import ctypes
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from companion.core.i18n import N_
from companion.core.quiet import QuietReason
from companion.platform import BackendUnavailable

QUNS_NOT_PRESENT, QUNS_BUSY, QUNS_RUNNING_D3D_FULL_SCREEN = 1, 2, 3
QUNS_PRESENTATION_MODE, QUNS_ACCEPTS_NOTIFICATIONS, QUNS_QUIET_TIME, QUNS_APP = 4, 5, 6, 7
_STATE_REASON = {
    QUNS_BUSY: QuietReason.FULL_SCREEN,
    QUNS_RUNNING_D3D_FULL_SCREEN: QuietReason.FULL_SCREEN,
    QUNS_APP: QuietReason.FULL_SCREEN,
    QUNS_PRESENTATION_MODE: QuietReason.PRESENTING,
    QUNS_QUIET_TIME: QuietReason.DO_NOT_DISTURB,
}
_WINDOWS_NAMES = {
    QuietReason.DO_NOT_DISTURB: N_("Windows notification state (do not disturb)"),
    QuietReason.FULL_SCREEN: N_("Windows notification state (full screen)"),
    QuietReason.PRESENTING: N_("Windows notification state (presenting)"),
}


def _shell_query() -> int | None:
    state = ctypes.c_int(0)
    result = ctypes.windll.shell32.SHQueryUserNotificationState(ctypes.byref(state))  # type: ignore[attr-defined]
    return state.value if result == 0 else None  # S_OK


class WindowsNotificationStateSignal:
    """One of the reasons `SHQueryUserNotificationState` can give; build one per reason with `windows_signals`."""

    def __init__(self, reason: QuietReason, query: Callable[[], int | None]) -> None:
        self.reason = reason
        self.name = _WINDOWS_NAMES[reason]
        self._query = query

    def is_quiet(self) -> bool | None:
        state = self._query()
        return None if state is None else _STATE_REASON.get(state) is self.reason


def windows_signals(query: Callable[[], int | None] | None = None) -> list[WindowsNotificationStateSignal]:
    if query is None:
        if sys.platform != "win32":
            raise BackendUnavailable("not Windows")  # i18n: not for reps
        query = _shell_query
    if query() is None:
        raise BackendUnavailable("SHQueryUserNotificationState failed")  # i18n: not for reps
    return [WindowsNotificationStateSignal(reason, query) for reason in QuietReason]


ASSERTIONS = Path.home() / "Library" / "DoNotDisturb" / "DB" / "Assertions.json"


def _legacy_defaults() -> bool | None:
    try:
        result = subprocess.run(
            ["defaults", "-currentHost", "read", "com.apple.notificationcenterui", "doNotDisturb"],
            capture_output=True, text=True, timeout=5,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() == "1" if result.returncode == 0 else None


class MacFocusSignal:
    reason = QuietReason.DO_NOT_DISTURB

    def __init__(self, assertions: Path = ASSERTIONS, legacy: Callable[[], bool | None] = _legacy_defaults) -> None:
        self._assertions = assertions
        self._legacy = legacy
        self.name = N_("macOS Focus") if self._read_assertions() is not None else (
            N_("macOS Focus (unreadable: give Companion Full Disk Access to follow it)")
        )  # fmt: skip

    def _read_assertions(self) -> bool | None:
        try:
            data = json.loads(self._assertions.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        records = [
            record
            for store in data.get("data", [])
            if isinstance(store, dict)
            for record in store.get("storeAssertionRecords", [])
        ]
        return bool(records)

    def is_quiet(self) -> bool | None:
        focus = self._read_assertions()
        return focus if focus is not None else self._legacy()
