"""The Wayland global hotkey through the XDG desktop portal's GlobalShortcuts, against a stand-in portal on a real
session bus (tests/platform/portal_stand_in.py: no portal runs headless here). The session, the binding with the
rep's confirmation answered later, the Activated signal running the action, and a refusal reported."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.features.hotkeys import HotkeysFeature
from companion.features.rough_calls import RoughCallsFeature
from companion.platform import BackendUnavailable
from companion.platform.hotkey_gnome import GnomeCustomShortcuts
from companion.platform.hotkey_portal import PortalHotkeyBackend
from tests import desktop
from tests.platform.quiet_desk import private_bus, run
from tests.ui.test_activity_ui import Desk

pytestmark = pytest.mark.desktop
STAND_IN = Path(__file__).with_name("portal_stand_in.py")
PORTAL = "org.freedesktop.portal.Desktop"


@pytest.fixture
def bus_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    desktop.need("dbus-daemon", "dbus")
    service, env = private_bus(tmp_path / "session")
    yield env
    service.stop()


def start_portal(env: dict[str, str], *options: str) -> desktop.Service:
    process = desktop.subprocess.Popen(
        [sys.executable, str(STAND_IN), *options], env=env, stdout=desktop.subprocess.DEVNULL,
        stderr=desktop.subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    desktop.wait_until(lambda: desktop.bus_name_has_owner(env, PORTAL), what="the portal stand-in on the bus")
    return desktop.Service("portal", process)


def press(env: dict[str, str], shortcut_id: str) -> None:
    run(env, "dbus-send", "--session", "--print-reply", f"--dest={PORTAL}", "/org/freedesktop/portal/desktop",
        "org.companion.test.PortalStandIn.Press", f"string:{shortcut_id}")  # fmt: skip


def test_no_portal_means_no_portal_backend(bus_env) -> None:
    with pytest.raises(BackendUnavailable):
        PortalHotkeyBackend(bus_env["DBUS_SESSION_BUS_ADDRESS"])


def portal_desk(make_desk, bus_env: dict[str, str]) -> tuple[Desk, RoughCallsFeature, HotkeysFeature]:
    """The app as choose_backends builds it on Wayland with a GlobalShortcuts portal; rough calls and hotkeys."""
    desk = make_desk(hotkeys=PortalHotkeyBackend(bus_env["DBUS_SESSION_BUS_ADDRESS"]))
    rough = desk.app.add_feature(RoughCallsFeature())
    hotkeys = desk.app.add_feature(HotkeysFeature(GnomeCustomShortcuts()))
    assert isinstance(rough, RoughCallsFeature) and isinstance(hotkeys, HotkeysFeature)
    return desk, rough, hotkeys


def test_the_portal_binds_the_keys_and_its_activation_opens_the_tag_panel(bus_env, make_desk, qtbot) -> None:
    portal = start_portal(bus_env)
    try:
        desk, rough, hotkeys = portal_desk(make_desk, bus_env)
        assert desk.app.backends.hotkeys.version == 1  # type: ignore[union-attr]
        shortcuts = desk.app.ports.global_shortcuts
        assert shortcuts.bound() == {}  # asked, not yet granted: the tray promises nothing
        assert "waiting for your desktop" in hotkeys.states()[0].problem
        qtbot.waitUntil(lambda: shortcuts.bound() == {"tag": "Ctrl+Alt+R", "call": "Ctrl+Alt+K"}, timeout=10_000)
        desk.app.tray.rebuild_menu()
        assert rough.tray_tag_action.shortcut().toString() == "Ctrl+Alt+R"

        press(bus_env, "ctrl-alt-r")  # the compositor saw the keys, whichever window has the focus
        qtbot.waitUntil(lambda: rough.panel is not None and rough.panel.isVisible(), timeout=10_000)
        press(bus_env, "ctrl-alt-k")
        qtbot.waitUntil(lambda: desk.feature.manual_call, timeout=10_000)

        settings = desk.app.settings  # a new key in Settings: a new session, asked again
        settings.update(settings.current.with_value("hotkeys", "tag_rough_call", "Ctrl+Shift+F9"))
        qtbot.waitUntil(lambda: shortcuts.bound().get("tag") == "Ctrl+Shift+F9", timeout=10_000)
        if rough.panel is not None:
            rough.panel.close()
        press(bus_env, "ctrl-alt-r")  # the old key's session was closed: nothing happens...
        press(bus_env, "ctrl-shift-f9")  # ...and the new one works
        qtbot.waitUntil(lambda: rough.panel is not None and rough.panel.isVisible(), timeout=10_000)
        desk.close()  # the feature stops (its session closes), then the backend's connection
    finally:
        portal.stop()


def test_a_refused_binding_is_reported_and_not_shown_in_the_tray(bus_env, make_desk, qtbot) -> None:
    portal = start_portal(bus_env, "--refuse")
    try:
        desk, _, hotkeys = portal_desk(make_desk, bus_env)
        qtbot.waitUntil(lambda: "refused" in hotkeys.states()[0].problem, timeout=10_000)
        assert desk.app.ports.global_shortcuts.bound() == {}
        desk.close()
    finally:
        portal.stop()
