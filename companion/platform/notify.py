"""Passive notifications through plyer, with the tray balloon as the fallback.

On Linux plyer's own chooser would try dbus-python first, which is not installed (it needs a C build), and warn
on every call. So on Linux we take plyer's notify-send backend class directly (Debian: libnotify-bin): no warning,
no compiled dependency. Without a session bus, or when notify-send is missing, the tray balloon shows the message.
A failure is logged once, never raised: a missed nudge must not take the tray down.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import sys
from collections.abc import Callable
from typing import Any

from companion.core.i18n import N_, _

log = logging.getLogger(__name__)

APP_NAME = "Companion"
EXPIRE_MS = 10_000


PLYER_PLATFORMS = {"linux": "linux", "win32": "win", "darwin": "macosx"}


def why_no_backend(platform: str = sys.platform, env: dict[str, str] | None = None) -> str | None:
    """Why plyer cannot show anything here (a sentence in the rep's language: `--self-test` prints it), or None when
    it can; the tray balloon stands in then."""
    env = dict(os.environ) if env is None else env
    if not any(platform.startswith(prefix) for prefix in PLYER_PLATFORMS):
        return _("plyer has no notifications on {platform}").format(platform=platform)
    if platform.startswith("linux"):
        bus = env.get("DBUS_SESSION_BUS_ADDRESS", "")
        if not bus or bus.startswith("disabled:"):
            return _("there is no D-Bus session bus to reach a notification service")
        if shutil.which("notify-send") is None:
            return _("notify-send is missing (package libnotify-bin)")
    return None


def plyer_backend(platform: str = sys.platform, env: dict[str, str] | None = None) -> Any | None:
    """The plyer notification object to use here, or None when plyer cannot show anything.

    The platform module is imported by name, as plyer's facade would, but here a missing module (a bundle without
    the hidden import) raises ImportError instead of silently doing nothing.
    """
    if why_no_backend(platform, env) is not None:
        return None  # notify-send would fail silently: better the tray balloon
    if platform.startswith("linux"):
        return _timed_notify_send()
    name = next(name for prefix, name in PLYER_PLATFORMS.items() if platform.startswith(prefix))
    return importlib.import_module(f"plyer.platforms.{name}.notification").instance()  # i18n: not for reps


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
        self.name = f"plyer ({_kind(self._backend)})" if self._backend is not None else N_("tray balloon")

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


def _kind(backend: Any) -> str:
    """notify-send for ours on Linux; plyer's class name elsewhere (WindowsNotification, OSXNotification...)."""
    kind = type(backend).__name__
    return "notify-send" if kind == "TimedNotifySend" else kind
