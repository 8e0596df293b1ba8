"""Hotkey texts: what Settings accepts and how each desktop writes the same keys."""

from __future__ import annotations

import pytest

from companion.core.hotkeys import HotkeyAction, Modifier, bind_command, parse_hotkey, wanted_hotkeys
from companion.core.settings import HotkeySettings, Settings


def test_a_key_combination_parses_and_is_written_for_each_desktop() -> None:
    hotkey = parse_hotkey("Alt+Ctrl+r")
    assert hotkey is not None
    assert hotkey.modifiers == {Modifier.CTRL, Modifier.ALT} and hotkey.key == "R"
    assert hotkey.text == "Ctrl+Alt+R"
    assert hotkey.gnome_accelerator == "<Primary><Alt>r"
    assert hotkey.portal_trigger == "CTRL+ALT+r"
    function_key = parse_hotkey("Meta+Shift+F9")
    assert function_key is not None and function_key.gnome_accelerator == "<Shift><Super>F9"


def test_empty_means_off_and_nonsense_is_refused() -> None:
    assert parse_hotkey("") is None
    with pytest.raises(ValueError):
        parse_hotkey("Ctrl+Alt+Delete")
    with pytest.raises(ValueError, match="like Ctrl\\+Alt\\+R"):
        Settings().with_value("hotkeys", "tag_rough_call", "Hyper+Q")


def test_wanted_hotkeys_skip_the_ones_turned_off_and_the_command_is_exact() -> None:
    wanted = wanted_hotkeys(HotkeySettings(tag_rough_call="Ctrl+Alt+R", on_a_call=""))
    assert list(wanted) == [HotkeyAction.TAG]
    assert bind_command(HotkeyAction.TAG, ["/opt/my apps/companion"]) == "'/opt/my apps/companion' tag"
    assert bind_command(HotkeyAction.CALL, ["companion"]) == "companion call"
