"""Small helpers for the QtDBus calls the Linux backends make (a method call with a short timeout, a property)."""

from __future__ import annotations

from typing import Any

from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage

CALL_TIMEOUT_MS = 500  # a desktop service that does not answer in half a second is treated as absent


def has_service(bus: QDBusConnection, service: str) -> bool:
    if not bus.isConnected():
        return False
    reply = bus.interface().isServiceRegistered(service)
    return bool(reply.isValid() and reply.value())


def call(bus: QDBusConnection, service: str, path: str, interface: str, method: str, *args: Any) -> list[Any] | None:
    """The reply's arguments, or None when the call failed (no service, no method, timeout)."""
    message = QDBusMessage.createMethodCall(service, path, interface, method)
    if args:
        message.setArguments(list(args))
    reply = bus.call(message, QDBus.CallMode.Block, CALL_TIMEOUT_MS)
    if reply.type() != QDBusMessage.MessageType.ReplyMessage:
        return None
    return list(reply.arguments())


def get_property(bus: QDBusConnection, service: str, path: str, interface: str, name: str) -> Any | None:
    values = call(bus, service, path, "org.freedesktop.DBus.Properties", "Get", interface, name)
    if not values:
        return None
    value = values[0]
    # Properties.Get answers a variant; unwrapped, or bool() of the wrapper would always be True.
    return value.variant() if hasattr(value, "variant") else value
