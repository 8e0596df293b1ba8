"""Every top-level window and dialog fits the screen (issue 12, item 5): at QT_SCALE_FACTOR 1, 1.5 and 2 on a
1280×800 and a 1366×768 screen, under a window manager (openbox), each window lies inside the available area with
its frame and its primary buttons are visible. The windows are built by tests/ui/window_gallery.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests import desktop

pytestmark = [pytest.mark.desktop]


@pytest.fixture(scope="module", params=["1280x800", "1366x768"])
def screen(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    xvfb = desktop.start_xvfb(request.param)
    services = [xvfb]
    try:
        env = {**os.environ, **xvfb.env, "QT_QPA_PLATFORM": "xcb", "DBUS_SESSION_BUS_ADDRESS": "disabled:"}
        services.append(desktop.start_window_manager(env))
        yield env
    finally:
        for service in reversed(services):
            service.stop()


@pytest.mark.parametrize(("scale", "language"), [("1", "en"), ("1.5", "en"), ("2", "en"), ("2", "de"), ("2", "fr")])
def test_every_window_fits_with_its_buttons_visible(screen: dict[str, str], scale: str, language: str) -> None:
    """German and French run longest: at 200 % they are the hardest case for a window that must fit."""
    env = {**screen, "QT_SCALE_FACTOR": scale, "COMPANION_GALLERY_LANGUAGE": language}
    result = subprocess.run([sys.executable, "-m", "tests.ui.window_gallery", "report"], env=env,
                            capture_output=True, text=True, timeout=180, cwd=desktop.REPO)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    windows = json.loads(result.stdout)
    assert len(windows) >= 13
    problems = []
    for window in windows:
        if not window["fits"]:
            problems.append(f"{window['name']}: frame {window['frame']} outside {window['available']}")
        for button in window["buttons"]:
            if not (button["visible"] and button["on_screen"] and button["in_window"]):
                problems.append(f"{window['name']}: button {button['text']!r} not visible ({button})")
    assert problems == [], "\n".join(problems)


def test_a_keyboard_walk_through_every_window(screen: dict[str, str]) -> None:
    """Tab goes round every control and back, the focus is never on a hidden control, Esc closes (the recovery
    code excepted, before it is confirmed) and Ctrl+W closes, with real focus from openbox."""
    result = subprocess.run([sys.executable, "-m", "tests.ui.window_gallery", "walk"], env=screen,
                            capture_output=True, text=True, timeout=300, cwd=desktop.REPO)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    walks = json.loads(result.stdout)
    assert len(walks) >= 13
    for walk in walks:
        assert walk["focus"], f"{walk['name']} never got the focus"
        assert walk["came_back"] and walk["hidden_focus"] == [] and walk["unreached"] == [], walk
        assert walk["esc_closes"] == walk["esc_should_close"], walk
        assert walk["ctrl_w_closes"], walk
