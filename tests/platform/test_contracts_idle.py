"""Every idle source keeps the IdleSource contract: X11 under Xvfb, Mutter's watches on real headless mutter, the
Wayland notifications on real sway (org_kde_kwin_idle) and KWin (ext-idle-notify-v1), the screen saver's session
idle time where KWin's locker serves it, our own windows on a fake clock, and Windows and macOS through their OS
calls replaced."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QApplication

from companion.core.clock import FakeClock
from companion.platform import BackendUnavailable
from companion.platform.idle_macos import MacIdleSource
from companion.platform.idle_mutter import MutterIdleSource
from companion.platform.idle_own_windows import OwnWindowsIdleSource
from companion.platform.idle_screensaver import SERVICE as SCREEN_SAVER
from companion.platform.idle_screensaver import ScreenSaverIdleSource
from companion.platform.idle_wayland import WaylandIdleSource
from companion.platform.idle_windows import WindowsIdleSource
from companion.platform.idle_x11 import X11IdleSource
from tests import desktop
from tests.desktop.compositors import KWin, Mutter, Sway, running_kwin
from tests.platform.contracts import assert_idle_source
from tests.platform.test_activity_idle import FakeWin32
from tests.platform.test_idle_compositors import mutter, sway  # noqa: F401 - module fixtures: real compositors


@pytest.fixture(scope="module")
def kwin_with_locker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KWin]:
    with running_kwin(tmp_path_factory.mktemp("kwin"), lockscreen=True) as session:
        yield session


def test_x11(xvfb: desktop.Service) -> None:
    assert_idle_source(X11IdleSource(xvfb.env["DISPLAY"]))


def test_mutter(qapp: QApplication, mutter: Mutter) -> None:  # noqa: F811
    assert_idle_source(MutterIdleSource(mutter.bus_address))


def test_wayland_on_sway(qapp: QApplication, sway: Sway) -> None:  # noqa: F811
    source = WaylandIdleSource(sway.socket)
    assert source.protocol == "org_kde_kwin_idle"
    assert_idle_source(source)


def test_wayland_on_kwin(qapp: QApplication, kwin_with_locker: KWin) -> None:
    source = WaylandIdleSource(kwin_with_locker.socket)
    assert source.protocol.startswith("ext-idle-notify-v1")
    assert_idle_source(source)


def test_screen_saver_is_passed_over_where_the_desktop_does_not_support_it(
    qapp: QApplication, kwin_with_locker: KWin
) -> None:
    """KWin's locker serves org.freedesktop.ScreenSaver but answers NotSupported to GetSessionIdleTime under
    Wayland: the backend refuses at start (and the chooser moves on) rather than answering nonsense each tick."""
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": kwin_with_locker.bus_address}
    desktop.wait_until(lambda: desktop.bus_name_has_owner(env, SCREEN_SAVER), timeout=30, what="KWin's screen saver")
    bus = QDBusConnection.connectToBus(kwin_with_locker.bus_address, "contract-kwin-bus")
    try:
        with pytest.raises(BackendUnavailable, match="does not answer GetSessionIdleTime"):
            ScreenSaverIdleSource(bus)
    finally:
        QDBusConnection.disconnectFromBus("contract-kwin-bus")


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
