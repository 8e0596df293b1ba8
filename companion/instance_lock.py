"""One Companion per user: a QLockFile in the data folder says who runs (companion/instance.py takes the requests).

Its own module because the lock is taken before the tray icon shows, and the socket server's imports are not needed
for that (issue 15's start to tray).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile


class InstanceLock:
    def __init__(self, lock_path: Path) -> None:
        self._lock = QLockFile(str(lock_path))
        # A lock whose process is gone is removed by QLockFile itself; 0 disables the age rule so a long-running
        # instance is never taken for stale.
        self._lock.setStaleLockTime(0)

    def acquire(self) -> bool:
        return self._lock.tryLock(100)

    def release(self) -> None:
        self._lock.unlock()
