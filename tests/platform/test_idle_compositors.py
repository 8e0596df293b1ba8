"""The Wayland-era idle backends on real compositors, started headless: sway (wlroots, org_kde_kwin_idle), KWin
(ext-idle-notify-v1) and mutter (GNOME's IdleMonitor watches). On each: the chooser picks the system-wide backend
for that desktop, idle time grows while nothing happens, and synthetic input (wtype on sway, Mutter's RemoteDesktop
keyboard on mutter, KWin's simulated user activity) brings it under two seconds within one activity tick, delivered
by the event loop, not by asking.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from companion.features.activity import TICK_MS
from companion.platform import BackendUnavailable
from companion.platform.backends import choose_backends
from companion.platform.idle import choose_system_idle_source, idle_candidates
from companion.platform.idle_mutter import MutterIdleSource
from companion.platform.idle_wayland import WaylandIdleSource
from tests.desktop.compositors import (
    KWin,
    KWinActivity,
    Mutter,
    MutterKeyboard,
    Sway,
    running_kwin,
    running_mutter,
    running_sway,
)


@pytest.fixture(scope="module")
def sway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sway]:
    with running_sway(tmp_path_factory.mktemp("sway")) as session:
        yield session


@pytest.fixture(scope="module")
def mutter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mutter]:
    with running_mutter(tmp_path_factory.mktemp("mutter")) as session:
        yield session


@pytest.fixture(scope="module")
def kwin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KWin]:
    with running_kwin(tmp_path_factory.mktemp("kwin")) as session:
        yield session


def idle_of(source: object) -> float:
    seconds = source.seconds_since_last_input()  # type: ignore[attr-defined]
    assert seconds is not None
    return seconds


def test_sway_idle_comes_from_wayland_notifications_and_input_resets_it(qapp: QApplication, qtbot, sway: Sway) -> None:
    source = choose_system_idle_source(idle_candidates({"WAYLAND_DISPLAY": sway.socket}, "linux"))
    assert isinstance(source, WaylandIdleSource), source
    try:
        assert source.system_wide
        assert source.protocol == "org_kde_kwin_idle"  # sway 1.7 (wlroots 0.15) offers no ext-idle-notify-v1 yet
        qtbot.waitUntil(lambda: idle_of(source) >= 1.5, timeout=10_000)
        grown = idle_of(source)
        qtbot.waitUntil(lambda: idle_of(source) >= grown + 1.0, timeout=10_000)
        sway.type_key()
        qtbot.waitUntil(lambda: idle_of(source) < 2.0, timeout=TICK_MS)
        qtbot.waitUntil(lambda: idle_of(source) >= 1.5, timeout=10_000)  # and the next idle stretch is seen too
    finally:
        source.close()
    assert source.seconds_since_last_input() is None


def test_wayland_backend_refuses_a_display_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailable):
        WaylandIdleSource(str(tmp_path / "no-such-wayland-socket"))


def test_mutter_idle_comes_from_its_watches_and_remote_input_resets_it(
    qapp: QApplication, qtbot, mutter: Mutter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", mutter.bus_address)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(mutter.runtime))
    # mutter offers neither Wayland idle protocol, so the chooser passes over the Wayland backend to the watches.
    source = choose_system_idle_source(idle_candidates({"WAYLAND_DISPLAY": mutter.wayland_display}, "linux"))
    assert isinstance(source, MutterIdleSource), source
    keyboard = MutterKeyboard(mutter.bus_address)
    try:
        keyboard.tap_shift()
        qtbot.waitUntil(lambda: idle_of(source) < 0.5, timeout=TICK_MS)
        qtbot.waitUntil(lambda: idle_of(source) >= 1.5, timeout=10_000)
        grown = idle_of(source)
        exact = source.get_idle_ms()
        assert exact is not None and abs(grown - exact / 1000) < 0.5  # the watch's back-dating agrees with Mutter
        keyboard.tap_shift()
        qtbot.waitUntil(lambda: idle_of(source) < 2.0, timeout=TICK_MS)
        qtbot.waitUntil(lambda: idle_of(source) >= 1.5, timeout=10_000)  # the user-active watch was set again
        keyboard.tap_shift()
        qtbot.waitUntil(lambda: idle_of(source) < 2.0, timeout=TICK_MS)
    finally:
        keyboard.close()
        source.close()
    assert source.seconds_since_last_input() is None


def test_kwin_idle_comes_from_ext_idle_notify_and_activity_resets_it(qapp: QApplication, qtbot, kwin: KWin) -> None:
    source = choose_system_idle_source(idle_candidates({"WAYLAND_DISPLAY": kwin.socket}, "linux"))
    assert isinstance(source, WaylandIdleSource), source
    activity = KWinActivity(kwin.socket)
    try:
        assert source.protocol == "ext-idle-notify-v1"  # KWin 5.27 offers version 1 (no input-only notification)
        qtbot.waitUntil(lambda: idle_of(source) >= 1.5, timeout=10_000)
        grown = idle_of(source)
        qtbot.waitUntil(lambda: idle_of(source) >= grown + 1.0, timeout=10_000)
        activity.poke()
        qtbot.waitUntil(lambda: idle_of(source) < 2.0, timeout=TICK_MS)
        qtbot.waitUntil(lambda: idle_of(source) >= 1.5, timeout=10_000)
    finally:
        activity.close()
        source.close()


def test_the_app_and_the_self_test_choose_the_same_wayland_source(
    qapp: QApplication, sway: Sway, monkeypatch: pytest.MonkeyPatch, app_paths, clock
) -> None:
    """choose_backends (the app) and --self-test both choose through choose_system_idle_source; on a real
    Wayland desktop they name the same source."""
    from companion.selftest import Outcome, check_idle_backend

    monkeypatch.setenv("WAYLAND_DISPLAY", sway.socket)
    monkeypatch.delenv("DISPLAY", raising=False)
    result = check_idle_backend(app_paths)
    assert result.outcome is Outcome.OK
    assert result.detail.startswith("Wayland idle notifications (org_kde_kwin_idle)")
    backends = choose_backends(qapp, clock, lambda title, text: None)
    try:
        assert isinstance(backends.idle, WaylandIdleSource)
        assert result.detail.startswith(backends.idle.name + ",")
    finally:
        backends.close()
