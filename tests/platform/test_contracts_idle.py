"""Every idle source keeps the IdleSource contract: X11 under Xvfb, Mutter against the GNOME stand-in on a real
bus, our own windows on a fake clock, and Windows and macOS through their OS calls replaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QApplication

from companion.core.clock import FakeClock
from companion.platform.idle_macos import MacIdleSource
from companion.platform.idle_mutter import MutterIdleSource
from companion.platform.idle_own_windows import OwnWindowsIdleSource
from companion.platform.idle_windows import WindowsIdleSource
from companion.platform.idle_x11 import X11IdleSource
from tests import desktop
from tests.platform.contracts import assert_idle_source
from tests.platform.test_activity_idle import FakeWin32, gnome_stand_in, test_bus  # noqa: F401 - fixtures


def test_x11(xvfb: desktop.Service) -> None:
    assert_idle_source(X11IdleSource(xvfb.env["DISPLAY"]))


def test_mutter(qapp: QApplication, gnome_stand_in: Path, test_bus: QDBusConnection) -> None:  # noqa: F811
    assert_idle_source(MutterIdleSource(test_bus))


def test_own_windows(qapp: QApplication) -> None:
    source = OwnWindowsIdleSource(qapp, FakeClock())
    try:
        assert_idle_source(source)
    finally:
        qapp.removeEventFilter(source)


@pytest.mark.parametrize("works", [True, False])
def test_windows(works: bool) -> None:
    win32 = FakeWin32(10_000_000, idle_ms=90_000)
    source = WindowsIdleSource(win32.get_last_input_info if works else (lambda info: False), win32.get_tick_count64)
    assert_idle_source(source)


def test_macos() -> None:
    assert_idle_source(MacIdleSource(lambda state, event: 12.5))
