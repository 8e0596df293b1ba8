"""The socket is private or refused (issue 13): never a predictable name in a shared /tmp, the client sends the rep's
words only to a process of the rep's own (SO_PEERCRED), and the app says so when it cannot listen privately.
Another Unix user, created in the test, binds the fallback path first."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.core.ipc import Request, fallback_socket_folder, socket_name
from companion.ipc_client import ForeignSocket, send
from tests import desktop
from tests.faults import other_user

SERVER = """
import os, socket, sys
path, seen = sys.argv[1], sys.argv[2]
os.makedirs(os.path.dirname(path), mode=0o777, exist_ok=True)
os.chmod(os.path.dirname(path), 0o777)
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
os.chmod(path, 0o777)
server.listen(5)
print("listening", flush=True)
while True:
    connection, _ = server.accept()
    try:  # a client that refuses us hangs up before we answer
        data = connection.recv(65536)
        if data:  # a client that refuses us sends nothing: no file at all then
            with open(seen, "ab") as out:
                out.write(data)
        connection.sendall(b'{"ok": true, "message": "Tagged a rough call (2 of 5).", "data": {}}\\n')
    except OSError:
        pass
    connection.close()
"""


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A world-writable sticky folder like /tmp, reachable by the other user (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="companion-shared-", dir="/tmp"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def long_data_dir(tmp_path: Path) -> Path:
    data = tmp_path / ("d" * 90) / "data"  # too long for a socket beside the data
    data.mkdir(parents=True)
    return data


def test_the_fallback_is_a_private_folder_never_a_bare_name_in_shared_tmp(tmp_path, shared_tmp, monkeypatch):
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(shared_tmp))
    name = Path(socket_name(long_data_dir(tmp_path)))
    assert name.parent == fallback_socket_folder() == shared_tmp / f"companion-{os.geteuid()}"
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert Path(socket_name(long_data_dir(tmp_path / "b"))).parent == tmp_path


def test_another_user_binding_the_fallback_path_gets_nothing_and_the_rep_is_told(tmp_path, shared_tmp, monkeypatch):
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(shared_tmp))
    data = long_data_dir(tmp_path)
    env = {**os.environ, "COMPANION_DATA_DIR": str(data)}  # offscreen, no session bus: set by conftest
    path = Path(socket_name(data))
    seen = shared_tmp / "seen-by-other-user"
    with other_user() as name:
        squatter = subprocess.Popen(["runuser", "-u", name, "--", "/usr/bin/python3", "-c", SERVER, str(path),
                                     str(seen)], stdout=subprocess.PIPE, text=True)  # fmt: skip
        try:
            assert squatter.stdout is not None and squatter.stdout.readline().strip() == "listening"
            app = desktop.start_companion(env)
            try:
                log = data / "logs" / "companion.log"
                desktop.wait_until(lambda: log.exists() and "not a private folder of your own" in log.read_text(),
                                   timeout=30, what="the app to refuse the folder")  # fmt: skip
                assert app.poll() is None  # it runs on, in the tray, and has told the rep
                secret = "my private words about that caller"
                tag = subprocess.run(desktop.companion_command("tag", "--severity", "2", "--note", "-"), env=env,
                                     input=secret, capture_output=True, text=True, timeout=30)  # fmt: skip
                assert tag.returncode == 1
                assert "belongs to another user" in tag.stderr and "Tagged" not in tag.stdout
                assert not seen.exists() or secret.encode() not in seen.read_bytes()
            finally:
                desktop.stop_process(app)
                _, errors = desktop.finish(app)
            assert "Traceback" not in errors
        finally:
            desktop.stop_process(squatter)


def test_the_client_refuses_a_socket_owned_by_another_user(tmp_path, shared_tmp, monkeypatch):
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(shared_tmp))
    data = long_data_dir(tmp_path)
    path = Path(socket_name(data))
    seen = shared_tmp / "seen"
    with other_user() as name:
        squatter = subprocess.Popen(["runuser", "-u", name, "--", "/usr/bin/python3", "-c", SERVER, str(path),
                                     str(seen)], stdout=subprocess.PIPE, text=True)  # fmt: skip
        try:
            assert squatter.stdout is not None and squatter.stdout.readline().strip() == "listening"
            with pytest.raises(ForeignSocket, match="belongs to another user"):
                send(data, Request("journal", {"kind": "win", "text": "secret win"}))
            assert not seen.exists()
        finally:
            desktop.stop_process(squatter)
