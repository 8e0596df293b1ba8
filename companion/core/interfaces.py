"""The small interfaces the core needs from the operating system; companion/platform implements them.

Each method answers None (or does nothing) when its backend cannot tell now, never raises for a missing OS
feature: the caller decides what an unknown means.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable


class IdleSource(Protocol):
    name: str
    system_wide: bool  # False for the last-resort backend that only sees Companion's own windows

    def seconds_since_last_input(self) -> float | None: ...


class CallDetector(Protocol):
    name: str

    def in_call(self) -> bool | None: ...


class LockMonitor(Protocol):
    """Screen lock and suspend, where the desktop reports them."""

    name: str

    def is_locked(self) -> bool | None: ...

    def on_sleep(self, callback: Callable[[bool], None]) -> None:
        """Call back with True just before the machine sleeps and False after it resumes, where reported."""
        ...


class Notifier(Protocol):
    name: str

    def notify(self, title: str, message: str) -> bool:
        """Show a passive notification; False if it could not be shown (the caller may fall back)."""
        ...


class SecretStore(Protocol):
    """Holds one random key per account in the OS keyring. Errors are companion.core.errors.KeyUnavailable."""

    name: str

    def get(self, account: str) -> bytes | None: ...

    def put(self, account: str, secret: bytes) -> None: ...

    def delete(self, account: str) -> None: ...


@runtime_checkable
class AbandonableSecretStore(SecretStore, Protocol):
    """A SecretStore whose calls wait on another process (the keyring helper): at quit, `abandon` ends the calls in
    flight at once (they raise KeyUnavailable), so no worker waiting on one holds the shutdown up."""

    def abandon(self) -> None: ...


class Autostart(Protocol):
    name: str

    def is_enabled(self) -> bool: ...

    def enable(self, command: list[str]) -> None: ...

    def disable(self) -> None: ...


class SoundPlayer(Protocol):
    """Plays the cooldown's soft tones, without blocking and without ever raising."""

    name: str

    def play(self, tone: str) -> None:
        """`tone` is "in" (a breath in begins) or "out" (a breath out begins)."""
        ...
