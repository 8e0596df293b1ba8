"""Every notifier keeps the Notifier contract: plyer's notify-send on a real D-Bus with dunst (in a child, as the
app runs it), a failing plyer that falls back to the balloon, and the balloon alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from companion.platform.notify import Notifier
from tests.platform.contracts import assert_notifier
from tests.platform.test_activity_notify import SEND_IN_CHILD


class BrokenPlyer:
    """plyer's facade as it fails on a desktop without a notification service."""

    def notify(self, **_: object) -> None:
        raise OSError("no notification service")


def test_plyer_on_a_real_notification_daemon(notification_daemon: Path, desktop_env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SEND_IN_CHILD, "Contract check"], env=desktop_env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    name, shown = done.stdout.splitlines()[-2:]
    assert name.startswith("plyer") and shown == "True"  # named, and answered True: the daemon took it


def test_failing_plyer_falls_back_to_the_balloon() -> None:
    shown: list[str] = []
    notifier = Notifier(lambda title, text: shown.append(title), BrokenPlyer())
    assert_notifier(notifier)
    assert shown == ["Companion"]


def test_balloon_only() -> None:
    shown: list[str] = []
    assert_notifier(Notifier(lambda title, text: shown.append(title), probe=False))
    assert shown == ["Companion"]
