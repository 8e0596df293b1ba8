"""Bad input from outside never crashes Companion: command-line arguments and local-socket messages.

(Settings JSON is covered in tests/core/test_settings.py, the decoder alone in tests/core/test_paths_and_ipc.py.)
"""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.__main__ import build_parser
from companion.core.ipc import MAX_MESSAGE_BYTES, socket_name
from companion.ipc_client import exchange
from tests import desktop

WORDS = st.sampled_from(
    ["status", "tag", "export", "--json", "--severity", "9", "-1", "--week", "2026-W99", "x", "--format", "docx",
     "--data-dir", "", "--note", "\x00", "journal", "--win", "--tag"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS | st.text(max_size=12), max_size=6))
def test_any_arguments_parse_or_exit_with_usage(argv):
    try:
        build_parser().parse_args(argv)
    except SystemExit as leaving:
        assert leaving.code in (0, 2)  # --help/--version, or a usage message: never a traceback


@pytest.fixture(scope="module")
def running_app(tmp_path_factory):
    data = tmp_path_factory.mktemp("bad-input") / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COMPANION_DATA_DIR": str(data)}
    app = desktop.start_companion(env, "--verbose")
    desktop.wait_until(lambda: (data / "companion.sock").exists(), timeout=30, what="the app's socket")
    yield app, socket_name(data)
    _, errors = desktop.finish(app)
    assert "Traceback" not in errors


MESSAGES = (
    st.binary(max_size=512).map(lambda raw: raw.replace(b"\n", b"") + b"\n")
    | st.fixed_dictionaries(
        {"command": st.sampled_from(["tag", "journal", "break", "summary", "ping", "nope", ""]) | st.integers(),
         "args": st.dictionaries(st.sampled_from(["severity", "tags", "note", "kind", "text", "x"]),
                                 st.none() | st.booleans() | st.integers() | st.text(max_size=20)
                                 | st.lists(st.integers() | st.text(max_size=5), max_size=3), max_size=4)
         | st.integers() | st.text(max_size=5)}
    ).map(lambda message: (json.dumps(message) + "\n").encode())
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(MESSAGES)
def test_any_message_gets_an_answer_and_the_app_lives_on(running_app, payload):
    app, name = running_app
    reply = json.loads(exchange(name, payload))
    assert isinstance(reply["ok"], bool) and isinstance(reply["message"], str)
    if not reply["ok"]:
        assert reply["message"]  # a sentence, not silence
    assert app.poll() is None


def test_an_oversized_message_is_refused_and_the_app_lives_on(running_app):
    app, name = running_app
    reply = json.loads(exchange(name, b"x" * (MAX_MESSAGE_BYTES + 10)))
    assert reply == {"ok": False, "message": "The message was too large.", "data": {}}
    assert json.loads(exchange(name, b'{"command": "ping"}\n'))["ok"] is True
    assert app.poll() is None


def test_a_journal_kind_that_is_a_list_gets_a_sentence(running_app):
    """Found by the message fuzzing above: a list as the kind raised TypeError (unhashable) in the handler."""
    app, name = running_app
    payload = json.dumps({"command": "journal", "args": {"kind": ["win"], "text": "x"}}) + "\n"
    reply = json.loads(exchange(name, payload.encode()))
    assert reply["ok"] is False and reply["message"].startswith("A quick entry needs a kind")
    assert app.poll() is None
