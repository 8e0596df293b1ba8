"""One pywayland connection to the compositor, as the Wayland backends (idle time, window states) open it."""

from __future__ import annotations

import logging
import os
import select
from typing import Any

from companion.platform import BackendUnavailable

log = logging.getLogger(__name__)


def connect_wayland(display_name: str | None = None) -> Any:
    """A connected pywayland Display for `display_name` (default: $WAYLAND_DISPLAY), or BackendUnavailable."""
    display_name = display_name or os.environ.get("WAYLAND_DISPLAY")
    if not display_name:
        raise BackendUnavailable("no Wayland display")  # i18n: not for reps
    try:
        from pywayland.client.display import Display
    except ImportError as error:  # pywayland is a Linux-only dependency
        raise BackendUnavailable(f"pywayland is not installed ({error})") from error  # i18n: not for reps
    display = Display(display_name)
    try:
        display.connect()
    except Exception as error:  # pywayland raises ValueError or RuntimeError when nothing listens there
        raise BackendUnavailable(
            f"cannot connect to Wayland display {display_name}"  # i18n: not for reps
        ) from error
    return display


def read_events(display: Any, what: str) -> bool:
    """Dispatch what the compositor sent (called when its descriptor is readable, so this does not wait).
    False once the connection has closed: the backend then stops answering."""
    try:
        display.dispatch(block=True)
    except RuntimeError:
        log.warning("the Wayland connection for %s closed", what)
        return False
    return True


def has_events(display: Any) -> bool:
    """Something waits to be read: for callers with no event loop watching the descriptor (the self-test)."""
    readable, _, _ = select.select([display.get_fd()], [], [], 0)
    return bool(readable)
