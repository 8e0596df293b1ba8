"""Passive notifications through plyer, with the tray balloon as the fallback.

On Linux plyer's own chooser would try dbus-python first, which is not installed (it needs a C build), and warn
on every call. So on Linux we take plyer's notify-send backend class directly (Debian: libnotify-bin): no warning,
no compiled dependency. Without a session bus, or when notify-send is missing, the tray balloon shows the message.
A failure is logged once, never raised: a missed nudge must not take the tray down.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

APP_NAME = "Companion"
EXPIRE_MS = 10_000


def plyer_backend(platform: str = sys.platform, env: dict[str, str] | None = None) -> Any | None:
    """The plyer notification object to use here, or None when plyer cannot show anything."""
    env = dict(os.environ) if env is None else env
    if platform.startswith("linux"):
        bus = env.get("DBUS_SESSION_BUS_ADDRESS", "")
        if not bus or bus.startswith("disabled:") or shutil.which("notify-send") is None:
            return None  # notify-send would fail silently: better the tray balloon
        return _timed_notify_send()
    from plyer import notification

    return notification


def _timed_notify_send() -> Any:
    from plyer.platforms.linux.notification import NotifySendNotification

    class TimedNotifySend(NotifySendNotification):
        """plyer's facade drops the expiry, so notify-send would get -t 0 (never expires); pass ours through."""

        def notify(self, title: str = "", message: str = "", app_name: str = "", **_: Any) -> None:
            self._notify(title=title, message=message, app_name=app_name, expire_time=str(EXPIRE_MS))

    return TimedNotifySend()


class Notifier:
    """ctx.notify: plyer first, the tray balloon when plyer is unavailable or fails."""

    def __init__(self, balloon: Callable[[str, str], None], backend: Any | None = None, *, probe: bool = True) -> None:
        self._balloon = balloon
        self._backend = backend if backend is not None or not probe else plyer_backend()
        self._failed_once = False
        self.name = "plyer (notify-send)" if self._backend is not None else "tray balloon"

    def notify(self, title: str, message: str) -> bool:
        if self._backend is not None:
            try:
                self._backend.notify(title=title, message=message, app_name=APP_NAME, timeout=EXPIRE_MS // 1000)
                return True
            except Exception as error:  # plyer raises whatever its backend raises
                if not self._failed_once:
                    self._failed_once = True
                    log.warning(
                        "plyer could not show a notification (%s); using the tray balloon", type(error).__name__
                    )
        self._balloon(title, message)
        return False

    def __call__(self, title: str, message: str) -> None:
        self.notify(title, message)
