"""Windows and macOS cannot run here: their quiet signals and hotkey backends are driven through a replaced OS call
behind the same interface the real one uses (SHQueryUserNotificationState's answer, RegisterHotKey /
RegisterEventHotKey and the press they deliver, the Focus assertions file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from companion.core.hotkeys import parse_hotkey
from companion.core.quiet import QuietReason
from companion.platform import BackendUnavailable
from companion.platform.hotkey_other import (
    CMD_KEY,
    MOD_ALT,
    MOD_CONTROL,
    OPTION_KEY,
    MacHotkeyBackend,
    WindowsHotkeyBackend,
)
from companion.platform.quiet_other import (
    QUNS_ACCEPTS_NOTIFICATIONS,
    QUNS_PRESENTATION_MODE,
    QUNS_QUIET_TIME,
    QUNS_RUNNING_D3D_FULL_SCREEN,
    MacFocusSignal,
    windows_signals,
)


class RecordingApi:
    """The OS's register/unregister, recording what the backend asked for; `refuse` plays a key already taken."""

    def __init__(self, refuse: set[int] | None = None) -> None:
        self.registered: dict[int, tuple[int, int]] = {}
        self.refuse = refuse or set()

    def register(self, hotkey_id: int, modifiers: int, key: int) -> bool:
        if key in self.refuse:
            return False
        self.registered[hotkey_id] = (modifiers, key)
        return True

    def unregister(self, hotkey_id: int) -> None:
        del self.registered[hotkey_id]


def test_windows_notification_state_maps_focus_assist_full_screen_and_presenting() -> None:
    state = [QUNS_ACCEPTS_NOTIFICATIONS]
    signals = {signal.reason: signal for signal in windows_signals(lambda: state[0])}
    assert not any(signal.is_quiet() for signal in signals.values())
    for answer, reason in (
        (QUNS_QUIET_TIME, QuietReason.DO_NOT_DISTURB),
        (QUNS_RUNNING_D3D_FULL_SCREEN, QuietReason.FULL_SCREEN),
        (QUNS_PRESENTATION_MODE, QuietReason.PRESENTING),
    ):
        state[0] = answer
        assert [r for r, signal in signals.items() if signal.is_quiet()] == [reason]
    with pytest.raises(BackendUnavailable):
        windows_signals(lambda: None)  # the call failed: no signal rather than a wrong one


def test_macos_focus_is_read_from_the_assertions_file_or_reported_unreadable(tmp_path: Path) -> None:
    assertions = tmp_path / "Assertions.json"
    unreadable = MacFocusSignal(assertions, legacy=lambda: None)
    assert "Full Disk Access" in unreadable.name and unreadable.is_quiet() is None
    assertions.write_text(json.dumps({"data": [{"storeAssertionRecords": [{"assertionDetails": {}}]}]}))
    focus = MacFocusSignal(assertions, legacy=lambda: None)
    assert focus.name == "macOS Focus" and focus.is_quiet() is True
    assertions.write_text(json.dumps({"data": [{}]}))
    assert focus.is_quiet() is False


def test_windows_register_hotkey_gets_the_virtual_key_and_a_press_runs_the_action(qapp) -> None:
    api = RecordingApi()
    backend = WindowsHotkeyBackend(api)
    pressed: list[str] = []
    tag, function = parse_hotkey("Ctrl+Alt+R"), parse_hotkey("Alt+F9")
    assert tag is not None and function is not None
    assert backend.bind(tag, lambda: pressed.append("tag"))
    assert backend.bind(function, lambda: pressed.append("f9"))
    assert sorted(api.registered.values()) == [(MOD_ALT, 0x78), (MOD_CONTROL | MOD_ALT, ord("R"))]
    backend.deliver(next(i for i, (_, key) in api.registered.items() if key == ord("R")))  # WM_HOTKEY's wParam
    assert pressed == ["tag"]
    backend.close()
    assert api.registered == {}


def test_windows_reports_a_key_another_program_holds(qapp) -> None:
    backend = WindowsHotkeyBackend(RecordingApi(refuse={ord("R")}))
    hotkey = parse_hotkey("Ctrl+Alt+R")
    assert hotkey is not None and not backend.bind(hotkey, lambda: None)


def test_macos_carbon_gets_command_for_qt_ctrl_and_the_ansi_key_code(qapp) -> None:
    api = RecordingApi()
    backend = MacHotkeyBackend(api)
    pressed: list[str] = []
    hotkey = parse_hotkey("Ctrl+Alt+R")
    assert hotkey is not None and backend.bind(hotkey, lambda: pressed.append("tag"))
    ((hotkey_id, (modifiers, key)),) = api.registered.items()
    assert modifiers == CMD_KEY | OPTION_KEY and key == 0x0F  # kVK_ANSI_R
    backend.deliver(hotkey_id)
    assert pressed == ["tag"]
    backend.close()
    assert api.registered == {}
