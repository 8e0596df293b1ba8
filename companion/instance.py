"""One Companion per user: the lock (companion/instance_lock.py) says who runs, a local socket here takes requests from
later processes."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier

from companion.core.errors import CompanionError
from companion.core.i18n import N_, _
from companion.core.ipc import (
    MAX_MESSAGE_BYTES,
    IpcError,
    Reply,
    Request,
    decode_request,
    encode_reply,
    fallback_socket_folder,
    private_folder_problem,
)

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

Handler = Callable[[Request], Reply]

SOMAXCONN = 30  # pending connections, as QLocalServer allowed by default
READ_CHUNK_BYTES = 65536
REPLY_SEND_SECONDS = 5.0  # a client that stops reading cannot hold the tray longer than this
CLOSING_MESSAGE = N_("Companion is closing. Start it again in a moment, then try once more.")


def closing_reply() -> Reply:
    """What every request gets once shutdown has begun, in the rep's language."""
    return Reply(False, _(CLOSING_MESSAGE))


class InstanceServer(QObject):
    """Reads one JSON line per connection, hands it to the handler for its command, writes the reply.

    On POSIX it listens on a Unix socket of the standard library, watched by QSocketNotifier: the same path, the same
    protocol and the same owner-only socket file as QLocalServer gave, without mapping QtNetwork into the tray (about
    3 MB resident, docs/performance.md). Windows keeps QLocalServer and its named pipe.
    """

    def __init__(self, name: str, handlers: dict[str, Handler], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handlers = handlers
        self._name = name
        self._listener: socket.socket | None = None
        self._listener_notifier: QSocketNotifier | None = None
        self._connections: dict[socket.socket, tuple[QSocketNotifier, bytearray]] = {}
        self._qt_server: QLocalServer | None = None
        self.problem: str | None = None
        self.closing = False

    def refuse_commands(self) -> None:
        """Shutdown has begun: every request from now on gets the closing reply, and no handler runs."""
        self.closing = True

    def is_listening(self) -> bool:
        if self._qt_server is not None:
            return bool(self._qt_server.isListening())
        return self._listener is not None

    def listen(self) -> bool:
        """False when the socket cannot be private or bound; `problem` then says so in a sentence for the rep."""
        folder = Path(self._name).parent
        if os.name == "posix" and folder == fallback_socket_folder():
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=0o700)
            self.problem = private_folder_problem(folder)
            if self.problem is not None:
                log.error("%s", self.problem)
                return False
        error = self._listen_unix() if os.name == "posix" else self._listen_qt()
        if error is not None:
            log.error("could not listen on %s: %s", self._name, error)
            self.problem = _(
                "Companion could not open its private socket ({error}), so `companion tag` "
                "and keyboard shortcuts cannot reach it. Restart Companion; if this stays, the log has details."
            ).format(error=error)
            return False
        return True

    def close(self) -> None:
        """Stops listening, drops the connections whose request has not arrived whole (their clients read no answer)
        and removes the socket file, as QLocalServer.close did. Replies are written whole when they are made."""
        if self._qt_server is not None:
            self._qt_server.close()
        for connection in list(self._connections):
            self._drop_unix(connection)
        if self._listener is None:
            return
        if self._listener_notifier is not None:
            self._listener_notifier.setEnabled(False)
            self._listener_notifier.deleteLater()
            self._listener_notifier = None
        self._listener.close()
        self._listener = None
        with contextlib.suppress(OSError):
            os.unlink(self._name)

    def _listen_unix(self) -> str | None:
        # The lock is ours, so a socket left by a crashed instance is stale: remove it before listening.
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
            os.unlink(self._name)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        previous_umask = os.umask(0o077)  # the socket file is the rep's alone from the moment it exists
        try:
            listener.bind(self._name)
            os.chmod(self._name, stat.S_IRWXU)  # the mode QLocalServer's UserAccessOption gave it
            listener.listen(SOMAXCONN)
        except OSError as error:
            listener.close()
            return error.strerror or str(error)
        finally:
            os.umask(previous_umask)
        listener.setblocking(False)
        self._listener = listener
        self._listener_notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._listener_notifier.activated.connect(self._accept_unix)
        return None

    def _accept_unix(self) -> None:
        while self._listener is not None:
            try:
                connection, _address = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:
                log.warning("could not accept a local connection: %s", error)
                return
            connection.setblocking(False)
            notifier = QSocketNotifier(connection.fileno(), QSocketNotifier.Type.Read, self)
            self._connections[connection] = (notifier, bytearray())
            notifier.activated.connect(lambda *_args, c=connection: self._read_unix(c))

    def _read_unix(self, connection: socket.socket) -> None:
        if connection not in self._connections:
            return
        _notifier, buffer = self._connections[connection]
        try:
            chunk = connection.recv(READ_CHUNK_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client hung up before a whole line: nothing to answer
            self._drop_unix(connection)
            return
        buffer += chunk
        reply = self._reply_for(buffer)
        if reply is None:
            return
        connection.setblocking(True)
        connection.settimeout(REPLY_SEND_SECONDS)
        try:
            connection.sendall(encode_reply(reply))
        except OSError as error:
            log.warning("could not send a reply: %s", error)
        self._drop_unix(connection)

    def _drop_unix(self, connection: socket.socket) -> None:
        notifier, _buffer = self._connections.pop(connection)
        notifier.setEnabled(False)
        notifier.deleteLater()
        connection.close()

    def _listen_qt(self) -> str | None:  # pragma: no cover - Windows only (a named pipe)
        from PySide6.QtNetwork import QLocalServer

        self._qt_server = QLocalServer(self)
        self._qt_server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._qt_server.newConnection.connect(self._accept_qt)
        QLocalServer.removeServer(self._name)
        if not self._qt_server.listen(self._name):
            return str(self._qt_server.errorString())
        return None

    def _accept_qt(self) -> None:  # pragma: no cover - Windows only
        assert self._qt_server is not None
        while self._qt_server.hasPendingConnections():
            connection = self._qt_server.nextPendingConnection()
            buffer = bytearray()
            connection.readyRead.connect(lambda c=connection, b=buffer: self._read_qt(c, b))
            connection.disconnected.connect(connection.deleteLater)

    def _read_qt(self, connection: QLocalSocket, buffer: bytearray) -> None:  # pragma: no cover - Windows only
        buffer += bytes(connection.readAll().data())
        reply = self._reply_for(buffer)
        if reply is not None:
            connection.write(encode_reply(reply))
            connection.flush()
            connection.disconnectFromServer()

    def _reply_for(self, buffer: bytearray) -> Reply | None:
        """The reply once a whole line (or too much) has arrived; None while the line is still coming."""
        if len(buffer) > MAX_MESSAGE_BYTES:
            return Reply(False, _("The message was too large."))
        if b"\n" not in buffer:
            return None
        return self._dispatch(bytes(buffer[: buffer.index(b"\n")]))

    def _dispatch(self, line: bytes) -> Reply:
        if self.closing:
            return closing_reply()
        try:
            request = decode_request(line)
        except IpcError as error:
            log.warning("rejected a local request: %s", error)
            return Reply(False, _("Companion did not understand that request: {error}.").format(error=error))
        handler = self.handlers.get(request.command)
        if handler is None:
            cannot = _("This version of Companion cannot do '{command}' yet.")
            return Reply(False, cannot.format(command=request.command))
        try:
            return handler(request)
        except CompanionError as error:  # the code's own sentence for the rep travels as it is
            log.warning("%s refused: %s", request.command, error.message)
            return Reply(False, error.message)
        except Exception:  # a bug in one handler must not take the tray down
            log.exception("handler for %s failed", request.command)
            return Reply(False, _("Companion hit an internal error; details are in its log."))
