"""A full-screen active window on wlroots compositors (sway, Hyprland, river, labwc...): each toplevel's state as
zwlr_foreign_toplevel_manager_v1 reports it (version 2 and later carry `fullscreen`; sway 1.7 offers version 3).

The compositor sends every toplevel's title, app id and state when we bind, and again each time one changes, each
batch closed by `done`; the connection sits in the Qt event loop (QSocketNotifier), so a sample is a lookup in
what has arrived, with nothing polled. KWin and mutter do not offer this protocol (and give other clients no window
state at all on Wayland), so there the signal is simply absent.
"""

from __future__ import annotations

import struct
import weakref
from typing import Any

from PySide6.QtCore import QCoreApplication, QSocketNotifier

from companion.core.i18n import N_
from companion.core.quiet import QuietReason
from companion.platform import BackendUnavailable
from companion.platform.wayland_display import connect_wayland, has_events, read_events

MANAGER = "zwlr_foreign_toplevel_manager_v1"
FIRST_VERSION_WITH_FULLSCREEN = 2
_ACTIVATED, _FULLSCREEN = 2, 3  # zwlr_foreign_toplevel_handle_v1.state


def _states(array: bytes | list[int]) -> frozenset[int]:
    """The state event's wl_array of uint32 (pywayland hands it over as bytes)."""
    if isinstance(array, bytes | bytearray):
        return frozenset(struct.unpack(f"={len(array) // 4}I", array[: len(array) // 4 * 4]))
    return frozenset(array)


class WlrFullScreenSignal:
    name = N_("Wayland full-screen active window (wlr foreign toplevel)")
    reason = QuietReason.FULL_SCREEN

    def __init__(self, display_name: str | None = None) -> None:
        self._display: Any = connect_wayland(display_name)
        # Committed states by toplevel (after its `done`), and what arrived since its last `done`.
        self._committed: dict[int, frozenset[int]] = {}
        self._pending: dict[int, frozenset[int]] = {}
        self._handles: dict[int, Any] = {}
        self._notifier: QSocketNotifier | None = None
        try:
            self._manager = self._bind_manager()
        except BackendUnavailable:
            self._display.disconnect()
            raise
        # As with the idle backend: proxies must go before their display, never in a garbage collection at exit.
        self._disconnect = weakref.finalize(self, self._display.disconnect)
        if QCoreApplication.instance() is not None:
            self._notifier = QSocketNotifier(self._display.get_fd(), QSocketNotifier.Type.Read)
            self._notifier.activated.connect(self._read_events)

    def _bind_manager(self) -> Any:
        from companion.platform.wayland_foreign_toplevel import ZwlrForeignToplevelManagerV1

        offered: dict[str, tuple[int, int]] = {}

        def on_global(_registry: Any, name: int, interface: str, version: int) -> None:
            offered.setdefault(interface, (name, version))  # a handler must return None to pywayland's C callback

        # Kept for the signal's life: pywayland finds the display for an object the compositor creates (each new
        # toplevel) through a live registry proxy, and fails the event once the last one is collected.
        self._registry = registry = self._display.get_registry()
        registry.dispatcher["global"] = on_global
        self._display.roundtrip()
        if MANAGER not in offered:
            raise BackendUnavailable(f"the compositor offers no {MANAGER}")  # i18n: not for reps
        name, version = offered[MANAGER]
        if version < FIRST_VERSION_WITH_FULLSCREEN:
            raise BackendUnavailable(f"{MANAGER} version {version} has no fullscreen state")  # i18n: not for reps
        manager = registry.bind(name, ZwlrForeignToplevelManagerV1, min(version, ZwlrForeignToplevelManagerV1.version))
        manager.dispatcher["toplevel"] = self._on_toplevel
        self._display.roundtrip()  # the toplevels already open
        self._display.roundtrip()  # and their first state and done
        return manager

    def _on_toplevel(self, _manager: Any, handle: Any) -> None:
        key = id(handle)
        self._handles[key] = handle
        handle.dispatcher["state"] = lambda _h, array: self._on_state(key, array)
        handle.dispatcher["done"] = lambda _h: self._on_done(key)
        handle.dispatcher["closed"] = lambda _h: self._on_closed(key)

    def _on_state(self, key: int, array: bytes) -> None:
        self._pending[key] = _states(array)

    def _on_done(self, key: int) -> None:
        if key in self._pending:
            self._committed[key] = self._pending.pop(key)

    def _on_closed(self, key: int) -> None:
        self._committed.pop(key, None)
        self._pending.pop(key, None)
        handle = self._handles.pop(key, None)
        if handle is not None and not handle.destroyed:
            handle.destroy()

    def _read_events(self) -> None:
        if self._display is not None and not read_events(self._display, "window states"):  # i18n: not for reps
            self.close()

    def _pump(self) -> None:
        """Read what arrived when no event loop reads it (the self-test, a test without a running loop)."""
        if self._display is not None and has_events(self._display):
            self._read_events()

    def is_quiet(self) -> bool | None:
        self._pump()
        if self._display is None:
            return None
        return any({_ACTIVATED, _FULLSCREEN} <= states for states in self._committed.values())

    def close(self) -> None:
        """Harmless twice."""
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._display is not None:
            # Every proxy goes while the connection still lives. pywayland gives an object the compositor creates
            # (a toplevel handle) the display of whichever registry proxy it finds first, which in a process with
            # several connections can be another one; such a handle would not go with our disconnect, and freeing
            # it later, in a garbage collection, would touch a freed connection (a crash, seen in the tests).
            # A handle given another connection's display is destroyed with that connection: the idle source's
            # (closed first, in Backends.close) takes it along, so it may be gone by now.
            for proxy in (*self._handles.values(), self._manager, self._registry):
                if not proxy.destroyed:
                    proxy.destroy()
            self._handles.clear()
            self._display = None
            self._disconnect()
