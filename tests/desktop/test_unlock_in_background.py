"""The tray answers while the journal unlocks (issue 15): the start-up keyring conversation is held open on purpose
by a helper that waits for the test's word, and meanwhile the tray menu opens, `companion status` says running,
and a rough call's note and a quick journal entry sent then are sealed once the journal opens, never written
plain."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from companion.platform.keyring_helper import HELPER_OVERRIDE_ENV
from tests import desktop

pytestmark = [pytest.mark.desktop]

NOTE = "held-open-canary-7731"
WIN = "held-open-win-canary-5512"


def companion(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(desktop.companion_command(*args), env=env, capture_output=True, text=True, timeout=30)


def popup_menu(env: dict[str, str]) -> desktop.Window | None:
    return next((w for w in desktop.visible_windows(env, "companion") if "POPUP_MENU" in w.types), None)


def test_the_tray_answers_while_the_keyring_is_slow_and_a_note_waits_sealed(settled_rep_env, tmp_path):
    release = tmp_path / "release-the-keyring"
    env = {**settled_rep_env, HELPER_OVERRIDE_ENV: desktop.held_keyring_helper(release)}
    data = Path(env["COMPANION_DATA_DIR"])
    app = desktop.start_companion(env, "--verbose")
    try:
        icon = desktop.wait_until(lambda: desktop.tray_icon(env), timeout=30, what="the tray icon")
        status = desktop.wait_until(lambda: (lambda s: s if s.get("running") else None)(desktop.status_json(env)),
                                    timeout=30, what="status to say running")  # fmt: skip
        assert status["journal_unlocked"] is False  # the keyring conversation is still held open

        desktop.click(env, *icon.center, button=3)
        desktop.wait_until(lambda: popup_menu(env), what="the tray menu to open while the keyring is held")
        desktop.press(env, "Escape")
        desktop.wait_until(lambda: popup_menu(env) is None, what="the tray menu to close")

        tagged = companion(env, "tag", "--severity", "2", "--note", NOTE)
        assert tagged.returncode == 0 and "sealed as soon as it opens" in tagged.stdout
        assert not desktop.status_json(env)["journal_unlocked"]
        assert desktop.files_containing(data, NOTE) == []  # waiting in memory only
        win = subprocess.run(desktop.companion_command("journal", "--win", "-"), env=env, input=WIN + "\n",
                             capture_output=True, text=True, timeout=30)  # fmt: skip
        assert win.returncode == 0 and "saved as soon as it opens" in win.stdout, win.stdout + win.stderr
        assert desktop.files_containing(data, WIN) == []
        with sqlite3.connect(f"file:{data / 'companion.db'}?mode=ro", uri=True) as db:
            entries_before = db.execute("SELECT count(*) FROM journal_entries").fetchone()[0]
        db.close()

        release.touch()
        desktop.wait_until(lambda: desktop.status_json(env).get("journal_unlocked"), timeout=30,
                           what="the journal to unlock once the keyring answers")  # fmt: skip
        with sqlite3.connect(f"file:{data / 'companion.db'}?mode=ro", uri=True) as db:
            desktop.wait_until(
                lambda: db.execute("SELECT content IS NOT NULL FROM rough_calls ORDER BY id DESC").fetchone()[0],
                what="the held note sealed into its rough call",
            )
            count = "SELECT count(*) FROM journal_entries"
            desktop.wait_until(lambda: db.execute(count).fetchone()[0] > entries_before,
                               what="the held quick entry sealed into the journal")  # fmt: skip
        db.close()
        assert desktop.files_containing(data, NOTE) == []  # sealed, never plain
        assert desktop.files_containing(data, WIN) == []
        assert companion(env, "quit").returncode == 0
        assert app.wait(timeout=15) == 0
    finally:
        _, errors = desktop.finish(app)
    assert "Traceback" not in errors
    assert "content sealed once the journal unlocked" in errors
