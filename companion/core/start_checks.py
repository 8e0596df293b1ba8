"""Faults at start that need no Qt to find: folders Companion cannot use. Each becomes a sentence for the rep."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from companion.core.errors import CompanionError, DatabaseLocked, DiskFull
from companion.core.i18n import _
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
                _(
                    "Companion's folder {folder} belongs to another user ({owner}), so Companion will not use it. "
                    "Give it back to your user (for example `sudo chown -R {me} {folder}`) and start Companion again."
                ).format(folder=folder, owner=owner, me=_me())
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
            full = _("The disk holding {where} is full. Free some space; Companion keeps trying.")
            return StartFault(full.format(where=where), True)
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            folder = where.parent if where.name.startswith(".") else where  # the write probe names its own file
            return StartFault(
                _(
                    "Companion is not allowed to write in {folder}: "
                    "the folder or its disk is read-only for your user. Make it writable (or move the data folder with "
                    "--data-dir) and start Companion again."
                ).format(folder=folder)
            )
        could_not = _("Companion could not use its folder {where} ({error}).")
        return StartFault(could_not.format(where=where, error=error.strerror or error))
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
        return _("user id {uid}").format(uid=uid)


def _me() -> str:
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())
