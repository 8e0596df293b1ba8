"""Idle time on GNOME (Wayland or X11): org.gnome.Mutter.IdleMonitor watches over the session bus.

Instead of asking GetIdletime every tick, two watches say when something changes: an idle watch fires when the rep
has not touched anything for a second, and a user-active watch (one-shot, so set again after each idle edge) fires
at the first input after that. Between the edges the tick asks nobody (core.idle_edges answers). On the idle edge
one GetIdletime call gives the exact time of the last input, which the tracker back-dates intervals with.

Mutter sends WatchFired only to the connection that added the watch and drops a client's watches when it leaves,
so the backend keeps its own connection. It talks through jeepney (pure Python, already here for keyring's Secret
Service), because PySide6's QtDBus cannot send the uint64 and uint32 arguments these methods take; the connection's
socket sits in the Qt event loop through a QSocketNotifier, so nothing polls.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QSocketNotifier

from companion.core.i18n import N_
from companion.core.idle_edges import IdleEdges
from companion.platform import BackendUnavailable

log = logging.getLogger(__name__)

SERVICE = "org.gnome.Mutter.IdleMonitor"
PATH = "/org/gnome/Mutter/IdleMonitor/Core"
IDLE_WATCH_MS = 1000
CALL_TIMEOUT_S = 0.5  # as platform/dbus.py: a desktop service that does not answer in half a second is absent


class MutterIdleSource:
    name = N_("GNOME Mutter idle monitor (watches)")
    system_wide = True

    def __init__(
        self,
        bus_address: str = "SESSION",
        monotonic: Callable[[], float] = time.monotonic,
        idle_watch_ms: int = IDLE_WATCH_MS,
    ) -> None:
        try:
            from jeepney import DBusAddress, MatchRule  # type: ignore[import-untyped]
            from jeepney.io.blocking import open_dbus_connection  # type: ignore[import-untyped]
        except ImportError as error:
            raise BackendUnavailable(f"jeepney is not installed ({error})") from error  # i18n: not for reps
        try:
            self._conn: Any = open_dbus_connection(bus_address)
        except Exception as error:  # no bus, a refused or timed-out authentication
            raise BackendUnavailable(f"no session bus ({error})") from error  # i18n: not for reps
        self._address = DBusAddress(PATH, bus_name=SERVICE, interface=SERVICE)
        self._signals: deque[Any] = deque(maxlen=64)
        rule = MatchRule(type="signal", interface=SERVICE, member="WatchFired", path=PATH)
        self._filter = self._conn.filter(rule, queue=self._signals)
        self.edges = IdleEdges(idle_watch_ms / 1000.0, monotonic)
        self._idle_watch: int | None = None
        self._active_watch: int | None = None
        self._notifier: QSocketNotifier | None = None
        idle_ms = self.get_idle_ms()
        watch = self._call("AddIdleWatch", "t", idle_watch_ms) if idle_ms is not None else None
        if watch is None:
            self._conn.close()
            raise BackendUnavailable(
                f"{SERVICE} is not on the session bus or refused an idle watch"  # i18n: not for reps
            )
        self._idle_watch = int(watch[0])
        if idle_ms is not None and idle_ms >= idle_watch_ms:
            self._went_idle(idle_ms)  # already idle: the watch fires only when idleness next crosses a second
        if QCoreApplication.instance() is not None:  # the self-test asks once without an event loop
            self._notifier = QSocketNotifier(self._conn.sock.fileno(), QSocketNotifier.Type.Read)
            self._notifier.activated.connect(self._read_messages)
            self._read_messages()  # a signal that came in with the replies above is already parsed and queued

    def _call(self, method: str, signature: str | None = None, *args: Any) -> tuple[Any, ...] | None:
        from jeepney import MessageFlag, MessageType, new_method_call

        message = new_method_call(self._address, method, signature, args)
        message.header.flags |= MessageFlag.no_auto_start  # asking must not start a GNOME service where none runs
        try:
            reply = self._conn.send_and_get_reply(message, timeout=CALL_TIMEOUT_S)
        except (TimeoutError, OSError) as error:
            log.info("Mutter idle monitor: %s failed (%s)", method, error)
            return None
        if reply.header.message_type is MessageType.error:
            log.info("Mutter idle monitor: %s answered %s", method, reply.body)
            return None
        return tuple(reply.body)

    def get_idle_ms(self) -> int | None:
        values = self._call("GetIdletime")
        return int(values[0]) if values else None

    def seconds_since_last_input(self) -> float | None:
        if self._notifier is None:
            self._read_messages()  # no event loop reads for us (the self-test)
        if self._idle_watch is None:
            return None
        return self.edges.seconds_since_last_input()

    def _read_messages(self) -> None:
        """Bytes arrived: parse every whole message, then act on the WatchFired signals among them."""
        if self._idle_watch is None:
            return
        try:
            while True:
                self._conn.recv_messages(timeout=0)
        except TimeoutError:
            pass  # nothing more to read now
        except (OSError, ValueError) as error:  # the bus went away
            log.warning("the session bus closed under the Mutter idle monitor (%s)", error)
            self.close()
            return
        while self._signals:
            self._watch_fired(int(self._signals.popleft().body[0]))

    def _watch_fired(self, watch: int) -> None:
        if watch == self._idle_watch:
            self._went_idle(self.get_idle_ms())
        elif watch == self._active_watch:
            self._active_watch = None
            self.edges.resumed()

    def _went_idle(self, idle_ms: int | None) -> None:
        self.edges.idled(None if idle_ms is None else idle_ms / 1000.0)
        if self._active_watch is None:
            values = self._call("AddUserActiveWatch")
            self._active_watch = int(values[0]) if values else None
            if self._active_watch is None:
                log.warning("Mutter did not accept a user-active watch; idle time may stay high until restart")

    def close(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._idle_watch is None:
            return
        self._idle_watch = self._active_watch = None
        self._filter.close()
        self._conn.close()  # Mutter drops the watches of a connection that leaves
