"""One Companion per user: a QLockFile says who runs, a QLocalServer takes requests from later processes."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

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

log = logging.getLogger(__name__)

Handler = Callable[[Request], Reply]

CLOSING_MESSAGE = N_("Companion is closing. Start it again in a moment, then try once more.")


def closing_reply() -> Reply:
    """What every request gets once shutdown has begun, in the rep's language."""
    return Reply(False, _(CLOSING_MESSAGE))


class InstanceLock:
    def __init__(self, lock_path: Path) -> None:
        self._lock = QLockFile(str(lock_path))
        # A lock whose process is gone is removed by QLockFile itself; 0 disables the age rule so a long-running
        # instance is never taken for stale.
        self._lock.setStaleLockTime(0)

    def acquire(self) -> bool:
        return self._lock.tryLock(100)

    def release(self) -> None:
        self._lock.unlock()


class InstanceServer(QObject):
    """Reads one JSON line per connection, hands it to the handler for its command, writes the reply."""

    def __init__(self, name: str, handlers: dict[str, Handler], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handlers = handlers
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._name = name
        self.problem: str | None = None
        self.closing = False

    def refuse_commands(self) -> None:
        """Shutdown has begun: every request from now on gets the closing reply, and no handler runs."""
        self.closing = True

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
        # The lock is ours, so a socket left by a crashed instance is stale: remove it before listening.
        QLocalServer.removeServer(self._name)
        if not self._server.listen(self._name):
            log.error("could not listen on %s: %s", self._name, self._server.errorString())
            self.problem = _(
                "Companion could not open its private socket ({error}), so `companion tag` "
                "and keyboard shortcuts cannot reach it. Restart Companion; if this stays, the log has details."
            ).format(error=self._server.errorString())
            return False
        return True

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            buffer = bytearray()
            connection.readyRead.connect(lambda c=connection, b=buffer: self._read(c, b))
            connection.disconnected.connect(connection.deleteLater)

    def _read(self, connection: QLocalSocket, buffer: bytearray) -> None:
        buffer += bytes(connection.readAll().data())
        if len(buffer) > MAX_MESSAGE_BYTES:
            self._answer(connection, Reply(False, _("The message was too large.")))
            return
        if b"\n" not in buffer:
            return
        line = bytes(buffer[: buffer.index(b"\n")])
        self._answer(connection, self._dispatch(line))

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

    def _answer(self, connection: QLocalSocket, reply: Reply) -> None:
        connection.write(encode_reply(reply))
        connection.flush()
        connection.disconnectFromServer()
