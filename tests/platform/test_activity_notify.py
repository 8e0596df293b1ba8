"""Notifications: plyer's notify-send backend reaches a real dunst on a private bus; failures fall back, once logged."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import pytest

from companion.platform.notify import Notifier, plyer_backend
from tests import desktop

SEND_IN_CHILD = """
import sys, warnings
warnings.simplefilter("error")
from companion.platform.notify import Notifier
shown = []
notifier = Notifier(lambda title, text: shown.append(title))
print(notifier.name)
print(notifier.notify(sys.argv[1], "Stand up, look out of the window, breathe out slowly."))
"""


def read_until(stream: IO[bytes], text: str, timeout: float = 10.0) -> str:
    """What a child writes to its pipe, until it holds `text`; fails after `timeout` instead of blocking forever."""
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        ready, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(stream.fileno(), 65536) if ready else b""
        assert chunk, f"no {text!r} from dbus-monitor within {timeout} s; saw {seen[-500:]!r}"
        seen += chunk
    return seen.decode("utf-8", "replace")


def test_a_nudge_reaches_the_notification_daemon(notification_daemon: Path, desktop_env: dict[str, str]) -> None:
    desktop.need("notify-send", "libnotify-bin")
    monitor_tool = desktop.need("dbus-monitor", "dbus")
    title = f"Time for a short break {os.getpid()}"
    env = {key: value for key, value in desktop_env.items() if key != "QT_QPA_PLATFORM"}
    watch = "type=method_call,interface=org.freedesktop.Notifications,member=Notify"
    monitor = subprocess.Popen(
        [monitor_tool, "--session", watch], env=env, stdout=subprocess.PIPE, start_new_session=True
    )
    assert monitor.stdout is not None
    try:
        read_until(monitor.stdout, "NameAcquired")  # the monitor is listening
        # A child process: this test process keeps its session bus disabled, the child gets the real one.
        result = subprocess.run(
            [sys.executable, "-c", SEND_IN_CHILD, title],
            env=env,
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
        assert result.stdout.split() == ["plyer", "(notify-send)", "True"], result.stderr
        assert "Warning" not in result.stderr  # no UserWarning from plyer's chooser
        seen = read_until(monitor.stdout, title)
        assert f'string "{title}"' in seen and 'string "Companion"' in seen
    finally:
        desktop.stop_process(monitor)
        monitor.stdout.close()
    shown = subprocess.run(["dunstctl", "count", "history"], env=env, capture_output=True, text=True, check=True)
    displayed = subprocess.run(["dunstctl", "count", "displayed"], env=env, capture_output=True, text=True, check=True)
    assert int(shown.stdout) + int(displayed.stdout) >= 1, "dunst did not take the notification"


def test_without_a_session_bus_the_tray_balloon_shows_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
    assert plyer_backend("linux") is None
    shown: list[tuple[str, str]] = []
    notifier = Notifier(lambda title, text: shown.append((title, text)))
    assert notifier.name == "tray balloon"
    assert notifier.notify("Break", "Time to stretch") is False
    assert shown == [("Break", "Time to stretch")]


class BrokenBackend:
    def __init__(self) -> None:
        self.calls = 0

    def notify(self, **kwargs: object) -> None:
        self.calls += 1
        raise NotImplementedError("no notification service")


def test_a_failing_plyer_is_logged_once_and_the_balloon_takes_over(caplog: pytest.LogCaptureFixture) -> None:
    shown: list[str] = []
    backend = BrokenBackend()
    notifier = Notifier(lambda title, text: shown.append(title), backend)
    for _ in range(3):
        assert notifier.notify("Break", "text") is False
    assert shown == ["Break"] * 3 and backend.calls == 3
    assert [r.message for r in caplog.records].count(
        "plyer could not show a notification (NotImplementedError); using the tray balloon"
    ) == 1
