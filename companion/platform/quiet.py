"""Choosing the quiet signals at start: every one this desktop offers (unlike idle, several can apply at once:
dunst's pause and a full-screen window are independent). Plain imports per branch, so PyInstaller sees them."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from companion.core.quiet import QuietSignal
from companion.platform import BackendUnavailable

log = logging.getLogger(__name__)


def _build(factories: list[Callable[[], Any]]) -> list[QuietSignal]:
    signals: list[QuietSignal] = []
    for factory in factories:
        try:
            built = factory()
        except BackendUnavailable as reason:
            log.info("quiet signal %s not available: %s", getattr(factory, "__name__", factory), reason)
            continue
        signals.extend(built if isinstance(built, list) else [built])
    for signal in signals:
        log.info("quiet signal: %s", signal.name)
    return signals


def choose_quiet_signals(platform: str = sys.platform) -> list[QuietSignal]:
    if platform == "win32":
        from companion.platform.quiet_other import windows_signals

        return _build([windows_signals])
    if platform == "darwin":
        from companion.platform.quiet_other import MacFocusSignal

        return _build([MacFocusSignal])
    from companion.platform.quiet_dbus import (
        DunstPausedSignal,
        GnomeIdleInhibitedSignal,
        MakoDoNotDisturbSignal,
        NotificationsInhibitedSignal,
        SwayncDoNotDisturbSignal,
        XfceDoNotDisturbSignal,
    )
    from companion.platform.quiet_gnome import GnomeBannersSignal

    desktop = os.environ.get("XDG_CURRENT_DESKTOP", "")
    factories: list[Callable[[], Any]] = [
        # Other desktops install GNOME's schemas too; follow the switch only where GNOME's own panel sets it.
        *([GnomeBannersSignal] if any(name in desktop.upper() for name in ("GNOME", "UNITY", "BUDGIE")) else []),
        NotificationsInhibitedSignal,
        DunstPausedSignal,
        MakoDoNotDisturbSignal,
        SwayncDoNotDisturbSignal,
        lambda: XfceDoNotDisturbSignal(desktop=desktop),
        GnomeIdleInhibitedSignal,
    ]
    if os.environ.get("WAYLAND_DISPLAY"):
        from companion.platform.quiet_wayland import WlrFullScreenSignal

        factories.append(WlrFullScreenSignal)  # wlroots compositors; KWin and mutter do not offer it
    elif os.environ.get("DISPLAY"):
        from companion.platform.quiet_x11 import X11FullScreenSignal

        factories.append(X11FullScreenSignal)
    return _build(factories)
