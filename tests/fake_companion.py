"""Something listening where the running Companion would, answering with the real protocol: for tests of the
command-line client, whose other side (the app's handlers) has its own tests."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from companion.core.ipc import Reply, Request, decode_request, encode_reply, socket_name
from companion.ipc_client import receive_line


@contextmanager
def answering_socket(data: Path, answers: int) -> Iterator[list[Request]]:
    """Answers up to `answers` connections with "did <command>"; yields the requests received, in order."""
    data.mkdir(parents=True, exist_ok=True)
    received: list[Request] = []
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_name(data))
    server.listen()
    server.settimeout(30)

    def answer() -> None:
        for _ in range(answers):
            try:
                connection, _address = server.accept()
            except OSError:
                return
            with connection:
                request = decode_request(receive_line(connection).strip())
                received.append(request)
                connection.sendall(encode_reply(Reply(True, f"did {request.command}")))

    thread = threading.Thread(target=answer)
    thread.start()
    try:
        yield received
    finally:
        server.close()  # an answer not needed (the command failed first) stops waiting at once
        thread.join(timeout=30)
