"""The week in review in the real app on a virtual desktop: Companion in the tray, `companion summary` from a
second process (as a keyboard shortcut would), the window on screen, a screenshot kept for a person to look at."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests import desktop
from tests.summary_fixtures import ordinary_weeks

pytestmark = pytest.mark.desktop


def _window_ids(env: dict[str, str], name: str) -> list[str]:
    xdotool = desktop.need("xdotool", "xdotool")
    found = subprocess.run(
        [xdotool, "search", "--onlyvisible", "--name", name], env=env, capture_output=True, text=True
    )
    return found.stdout.split()


def test_summary_command_opens_the_window_in_the_running_app(
    desktop_env: dict[str, str], tray_host: desktop.Service, tmp_path: Path
) -> None:
    data = tmp_path / "desktop-data"
    data.mkdir()
    with ordinary_weeks(data / "companion.db"):
        pass
    app = subprocess.Popen(
        desktop.companion_command("--data-dir", str(data)),
        env=desktop_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:

        def ask_for_summary() -> bool:
            command = desktop.companion_command("--data-dir", str(data), "summary")
            return subprocess.run(command, env=desktop_env, capture_output=True, timeout=30).returncode == 0

        desktop.wait_until(ask_for_summary, timeout=30, interval=0.3, what="Companion to answer `companion summary`")
        ids = desktop.wait_until(
            lambda: _window_ids(desktop_env, "Your week in review"), timeout=20, what="the week-in-review window"
        )
        assert len(ids) == 1
        # The week is put together on a worker ("Putting your week together…" first): wait until it is drawn.
        desktop.wait_until(
            lambda: desktop.screenshot(desktop_env, "summary-desktop").stat().st_size > 20_000,
            timeout=30, interval=0.5, what="the week's figures and charts drawn in the window",
        )  # fmt: skip
        quit_command = desktop.companion_command("--data-dir", str(data), "quit")
        assert subprocess.run(quit_command, env=desktop_env, capture_output=True, timeout=30).returncode == 0
        app.wait(timeout=20)
        assert app.returncode == 0
    finally:
        desktop.stop_process(app)
    log = (data / "logs" / "companion.log").read_text()
    assert "Calmed an angry caller" not in log and "billing" not in log  # no personal content in the log
