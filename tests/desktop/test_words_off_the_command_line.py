"""The rep's words stay off the command line (issue 13): `--note -` and `--win -` read standard input, a terminal
gets a prompt, and the argument forms say in --help that other users can see them. The real app, journal unlocked
through a real keyring."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import desktop

pytestmark = [pytest.mark.desktop]

READ_BACK = """
from companion.core.clock import SystemClock
from companion.core.crypto import Vault
from companion.core.journal import Journal
from companion.core.keys import KeyManager
from companion.core.paths import AppPaths
from companion.core.store import Store
from companion.platform.keyring_store import KeyringSecretStore

store = Store.open(AppPaths.resolve().database)
vault = Vault()
KeyManager(store, vault, KeyringSecretStore.detect(), SystemClock()).unlock_with_keyring()
for entry in Journal(store, vault, SystemClock()).search():
    print(entry.kind.value, entry.content.text if hasattr(entry.content, "text") else "")
store.close()
"""


@pytest.fixture
def app_env(secret_service, tmp_path):
    env = {**secret_service, "QT_QPA_PLATFORM": "offscreen", "COMPANION_DATA_DIR": str(tmp_path / "data")}
    desktop.set_up_journal(env)
    return env


def cli(env: dict[str, str], *args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(desktop.companion_command(*args), env=env, input=stdin, capture_output=True, text=True,
                          timeout=60)  # fmt: skip


def typed_at_a_terminal(env: dict[str, str], args: list[str], line: str) -> str:
    """Run the command with a pseudo-terminal as stdin and stderr, answer its prompt with `line`; all it wrote."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(desktop.companion_command(*args), env=env, stdin=follower, stdout=subprocess.PIPE,
                               stderr=follower, text=True)  # fmt: skip
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 60
    while b"Enter to send" not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            seen += os.read(leader, 1024)
    os.write(leader, line.encode() + b"\n")
    out, _ = process.communicate(timeout=60)
    os.close(leader)
    assert process.returncode == 0, (seen, out)
    return seen.decode(errors="replace") + out


def test_words_from_stdin_and_a_prompt_reach_the_journal_and_never_the_command_line(app_env):
    app = desktop.start_companion(app_env)
    try:
        data = Path(app_env["COMPANION_DATA_DIR"])
        desktop.wait_until(lambda: (data / "companion.sock").exists(), timeout=60, what="the app's socket")
        win = cli(app_env, "journal", "--win", "-", stdin="kept my calm with a shouting caller\n")
        assert win.returncode == 0 and "Saved to your journal." in win.stdout, win.stderr
        tagged = cli(app_env, "tag", "--severity", "2", "--note", "-", stdin="he called me useless")
        assert tagged.returncode == 0 and "Tagged a rough call" in tagged.stdout, tagged.stderr
        assert "not kept" not in tagged.stdout  # the note was kept (the journal is unlocked)
        said = typed_at_a_terminal(app_env, ["journal", "--gratitude"], "a colleague covered my break")
        assert "Your gratitude" in said and "Saved to your journal." in said
        empty = cli(app_env, "journal", "--note", "-", stdin="  \n")
        assert empty.returncode == 1 and "was empty, so nothing was sent" in empty.stderr
    finally:
        subprocess.run(desktop.companion_command("quit"), env=app_env, capture_output=True, timeout=30)
        _, errors = desktop.finish(app)
    assert "Traceback" not in errors
    stored = subprocess.run([sys.executable, "-c", READ_BACK], env=app_env, capture_output=True, text=True,
                            timeout=60, check=True).stdout  # fmt: skip
    assert "win kept my calm with a shouting caller" in stored
    assert "gratitude a colleague covered my break" in stored


def test_help_says_the_argument_forms_are_visible_to_other_users():
    for command in (["journal", "--help"], ["tag", "--help"]):
        shown = subprocess.run(desktop.companion_command(*command), capture_output=True, text=True, timeout=30)
        text = " ".join(shown.stdout.split())
        assert "can be seen by other users of this computer" in text
        assert "'-'" in text
