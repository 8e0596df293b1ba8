"""Every quiet signal keeps the QuietSignal contract: GNOME's show-banners in a real dconf, dunst's pause, XFCE's
xfconfd, stand-ins for KDE's notification server and gnome-session on a real private bus, the X11 full-screen
window under openbox, and Windows and macOS through their OS reads replaced. And choose_backends gives each run a
tuple of them, all closed with the backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QApplication

from companion.platform import BackendUnavailable
from companion.platform.backends import choose_backends
from companion.platform.quiet_dbus import (
    DunstPausedSignal,
    GnomeIdleInhibitedSignal,
    MakoDoNotDisturbSignal,
    NotificationsInhibitedSignal,
    SwayncDoNotDisturbSignal,
    XfceDoNotDisturbSignal,
)
from companion.platform.quiet_gnome import GnomeBannersSignal
from companion.platform.quiet_other import QUNS_QUIET_TIME, MacFocusSignal, windows_signals
from companion.platform.quiet_x11 import X11FullScreenSignal
from tests import desktop
from tests.desktop.compositors import running_sway
from tests.platform.contracts import assert_quiet_signal
from tests.platform.quiet_desk import run
from tests.platform.test_quiet_signals import set_property, stand_in


@pytest.mark.desktop
def test_gnome_show_banners(bus_env: dict[str, str]) -> None:
    desktop.need("gsettings", "libglib2.0-bin")
    desktop.need("dconf", "dconf-cli")
    run(bus_env, "gsettings", "set", "org.gnome.desktop.notifications", "show-banners", "false")
    assert_quiet_signal(GnomeBannersSignal(env=bus_env))


@pytest.mark.desktop
def test_notification_servers_inhibited(bus_env: dict[str, str], bus: QDBusConnection) -> None:
    service = stand_in(bus_env, "--notifications", "org.freedesktop.Notifications")
    try:
        where = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications", "org.freedesktop.Notifications")
        set_property(bus_env, *where, "Inhibited", "boolean:true")
        assert_quiet_signal(NotificationsInhibitedSignal(bus))
    finally:
        service.stop()


@pytest.mark.desktop
def test_dunst_paused(bus_env: dict[str, str], bus: QDBusConnection, tmp_path: Path) -> None:
    desktop.need("dunstctl", "dunst")
    service = desktop.start_notification_daemon(bus_env, tmp_path / "dunst.log")
    try:
        assert_quiet_signal(DunstPausedSignal(bus))
    finally:
        service.stop()


@pytest.mark.desktop
def test_mako_do_not_disturb_mode(bus_env: dict[str, str], bus: QDBusConnection, tmp_path: Path) -> None:
    desktop.need("makoctl", "mako-notifier")
    with running_sway(tmp_path / "sway-logs") as sway:  # mako runs only on a Wayland compositor
        mako_env = {**bus_env, "WAYLAND_DISPLAY": sway.socket}
        service = desktop.start_mako(mako_env, tmp_path)
        try:
            signal = MakoDoNotDisturbSignal(bus)
            assert signal.is_quiet() is False  # mako starts in its "default" mode
            run(mako_env, "makoctl", "mode", "-a", "do-not-disturb")
            assert signal.is_quiet() is True
            with pytest.raises(BackendUnavailable):
                DunstPausedSignal(bus)  # mako is not dunst
            assert_quiet_signal(signal)
        finally:
            service.stop()
    with pytest.raises(BackendUnavailable):
        MakoDoNotDisturbSignal(bus)  # no notification server at all


@pytest.mark.desktop
def test_swaync_do_not_disturb(bus_env: dict[str, str], bus: QDBusConnection, tmp_path: Path) -> None:
    desktop.need("swaync-client", "sway-notification-center")
    with running_sway(tmp_path / "sway-logs") as sway:  # swaync runs only on a Wayland compositor
        swaync_env = {**bus_env, "WAYLAND_DISPLAY": sway.socket}
        service = desktop.start_swaync(swaync_env, tmp_path)
        try:
            signal = SwayncDoNotDisturbSignal(bus)
            assert signal.is_quiet() is False
            run(swaync_env, "swaync-client", "--dnd-on", "--skip-wait")
            assert signal.is_quiet() is True
            for other in (DunstPausedSignal, MakoDoNotDisturbSignal):
                with pytest.raises(BackendUnavailable):
                    other(bus)
            assert_quiet_signal(signal)
        finally:
            service.stop()
    with pytest.raises(BackendUnavailable):
        SwayncDoNotDisturbSignal(bus)


@pytest.mark.desktop
def test_xfce_do_not_disturb(bus_env: dict[str, str], bus: QDBusConnection) -> None:
    desktop.need("xfconf-query", "xfconf")
    assert_quiet_signal(XfceDoNotDisturbSignal(bus, desktop="XFCE"))


@pytest.mark.desktop
def test_gnome_session_idle_inhibitor(bus_env: dict[str, str], bus: QDBusConnection) -> None:
    service = stand_in(bus_env, "--gnome-session", "org.gnome.SessionManager")
    try:
        assert_quiet_signal(GnomeIdleInhibitedSignal(bus))
    finally:
        service.stop()


@pytest.mark.desktop
def test_x11_full_screen(wm_display: dict[str, str]) -> None:
    assert_quiet_signal(X11FullScreenSignal(wm_display["DISPLAY"]))


def test_windows() -> None:
    for signal in windows_signals(lambda: QUNS_QUIET_TIME):
        assert_quiet_signal(signal)


def test_macos(tmp_path: Path) -> None:
    assertions = tmp_path / "Assertions.json"
    assert_quiet_signal(MacFocusSignal(assertions, legacy=lambda: None))  # no Full Disk Access: cannot tell
    assertions.write_text(json.dumps({"data": [{"storeAssertionRecords": [{"assertionDetails": {}}]}]}))
    assert_quiet_signal(MacFocusSignal(assertions, legacy=lambda: None))


def test_choose_backends_gives_the_signals_as_a_tuple_each_keeping_the_contract(qapp: QApplication, clock) -> None:
    backends = choose_backends(qapp, clock, lambda title, text: None)
    try:
        assert isinstance(backends.quiet, tuple)
        for signal in backends.quiet:
            assert_quiet_signal(signal)
    finally:
        backends.close()
