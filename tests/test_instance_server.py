"""The tray's socket server (companion.instance.InstanceServer) on a real Unix socket, driven by the real client.

It listens with the standard library and QSocketNotifier instead of QLocalServer (QtNetwork stays out of the tray);
these pin what QLocalServer did: a stale file at the path is replaced, the socket file is the rep's alone (0700),
one JSON line in, one reply line out, an oversized message is refused, a client that hangs up gets nothing, and
close() stops listening and removes the file. And what QLocalServer did not: a client that stops reading a reply
larger than the socket's buffer never holds the GUI thread, and its connection is dropped at its deadline. The
QLocalServer path Windows keeps runs here on a Unix socket, for the same promises.
"""

from __future__ import annotations

import os
import socket
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from companion.core.ipc import MAX_MESSAGE_BYTES, Reply, Request
from companion.instance import InstanceServer
from companion.ipc_client import exchange

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the Unix socket server; Windows keeps QLocalServer")


@pytest.fixture
def served(qapp, tmp_path: Path) -> Iterator[tuple[InstanceServer, list[Request], str]]:
    seen: list[Request] = []

    def ping(request: Request) -> Reply:
        seen.append(request)
        return Reply(True, "pong", {"running": True})

    name = str(tmp_path / "companion.sock")
    server = InstanceServer(name, {"ping": ping})
    yield server, seen, name
    server.close()
    server.deleteLater()


