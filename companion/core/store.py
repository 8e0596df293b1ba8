"""The one SQLite file: private, WAL, versioned, migrated with a copy taken first.

Every write goes through `Store.transaction()`, so a crash at any instant loses at most the write in flight.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

from companion.core.errors import DatabaseCorrupt, DatabaseLocked, DatabaseTooNew, StoreError
from companion.core.paths import ensure_private_dir, make_private

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 3000


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    """Migrations are the numbered .sql files in companion/core/migrations, applied in order.

    A released migration is never edited: a change to the schema is a new file with the next number.
    """
    found = []
    for entry in resources.files("companion.core.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    versions = [migration.version for migration in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


def latest_version() -> int:
    return len(load_migrations())


class Store:
    """A connection to companion.db with the project's pragmas; open it with `Store.open`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path
        self.backup_path: Path | None = None
        self.quarantined_path: Path | None = None
        self.closed = False

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        migrations: list[Migration] | None = None,
        now: datetime | None = None,
        recover_corrupt: bool = True,
    ) -> Store:
        """Open (creating or migrating) the database at `path`.

        A file that is not a readable SQLite database is moved aside with a timestamped name and a fresh one
        is started, when `recover_corrupt` is true; `quarantined_path` then says where the old file went.
        """
        migrations = load_migrations() if migrations is None else migrations
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
        ensure_private_dir(path.parent)
        quarantined = None
        try:
            store = cls._open_checked(path)
        except DatabaseCorrupt:
            if not recover_corrupt:
                raise
            quarantined = quarantine(path, stamp)
            store = cls._open_checked(path)
        store.quarantined_path = quarantined
        try:
            store._migrate(migrations, stamp)
        except BaseException:
            store.close()
            raise
        for suffix in ("", "-wal", "-shm"):
            make_private(path.with_name(path.name + suffix))
        return store

    @classmethod
    def _open_checked(cls, path: Path) -> Store:
        if path.exists() and path.stat().st_size == 0:
            # An empty file is a database truncated to nothing, not a new one: keep it aside as evidence.
            raise DatabaseCorrupt(f"The database file {path} was empty.")
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                log.warning("SQLite refused WAL mode (got %s); continuing in %s mode", mode, mode)
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA secure_delete = ON")
            connection.execute("PRAGMA synchronous = NORMAL")
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise DatabaseCorrupt(f"The database file {path} failed its integrity check ({verdict}).")
        except sqlite3.DatabaseError as error:
            connection.close()
            if _is_locked(error):
                raise DatabaseLocked(
                    f"Another program is holding Companion's database ({path}) locked. "
                    "Close it (or a second copy of Companion) and try again."
                ) from error
            raise DatabaseCorrupt(f"The database file {path} could not be read ({error}).") from error
        except DatabaseCorrupt:
            connection.close()
            raise
        return cls(connection, path)

    @property
    def version(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, migrations: list[Migration], stamp: str) -> None:
        current = self.version
        target = len(migrations)
        if current > target:
            raise DatabaseTooNew(
                f"This database was written by a newer Companion (schema {current}; this version knows up to "
                f"{target}). Update Companion to open it; the file is untouched."
            )
        if current == target:
            return
        if current > 0:
            self.backup_path = self._backup(f"before-v{target}-{stamp}")
        for migration in migrations[current:]:
            log.info("applying migration %s", migration.name)
            with self.transaction() as conn:
                # executescript would commit on its own; run the statements inside our transaction instead.
                for statement in _split_sql(migration.sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {migration.version}")

    def _backup(self, label: str) -> Path:
        target = self.path.with_name(f"{self.path.name}.{label}.bak")
        with sqlite3.connect(target) as copy:
            self.connection.backup(copy)
        copy.close()
        make_private(target)
        log.info("copied the database to %s before migrating", target)
        return target

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write, all or nothing. BEGIN IMMEDIATE takes the write lock up front, so no upgrade deadlock."""
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if _is_locked(error):
                raise DatabaseLocked("Companion's database is busy in another program; nothing was saved.") from error
            raise StoreError(f"Companion could not write to its database: {error}") from error
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        else:
            self.connection.execute("COMMIT")

    def get_meta(self, key: str) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def integrity_ok(self) -> bool:
        return self.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def close(self) -> None:
        """Harmless twice; after it, every use raises sqlite3.ProgrammingError (a bug the shutdown order rules out)."""
        self.connection.close()
        self.closed = True


def quarantine(path: Path, stamp: str) -> Path:
    """Move a broken database (and its WAL and shared-memory files) aside; never delete what the rep had."""
    target = path.with_name(f"{path.name}.broken-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.broken-{stamp}-{counter}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    log.warning("moved an unreadable database aside to %s", target)
    return target


def _is_locked(error: sqlite3.Error) -> bool:
    return "locked" in str(error).lower() or "busy" in str(error).lower()


def _split_sql(script: str) -> list[str]:
    statements = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise RuntimeError(f"incomplete SQL statement in migration: {buffer.strip()[:80]}")
    return statements
