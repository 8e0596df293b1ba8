"""Where files go, atomic private writes, and the local-socket protocol's strictness."""

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.core.clock import FakeClock
from companion.core.ipc import (
    MAX_MESSAGE_BYTES,
    IpcError,
    Reply,
    Request,
    decode_reply,
    decode_request,
    encode_reply,
    encode_request,
    socket_name,
)
from companion.core.paths import DATA_DIR_ENV, AppPaths, write_private_atomically


def test_data_dir_option_beats_environment(tmp_path):
    paths = AppPaths.resolve(tmp_path / "option", env={DATA_DIR_ENV: str(tmp_path / "env")})
    assert paths.data == tmp_path / "option"
    assert AppPaths.resolve(None, env={DATA_DIR_ENV: str(tmp_path / "env")}).data == tmp_path / "env"


def test_platform_folders_are_used_without_an_override(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    paths = AppPaths.resolve(None, env={})
    assert paths.data == tmp_path / "xdg-data" / "companion"
    assert paths.config == tmp_path / "xdg-config" / "companion"


def test_atomic_write_leaves_the_old_file_when_it_fails(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "file.json"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        write_private_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["file.json"]  # no temporary file left behind


def test_request_round_trip():
    request = Request("tag", {"severity": 3})
    assert decode_request(encode_request(request).rstrip(b"\n")) == request
    reply = Reply(True, "saved", {"id": 4})
    assert decode_reply(encode_reply(reply)) == reply


@pytest.mark.parametrize(
    "raw, problem",
    [
        (b"", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1]", "not a JSON object"),
        (b'{"command": "format-disk"}', "unknown command"),
        (b'{"command": "tag", "args": [1]}', "args must be"),
        (b'{"command": 5}', "unknown command"),
        (b"x" * (MAX_MESSAGE_BYTES + 1), "larger than"),
    ],
)
def test_malformed_requests_are_refused_with_a_reason(raw, problem):
    with pytest.raises(IpcError, match=problem):
        decode_request(raw)


@given(st.binary(max_size=2048))
def test_no_bytes_crash_the_request_decoder(raw):
    with contextlib.suppress(IpcError):
        decode_request(raw)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12))  # fmt: skip
def test_no_json_value_crashes_the_request_decoder(value):
    try:
        request = decode_request(json.dumps(value).encode())
    except IpcError:
        return
    assert isinstance(request.args, dict)


def test_socket_name_is_per_data_folder_and_fits_a_unix_socket(tmp_path):
    first, second = socket_name(tmp_path / "a"), socket_name(tmp_path / "b")
    assert first != second
    long_folder = tmp_path / ("x" * 150)
    assert len(socket_name(long_folder)) < 108


def test_fake_clock_separates_wall_and_monotonic_time():
    clock = FakeClock()
    start_wall, start_mono = clock.now(), clock.monotonic()
    clock.advance(10)
    clock.jump_wall(-3600)
    clock.sleep_machine(600)
    assert clock.monotonic() - start_mono == 10
    assert (clock.now() - start_wall).total_seconds() == 10 - 3600 + 600
