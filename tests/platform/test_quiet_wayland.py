"""A full-screen window on headless sway (wlroots): another application's Wayland window, made full screen with
`swaymsg fullscreen`, is seen through zwlr_foreign_toplevel_manager_v1, holds a due break and lets it out when it
leaves full screen. And on KWin, which does not offer that protocol, the signal is left out, not guessed."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from companion.platform import BackendUnavailable
from companion.platform.quiet import choose_quiet_signals
from companion.platform.quiet_wayland import WlrFullScreenSignal
from tests import desktop
from tests.desktop.compositors import Sway, running_kwin, running_sway
from tests.platform.contracts import assert_quiet_signal
from tests.platform.quiet_desk import due_break_waits_for
from tests.platform.test_x11_quiet_and_hotkeys import OTHER_APP

pytestmark = pytest.mark.desktop
TITLE = "Slides and tickets"


@pytest.fixture(scope="module")
def sway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sway]:
    with running_sway(tmp_path_factory.mktemp("sway")) as session:
        yield session


@contextmanager
def window_on(sway: Sway) -> Iterator[None]:
    """Another application's window on sway, focused (sway focuses a new window); it quits at the end."""
    runtime = Path(tempfile.mkdtemp(prefix="companion-rt-"))  # Qt wants its own 0700 runtime folder
    env = {**os.environ, "WAYLAND_DISPLAY": sway.socket, "XDG_RUNTIME_DIR": str(runtime), "QT_QPA_PLATFORM": "wayland"}
    env.pop("DISPLAY", None)
    process = subprocess.Popen([sys.executable, "-c", OTHER_APP], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        desktop.wait_until(lambda: f'"{TITLE}"' in sway.swaymsg("-t", "get_tree"), timeout=20,
                           what="the other application's window on sway")  # fmt: skip
        yield
    finally:
        desktop.stop_process(process)
        shutil.rmtree(runtime, ignore_errors=True)


@pytest.fixture
def other_app(sway: Sway) -> Iterator[None]:
    with window_on(sway):
        yield


def fullscreen(sway: Sway, change: str) -> None:
    sway.swaymsg(f'[title="^{TITLE}$"]', "fullscreen", change)


def test_a_full_screen_window_on_sway_holds_a_due_break(sway: Sway, other_app: None, make_desk, qtbot) -> None:
    signal = WlrFullScreenSignal(sway.socket)
    assert signal.is_quiet() is False  # the window is in front, not full screen
    fullscreen(sway, "enable")
    qtbot.waitUntil(lambda: signal.is_quiet() is True, timeout=10_000)
    desk = due_break_waits_for(
        make_desk, qtbot, signal, lambda: fullscreen(sway, "disable"), "a full-screen window is in front"
    )
    desk.close()  # the app's shutdown closes its backends: the signal's Wayland connection goes with them
    assert signal.is_quiet() is None


def test_the_window_closing_while_full_screen_ends_the_quiet(sway: Sway, qtbot) -> None:
    signal = WlrFullScreenSignal(sway.socket)
    gc.collect()  # the app runs for hours: whatever the signal does not hold on to is gone by the next window
    try:
        with window_on(sway):  # opened after the signal started: the compositor announces a new toplevel
            fullscreen(sway, "enable")
            qtbot.waitUntil(lambda: signal.is_quiet() is True, timeout=10_000)
        # The application quit while full screen: its toplevel is closed, nothing full screen is left.
        qtbot.waitUntil(lambda: signal.is_quiet() is False, timeout=10_000)
    finally:
        signal.close()


def test_the_app_chooses_it_on_sway_and_it_keeps_the_contract(sway: Sway, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAYLAND_DISPLAY", sway.socket)
    monkeypatch.delenv("DISPLAY", raising=False)
    signals = choose_quiet_signals("linux")
    try:
        assert [type(signal) for signal in signals if isinstance(signal, WlrFullScreenSignal)] == [WlrFullScreenSignal]
        for signal in signals:
            assert_quiet_signal(signal)
    finally:
        for signal in signals:
            getattr(signal, "close", lambda: None)()


def test_kwin_offers_no_window_states_so_the_signal_is_left_out(tmp_path: Path) -> None:
    with running_kwin(tmp_path / "kwin") as kwin, pytest.raises(BackendUnavailable, match="offers no"):
        WlrFullScreenSignal(kwin.socket)
    with pytest.raises(BackendUnavailable):
        WlrFullScreenSignal(str(tmp_path / "no-such-wayland-socket"))


def test_closing_after_the_idle_sources_connection_took_a_window_handle_along(sway: Sway, qtbot) -> None:
    """The app closes its idle source before its quiet signals (Backends.close). pywayland may give a toplevel handle
    the idle source's display, whose disconnect then destroys it: the signal's close must not destroy it again (a
    traceback at quit, seen on sway with a window open)."""
    from companion.platform.idle_wayland import WaylandIdleSource

    idle = WaylandIdleSource(sway.socket)
    signal = WlrFullScreenSignal(sway.socket)
    try:
        with window_on(sway):  # a toplevel announced while both connections live
            qtbot.waitUntil(lambda: signal.is_quiet() is False, timeout=10_000)
            handles = list(signal._handles.values())
            assert handles
            idle.close()
            for handle in handles:  # whichever display pywayland gave them, as the idle one's disconnect would
                if not handle.destroyed:
                    handle.destroy()
            signal.close()
            assert signal.is_quiet() is None
    finally:
        idle.close()
        signal.close()
