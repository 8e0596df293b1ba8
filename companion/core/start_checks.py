"""Faults at start that need no Qt to find: folders Companion cannot use. Each becomes a sentence for the rep."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from companion.core.errors import CompanionError, DatabaseLocked, DiskFull
from companion.core.paths import AppPaths


@dataclass(frozen=True)
class StartFault:
    """Why Companion cannot start, for the window and the log; `temporary` when waiting can fix it."""

    sentence: str
    temporary: bool = False

    @classmethod
    def from_error(cls, error: CompanionError) -> StartFault:
        return cls(error.message, isinstance(error, DatabaseLocked | DiskFull))


def folder_problem(paths: AppPaths) -> StartFault | None:
    """Why Companion cannot use its folders, as a sentence (None when all is well). Creates them if missing."""
    for folder in (paths.data, paths.config, paths.logs):
        owner = _foreign_owner(folder)
        if owner is not None:
            return StartFault(
                f"Companion's folder {folder} belongs to another user ({owner}), so Companion will not use it. "
                f"Give it back to your user (for example `sudo chown -R {_me()} {folder}`) and start Companion again."
            )
    try:
        paths.ensure()
        for folder in (paths.data, paths.config, paths.logs):
            probe = folder / f".companion-write-check-{os.getpid()}"
            probe.write_bytes(b"?")  # permission bits do not tell about read-only mounts; a real write does
            probe.unlink()
    except OSError as error:
        where = Path(error.filename) if error.filename else paths.data
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return StartFault(f"The disk holding {where} is full. Free some space; Companion keeps trying.", True)
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return StartFault(
                f"Companion is not allowed to write in {where.parent if where.name.startswith('.') else where}: "
                "the folder or its disk is read-only for your user. Make it writable (or move the data folder with "
                "--data-dir) and start Companion again."
            )
        return StartFault(f"Companion could not use its folder {where} ({error.strerror or error}).")
    return None


def _foreign_owner(folder: Path) -> str | None:
    if os.name != "posix":
        return None
    import pwd

    try:
        uid = folder.stat().st_uid
    except OSError:
        return None  # missing (created next) or unreadable (the write check says so)
    if uid == os.geteuid():
        return None
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"user id {uid}"


def _me() -> str:
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())
