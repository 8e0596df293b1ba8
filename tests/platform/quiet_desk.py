"""What the do-not-disturb and full-screen tests share: a private session bus (its own dconf and xfconf folders),
and the activity feature with a break due, to show a real signal holding the prompt and releasing it."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from companion.core.breaks import BreakStatus
from companion.core.quiet import RELEASE_AFTER_SECONDS, QuietSignal
from companion.features.quiet import QuietFeature
from tests import desktop
from tests.ui.test_activity_ui import Desk


def private_bus(home: Path, extra: dict[str, str] | None = None) -> tuple[desktop.Service, dict[str, str]]:
    """A session bus whose on-demand services (dconf, xfconfd) keep their files under `home`, as do our clients."""
    home.mkdir(parents=True, exist_ok=True)
    base = {
        **os.environ, **(extra or {}), "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_RUNTIME_DIR": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
    }  # fmt: skip
    os.chmod(home, 0o700)
    service = desktop.start_dbus(base)
    return service, {**base, **service.env}


def run(env: dict[str, str], *command: str) -> str:
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True, timeout=20).stdout.strip()


def due_break_waits_for(
    make_desk: Callable[..., Desk], qtbot, signal: QuietSignal, turn_off: Callable[[], None], words: str
) -> Desk:
    """With the signal on: a due break waits and the status line says why; turned off, the break is offered. The
    signal is the desk's one quiet backend, as choose_backends would give it; the app's shutdown closes it.

    Nothing samples the signal until something asks: `status` does, and the break that comes due does (the gate's
    check), which starts the sample that finds the release."""
    desk = make_desk(quiet=[signal])
    quiet = desk.app.add_feature(QuietFeature())
    assert isinstance(quiet, QuietFeature)
    assert not quiet.timer.isActive()  # nothing waits: the desktop is not polled
    assert desk.app.live_status()["quiet_reason"] is not None, "the signal was on before the test began"
    assert "waiting:" not in desk.app.status_line() and not quiet.timer.isActive()
    desk.work(60 * 60)  # well past the 50-minute break
    assert desk.feature.prompt is None
    assert desk.feature.last_status is BreakStatus.WAITING
    assert f"waiting: {words}" in desk.app.status_line()
    assert quiet.timer.isActive()  # the held break: sampled until the quiet ends

    turn_off()
    qtbot.waitUntil(lambda: signal.is_quiet() is False, timeout=10_000)
    quiet.sample()
    assert desk.feature.prompt is None  # a flicker off must not let the prompt out at once
    desk.clock.advance(RELEASE_AFTER_SECONDS)
    quiet.sample()  # the gate reopens and calls the activity feature back: no tick needed
    assert desk.feature.prompt is not None
    assert "waiting:" not in desk.app.status_line()
    assert not quiet.timer.isActive()  # nothing waits any more
    return desk
