"""On GNOME, where no application may grab a key, Settings adds the custom shortcut to GNOME itself: written to a
real dconf through gsettings, read back as GNOME's Keyboard settings read it, and the tray then shows the key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from companion.core.hotkeys import HotkeyAction
from companion.features.hotkeys import HotkeysFeature
from companion.features.rough_calls import RoughCallsFeature
from companion.features.settings import SettingsFeature
from companion.platform.hotkey_gnome import MEDIA_KEYS, GnomeCustomShortcuts, binding_path
from companion.ui.hotkey_help import HotkeyHelp
from tests import desktop
from tests.platform.quiet_desk import private_bus, run

pytestmark = pytest.mark.desktop


@pytest.fixture
def gnome_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    desktop.need("gsettings", "libglib2.0-bin")
    desktop.need("dconf", "dconf-cli")
    service, env = private_bus(tmp_path / "session", {"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"})
    if "custom-keybindings" not in run(env, "gsettings", "list-keys", MEDIA_KEYS):
        pytest.fail("GNOME's media-keys schema is missing: apt-get install gnome-settings-daemon-common")
    yield env
    service.stop()


def test_settings_adds_the_shortcut_to_gnome_and_the_tray_then_shows_it(gnome_env, make_desk, qtbot) -> None:
    run(
        gnome_env,
        "gsettings",
        "set",
        MEDIA_KEYS,
        "custom-keybindings",
        "['/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/custom0/']",
    )  # the rep's own, kept
    desk = make_desk()  # no hotkey backend: GNOME on Wayland lets no app grab a key
    rough = desk.app.add_feature(RoughCallsFeature())
    gnome = GnomeCustomShortcuts(gnome_env)
    hotkeys = desk.app.add_feature(HotkeysFeature(gnome))
    assert isinstance(rough, RoughCallsFeature) and isinstance(hotkeys, HotkeysFeature)
    shortcuts = desk.app.ports.global_shortcuts
    assert shortcuts.bound() == {}
    desk.app.tray.rebuild_menu()
    assert rough.tray_tag_action.shortcut().isEmpty()

    settings = desk.app.add_feature(SettingsFeature())  # Settings > Hotkeys shows the hotkeys feature's lines
    assert isinstance(settings, SettingsFeature)
    window = settings.show_window("hotkeys")
    qtbot.waitExposed(window)
    (help_widget,) = window.findChildren(HotkeyHelp)
    line = help_widget.lines[HotkeyAction.TAG].text()
    assert "Ctrl+Alt+R is not bound" in line and line.endswith(" tag")  # the exact command to bind

    button = help_widget.gnome_buttons[HotkeyAction.TAG]
    assert isinstance(button, QPushButton) and not button.isHidden()
    button.click()

    path = binding_path(HotkeyAction.TAG)
    listed = run(gnome_env, "dconf", "read", "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings")
    assert "custom0" in listed and path in listed
    assert run(gnome_env, "dconf", "read", f"{path}binding") == "'<Primary><Alt>r'"
    assert run(gnome_env, "dconf", "read", f"{path}command").endswith(" tag'")
    assert shortcuts.bound() == {"tag": "Ctrl+Alt+R"}  # GNOME now runs it everywhere
    desk.app.tray.rebuild_menu()
    assert rough.tray_tag_action.shortcut().toString() == "Ctrl+Alt+R"
    assert "works everywhere" in help_widget.lines[HotkeyAction.TAG].text()
    assert button.isHidden()

    gnome.remove(HotkeyAction.TAG)
    assert path not in run(gnome_env, "gsettings", "get", MEDIA_KEYS, "custom-keybindings")
