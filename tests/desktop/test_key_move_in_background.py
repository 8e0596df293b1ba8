"""The tray answers while the journal key moves into the keyring (issue 15): a passphrase rep chooses the keyring in
Settings, the keyring conversation is held open on purpose by a helper that waits for the test's word, and meanwhile
the tray menu opens and `companion status` says running; once the keyring answers, the key is where the setting says,
and the next start opens the journal from the keyring without asking."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from companion.core.paths import AppPaths
from companion.platform.keyring_helper import HELPER_OVERRIDE_ENV
from tests import desktop

pytestmark = [pytest.mark.desktop]

PASSPHRASE = "quiet harbour lights"
KEYRING = "system keyring, with a recovery code"

_SET_UP_PASSPHRASE_REP = """
import sys
from companion.core.clock import SystemClock
from companion.core.crypto import Vault
from companion.core.journal import CheckIn, EntryKind, Journal
from companion.core.keys import KeyManager, ScryptParams
from companion.core.paths import AppPaths
from companion.core.settings import Settings, save_settings
from companion.core.store import Store

paths = AppPaths.resolve()
paths.ensure()
store = Store.open(paths.database)
vault, clock = Vault(), SystemClock()
KeyManager(store, vault, None, clock, ScryptParams(log2_n=12)).set_up(passphrase=sys.argv[1])
Journal(store, vault, clock).add(EntryKind.CHECKIN, CheckIn(4, 3, "one call at a time"))
store.close()
save_settings(Settings().with_value("privacy", "key_storage", "passphrase"), paths.settings_file)
"""


def held_helper(hold: Path, started: Path) -> str:
    """The real keyring helper; while `hold` exists it waits first (having touched `started`), so a conversation
    begun then stays open until the test removes `hold`."""
    script = 'if [ -e "$1" ]; then touch "$2"; fi; while [ -e "$1" ]; do sleep 0.05; done; exec "$3" -m "$4"'
    return shlex.join(["sh", "-c", script, "held-keyring-helper", str(hold), str(started), sys.executable,
                       "companion.platform.keyring_helper"])  # fmt: skip


def window_named(env: dict[str, str], title: str) -> str | None:
    xdotool = desktop.need("xdotool", "xdotool")
    found = subprocess.run([xdotool, "search", "--onlyvisible", "--name", f"^{title}$"], env=env,
                           capture_output=True, text=True).stdout.split()  # fmt: skip
    return found[0] if found else None


def popup_menu(env: dict[str, str]) -> desktop.Window | None:
    return next((w for w in desktop.visible_windows(env, "companion") if "POPUP_MENU" in w.types), None)


def key_storage_setting(env: dict[str, str]) -> str:
    settings_file = AppPaths.resolve(env["COMPANION_DATA_DIR"]).settings_file
    return str(json.loads(settings_file.read_text(encoding="utf-8")).get("privacy", {}).get("key_storage"))


def passphrase_rep_moving_to_a_held_keyring(env: dict[str, str], hold: Path, started: Path) -> subprocess.Popen:
    """A passphrase rep's app, unlocked, with the key on its way to the keyring and the keyring held."""
    xdotool = desktop.need("xdotool", "xdotool")
    subprocess.run([sys.executable, "-c", _SET_UP_PASSPHRASE_REP, PASSPHRASE], env=env, check=True, timeout=60)
    app = desktop.start_companion(env, "--verbose")
    dialog = desktop.wait_until(lambda: window_named(env, "Unlock your journal"), timeout=30,
                                what="the unlock dialog")  # fmt: skip
    subprocess.run([xdotool, "windowfocus", "--sync", str(dialog)], env=env, check=True, timeout=10)
    subprocess.run([xdotool, "type", "--delay", "5", PASSPHRASE], env=env, check=True, timeout=30)
    desktop.press(env, "Return")
    desktop.wait_until(lambda: desktop.status_json(env).get("journal_unlocked"), timeout=30, what="the unlock")
    assert desktop.status_json(env)["journal_key"] == "passphrase, with a recovery code"

    # Settings, Privacy, "Keep the journal key in": the keyring. Wide enough that every tab shows (no scroll
    # buttons), the first Tab from the tab bar reaches the page's first field, this choice.
    hold.touch()
    assert subprocess.run(desktop.companion_command("settings"), env=env, timeout=30).returncode == 0
    settings = desktop.wait_until(lambda: window_named(env, "Companion Settings"), what="the Settings window")
    subprocess.run([xdotool, "windowsize", "--sync", str(settings), "1200", "700"], env=env, timeout=10)
    subprocess.run([xdotool, "windowfocus", "--sync", str(settings)], env=env, check=True, timeout=10)
    desktop.press(env, *["Right"] * 6, "Tab", "Up")  # Work ... Hotkeys, Privacy; the key storage; the keyring
    desktop.wait_until(started.exists, timeout=15, what="the keyring asked to keep the key (and held)")
    return app


