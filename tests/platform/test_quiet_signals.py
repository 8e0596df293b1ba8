"""Do not disturb through each desktop's own switch, on a real session bus: GNOME's show-banners in a real dconf,
dunst's pause through dunstctl, XFCE's xfconfd through xfconf-query, and stand-ins for the two services that
cannot run here (KDE's notification server's Inhibited, gnome-session's idle inhibitor). Each holds a due break
prompt and releases it when turned off."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from companion.platform import BackendUnavailable
from companion.platform.quiet_dbus import (
    DunstPausedSignal,
    GnomeIdleInhibitedSignal,
    NotificationsInhibitedSignal,
    XfceDoNotDisturbSignal,
)
from companion.platform.quiet_gnome import GnomeBannersSignal
from tests import desktop
from tests.platform.quiet_desk import due_break_waits_for, run

pytestmark = pytest.mark.desktop
STAND_IN = Path(__file__).with_name("quiet_stand_in.py")


def stand_in(env: dict[str, str], which: str, service: str) -> desktop.Service:
    process = desktop.subprocess.Popen(
        [sys.executable, str(STAND_IN), which], env={**env, "QT_QPA_PLATFORM": "offscreen"},
        stdout=desktop.subprocess.DEVNULL, stderr=desktop.subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    desktop.wait_until(lambda: desktop.bus_name_has_owner(env, service), what=f"{service} stand-in on the bus")
    return desktop.Service(service, process)


def set_property(env: dict[str, str], service: str, path: str, interface: str, name: str, value: str) -> None:
    run(env, "dbus-send", "--session", "--print-reply", f"--dest={service}", path,
        "org.freedesktop.DBus.Properties.Set", f"string:{interface}", f"string:{name}", f"variant:{value}")  # fmt: skip


def test_gnome_do_not_disturb_in_dconf_holds_a_due_break(bus_env, make_desk, qtbot) -> None:
    desktop.need("gsettings", "libglib2.0-bin")
    desktop.need("dconf", "dconf-cli")
    run(bus_env, "gsettings", "set", "org.gnome.desktop.notifications", "show-banners", "false")  # GNOME's DND on
    assert run(bus_env, "dconf", "read", "/org/gnome/desktop/notifications/show-banners") == "false"  # real dconf
    due_break_waits_for(
        make_desk, qtbot, GnomeBannersSignal(env=bus_env),  # its gsettings monitor closes with the app's backends
        lambda: run(bus_env, "gsettings", "set", "org.gnome.desktop.notifications", "show-banners", "true"),
        "do not disturb is on",
    )  # fmt: skip


def test_the_notification_servers_inhibited_property_holds_a_due_break(bus_env, bus, make_desk, qtbot) -> None:
    service = stand_in(bus_env, "--notifications", "org.freedesktop.Notifications")
    try:
        where = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications", "org.freedesktop.Notifications")
        set_property(bus_env, *where, "Inhibited", "boolean:true")
        signal = NotificationsInhibitedSignal(bus)
        with pytest.raises(BackendUnavailable):
            DunstPausedSignal(bus)  # a server that is not dunst has no paused property
        due_break_waits_for(
            make_desk, qtbot, signal, lambda: set_property(bus_env, *where, "Inhibited", "boolean:false"),
            "do not disturb is on",
        )  # fmt: skip
    finally:
        service.stop()


def test_dunst_paused_with_dunstctl_holds_a_due_break(bus_env, bus, make_desk, qtbot, tmp_path: Path) -> None:
    desktop.need("dunstctl", "dunst")
    service = desktop.start_notification_daemon(bus_env, tmp_path / "dunst.log")
    try:
        run(bus_env, "dunstctl", "set-paused", "true")
        signal = DunstPausedSignal(bus)
        due_break_waits_for(
            make_desk, qtbot, signal, lambda: run(bus_env, "dunstctl", "set-paused", "false"), "do not disturb is on"
        )
    finally:
        service.stop()


def test_xfce_do_not_disturb_in_xfconf_holds_a_due_break(bus_env, bus, make_desk, qtbot) -> None:
    desktop.need("xfconf-query", "xfconf")
    with pytest.raises(BackendUnavailable):
        XfceDoNotDisturbSignal(bus, desktop="GNOME")  # never starts xfconfd on another desktop
    query = ("xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb")
    assert XfceDoNotDisturbSignal(bus, desktop="XFCE").is_quiet() is False  # never set yet: off
    run(bus_env, *query, "--create", "--type", "bool", "--set", "true")
    signal = XfceDoNotDisturbSignal(bus, desktop="XFCE")
    due_break_waits_for(
        make_desk, qtbot, signal, lambda: run(bus_env, *query, "--set", "false"), "do not disturb is on"
    )


def test_a_gnome_idle_inhibitor_holds_a_due_break_as_presenting(bus_env, bus, make_desk, qtbot) -> None:
    service = stand_in(bus_env, "--gnome-session", "org.gnome.SessionManager")
    try:
        where = ("org.gnome.SessionManager", "/org/gnome/SessionManager", "org.gnome.SessionManager")
        set_property(bus_env, *where, "InhibitedActions", "uint32:4")  # suspend inhibited only: not presenting
        signal = GnomeIdleInhibitedSignal(bus)
        assert signal.is_quiet() is False
        set_property(bus_env, *where, "InhibitedActions", "uint32:12")  # and idle: a presentation or a share
        due_break_waits_for(
            make_desk, qtbot, signal, lambda: set_property(bus_env, *where, "InhibitedActions", "uint32:4"),
            "the screen is being shared or presented",
        )  # fmt: skip
    finally:
        service.stop()


def test_a_signal_turned_off_in_settings_stops_holding(bus_env, bus, make_desk) -> None:
    from companion.features.quiet import QuietFeature

    service = stand_in(bus_env, "--notifications", "org.freedesktop.Notifications")
    try:
        where = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications", "org.freedesktop.Notifications")
        set_property(bus_env, *where, "Inhibited", "boolean:true")
        desk = make_desk(quiet=[NotificationsInhibitedSignal(bus)])
        desk.app.add_feature(QuietFeature())
        desk.work(60 * 60)
        assert desk.feature.prompt is None
        settings = desk.app.settings
        settings.update(settings.current.with_value("quiet", "do_not_disturb", False))
        assert desk.feature.prompt is not None  # at once, no release delay: the rep asked for it
    finally:
        service.stop()
