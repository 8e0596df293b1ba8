"""Fixtures the desktop-signal tests share: a display with a real window manager, and a private session bus with
its own dconf and xfconf folders (tests/platform/quiet_desk.py's private_bus)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection

from tests import desktop
from tests.platform.quiet_desk import private_bus


@pytest.fixture(scope="module")
def wm_display() -> Iterator[dict[str, str]]:
    """A display of our own with openbox managing it (the session's shared Xvfb has no window manager)."""
    openbox = desktop.need("openbox", "openbox")
    desktop.need("wmctrl", "wmctrl")
    desktop.need("xdotool", "xdotool")
    xvfb = desktop.start_xvfb()
    env = {**desktop.os.environ, **xvfb.env}
    env.pop("QT_QPA_PLATFORM", None)
    wm = subprocess.Popen([openbox], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          start_new_session=True)  # fmt: skip
    desktop.wait_until(lambda: subprocess.run(["wmctrl", "-m"], env=env, capture_output=True).returncode == 0,
                       what="openbox to manage the display")  # fmt: skip
    yield env
    desktop.stop_process(wm)
    xvfb.stop()


@pytest.fixture
def bus_env(tmp_path: Path, xvfb: desktop.Service) -> Iterator[dict[str, str]]:
    """A private session bus (on the shared display, for dunst); its on-demand services keep their files in tmp."""
    desktop.need("dbus-daemon", "dbus")
    service, env = private_bus(tmp_path / "session", xvfb.env)
    yield env
    service.stop()


@pytest.fixture
def bus(bus_env: dict[str, str]) -> Iterator[QDBusConnection]:
    """Companion's own QtDBus connection to that bus, as the signals take it."""
    name = f"quiet-test-{id(bus_env)}"
    connection = QDBusConnection.connectToBus(bus_env["DBUS_SESSION_BUS_ADDRESS"], name)
    assert connection.isConnected()
    yield connection
    QDBusConnection.disconnectFromBus(name)
