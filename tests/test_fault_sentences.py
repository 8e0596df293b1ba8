"""Errors carry their sentence (issue 13): through the socket, at the command line, for every bad input the attack
found. The real app on a real socket; the database read afterwards to show nothing was stored."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from companion.core.ipc import socket_name
from companion.core.rough_calls import MAX_NOTE_CHARS
from companion.core.store import BUSY_TIMEOUT_MS
from companion.ipc_client import TIMEOUT_SECONDS, exchange
from tests import desktop
from tests.faults import HeldLock


@pytest.fixture(scope="module")
def running_app(tmp_path_factory):
    data = tmp_path_factory.mktemp("sentences") / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COMPANION_DATA_DIR": str(data)}
    app = desktop.start_companion(env, "--verbose")
    desktop.wait_until(lambda: (data / "companion.sock").exists(), timeout=30, what="the app's socket")
    yield app, data, env
    subprocess.run(desktop.companion_command("quit"), env=env, capture_output=True, timeout=30)
    _, errors = desktop.finish(app)
    assert "Traceback" not in errors


def ask(data: Path, message: object | bytes) -> dict:
    raw = message if isinstance(message, bytes) else (json.dumps(message) + "\n").encode()
    return json.loads(exchange(socket_name(data), raw))


def rough_calls(data: Path) -> int:
    with sqlite3.connect(data / "companion.db") as conn:
        count = conn.execute("SELECT count(*) FROM rough_calls").fetchone()[0]
    conn.close()
    return int(count)


def test_the_client_waits_longer_than_the_database_does():
    assert TIMEOUT_SECONDS > BUSY_TIMEOUT_MS / 1000 + 2


def test_a_severity_sent_as_3_point_0_is_refused_and_nothing_is_stored(running_app):
    _app, data, _ = running_app
    before = rough_calls(data)
    reply = ask(data, {"command": "tag", "args": {"severity": 3.0}})
    assert reply["ok"] is False and "whole number from 1 to 5" in reply["message"]
    assert rough_calls(data) == before


def test_a_note_over_the_limit_is_refused_with_a_sentence_and_nothing_is_stored(running_app):
    _app, data, _ = running_app
    before = rough_calls(data)
    reply = ask(data, {"command": "tag", "args": {"severity": 2, "note": "x" * (MAX_NOTE_CHARS + 1)}})
    assert reply["ok"] is False and "more than the 2,000 Companion keeps" in reply["message"]
    assert rough_calls(data) == before


def test_json_nested_5000_deep_on_the_socket_gets_a_sentence(running_app):
    app, data, _ = running_app
    reply = ask(data, b"[" * 5000 + b"]" * 5000 + b"\n")
    assert reply["ok"] is False and reply["message"].startswith("Companion did not understand that request")
    deep = b'{"command": "tag", "args": ' + b'{"a":' * 5000 + b"1" + b"}" * 5001 + b"\n"
    assert ask(data, deep)["ok"] is False
    assert app.poll() is None


def test_invalid_utf8_sent_raw_gets_a_sentence_and_nothing_is_stored(running_app):
    _app, data, _ = running_app
    before = rough_calls(data)
    reply = ask(data, b'{"command": "tag", "args": {"severity": 2, "note": "\xff\xfe"}}\n')
    assert reply["ok"] is False and reply["message"]
    lone = b'{"command": "tag", "args": {"severity": 2, "note": "\\udcff"}}\n'  # valid JSON, not storable text
    reply = ask(data, lone)
    assert reply["ok"] is False and "not valid UTF-8" in reply["message"]
    assert rough_calls(data) == before


def test_invalid_utf8_in_win_on_the_command_line_gets_a_sentence(running_app):
    _app, _data, env = running_app
    command = [os.fsencode(part) for part in desktop.companion_command("journal", "--win")] + [b"caf\xe9 \xff"]
    result = subprocess.run(command, env=env, capture_output=True, timeout=30)
    assert result.returncode == 1
    assert b"not valid UTF-8" in result.stderr and b"Traceback" not in result.stderr


def test_a_write_held_up_by_a_lock_answers_with_its_own_sentence_before_the_client_gives_up(running_app):
    app, data, env = running_app
    before = rough_calls(data)
    with HeldLock(data / "companion.db"):
        result = subprocess.run(desktop.companion_command("tag", "--severity", "2"), env=env, capture_output=True,
                                text=True, timeout=60)  # fmt: skip
    assert result.returncode == 1
    assert "busy in another program; nothing was saved" in result.stdout + result.stderr
    assert "did not answer in time" not in result.stderr and "internal error" not in result.stdout
    assert rough_calls(data) == before
    assert app.poll() is None


@pytest.mark.parametrize("week", ["0001-W01", "9999-W52", "0000-W01"])
def test_weeks_at_the_ends_of_the_calendar_get_a_sentence(running_app, week, tmp_path):
    _app, _data, env = running_app
    result = subprocess.run(desktop.companion_command("export", "--week", week, "--format", "json", "--output",
                                                      str(tmp_path / "w.json")), env=env, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "OverflowError" not in result.stderr
    assert "write a week like 2026-W47" in result.stderr
