"""A stand-in for the XDG desktop portal's GlobalShortcuts on a test session bus (no portal runs headless here: it
needs a compositor and the desktop's portal backend). It offers the documented interface with its types:
the `version` property, CreateSession and BindShortcuts answering through org.freedesktop.portal.Request Response
signals at the documented request paths, Session.Close, and the Activated signal, which a test fires by calling
`Press(s shortcut_id)` on `org.companion.test.PortalStandIn`. `--refuse` answers BindShortcuts with response 1
(the rep cancelled KDE's confirmation).

Usage: python portal_stand_in.py [--refuse]
"""

from __future__ import annotations

import sys
import time

from jeepney import DBusAddress, HeaderFields, MessageType, message_bus, new_error, new_method_return, new_signal
from jeepney.io.blocking import open_dbus_connection

PORTAL, PATH = "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop"
SHORTCUTS = "org.freedesktop.portal.GlobalShortcuts"


def main() -> int:
    refuse = "--refuse" in sys.argv
    conn = open_dbus_connection(bus="SESSION")
    conn.send_and_get_reply(message_bus.RequestName(PORTAL))
    sessions: dict[str, list[str]] = {}  # session path -> bound shortcut ids
    while True:
        message = conn.receive()
        header = message.header
        if header.message_type != MessageType.method_call:
            continue
        fields = header.fields
        member, interface = fields.get(HeaderFields.member), fields.get(HeaderFields.interface)
        sender = str(fields.get(HeaderFields.sender)).lstrip(":").replace(".", "_")
        body = message.body

        def respond(request_path: str, response: int, results: dict, message=message) -> None:  # type: ignore
            conn.send(new_method_return(message, "o", (request_path,)))
            request = DBusAddress(request_path, interface="org.freedesktop.portal.Request")
            conn.send(new_signal(request, "Response", "ua{sv}", (response, results)))

        if interface == "org.freedesktop.DBus.Properties" and member == "Get" and body[0] == SHORTCUTS:
            conn.send(new_method_return(message, "v", (("u", 1),)))
        elif member == "CreateSession":
            options = body[0]
            session = f"{PATH}/session/{sender}/{options['session_handle_token'][1]}"
            sessions[session] = []
            respond(f"{PATH}/request/{sender}/{options['handle_token'][1]}", 0, {"session_handle": ("o", session)})
        elif member == "BindShortcuts":
            session, shortcuts, _parent, options = body
            request = f"{PATH}/request/{sender}/{options['handle_token'][1]}"
            if refuse or session not in sessions:
                respond(request, 1, {})
                continue
            sessions[session] = [shortcut_id for shortcut_id, _ in shortcuts]
            granted = [
                (shortcut_id, {"description": props["description"],
                               "trigger_description": ("s", props["preferred_trigger"][1])})
                for shortcut_id, props in shortcuts
            ]  # fmt: skip
            respond(request, 0, {"shortcuts": ("a(sa{sv})", granted)})
        elif member == "Close":
            sessions.pop(str(fields.get(HeaderFields.path)), None)
            conn.send(new_method_return(message))
        elif member == "Press":
            conn.send(new_method_return(message))
            for session, ids in sessions.items():
                if body[0] in ids:
                    conn.send(new_signal(DBusAddress(PATH, interface=SHORTCUTS), "Activated", "osta{sv}",
                                         (session, body[0], int(time.time() * 1000), {})))  # fmt: skip
        else:
            conn.send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"no {member}",)))


if __name__ == "__main__":
    sys.exit(main())
