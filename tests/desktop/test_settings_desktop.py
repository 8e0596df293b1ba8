"""The real Companion on the virtual desktop: `companion settings` from a terminal opens the window on X."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from companion.core.ipc import IpcError, Request
from companion.ipc_client import NoRunningInstance, send
from tests import desktop

pytestmark = pytest.mark.desktop


def test_companion_settings_opens_the_window_on_the_desktop(
    desktop_env: dict[str, str], tray_host: desktop.Service, private_home: Path, tmp_path: Path
) -> None:
    xdotool = desktop.need("xdotool", "xdotool")
    data = tmp_path / "data"
    env = {**desktop_env, "HOME": str(private_home), "XDG_CONFIG_HOME": str(private_home / ".config")}
    env.pop("COMPANION_DATA_DIR", None)
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as stderr:
        app = subprocess.Popen(
            [*desktop.companion_command("--data-dir", str(data))],
            env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True,
        )  # fmt: skip
    try:

        def answers() -> bool:
            try:
                return send(data, Request("ping"), timeout=1).ok
            except (NoRunningInstance, IpcError, OSError):  # not listening yet, or busy starting
                return False

        desktop.wait_until(answers, timeout=20, what="Companion to answer on its socket")
        opened = subprocess.run(
            [*desktop.companion_command("--data-dir", str(data), "settings")], env=env, capture_output=True, text=True
        )
        assert opened.returncode == 0, opened.stderr
        assert opened.stdout.strip() == "The Settings window is open."

        def window_id() -> str:
            found = subprocess.run(
                [xdotool, "search", "--onlyvisible", "--name", "^Companion Settings$"],
                env=env,
                capture_output=True,
                text=True,
            )
            return found.stdout.strip()

        desktop.wait_until(window_id, timeout=10, what="the Settings window on the X display")
        geometry = subprocess.run(
            [xdotool, "getwindowgeometry", window_id().splitlines()[0]], env=env, capture_output=True, text=True
        ).stdout
        width, height = (int(n) for n in geometry.split("Geometry:")[1].split()[0].split("x"))
        assert width >= 620 and height >= 520
        shot = desktop.screenshot(env, "settings-on-xvfb")
        assert shot.stat().st_size > 10_000

        quit_reply = send(data, Request("quit"))
        assert quit_reply.ok
        assert app.wait(15) == 0
    finally:
        desktop.stop_process(app)
    assert "Traceback" not in errors.read_text(), errors.read_text()
