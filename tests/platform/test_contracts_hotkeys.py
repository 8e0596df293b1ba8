"""Every global hotkey backend keeps the HotkeyBackend contract: the X11 key grab on a real X server, the desktop
portal's GlobalShortcuts against a stand-in portal on a real private bus (it answers later), Windows and macOS
through their OS calls replaced, and the do-nothing backend choose_backends falls back to."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QApplication

from companion.platform.backends import choose_backends
from companion.platform.hotkey import NoHotkeyBackend
from companion.platform.hotkey_other import MacHotkeyBackend, WindowsHotkeyBackend
from companion.platform.hotkey_portal import PortalHotkeyBackend
from companion.platform.hotkey_x11 import X11HotkeyBackend
from tests import desktop
from tests.platform.contracts import assert_hotkey_backend
from tests.platform.quiet_desk import private_bus
from tests.platform.test_hotkey_portal import start_portal
from tests.platform.test_quiet_and_hotkeys_other_os import RecordingApi


def waiter(qtbot) -> Callable[[Callable[[], object]], None]:
    return lambda condition: qtbot.waitUntil(lambda: bool(condition()), timeout=10_000)


@pytest.mark.desktop
def test_x11_key_grab(qtbot, xvfb: desktop.Service) -> None:
    assert_hotkey_backend(X11HotkeyBackend(xvfb.env["DISPLAY"]), waiter(qtbot))


@pytest.mark.desktop
@pytest.mark.parametrize("portal_options", [(), ("--refuse",)], ids=["grants", "refuses"])
def test_desktop_portal(qtbot, tmp_path, portal_options: tuple[str, ...]) -> None:
    desktop.need("dbus-daemon", "dbus")
    bus, env = private_bus(tmp_path / "session")
    try:
        portal = start_portal(env, *portal_options)
        try:
            assert_hotkey_backend(PortalHotkeyBackend(env["DBUS_SESSION_BUS_ADDRESS"]), waiter(qtbot))
        finally:
            portal.stop()
    finally:
        bus.stop()


@pytest.mark.parametrize("refuse", [set(), {0x7A}], ids=["free", "held elsewhere"])  # VK_F11
def test_windows(qapp: QApplication, qtbot, refuse: set[int]) -> None:
    assert_hotkey_backend(WindowsHotkeyBackend(RecordingApi(refuse)), waiter(qtbot))


def test_macos(qapp: QApplication, qtbot) -> None:
    assert_hotkey_backend(MacHotkeyBackend(RecordingApi()), waiter(qtbot))


def test_no_hotkey_backend(qtbot) -> None:
    assert_hotkey_backend(NoHotkeyBackend(), waiter(qtbot))


def test_choose_backends_always_gives_one(qapp: QApplication, qtbot, clock) -> None:
    backends = choose_backends(qapp, clock, lambda title, text: None)
    try:
        assert_hotkey_backend(backends.hotkeys, waiter(qtbot))  # offscreen, no display: the do-nothing one
    finally:
        backends.close()
