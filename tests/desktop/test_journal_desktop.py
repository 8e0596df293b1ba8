"""The real app under Xvfb with a real tray host and an unlocked gnome-keyring: the first run keeps the journal key
in the keyring and shows the recovery code once; the next start opens the journal from the keyring, no prompt."""

from __future__ import annotations

import subprocess

import pytest

from companion.core.day_schedule import GREETINGS
from tests import desktop

pytestmark = [pytest.mark.desktop]


@pytest.fixture
def app_env(secret_service, tray_host, tmp_path):
    return {**secret_service, "QT_QPA_PLATFORM": "xcb", "COMPANION_DATA_DIR": str(tmp_path / "data")}


def window_named(env, title: str) -> int | None:
    xdotool = desktop.need("xdotool", "xdotool")
    found = subprocess.run(
        [xdotool, "search", "--onlyvisible", "--name", f"^{title}$"], env=env, capture_output=True, text=True
    ).stdout.split()
    return int(found[0]) if found else None


def companion(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(desktop.companion_command(*args), env=env, capture_output=True, text=True, timeout=30)


def test_first_run_keeps_the_key_in_the_keyring_and_the_next_start_needs_no_prompt(app_env):
    xdotool = desktop.need("xdotool", "xdotool")
    app = desktop.start_companion(app_env, "--verbose")
    try:
        dialog = desktop.wait_until(lambda: window_named(app_env, "Welcome to Companion"), timeout=30,
                                    what="the welcome with the recovery code")  # fmt: skip
        desktop.screenshot(app_env, "journal-first-run-recovery-code")
        assert desktop.status_json(app_env)["journal_key"] == "system keyring, with a recovery code"
        subprocess.run([xdotool, "windowfocus", "--sync", str(dialog)], env=app_env, check=True, timeout=10)
        # From "Start Companion when I log in" past Copy, Save and Print to "written down": tick it, then Done.
        desktop.press(app_env, "Tab", "Tab", "Tab", "Tab", "space", "Tab", "Return")
        desktop.wait_until(lambda: window_named(app_env, "Welcome to Companion") is None, what="the dialog to close")
        greetings = "(" + "|".join(GREETINGS) + ")"
        assert window_named(app_env, greetings) is None  # the first start is a welcome, not a greeting
        assert companion(app_env, "journal").returncode == 0
        desktop.wait_until(lambda: window_named(app_env, "Journal · Companion"), what="the journal window")
        desktop.screenshot(app_env, "journal-first-run-window")
        assert desktop.status_json(app_env)["journal_unlocked"] is True
        assert companion(app_env, "quit").returncode == 0
        assert app.wait(timeout=15) == 0
    finally:
        _, errors = desktop.finish(app)
    assert "Traceback" not in errors

    again = desktop.start_companion(app_env, "--verbose")
    try:
        desktop.wait_until(
            lambda: desktop.status_json(app_env).get("journal_unlocked"), timeout=30, what="a keyring unlock"
        )
        assert window_named(app_env, "Unlock your journal") is None
        assert companion(app_env, "quit").returncode == 0
        assert again.wait(timeout=15) == 0
    finally:
        _, errors = desktop.finish(again)
    assert "Traceback" not in errors
    assert "journal unlocked" in errors
