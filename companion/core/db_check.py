"""The database's integrity check, moved out of the way of start-up.

`PRAGMA quick_check` reads every page, so it grows with the file (about 40 ms a year of data, 115 ms at three).
At start the store opens without it (a file that is not a database at all still fails at once, in Store.open),
and the check runs on its own read-only connection after the tray shows. If it finds damage it leaves a marker
next to the file: the next start runs the check before opening, and the existing quarantine path keeps the file
aside, untouched, and starts a fresh one.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)

MARKER_SUFFIX = ".check-at-start"


def marker_for(database: Path) -> Path:
    return database.with_name(database.name + MARKER_SUFFIX)


def check_needed_at_start(database: Path) -> bool:
    """True when an earlier background check found damage: check (and quarantine) before opening this time."""
    return marker_for(database).exists()


def quick_check(database: Path) -> str:
    """SQLite's verdict on the file ("ok" when sound), on a connection of its own, read-only (safe on any thread)."""
    if not database.exists():
        return "ok"
    try:
        uri = f"file:{database}?mode=ro"  # i18n: not for reps
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except sqlite3.Error as error:
        return str(error)
    try:
        return str(connection.execute("PRAGMA quick_check").fetchone()[0])
    except sqlite3.DatabaseError as error:
        return str(error)
    finally:
        connection.close()


def remember_damage(database: Path, verdict: str) -> None:
    log.warning("the database failed its check (%s); the next start keeps it aside", verdict)
    marker_for(database).write_text(verdict + "\n", encoding="utf-8")


def forget_damage(database: Path) -> None:
    """The start-up check ran (and quarantined the file if it had to): the marker has done its job."""
    marker_for(database).unlink(missing_ok=True)
