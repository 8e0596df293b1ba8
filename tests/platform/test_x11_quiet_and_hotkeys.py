"""X11 under a real window manager (openbox on its own Xvfb): a full-screen window in front holds a due break and
lets it out when it leaves full screen; the global hotkey, pressed with xdotool while another application has the
focus, opens the tag panel (the hotkey and rough-call features in-process on that display)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from companion.features.hotkeys import HotkeysFeature
from companion.features.rough_calls import RoughCallsFeature
from companion.platform.hotkey_gnome import GnomeCustomShortcuts
from companion.platform.hotkey_x11 import X11HotkeyBackend
from companion.platform.quiet_x11 import X11FullScreenSignal
from tests import desktop
from tests.platform.quiet_desk import due_break_waits_for
from tests.ui.test_activity_ui import Desk

pytestmark = pytest.mark.desktop

OTHER_APP = """
import sys
from PySide6.QtWidgets import QApplication, QPlainTextEdit
app = QApplication(sys.argv)
editor = QPlainTextEdit("the rep's ticket system")
editor.setWindowTitle("Slides and tickets")
editor.resize(600, 400)
editor.show()
app.exec()
"""


@pytest.fixture
def other_app(wm_display: dict[str, str]) -> Iterator[str]:
    """Another application's window, in front and focused; yields its X window id."""
    process = subprocess.Popen(
        [sys.executable, "-c", OTHER_APP], env={**wm_display, "QT_QPA_PLATFORM": "xcb"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    found = desktop.wait_until(
        lambda: subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Slides and tickets$"],
                               env=wm_display, capture_output=True, text=True).stdout.split(),
        what="the other application's window",
    )  # fmt: skip
    window = str(found[0])  # type: ignore[index]
    subprocess.run(["xdotool", "windowactivate", "--sync", window], env=wm_display, check=True, timeout=10)
    yield window
    desktop.stop_process(process)


def wmctrl_fullscreen(env: dict[str, str], change: str) -> None:
    subprocess.run(["wmctrl", "-r", ":ACTIVE:", "-b", f"{change},fullscreen"], env=env, check=True, timeout=10)


def test_a_full_screen_window_in_front_holds_a_due_break(wm_display, other_app: str, make_desk, qtbot) -> None:
    signal = X11FullScreenSignal(wm_display["DISPLAY"])
    assert signal.is_quiet() is False
    wmctrl_fullscreen(wm_display, "add")
    qtbot.waitUntil(lambda: signal.is_quiet() is True, timeout=10_000)
    desk = due_break_waits_for(
        make_desk, qtbot, signal, lambda: wmctrl_fullscreen(wm_display, "remove"), "a full-screen window is in front"
    )
    desk.close()  # the app's shutdown closes its backends: the signal's display connection goes with them
    assert signal.is_quiet() is False and signal._x.handle is None


def hotkey_desk(make_desk, display: str) -> tuple[Desk, RoughCallsFeature, HotkeysFeature]:
    """The app as choose_backends builds it on X11: the key grab as its hotkey backend; rough calls and hotkeys."""
    desk = make_desk(hotkeys=X11HotkeyBackend(display))
    rough = desk.app.add_feature(RoughCallsFeature())
    hotkeys = desk.app.add_feature(HotkeysFeature(GnomeCustomShortcuts()))
    assert isinstance(rough, RoughCallsFeature) and isinstance(hotkeys, HotkeysFeature)
    return desk, rough, hotkeys


def test_the_global_hotkey_opens_the_tag_panel_while_another_app_has_the_focus(
    wm_display, other_app: str, make_desk, qtbot
) -> None:
    desk, rough, _ = hotkey_desk(make_desk, wm_display["DISPLAY"])
    assert desk.app.ports.global_shortcuts.bound() == {"tag": "Ctrl+Alt+R", "call": "Ctrl+Alt+K"}
    assert desk.app.live_status()["global_hotkeys"] == {"tag": "Ctrl+Alt+R", "call": "Ctrl+Alt+K"}
    desk.app.tray.rebuild_menu()
    assert rough.tray_tag_action.shortcut().toString() == "Ctrl+Alt+R"  # shown because it really works
    active = subprocess.run(["xdotool", "getactivewindow"], env=wm_display, capture_output=True, text=True)
    assert active.stdout.strip() == other_app

    desktop.press(wm_display, "ctrl+alt+r")
    qtbot.waitUntil(lambda: rough.panel is not None and rough.panel.isVisible(), timeout=10_000)
    assert rough.panel is not None
    rough.panel.close()

    desktop.press(wm_display, "ctrl+alt+k")  # "I'm on a call" flips on, and off again
    qtbot.waitUntil(lambda: desk.feature.manual_call, timeout=10_000)
    desktop.press(wm_display, "ctrl+alt+k")
    qtbot.waitUntil(lambda: not desk.feature.manual_call, timeout=10_000)


def test_stopping_the_hotkeys_feature_releases_its_keys_for_other_programs(wm_display, make_desk) -> None:
    desk, _, hotkeys = hotkey_desk(make_desk, wm_display["DISPLAY"])
    assert desk.app.ports.global_shortcuts.bound()["tag"] == "Ctrl+Alt+R"
    hotkeys.stop()  # the X11 grabs go with the feature, before the app closes the backend
    other_program = X11HotkeyBackend(wm_display["DISPLAY"])
    try:
        from companion.core.hotkeys import parse_hotkey

        hotkey = parse_hotkey("Ctrl+Alt+R")
        assert hotkey is not None and other_program.bind(hotkey, lambda: None)
        assert hotkeys.bound() == {}
    finally:
        other_program.close()


def test_the_hotkey_works_with_numlock_and_capslock_on(wm_display, other_app: str, qtbot) -> None:
    backend = X11HotkeyBackend(wm_display["DISPLAY"])
    pressed: list[str] = []
    try:
        from companion.core.hotkeys import parse_hotkey

        hotkey = parse_hotkey("Ctrl+Shift+F9")
        assert hotkey is not None and backend.bind(hotkey, lambda: pressed.append("F9"))
        for lock in ("Num_Lock", "Caps_Lock"):
            desktop.press(wm_display, lock)
            before = len(pressed)
            try:
                desktop.press(wm_display, "ctrl+shift+F9")
                qtbot.waitUntil(lambda before=before: len(pressed) == before + 1, timeout=10_000)
            finally:
                desktop.press(wm_display, lock)
    finally:
        backend.close()


def test_a_key_another_program_holds_is_reported_not_bound(wm_display, make_desk) -> None:
    holder = X11HotkeyBackend(wm_display["DISPLAY"])
    try:
        from companion.core.hotkeys import parse_hotkey

        hotkey = parse_hotkey("Ctrl+Alt+R")
        assert hotkey is not None and holder.bind(hotkey, lambda: None)  # "another program" grabs it first
        desk, rough, hotkeys = hotkey_desk(make_desk, wm_display["DISPLAY"])
        shortcuts = desk.app.ports.global_shortcuts.bound()
        assert "tag" not in shortcuts and "call" in shortcuts
        desk.app.tray.rebuild_menu()
        assert rough.tray_tag_action.shortcut().isEmpty()  # the tray does not promise a key that does nothing
        tag_state = next(state for state in hotkeys.states() if state.action.value == "tag")
        assert not tag_state.bound and "another program" in tag_state.problem
        assert tag_state.command.endswith(" tag")
    finally:
        holder.close()
