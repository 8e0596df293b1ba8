"""Idle backends: the real X11 one under Xvfb, the GNOME lock against a stand-in on a real bus, the Windows
and macOS ones through their OS calls replaced (we cannot start those systems here), and the probe order."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtDBus import QDBusConnection
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from companion.core.clock import FakeClock
from companion.platform import BackendUnavailable, first_available
from companion.platform.idle import choose_idle_source, idle_candidates
from companion.platform.idle_macos import ANY_INPUT_EVENT, COMBINED_SESSION_STATE, MacIdleSource
from companion.platform.idle_mutter import MutterIdleSource
from companion.platform.idle_own_windows import OwnWindowsIdleSource
from companion.platform.idle_windows import LastInputInfo, WindowsIdleSource, idle_milliseconds
from companion.platform.idle_x11 import X11IdleSource
from companion.platform.lock_linux import LinuxLockMonitor
from tests import desktop

STAND_IN = Path(__file__).with_name("gnome_stand_in.py")


def test_x11_idle_grows_while_nothing_happens_and_drops_after_input(xvfb: desktop.Service) -> None:
    xdotool = desktop.need("xdotool", "xdotool")
    env = {**os.environ, **xvfb.env}
    subprocess.run([xdotool, "mousemove", "5", "5"], env=env, check=True)
    source = X11IdleSource(xvfb.env["DISPLAY"])
    try:
        first = source.seconds_since_last_input()
        assert first is not None and first < 5
        desktop.wait_until(lambda: source.seconds_since_last_input() >= first + 1.0, what="idle time to grow")
        grown = source.seconds_since_last_input()
        subprocess.run([xdotool, "mousemove", "300", "200"], env=env, check=True)
        after = source.seconds_since_last_input()
        assert after is not None and after < grown and after < 0.5
    finally:
        source.close()


def test_x11_backend_is_unavailable_without_a_display() -> None:
    with pytest.raises(BackendUnavailable):
        X11IdleSource(None)
    with pytest.raises(BackendUnavailable):
        X11IdleSource(":99999")


def set_control(control: Path, text: str) -> None:
    """Replace the stand-in's control file in one step, so it never reads half of it."""
    partial = control.with_suffix(".new")
    partial.write_text(text)
    partial.replace(control)


@pytest.fixture
def gnome_stand_in(session_bus: desktop.Service, tmp_path: Path) -> Iterator[Path]:
    control = tmp_path / "gnome-control"
    control.write_text("last_input=0\nscreen=unlocked\n")
    env = {**os.environ, **session_bus.env, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, str(STAND_IN), str(control)], env=env, stdout=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    yield control
    desktop.stop_process(process)
    process.stdout.close()


@pytest.fixture
def test_bus(session_bus: desktop.Service) -> Iterator[QDBusConnection]:
    bus = QDBusConnection.connectToBus(session_bus.env["DBUS_SESSION_BUS_ADDRESS"], "activity-test-bus")
    assert bus.isConnected()
    yield bus
    QDBusConnection.disconnectFromBus("activity-test-bus")


def test_gnome_screen_lock_over_dbus(qapp: QApplication, gnome_stand_in: Path, test_bus: QDBusConnection) -> None:
    """Mutter's idle watches are tested against real mutter (test_idle_compositors.py); the lock here."""
    monitor = LinuxLockMonitor(test_bus, test_bus)
    assert monitor.name.startswith("org.gnome.ScreenSaver")
    assert monitor.is_locked() is False
    set_control(gnome_stand_in, "last_input=0\nscreen=locked\n")
    assert monitor.is_locked() is True


def test_mutter_backend_is_unavailable_when_gnome_is_not_there(
    qapp: QApplication, session_bus: desktop.Service, test_bus: QDBusConnection
) -> None:
    with pytest.raises(BackendUnavailable):
        MutterIdleSource(session_bus.env["DBUS_SESSION_BUS_ADDRESS"])
    assert LinuxLockMonitor(test_bus, test_bus).is_locked() is None


class FakeWin32:
    """GetLastInputInfo and GetTickCount64 as Windows answers them: a 64-bit tick count and a 32-bit last input."""

    def __init__(self, now_ms: int, idle_ms: int) -> None:
        self.now_ms = now_ms
        self.last_input_ms = now_ms - idle_ms

    def get_last_input_info(self, info: LastInputInfo) -> bool:
        assert info.cbSize == ctypes.sizeof(LastInputInfo)
        info.dwTime = self.last_input_ms & 0xFFFFFFFF
        return True

    def get_tick_count64(self) -> int:
        return self.now_ms


@pytest.mark.parametrize(
    "now_ms",
    [
        10_000_000,
        2**32 + 5_000,  # just after the 49.7-day wrap of the 32-bit tick count
        2**32 - 1_000,  # just before it
        7 * 2**32 + 123_456,  # up for a year
    ],
)
def test_windows_idle_survives_the_tick_count_wrap(now_ms: int) -> None:
    win32 = FakeWin32(now_ms, idle_ms=90_000)
    source = WindowsIdleSource(win32.get_last_input_info, win32.get_tick_count64)
    assert source.seconds_since_last_input() == pytest.approx(90.0)
    assert idle_milliseconds(0xFFFFFF00, 2**32 + 0x100) == 0x200


def test_windows_backend_reports_unknown_when_the_call_fails() -> None:
    source = WindowsIdleSource(lambda info: False, lambda: 5)
    assert source.seconds_since_last_input() is None


