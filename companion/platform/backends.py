"""Choosing the call detector and the lock monitor at start, the same way as the idle backend (platform/idle.py).

Plain imports in each branch (not names in strings), so PyInstaller sees every backend module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from companion.platform import first_available


def call_detector_candidates(platform: str = sys.platform) -> list[Callable[[], Any]]:
    if platform == "win32":
        from companion.platform.calls_other import WindowsCallDetector

        return [WindowsCallDetector]
    if platform == "darwin":
        from companion.platform.calls_other import MacCallDetector

        return [MacCallDetector]
    from companion.platform.calls_pulse import PulseCallDetector

    return [PulseCallDetector]


def lock_monitor_candidates(platform: str = sys.platform) -> list[Callable[[], Any]]:
    if platform == "win32":
        from companion.platform.lock_other import WindowsLockMonitor

        return [WindowsLockMonitor]
    if platform == "darwin":
        from companion.platform.lock_other import MacLockMonitor

        return [MacLockMonitor]
    from companion.platform.lock_linux import LinuxLockMonitor

    return [LinuxLockMonitor]


def choose_call_detector() -> Any:
    from companion.platform.calls_other import NoCallDetector

    works = lambda detector: detector.in_call() is not None  # noqa: E731 - a one-line probe
    return first_available("call", call_detector_candidates(), works) or NoCallDetector()


def choose_lock_monitor() -> Any:
    from companion.platform.lock_other import NoLockMonitor

    return first_available("lock", lock_monitor_candidates(), lambda monitor: True) or NoLockMonitor()
