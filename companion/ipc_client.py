"""Talk to the running Companion without importing Qt, so `companion tag` from a keyboard shortcut is quick."""

from __future__ import annotations

import os
import socket
import struct
from pathlib import Path

from companion.core.i18n import _
from companion.core.ipc import IpcError, Reply, Request, decode_reply, encode_request, socket_name

# Longer than SQLite's busy wait (core.store.BUSY_TIMEOUT_MS, 3 s): a write waiting on a lock answers with its own
# sentence before the client gives up (a test keeps the two apart).
TIMEOUT_SECONDS = 8.0


class NoRunningInstance(ConnectionError):
    pass


class ForeignSocket(IpcError):
    """The socket is held by another user: nothing was sent."""


def send(data_dir: Path, request: Request, timeout: float = TIMEOUT_SECONDS) -> Reply:
    """Send one request and wait for its reply; NoRunningInstance if nobody is listening."""
    name = socket_name(data_dir)
    if os.name == "nt":
        return _send_qt(name, request, timeout)
    return decode_reply(exchange(name, encode_request(request), timeout))


def exchange(name: str, payload: bytes, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Write raw bytes to the Unix socket `name` and read back one reply line (POSIX only)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        try:
            sock.connect(name)
        except (FileNotFoundError, ConnectionRefusedError) as error:
            raise NoRunningInstance(str(error)) from error
        refuse_foreign_peer(sock, name)
        sock.sendall(payload)
        return receive_line(sock)
    except TimeoutError as error:
        raise IpcError(_("the running Companion did not answer in time")) from error
    finally:
        sock.close()


def receive_line(sock: socket.socket) -> bytes:
    """Bytes from a blocking socket up to and including the protocol's one newline (less if the peer hangs up)."""
    received = b""
    while not received.endswith(b"\n"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def refuse_foreign_peer(sock: socket.socket, name: str) -> None:
    """The rep's words go only to a process of the rep's own: the socket's owner is asked of the kernel."""
    uid = peer_uid(sock)
    if uid is not None and uid != os.geteuid():
        raise ForeignSocket(
            _(
                "The socket {name} belongs to another user, so Companion sent nothing there. Start Companion "
                "yourself (or remove that file) and try again."
            ).format(name=name)
        )


def peer_uid(sock: socket.socket) -> int | None:
    """The user id of the process at the other end (Linux SO_PEERCRED, BSD/macOS getpeereid); None if unknown."""
    if hasattr(socket, "SO_PEERCRED"):
        raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        return int(struct.unpack("3i", raw)[1])
    getpeereid = getattr(os, "getpeereid", None)  # pragma: no cover - not on Linux
    return int(getpeereid(sock.fileno())[0]) if getpeereid else None


def _send_qt(name: str, request: Request, timeout: float) -> Reply:  # pragma: no cover - Windows only
    from PySide6.QtNetwork import QLocalSocket

    client = QLocalSocket()
    client.connectToServer(name)
    if not client.waitForConnected(int(timeout * 1000)):
        raise NoRunningInstance(client.errorString())
    client.write(encode_request(request))
    client.waitForBytesWritten(int(timeout * 1000))
    received = b""
    while not received.endswith(b"\n") and client.waitForReadyRead(int(timeout * 1000)):
        received += bytes(client.readAll().data())
    client.disconnectFromServer()
    return decode_reply(received)
