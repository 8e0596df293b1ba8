"""On GNOME, where no application may grab a key, Settings adds the custom shortcut to GNOME itself: written to a
real dconf through gsettings, read back as GNOME's Keyboard settings read it, and the tray then shows the key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from companion.core.hotkeys import HotkeyAction
from companion.core.paths import AppPaths
from companion.features.hotkeys import HotkeysFeature
from companion.features.rough_calls import RoughCallsFeature
from companion.platform.hotkey_gnome import MEDIA_KEYS, GnomeCustomShortcuts, binding_path
from companion.ui.hotkey_help import HotkeyHelp
from tests import desktop
from tests.platform.quiet_desk import private_bus, run
from tests.ui.test_activity_ui import Desk

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


@pytest.fixture
def desk(qapp: QApplication, app_paths: AppPaths, qtbot) -> Iterator[Desk]:
    desk = Desk(qapp, app_paths, qtbot)
    yield desk
    desk.app.server.close()
    desk.close()


def test_settings_adds_the_shortcut_to_gnome_and_the_tray_then_shows_it(gnome_env, desk: Desk, qtbot) -> None:
    run(gnome_env, "gsettings", "set", MEDIA_KEYS, "custom-keybindings",
        "['/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/custom0/']")  # the rep's own, kept
    rough = RoughCallsFeature(desk.ctx)
    gnome = GnomeCustomShortcuts(gnome_env)
    hotkeys = HotkeysFeature(desk.ctx, None, gnome)  # no backend: GNOME on Wayland lets no app grab a key
    hotkeys.install()
    try:
        assert desk.ctx.global_shortcuts == {}
        desk.app.tray.rebuild_menu()
        assert rough.tray_tag_action.shortcut().isEmpty()
        help_widget = HotkeyHelp(hotkeys.states, hotkeys.add_to_gnome if gnome.available() else None)
        qtbot.addWidget(help_widget)
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
        assert desk.ctx.global_shortcuts == {"tag": "Ctrl+Alt+R"}  # GNOME now runs it everywhere
        desk.app.tray.rebuild_menu()
        assert rough.tray_tag_action.shortcut().toString() == "Ctrl+Alt+R"
        assert "works everywhere" in help_widget.lines[HotkeyAction.TAG].text()
        assert button.isHidden()

        gnome.remove(HotkeyAction.TAG)
        assert path not in run(gnome_env, "gsettings", "get", MEDIA_KEYS, "custom-keybindings")
    finally:
        hotkeys.close()
