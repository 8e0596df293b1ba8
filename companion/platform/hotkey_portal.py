"""Global hotkeys through the XDG desktop portal's GlobalShortcuts (KDE Plasma 5.27 and later, GNOME 48 and later),
the one way an application may have a key of its own on Wayland.

Spoken with jeepney (pure-Python D-Bus, installed with keyring) on a connection of our own whose socket sits on a
QSocketNotifier: PySide6's QtDBus cannot marshal BindShortcuts' `a(sa{sv})` argument from Python, and a portal
session belongs to the connection that created it, so the calls cannot be handed to a child process either.

The portal answers asynchronously (KDE asks the rep to confirm the keys the first time), so `bind` answers None
("asked") and `on_change` is called once the desktop has answered; `is_bound` then says what it granted.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from companion.core.hotkeys import Hotkey
from companion.core.i18n import N_
from companion.platform import BackendUnavailable

log = logging.getLogger(__name__)

PORTAL = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
SHORTCUTS = "org.freedesktop.portal.GlobalShortcuts"
REQUEST = "org.freedesktop.portal.Request"
SESSION = "org.freedesktop.portal.Session"
CALL_TIMEOUT_SECONDS = 1.0


class PortalHotkeyBackend(QObject):
    name = N_("XDG desktop portal GlobalShortcuts")

    def __init__(self, bus_address: str = "SESSION", parent: QObject | None = None) -> None:
        super().__init__(parent)
        try:
            from jeepney import (  # type: ignore[import-untyped]  # jeepney ships no type hints
                DBusAddress,
                MatchRule,
                Properties,
                message_bus,
                new_method_call,
            )
            from jeepney.io.blocking import open_dbus_connection  # type: ignore[import-untyped]
        except ImportError as error:
            raise BackendUnavailable(f"jeepney missing ({error})") from error  # i18n: not for reps
        self._new_method_call = new_method_call
        self._address = DBusAddress
        try:
            self._conn = open_dbus_connection(bus=bus_address)
        except (OSError, KeyError, ValueError) as error:
            raise BackendUnavailable(f"no session bus ({error})") from error  # i18n: not for reps
        try:
            portal = DBusAddress(PORTAL_PATH, bus_name=PORTAL, interface=SHORTCUTS)
            reply = self._conn.send_and_get_reply(Properties(portal).get("version"), timeout=CALL_TIMEOUT_SECONDS)
            if reply.header.message_type.name != "method_return":
                raise BackendUnavailable("the desktop portal offers no GlobalShortcuts")  # i18n: not for reps
            self.version = int(reply.body[0][1])
            for rule in (MatchRule(type="signal", interface=REQUEST, member="Response"),
                         MatchRule(type="signal", interface=SHORTCUTS, member="Activated")):  # fmt: skip
                self._conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=CALL_TIMEOUT_SECONDS)
        except (TimeoutError, OSError) as error:
            self._conn.close()
            raise BackendUnavailable(f"the desktop portal did not answer ({error})") from error  # i18n: not for reps
        except BackendUnavailable:
            self._conn.close()
            raise
        self._sender = self._conn.unique_name.lstrip(":").replace(".", "_")
        self._portal = portal
        self._session: str | None = None
        self._wanted: dict[str, tuple[Hotkey, str, Callable[[], None]]] = {}  # shortcut id -> key, words, action
        self._granted: set[str] = set()
        self._waiting: dict[str, Callable[[int, dict[str, Any]], None]] = {}  # request path -> its answer
        self.on_change: Callable[[], None] = lambda: None
        self._closed = False
        self._flush = QTimer(self)  # several bind() calls in one go become one BindShortcuts (one confirmation)
        self._flush.setSingleShot(True)
        self._flush.setInterval(0)
        self._flush.timeout.connect(self._create_session)
        self._notifier = QSocketNotifier(self._conn.sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    # -- the HotkeyBackend interface ---------------------------------------------------------------------------
    def bind(self, hotkey: Hotkey, callback: Callable[[], None], description: str = "") -> bool | None:
        shortcut_id = hotkey.text.lower().replace("+", "-")
        self._wanted[shortcut_id] = (hotkey, description or hotkey.text, callback)
        self._flush.start()
        return None  # the desktop answers later; on_change says when

    def is_bound(self, hotkey: Hotkey) -> bool:
        return hotkey.text.lower().replace("+", "-") in self._granted

    def unbind_all(self) -> None:
        if self._closed:
            return
        self._wanted.clear()
        self._granted.clear()
        self._close_session()

    def close(self) -> None:
        """Harmless twice, also once the event loop has deleted this object."""
        if self._closed:
            return
        self._closed = True
        self._flush.stop()
        self.unbind_all()
        self._notifier.setEnabled(False)
        self._conn.close()
        self.deleteLater()  # the notifier and timer go with it, in the event loop rather than in a garbage collection

    # -- the portal conversation --------------------------------------------------------------------------------
    def _request(self, method: str, signature: str, *body: Any, then: Callable[[int, dict[str, Any]], None]) -> None:
        """Call a portal method that answers with a Request's Response signal, and run `then` with it."""
        token = "companion" + secrets.token_hex(4)
        options = {"handle_token": ("s", token)}
        if method == "CreateSession":
            options["session_handle_token"] = ("s", "companion" + secrets.token_hex(4))
            body = (options,)
        else:
            body = (*body, options)
        self._waiting[f"{PORTAL_PATH}/request/{self._sender}/{token}"] = then
        self._conn.send(self._new_method_call(self._portal, method, signature, body))

    def _create_session(self) -> None:
        self._close_session()
        if self._wanted:
            self._request("CreateSession", "a{sv}", then=self._session_created)

    def _session_created(self, response: int, results: dict[str, Any]) -> None:
        if response != 0 or "session_handle" not in results:
            log.warning("the desktop portal refused a shortcuts session (%s)", response)
            self.on_change()
            return
        self._session = str(results["session_handle"][1])
        shortcuts = [
            (shortcut_id, {"description": ("s", words), "preferred_trigger": ("s", hotkey.portal_trigger)})
            for shortcut_id, (hotkey, words, _) in self._wanted.items()
        ]
        signature = "oa(sa{sv})sa{sv}"  # i18n: not for reps
        self._request("BindShortcuts", signature, self._session, shortcuts, "", then=self._bound)

    def _bound(self, response: int, results: dict[str, Any]) -> None:
        if response == 0:
            granted = results.get("shortcuts", ("a(sa{sv})", None))[1]
            self._granted = {sid for sid, _ in granted} if granted is not None else set(self._wanted)
            log.info("the desktop portal bound %s", ", ".join(sorted(self._granted)) or "no shortcut")
        else:
            self._granted = set()
            log.warning("the desktop portal did not bind the shortcuts (response %s)", response)
        self.on_change()

    def _close_session(self) -> None:
        if self._session is not None:
            session = self._address(self._session, bus_name=PORTAL, interface=SESSION)
            self._conn.send(self._new_method_call(session, "Close"))
            self._session = None

    def _drain(self) -> None:
        while True:
            try:
                message = self._conn.receive(timeout=0)
            except TimeoutError:
                return
            except (OSError, EOFError):
                log.warning("the session bus went away; global hotkeys stop")
                self._notifier.setEnabled(False)
                return
            fields = message.header.fields
            member = fields.get(3)  # HeaderFields.member
            if member == "Response":
                answer = self._waiting.pop(str(fields.get(1)), None)  # HeaderFields.path
                if answer is not None:
                    response, results = message.body
                    answer(int(response), dict(results))
            elif member == "Activated" and message.body and str(message.body[0]) == self._session:
                wanted = self._wanted.get(str(message.body[1]))
                if wanted is not None and str(message.body[1]) in self._granted:
                    wanted[2]()