def test_macos_idle_asks_for_any_input_in_the_combined_session() -> None:
    asked = []

    def seconds_since(state: int, event_type: int) -> float:
        asked.append((state, event_type))
        return 12.5

    assert MacIdleSource(seconds_since).seconds_since_last_input() == 12.5
    assert asked == [(COMBINED_SESSION_STATE, ANY_INPUT_EVENT)]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the foreign-OS backends only refuse on Linux")
def test_foreign_backends_refuse_to_start_here() -> None:
    with pytest.raises(BackendUnavailable):
        WindowsIdleSource()
    with pytest.raises(BackendUnavailable):
        MacIdleSource()


def test_probe_order_prefers_x11_on_x_and_never_trusts_xwayland() -> None:
    desktops = ["MutterIdleSource", "ScreenSaverIdleSource"]
    assert [f.__name__ for f in idle_candidates({"DISPLAY": ":1"}, "linux")] == ["X11IdleSource", *desktops]
    wayland = {"DISPLAY": ":1", "WAYLAND_DISPLAY": "wayland-0"}
    assert [f.__name__ for f in idle_candidates(wayland, "linux")] == ["WaylandIdleSource", *desktops]
    assert [f.__name__ for f in idle_candidates({}, "win32")] == ["WindowsIdleSource"]
    assert [f.__name__ for f in idle_candidates({}, "darwin")] == ["MacIdleSource"]


def test_probe_takes_the_first_backend_that_answers(xvfb: desktop.Service, caplog: pytest.LogCaptureFixture) -> None:
    def missing() -> X11IdleSource:
        raise BackendUnavailable("not here")

    def x11() -> X11IdleSource:
        return X11IdleSource(xvfb.env["DISPLAY"])

    caplog.set_level("INFO")
    chosen = first_available("idle", [missing, x11], lambda b: b.seconds_since_last_input() is not None)
    assert isinstance(chosen, X11IdleSource)
    assert "idle backend: X11 screen saver extension" in caplog.text
    chosen.close()


def test_without_any_system_backend_only_our_own_windows_count(qapp: QApplication, qtbot) -> None:
    clock = FakeClock()
    source = choose_idle_source(qapp, clock, candidates=[])
    assert isinstance(source, OwnWindowsIdleSource) and source.system_wide is False
    clock.advance(300)
    assert source.seconds_since_last_input() == 300
    field = QLineEdit()
    qtbot.addWidget(field)
    QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"))
    assert source.seconds_since_last_input() == 0
    qapp.removeEventFilter(source)


def test_a_locked_screen_is_away_and_unlocking_keeps_prompts_quiet_for_a_minute(
    qapp: QApplication, gnome_stand_in: Path, test_bus: QDBusConnection, app_paths, qtbot
) -> None:
    from tests.ui.test_activity_ui import Desk

    desk = Desk(qapp, app_paths, qtbot, lock_monitor=LinuxLockMonitor(test_bus, test_bus))
    try:
        desk.work(20 * 60)
        set_control(gnome_stand_in, "last_input=0\nscreen=locked\n")
        desk.rest(60)
        assert desk.app.live_status()["activity_state"] == "locked"
        assert desk.away == [True]
        set_control(gnome_stand_in, "last_input=0\nscreen=unlocked\n")
        desk.work(10)
        assert desk.away == [True, False]
        assert not desk.app.prompt_gate.may_prompt()  # just back: no prompt for a minute
        desk.work(60)
        assert desk.app.prompt_gate.may_prompt()
        set_control(gnome_stand_in, "last_input=0\nscreen=unlocked\nsleep=going\n")  # logind: about to sleep
        qtbot.waitUntil(lambda: desk.app.live_status()["activity_state"] == "suspended", timeout=5000)
        assert desk.away == [True, False, True]
    finally:
        desk.close()


def test_logind_prepare_for_sleep_reaches_the_listeners(
    qapp: QApplication, gnome_stand_in: Path, test_bus: QDBusConnection, qtbot
) -> None:
    monitor = LinuxLockMonitor(test_bus, test_bus)
    assert "logind" in monitor.name
    heard: list[bool] = []
    monitor.on_sleep(heard.append)
    set_control(gnome_stand_in, "last_input=0\nscreen=unlocked\nsleep=going\n")
    qtbot.waitUntil(lambda: heard == [True], timeout=5000)
    set_control(gnome_stand_in, "last_input=0\nscreen=unlocked\nsleep=back\n")
    qtbot.waitUntil(lambda: heard == [True, False], timeout=5000)
    monitor.close()


def test_logind_locked_hint_is_read_when_no_screen_saver_answers(
    qapp: QApplication, gnome_stand_in: Path, test_bus: QDBusConnection, session_bus: desktop.Service
) -> None:
    # A session bus of its own with no screen saver on it, logind on the stand-in's bus. Not the test process's
    # own session bus: whichever earlier test (in random order) left a service there decided this one's answer.
    empty = desktop.start_dbus(dict(os.environ))
    empty_session_bus = QDBusConnection.connectToBus(empty.env["DBUS_SESSION_BUS_ADDRESS"], "activity-no-saver")
    try:
        assert empty_session_bus.isConnected()
        monitor = LinuxLockMonitor(empty_session_bus, test_bus)
        assert "logind" in monitor.name and "ScreenSaver" not in monitor.name
        set_control(gnome_stand_in, "last_input=0\nscreen=unlocked\nsession=locked\n")
        assert monitor.is_locked() is True
        set_control(gnome_stand_in, "last_input=0\nscreen=unlocked\nsession=open\n")
        assert monitor.is_locked() is False
        monitor.close()
    finally:
        QDBusConnection.disconnectFromBus("activity-no-saver")
        empty.stop()
