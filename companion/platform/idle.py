"""Choosing the idle backend at start: probe in order, keep the first that answers, log the choice."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from PySide6.QtWidgets import QApplication

from companion.core.clock import Clock
from companion.core.interfaces import IdleSource
from companion.platform import first_available


def _is_wayland(env: dict[str, str]) -> bool:
    return bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE", "").lower() == "wayland"


def idle_candidates(env: dict[str, str] | None = None, platform: str = sys.platform) -> list[Callable[[], IdleSource]]:
    """The system-wide backends worth trying here, best first."""
    env = dict(os.environ) if env is None else env
    if platform == "win32":
        from companion.platform.idle_windows import WindowsIdleSource

        return [WindowsIdleSource]
    if platform == "darwin":
        from companion.platform.idle_macos import MacIdleSource

        return [MacIdleSource]
    from companion.platform.idle_mutter import MutterIdleSource
    from companion.platform.idle_screensaver import ScreenSaverIdleSource
    from companion.platform.idle_wayland import WaylandIdleSource
    from companion.platform.idle_x11 import X11IdleSource

    def x11() -> IdleSource:
        return X11IdleSource(env.get("DISPLAY"))

    def wayland() -> IdleSource:
        return WaylandIdleSource(env.get("WAYLAND_DISPLAY"))

    x11.__name__, wayland.__name__ = "X11IdleSource", "WaylandIdleSource"
    if _is_wayland(env):
        # Under Wayland the X server (XWayland) sees only X clients' input, so its idle time would lie. wlroots and
        # KWin notify through Wayland itself; GNOME offers neither protocol but has Mutter's watches.
        return [wayland, MutterIdleSource, ScreenSaverIdleSource]
    return [x11, MutterIdleSource, ScreenSaverIdleSource]


def choose_system_idle_source(candidates: list[Callable[[], IdleSource]] | None = None) -> IdleSource | None:
    """The first system-wide backend that answers here, or None. The app and `--self-test` both choose with this."""
    return first_available(
        "idle",
        idle_candidates() if candidates is None else candidates,
        lambda b: b.seconds_since_last_input() is not None,
    )


def choose_idle_source(
    qapp: QApplication, clock: Clock, candidates: list[Callable[[], IdleSource]] | None = None
) -> IdleSource:
    """A system-wide backend if one answers, else the last resort: input to Companion's own windows only."""
    from companion.platform.idle_own_windows import OwnWindowsIdleSource

    chosen = choose_system_idle_source(candidates)
    return chosen if chosen is not None else OwnWindowsIdleSource(qapp, clock)