def in_thread(qtbot, work) -> bytes:
    """The client blocks; the server answers from this thread's event loop meanwhile."""
    result: list[bytes | BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as error:  # handed to the test below
            result.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    qtbot.waitUntil(lambda: bool(result), timeout=10_000)
    thread.join()
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


def test_a_stale_file_is_replaced_by_a_socket_only_the_rep_can_open(served) -> None:
    server, _seen, name = served
    Path(name).write_text("left behind by a crash")
    os.chmod(name, 0o666)

    assert server.listen() and server.is_listening()
    mode = os.stat(name).st_mode
    assert stat.S_ISSOCK(mode)
    assert stat.S_IMODE(mode) == 0o700  # what QLocalServer's UserAccessOption gave
    assert os.stat(name).st_uid == os.geteuid()


def test_one_line_in_one_reply_out_several_times(served, qtbot) -> None:
    server, seen, name = served
    assert server.listen()
    for _ in range(3):
        raw = in_thread(qtbot, lambda: exchange(name, b'{"command": "ping"}\n', 5))
        assert raw.endswith(b"\n") and b'"pong"' in raw
    assert [request.command for request in seen] == ["ping"] * 3
    qtbot.waitUntil(lambda: not server._connections)  # every connection was closed after its reply


def test_an_oversized_message_is_refused_and_no_handler_runs(served, qtbot) -> None:
    server, seen, name = served
    assert server.listen()
    raw = in_thread(qtbot, lambda: exchange(name, b"x" * (MAX_MESSAGE_BYTES + 1), 5))
    assert b"too large" in raw
    assert seen == []


def test_a_client_that_hangs_up_before_a_whole_line_gets_nothing_and_leaves_nothing(served, qtbot) -> None:
    server, seen, name = served
    assert server.listen()
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(name)
    client.sendall(b'{"command": "pi')
    qtbot.waitUntil(lambda: len(server._connections) == 1)
    client.close()
    qtbot.waitUntil(lambda: not server._connections)
    assert seen == []


def test_closing_stops_listening_and_removes_the_socket_file(served) -> None:
    server, _seen, name = served
    assert server.listen()
    server.close()
    assert not server.is_listening()
    assert not os.path.exists(name)
    with pytest.raises(OSError):
        exchange(name, b'{"command": "ping"}\n', 1)


def test_closing_drops_a_connection_whose_request_has_not_arrived_whole(served, qtbot) -> None:
    """Nothing outlives the server: a client still sending gets the end of the stream, no handler runs."""
    server, seen, name = served
    assert server.listen()
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(name)
    client.sendall(b'{"command": "pi')
    qtbot.waitUntil(lambda: len(server._connections) == 1)
    server.close()
    assert not server._connections
    client.settimeout(5)
    assert client.recv(100) == b""  # closed by the server, with no answer
    client.close()
    assert seen == []


def test_a_path_it_cannot_bind_is_a_sentence_for_the_rep(qapp, tmp_path: Path) -> None:
    server = InstanceServer(str(tmp_path / "no such folder" / "companion.sock"), {})
    try:
        assert not server.listen()
        assert server.problem is not None and "private socket" in server.problem
    finally:
        server.close()
        server.deleteLater()


def big_reply_server(tmp_path: Path, deadline_seconds: float, qt_local_server: bool = False) -> InstanceServer:
    """Answers `summary` with a reply many times the socket's buffer (as the week's summary can grow) and `ping`
    with a short one."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        buffer_size = probe.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    handlers = {
        "summary": lambda request: Reply(True, "x" * (8 * buffer_size)),
        "ping": lambda request: Reply(True, "pong"),
    }
    server = InstanceServer(str(tmp_path / "companion.sock"), handlers, reply_deadline_seconds=deadline_seconds,
                            qt_local_server=qt_local_server)  # fmt: skip
    assert server.listen()
    return server


def stuck_client(name: str) -> socket.socket:
    """Asks for the large reply and then reads nothing."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(name)
    client.sendall(b'{"command": "summary"}\n')
    return client


@contextmanager
def stuck_on_a_big_reply(tmp_path: Path, deadline_seconds: float,
                         qt_local_server: bool) -> Iterator[tuple[InstanceServer, socket.socket]]:  # fmt: skip
    """The big-reply server and a client stuck on its reply; both closed at the end (closing twice is harmless)."""
    server = big_reply_server(tmp_path, deadline_seconds, qt_local_server)
    client = stuck_client(server._name)
    try:
        yield server, client
    finally:
        client.close()
        server.close()
        server.deleteLater()


def read_to_the_end(client: socket.socket) -> bytes:
    client.settimeout(10)
    received = b""
    while chunk := client.recv(1 << 20):
        received += chunk
    return received


@pytest.mark.parametrize("qt_local_server", [False, True], ids=["unix socket", "QLocalServer"])
def test_a_client_that_stops_reading_a_large_reply_never_holds_the_gui_thread(qtbot, tmp_path, qt_local_server):
    ticks: list[int] = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start(5)
    try:
        with stuck_on_a_big_reply(tmp_path, 600, qt_local_server) as (server, _client):
            qtbot.waitUntil(lambda: len(server._connections) == 1)
            before = len(ticks)
            qtbot.waitUntil(lambda: len(ticks) >= before + 3)  # the event loop turns while the reply waits
            raw = in_thread(qtbot, lambda: exchange(server._name, b'{"command": "ping"}\n', 5))
            assert b'"pong"' in raw  # another client is answered meanwhile
            assert len(server._connections) == 1  # and the stuck reply is still on its way, not given up
    finally:
        ticker.stop()


@pytest.mark.parametrize("qt_local_server", [False, True], ids=["unix socket", "QLocalServer"])
def test_a_reply_not_taken_is_dropped_at_its_deadline(qtbot, tmp_path, qt_local_server):
    with stuck_on_a_big_reply(tmp_path, 0.2, qt_local_server) as (server, client):
        qtbot.waitUntil(lambda: len(server._connections) == 1)
        qtbot.waitUntil(lambda: not server._connections, timeout=10_000)
        received = read_to_the_end(client)  # what the socket held, then the end: never a whole reply
        assert not received.endswith(b"\n")


@pytest.mark.parametrize("qt_local_server", [False, True], ids=["unix socket", "QLocalServer"])
def test_closing_drops_a_reply_still_on_its_way(qtbot, tmp_path, qt_local_server):
    with stuck_on_a_big_reply(tmp_path, 600, qt_local_server) as (server, client):
        qtbot.waitUntil(lambda: len(server._connections) == 1)
        connection = next(iter(server._connections))
        qtbot.waitUntil(lambda: len(connection.request) > 0)  # the request arrived: the reply is being written
        server.close()
        assert not server._connections and connection.dropped  # its notifiers and deadline stopped with it
        assert not read_to_the_end(client).endswith(b"\n")


def test_a_reply_larger_than_the_socket_buffer_arrives_whole_for_a_client_that_reads(qtbot, tmp_path):
    server = big_reply_server(tmp_path, deadline_seconds=600)
    try:
        raw = in_thread(qtbot, lambda: exchange(server._name, b'{"command": "summary"}\n', 10))
        assert raw.endswith(b"\n") and len(raw) > 8 * 1024
        qtbot.waitUntil(lambda: not server._connections)
    finally:
        server.close()
        server.deleteLater()
