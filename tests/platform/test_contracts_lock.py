"""Every lock monitor keeps the LockMonitor contract: GNOME's screen saver and logind on a real bus (the stand-in),
the do-nothing fallback, and Windows and macOS through their OS calls replaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QApplication

from companion.platform.lock_linux import LinuxLockMonitor
from companion.platform.lock_other import MacLockMonitor, NoLockMonitor, WindowsLockMonitor
from tests.platform.contracts import assert_lock_monitor
from tests.platform.test_activity_idle import gnome_stand_in, test_bus  # noqa: F401 - fixtures


def test_linux(qapp: QApplication, gnome_stand_in: Path, test_bus: QDBusConnection) -> None:  # noqa: F811
    assert_lock_monitor(LinuxLockMonitor(test_bus, test_bus))


def test_no_lock_monitor() -> None:
    assert_lock_monitor(NoLockMonitor())


@pytest.mark.parametrize("desktop_open", [True, False])
def test_windows(desktop_open: bool) -> None:
    assert_lock_monitor(WindowsLockMonitor(lambda: desktop_open))


@pytest.mark.parametrize("locked", [True, False, None])
def test_macos(locked: bool | None) -> None:
    assert_lock_monitor(MacLockMonitor(lambda: locked))
