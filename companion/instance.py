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

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

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
REPLY_DEADLINE_SECONDS = 5.0  # a reply its client has not taken by then is dropped (nothing waits for it)
CLOSING_MESSAGE = N_("Companion is closing. Start it again in a moment, then try once more.")


def closing_reply() -> Reply:
    """What every request gets once shutdown has begun, in the rep's language."""
    return Reply(False, _(CLOSING_MESSAGE))


class InstanceServer(QObject):
    """Reads one JSON line per connection, hands it to the handler for its command, writes the reply.

    On POSIX it listens on a Unix socket of the standard library, watched by QSocketNotifier: the same path, the same
    protocol and the same owner-only socket file as QLocalServer gave, without mapping QtNetwork into the tray (about
    3 MB resident, docs/performance.md). Windows keeps QLocalServer and its named pipe (`qt_local_server`; a test
    runs it on a Unix socket here).

    Nothing here waits on a client: a reply is written as the socket takes it and the rest when it says it is ready
    again, so a client that stops reading (or a reply larger than the socket's buffer) never holds the GUI thread. A
    reply not taken within `reply_deadline_seconds` is dropped with its connection.
    """

    def __init__(
        self,
        name: str,
        handlers: dict[str, Handler],
        parent: QObject | None = None,
        *,
        reply_deadline_seconds: float = REPLY_DEADLINE_SECONDS,
        qt_local_server: bool = os.name == "nt",
    ) -> None:
        super().__init__(parent)
        self.handlers = handlers
        self._name = name
        self.reply_deadline_seconds = reply_deadline_seconds
        self._use_qt = qt_local_server
        self._listener: socket.socket | None = None
        self._listener_notifier: QSocketNotifier | None = None
        self._connections: set[_Connection] = set()  # each one's request still arriving or its reply still going
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
        error = self._listen_qt() if self._use_qt else self._listen_unix()
        if error is not None:
            log.error("could not listen on %s: %s", self._name, error)
            self.problem = _(
                "Companion could not open its private socket ({error}), so `companion tag` "
                "and keyboard shortcuts cannot reach it. Restart Companion; if this stays, the log has details."
            ).format(error=error)
            return False
        return True

    def close(self) -> None:
        """Stops listening, drops every connection (a request still arriving, a reply still going: their clients
        read no whole answer, and no notifier or deadline of theirs outlives the server) and removes the socket
        file, as QLocalServer.close did."""
        if self._qt_server is not None:
            self._qt_server.close()
        for connection in list(self._connections):
            connection.drop()
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
            self._connections.add(_UnixConnection(connection, self))

    def _listen_qt(self) -> str | None:
        from PySide6.QtNetwork import QLocalServer

        self._qt_server = QLocalServer(self)
        self._qt_server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._qt_server.newConnection.connect(self._accept_qt)
        QLocalServer.removeServer(self._name)
        if not self._qt_server.listen(self._name):
            return str(self._qt_server.errorString())
        return None

    def _accept_qt(self) -> None:
        assert self._qt_server is not None
        while self._qt_server.hasPendingConnections():
            self._connections.add(_LocalSocketConnection(self._qt_server.nextPendingConnection(), self))

    def _forget(self, connection: _Connection) -> None:
        self._connections.discard(connection)

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


class _Connection(QObject):
    """One client: its request read as it arrives, then its reply handed to the socket without waiting. Owns
    everything that can fire for it (notifiers, the deadline), and `drop` stops them all; the server drops what is
    left when it closes."""

    def __init__(self, server: InstanceServer) -> None:
        super().__init__(server)
        self.server = server
        self.request = bytearray()
        self.dropped = False
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(round(server.reply_deadline_seconds * 1000))
        self._deadline.timeout.connect(self._deadline_passed)

    def received(self, chunk: bytes) -> None:
        """Bytes of the request; once the line is whole (or too long), the reply starts on its way."""
        self.request += chunk
        reply = self.server._reply_for(self.request)
        if reply is not None:
            self._deadline.start()  # before the first write: a reply written whole at once drops, stopping it
            self.send(encode_reply(reply))

    def send(self, payload: bytes) -> None:
        raise NotImplementedError

    def _deadline_passed(self) -> None:
        log.warning("a local client did not take its reply within %g s; dropped", self.server.reply_deadline_seconds)
        self.drop()

    def drop(self) -> None:
        """Harmless twice; after it nothing of this connection fires."""
        if self.dropped:
            return
        self.dropped = True
        self._deadline.stop()
        self._close()
        self.server._forget(self)
        self.deleteLater()

    def _close(self) -> None:
        raise NotImplementedError


class _UnixConnection(_Connection):
    def __init__(self, connection: socket.socket, server: InstanceServer) -> None:
        super().__init__(server)
        connection.setblocking(False)
        self.socket = connection
        self._unsent = memoryview(b"")
        self._readable = QSocketNotifier(connection.fileno(), QSocketNotifier.Type.Read, self)
        self._readable.activated.connect(self._read)
        self._writable: QSocketNotifier | None = None  # made when the socket first takes less than the whole reply

    def _read(self) -> None:
        try:
            chunk = self.socket.recv(READ_CHUNK_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client hung up before a whole line: nothing to answer
            self.drop()
            return
        self.received(chunk)

    def send(self, payload: bytes) -> None:
        self._readable.setEnabled(False)  # one request per connection: whatever follows the line is not read
        self._unsent = memoryview(payload)
        self._write()

    def _write(self) -> None:
        """As much as the socket takes now; the rest when the write notifier says it has room again."""
        try:
            while self._unsent:
                self._unsent = self._unsent[self.socket.send(self._unsent) :]
        except (BlockingIOError, InterruptedError):
            pass
        except OSError as error:  # the client hung up while its reply was going
            log.warning("could not send a reply: %s", error)
            self.drop()
            return
        if not self._unsent:
            self.drop()  # all of it is in the socket: the client reads it after the close
            return
        if self._writable is None:
            self._writable = QSocketNotifier(self.socket.fileno(), QSocketNotifier.Type.Write, self)
            self._writable.activated.connect(self._write)

    def _close(self) -> None:
        self._readable.setEnabled(False)
        if self._writable is not None:
            self._writable.setEnabled(False)
        self._unsent = memoryview(b"")
        self.socket.close()


class _LocalSocketConnection(_Connection):
    """Windows: a QLocalSocket, whose writes are queued and go out from the event loop (the named pipe's writer),
    so nothing here waits either; the deadline ends a reply the client never takes."""

    def __init__(self, local_socket: QLocalSocket, server: InstanceServer) -> None:
        super().__init__(server)
        local_socket.setParent(self)
        self.local_socket = local_socket
        local_socket.readyRead.connect(self._read)
        local_socket.disconnected.connect(self.drop)  # the client hung up, or the reply went out and it closed

    def _read(self) -> None:
        self.received(bytes(self.local_socket.readAll().data()))

    def send(self, payload: bytes) -> None:
        self.local_socket.readyRead.disconnect(self._read)
        self.local_socket.write(payload)
        self.local_socket.disconnectFromServer()  # closes once the reply is written, without waiting for it here

    def _close(self) -> None:
        self.local_socket.disconnected.disconnect(self.drop)
        self.local_socket.abort()  # a reply still queued is dropped
