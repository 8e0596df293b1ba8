"""The real app under Xvfb with a real tray host: the icon embeds, its menu opens, Quit quits; one instance only."""

import subprocess

import pytest

from tests import desktop

pytestmark = [pytest.mark.desktop]


@pytest.fixture
def app_env(desktop_env, tray_host, tmp_path):
    return {**desktop_env, "QT_QPA_PLATFORM": "xcb", "COMPANION_DATA_DIR": str(tmp_path / "data")}


def first_run_window(env) -> bool:
    title = "^(Choose a passphrase|Your recovery code|Welcome to Companion)$"
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", title], env=env,
                           capture_output=True, text=True).stdout  # fmt: skip
    return bool(found.split())


def popup_menu(env):
    return next((w for w in desktop.visible_windows(env, "companion") if "POPUP_MENU" in w.types), None)


def test_icon_embeds_in_the_tray_menu_opens_and_quit_quits(app_env):
    app = desktop.start_companion(app_env)
    try:
        icon = desktop.wait_until(lambda: desktop.tray_icon(app_env), timeout=20, what="the tray icon")
        assert "panel" in " ".join(desktop.ancestor_names(app_env, icon.id))  # embedded in trayer, not floating
        # The icon now shows before the features finish loading: let the first run's window (a passphrase, or the
        # recovery code when a keyring from another test is on the bus) come up first, or it would take the
        # keyboard from the menu half-way through.
        desktop.wait_until(lambda: first_run_window(app_env), timeout=30, what="the first run's window")
        desktop.click(app_env, *icon.center, button=3)
        menu = desktop.wait_until(lambda: popup_menu(app_env), what="the tray menu")
        assert menu.width > 100 and menu.height > 40
        desktop.screenshot(app_env, "foundation-tray-menu")
        desktop.press(app_env, "Up", "Return")  # Up from nothing selects the last item: Quit
        assert app.wait(timeout=10) == 0
    finally:
        _, errors = desktop.finish(app)
    assert "Traceback" not in errors


def test_second_instance_hands_over_and_exits_zero(app_env):
    app = desktop.start_companion(app_env, "--verbose")
    try:
        desktop.wait_until(lambda: desktop.tray_icon(app_env), timeout=20, what="the tray icon")
        second = subprocess.run(desktop.companion_command(), env=app_env, capture_output=True, text=True, timeout=30)
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        status = subprocess.run(
            desktop.companion_command("status", "--json"), env=app_env, capture_output=True, text=True, timeout=30
        )
        assert '"running": true' in status.stdout
        quit_reply = subprocess.run(desktop.companion_command("quit"), env=app_env, capture_output=True, text=True)
        assert quit_reply.returncode == 0
        assert app.wait(timeout=10) == 0
    finally:
        _, errors = desktop.finish(app)
    assert "a second Companion asked this one to show itself" in errors
