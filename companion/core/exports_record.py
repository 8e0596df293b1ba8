"""Where Companion wrote weekly summaries, remembered in the database so Erase everything can remove them and
Export everything can include them (issue 13: exports with the rep's words were left behind)."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from companion.core.i18n import _
from companion.core.store import BUSY_TIMEOUT_MS, Store

log = logging.getLogger(__name__)


def remember_exports(store: Store, written: Iterable[Path], now_utc: float) -> None:
    with store.transaction() as conn:
        _insert(conn, written, now_utc)


def remember_exports_in_file(database: Path, written: Iterable[Path], now_utc: float) -> bool:
    """For `companion export`, which reads the database read-only: one short write of its own. False if the
    database could not take it (locked, read-only); the export itself stands."""
    try:
        connection = sqlite3.connect(database, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return False
    try:
        connection.execute("BEGIN IMMEDIATE")
        _insert(connection, written, now_utc)
        connection.execute("COMMIT")
        return True
    except sqlite3.Error as error:
        log.warning("could not remember where the export was written: %s", error)
        return False
    finally:
        connection.close()


def _insert(connection: sqlite3.Connection, written: Iterable[Path], now_utc: float) -> None:
    connection.executemany(
        "INSERT INTO exports_written(path, written_utc) VALUES (?, ?) "
        "ON CONFLICT(path) DO UPDATE SET written_utc = excluded.written_utc",
        [(str(Path(path).absolute()), now_utc) for path in written],
    )


def remembered_exports(store: Store) -> list[Path]:
    try:
        rows = store.connection.execute("SELECT path FROM exports_written ORDER BY written_utc, path").fetchall()
    except sqlite3.Error:
        return []
    return [Path(path) for (path,) in rows]


@dataclass
class ExportRemoval:
    removed: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def remove_exports(paths: Iterable[Path]) -> ExportRemoval:
    """Remove each remembered export that is still a regular file; a path now holding something else (a folder,
    a link, a device) is left alone and named, as is a file that cannot be removed (sentences in the rep's
    language)."""
    result = ExportRemoval()
    for path in paths:
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue  # the rep moved or deleted it already
        except OSError as error:
            unchecked = _("{path} could not be checked ({error}).")
            result.problems.append(unchecked.format(path=path, error=error.strerror or error))
            continue
        if not stat.S_ISREG(mode):
            left_alone = _("{path} is no longer a file Companion wrote; it was left alone.")
            result.problems.append(left_alone.format(path=path))
            continue
        try:
            path.unlink()
            result.removed.append(path)
        except OSError as error:
            unremoved = _("{path} could not be removed ({error}).")
            result.problems.append(unremoved.format(path=path, error=error.strerror or error))
    return result
