"""Nothing personal in the logs or anywhere else on disk after a session of tagging and journal use on the real app.

The app runs with --verbose (every log line, also to the terminal), the rep tags rough calls with categories and a
note and writes quick journal entries, each carrying a unique canary; after quitting, every file under the data,
config, log and home folders, and the app's own terminal output, is searched for the canaries as bytes.
"""

import subprocess
import uuid

import pytest

from companion.core.paths import AppPaths
from tests import desktop

pytestmark = [pytest.mark.desktop]


def test_a_session_leaves_no_personal_words_in_logs_or_files(settled_rep_env, private_home):
    env = settled_rep_env
    note, tag, win, gratitude = (f"canary-{kind}-{uuid.uuid4().hex}" for kind in ("note", "tag", "win", "thanks"))
    app = desktop.start_companion(env, "--verbose")

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(desktop.companion_command(*args), env=env, capture_output=True, text=True, timeout=30)

    try:
        desktop.wait_until(lambda: '"journal_unlocked": true' in cli("status", "--json").stdout, timeout=30,
                           interval=0.2, what="the journal to unlock from the keyring")  # fmt: skip
        tagged = cli("tag", "--severity", "4", "--tag", tag, "--tag", "yelling", "--note", note)
        assert tagged.returncode == 0 and "not kept" not in tagged.stdout, tagged.stdout
        assert cli("journal", "--win", win).returncode == 0
        assert cli("journal", "--gratitude", gratitude).returncode == 0
        assert cli("quit").returncode == 0
        assert app.wait(timeout=15) == 0
    finally:
        out, errors = desktop.finish(app)
    canaries = [note, tag, win, gratitude]
    assert not [c for c in canaries if c in out + errors], "a personal word reached the app's own output"
    paths = AppPaths.resolve(env["COMPANION_DATA_DIR"])
    assert "journal entry" in paths.log_file.read_text() or "rough call" in paths.log_file.read_text()
    for folder in {paths.data, paths.config, paths.logs, private_home}:
        for canary in canaries:
            assert desktop.files_containing(folder, canary) == [], f"plain personal words under {folder}"
