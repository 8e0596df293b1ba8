"""Idle time on wlroots compositors (sway, Hyprland, river...) and KWin: Wayland idle notifications via pywayland.

Best first: ext-idle-notify-v1's `get_input_idle_notification` (version 2: still reports idle while a video call
or a player inhibits the screen saver, which a break reminder must not be fooled by), then its
`get_idle_notification` (version 1), then the older `org_kde_kwin_idle` (sway 1.7 in Debian 12, KWin before 5.27).

One notification with a short timeout gives the idled and resumed edges (core.idle_edges turns them into seconds
since the last input). The connection's file descriptor sits in the Qt event loop through a QSocketNotifier, so
nothing polls: the process wakes only when the rep stops or starts using the computer.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QSocketNotifier

from companion.core.i18n import N_
from companion.core.idle_edges import IdleEdges
from companion.platform import BackendUnavailable
from companion.platform.wayland_display import connect_wayland, has_events, read_events

EDGE_TIMEOUT_MS = 1000  # short, so "active" means input within the last second
# Version 2 can notify from input alone, whatever inhibits idle (a playing video, a presentation).
INPUT_ONLY = "ext-idle-notify-v1, input only"  # i18n: not for reps
# The backend's name for each protocol: one whole name each, so that About can show it translated.
PROTOCOL_NAMES = {
    INPUT_ONLY: N_("Wayland idle notifications (ext-idle-notify-v1, input only)"),
    "ext-idle-notify-v1": N_("Wayland idle notifications (ext-idle-notify-v1)"),
    "org_kde_kwin_idle": N_("Wayland idle notifications (org_kde_kwin_idle)"),
}


class WaylandIdleSource:
    system_wide = True

    def __init__(
        self,
        display_name: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        timeout_ms: int = EDGE_TIMEOUT_MS,
    ) -> None:
        self._display: Any = connect_wayland(display_name)
        self.edges = IdleEdges(timeout_ms / 1000.0, monotonic)
        self._notifier: QSocketNotifier | None = None
        self._notification: Any = None
        try:
            self.protocol, self._notification = self._subscribe(timeout_ms)
        except BackendUnavailable:
            self._display.disconnect()
            raise
        self.name = PROTOCOL_NAMES[self.protocol]
        # Disconnecting destroys every proxy first; left to the garbage collector at exit, a proxy freed after its
        # display would crash the process. So the display is disconnected by close() or, failing that, at exit.
        self._disconnect = weakref.finalize(self, self._display.disconnect)
        if QCoreApplication.instance() is not None:  # the self-test asks once without an event loop
            self._notifier = QSocketNotifier(self._display.get_fd(), QSocketNotifier.Type.Read)
            self._notifier.activated.connect(self._read_events)

    def _subscribe(self, timeout_ms: int) -> tuple[str, Any]:
        """Subscribe to the best idle protocol the compositor offers: the protocol and the notification."""
        from pywayland.protocol.ext_idle_notify_v1 import ExtIdleNotifierV1
        from pywayland.protocol.wayland import WlSeat

        from companion.platform.wayland_kde_idle import OrgKdeKwinIdle

        offered: dict[str, tuple[int, int]] = {}

        def on_global(registry: Any, name: int, interface: str, version: int) -> None:
            offered.setdefault(interface, (name, version))

        registry = self._display.get_registry()
        registry.dispatcher["global"] = on_global
        self._display.roundtrip()
        if "wl_seat" not in offered:
            raise BackendUnavailable("the compositor offers no seat")  # i18n: not for reps
        seat = registry.bind(offered["wl_seat"][0], WlSeat, 1)
        if "ext_idle_notifier_v1" in offered:
            name, version = offered["ext_idle_notifier_v1"]
            notifier = registry.bind(name, ExtIdleNotifierV1, min(version, 2))
            if version >= 2:
                protocol = INPUT_ONLY
                notification = notifier.get_input_idle_notification(timeout_ms, seat)
            else:
                protocol = "ext-idle-notify-v1"
                notification = notifier.get_idle_notification(timeout_ms, seat)
            notification.dispatcher["idled"] = lambda _proxy: self._on_idled()
        elif "org_kde_kwin_idle" in offered:
            manager = registry.bind(offered["org_kde_kwin_idle"][0], OrgKdeKwinIdle, 1)
            protocol = "org_kde_kwin_idle"
            notification = manager.get_idle_timeout(seat, timeout_ms)
            notification.dispatcher["idle"] = lambda _proxy: self._on_idled()
        else:
            raise BackendUnavailable(
                "the compositor offers neither ext-idle-notify-v1 nor org_kde_kwin_idle"  # i18n: not for reps
            )
        notification.dispatcher["resumed"] = lambda _proxy: self._on_resumed()
        self._display.roundtrip()
        return protocol, notification

    def _on_idled(self) -> None:
        self.edges.idled()

    def _on_resumed(self) -> None:
        self.edges.resumed()

    def _read_events(self) -> None:
        """The compositor sent something: read and dispatch it. A closed connection ends the backend's answers."""
        if self._display is not None and not read_events(self._display, "idle time"):  # i18n: not for reps
            self.close()

    def _pump(self) -> None:
        """Read what arrived, for callers without an event loop (the self-test); a no-op once the loop has read it."""
        if self._display is not None and self._notifier is None and has_events(self._display):
            self._read_events()

    def seconds_since_last_input(self) -> float | None:
        self._pump()
        if self._display is None:
            return None
        return self.edges.seconds_since_last_input()

    def close(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._display is not None:
            self._display = None
            self._disconnect()