def test_the_tray_answers_while_the_key_moves_to_a_slow_keyring(secret_service, tray_host, pulseaudio, tmp_path):
    hold, started = tmp_path / "hold-the-keyring", tmp_path / "keyring-asked"
    env = {**secret_service, **pulseaudio, "QT_QPA_PLATFORM": "xcb", "COMPANION_DATA_DIR": str(tmp_path / "data"),
           HELPER_OVERRIDE_ENV: held_helper(hold, started)}  # fmt: skip
    app = passphrase_rep_moving_to_a_held_keyring(env, hold, started)
    try:
        status = desktop.status_json(env)
        assert status.get("running") and status["journal_unlocked"] is True
        assert status["journal_key"] == "passphrase, with a recovery code"  # not moved yet: the keyring is held
        icon = desktop.wait_until(lambda: desktop.tray_icon(env), what="the tray icon")
        desktop.click(env, *icon.center, button=3)
        desktop.wait_until(lambda: popup_menu(env), what="the tray menu to open while the key moves")
        desktop.press(env, "Escape")
        desktop.wait_until(lambda: popup_menu(env) is None, what="the tray menu to close")

        hold.unlink()
        desktop.wait_until(lambda: desktop.status_json(env).get("journal_key") == KEYRING, timeout=30,
                           what="the key in the keyring once it answers")  # fmt: skip
        desktop.wait_until(lambda: key_storage_setting(env) == "keyring", what="the setting saying so")
        assert subprocess.run(desktop.companion_command("quit"), env=env, timeout=30).returncode == 0
        assert app.wait(timeout=15) == 0
    finally:
        _, errors = desktop.finish(app)
    assert "Traceback" not in errors

    again = desktop.start_companion(env, "--verbose")  # tomorrow: the keyring opens it, nothing is asked
    try:
        desktop.wait_until(lambda: desktop.status_json(env).get("journal_unlocked"), timeout=30,
                           what="a keyring unlock")  # fmt: skip
        assert window_named(env, "Unlock your journal") is None
        assert subprocess.run(desktop.companion_command("quit"), env=env, timeout=30).returncode == 0
        assert again.wait(timeout=15) == 0
    finally:
        _, errors = desktop.finish(again)
    assert "Traceback" not in errors


def test_a_quit_while_the_key_moves_ends_at_once_and_the_key_stays_where_it_was(
    secret_service, tray_host, pulseaudio, tmp_path
):
    """The keyring call in flight is ended at quit, not waited for to its 15 s limit; the passphrase still opens
    the journal at the next start, and the setting still says passphrase."""
    hold, started = tmp_path / "hold-the-keyring", tmp_path / "keyring-asked"
    env = {**secret_service, **pulseaudio, "QT_QPA_PLATFORM": "xcb", "COMPANION_DATA_DIR": str(tmp_path / "data"),
           HELPER_OVERRIDE_ENV: held_helper(hold, started)}  # fmt: skip
    app = passphrase_rep_moving_to_a_held_keyring(env, hold, started)
    try:
        assert subprocess.run(desktop.companion_command("quit"), env=env, timeout=30).returncode == 0
        assert app.wait(timeout=10) == 0  # the held child's own limit is 15 s: this quit did not wait for it
    finally:
        _, errors = desktop.finish(app)
        hold.unlink(missing_ok=True)
    assert "Traceback" not in errors
    assert key_storage_setting(env) == "passphrase"

    again = desktop.start_companion(env, "--verbose")
    try:
        desktop.wait_until(lambda: window_named(env, "Unlock your journal"), timeout=30,
                           what="the passphrase asked for, as before the move")  # fmt: skip
        desktop.wait_until(lambda: desktop.status_json(env).get("running"), what="the app to answer")
        quit = subprocess.run(desktop.companion_command("quit"), env=env, timeout=30, capture_output=True, text=True)
        assert quit.returncode == 0, quit.stdout + quit.stderr
        assert again.wait(timeout=15) == 0
    finally:
        _, errors = desktop.finish(again)
    assert "Traceback" not in errors
