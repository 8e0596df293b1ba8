"""The one SQLite file: private, WAL, versioned, migrated with a copy taken first.

Every write goes through `Store.transaction()`, so a crash at any instant loses at most the write in flight.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

from companion.core.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseNeedsUpdate,
    DatabaseReadOnly,
    DatabaseTooNew,
    DiskFull,
    StoreError,
)
from companion.core.i18n import N_, _
from companion.core.paths import ensure_private_dir, make_private

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 3000
NEEDS_UPDATE = N_("Companion needs to update its data; start it once.")
_PARTIAL_BACKUP = ".partial-"  # a backup still being written carries this in its name until it is complete


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
        integrity_check: bool = True,
    ) -> Store:
        """Open (creating or migrating) the database at `path`.

        A file that is not a readable SQLite database is moved aside with a timestamped name and a fresh one
        is started, when `recover_corrupt` is true; `quarantined_path` then says where the old file went.
        Without `integrity_check` the page-by-page quick_check is left to the caller (the tray app runs it in the
        background after the icon shows, companion/core/db_check.py); a file that is not a database still fails.
        """
        migrations = load_migrations() if migrations is None else migrations
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
        try:
            ensure_private_dir(path.parent)
        except OSError as error:
            raise _os_error(path, error) from error
        quarantined = None
        try:
            store = cls._open_checked(path, integrity_check)
        except DatabaseCorrupt:
            if not recover_corrupt:
                raise
            quarantined = quarantine(path, stamp)
            store = cls._open_checked(path, integrity_check)
        store.quarantined_path = quarantined
        try:
            store._migrate(migrations, stamp)
        except BaseException:
            store.close()
            raise
        try:
            for suffix in ("", "-wal", "-shm"):
                make_private(path.with_name(path.name + suffix))
        except OSError as error:
            store.close()
            raise _os_error(path, error) from error
        return store

    @classmethod
    def open_read_only(cls, path: Path, *, migrations: list[Migration] | None = None) -> Store:
        """Open for reading only (`status`, `export`): never migrates, never writes, never backs up.

        Only the tray app migrates; a schema older than this version knows raises DatabaseNeedsUpdate with the
        sentence that tells the rep what to do, a newer one DatabaseTooNew.
        """
        target = len(load_migrations() if migrations is None else migrations)
        if path.exists() and path.stat().st_size == 0:
            raise DatabaseCorrupt(_("The database file {path} was empty.").format(path=path))
        try:
            connection, current = _read_only_connection(path, immutable=False)
        except sqlite3.Error as error:
            if (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF != sqlite3.SQLITE_CANTOPEN or os.access(
                path.parent, os.W_OK
            ):
                raise _read_only_error(path, error) from error
            # A read-only folder or mount: WAL cannot make its -shm file, and nobody can write there anyway, so the
            # file is read as it is on disk.
            try:
                connection, current = _read_only_connection(path, immutable=True)
            except sqlite3.Error as again:
                raise _read_only_error(path, again) from again
        if current > target:
            connection.close()
            raise DatabaseTooNew(_too_new(current, target))
        if current < target:
            connection.close()
            raise DatabaseNeedsUpdate(_(NEEDS_UPDATE))
        return cls(connection, path)

    @classmethod
    def _open_checked(cls, path: Path, integrity_check: bool = True) -> Store:
        if path.exists() and path.stat().st_size == 0:
            # An empty file is a database truncated to nothing, not a new one: keep it aside as evidence.
            raise DatabaseCorrupt(_("The database file {path} was empty.").format(path=path))
        try:
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:
            raise _open_error(path, error) from error
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                log.warning("SQLite refused WAL mode (got %s); continuing in %s mode", mode, mode)
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA secure_delete = ON")
            connection.execute("PRAGMA synchronous = NORMAL")
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0] if integrity_check else "ok"
            if verdict != "ok":
                failed = _("The database file {path} failed its integrity check ({verdict}).")
                raise DatabaseCorrupt(failed.format(path=path, verdict=verdict))
        except sqlite3.DatabaseError as error:
            connection.close()
            raise _open_error(path, error) from error
        except DatabaseCorrupt:
            connection.close()
            raise
        return cls(connection, path)

    @property
    def version(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, migrations: list[Migration], stamp: str) -> None:
        """Apply what is missing. The version is read again inside each write transaction, so a second process
        that migrated meanwhile (or is migrating: BEGIN IMMEDIATE waits for it) is never migrated over."""
        current = self.version
        target = len(migrations)
        if current > target:
            raise DatabaseTooNew(_too_new(current, target))
        if current == target:
            return
        if current > 0:
            try:
                self.backup_path = self._backup(f"before-v{target}-{stamp}")
            except sqlite3.Error as error:
                raise _open_error(self.path, error) from error
            except OSError as error:
                raise _os_error(self.path, error) from error
        try:
            self._apply(migrations[current:])
        except sqlite3.Error as error:
            fault = _open_error(self.path, error)
            if isinstance(fault, DatabaseCorrupt):
                raise  # a migration that does not fit the schema is a bug to see, not a damaged file
            raise fault from error

    def _apply(self, migrations: list[Migration]) -> None:
        for migration in migrations:
            with self.transaction() as conn:
                now_at = int(conn.execute("PRAGMA user_version").fetchone()[0])
                if now_at >= migration.version:
                    continue  # another Companion applied it while this one waited for the write lock
                if now_at != migration.version - 1:
                    expected = migration.version - 1
                    at = _("Companion's database is at schema {now_at}, expected {expected}.")
                    raise StoreError(at.format(now_at=now_at, expected=expected))
                log.info("applying migration %s", migration.name)
                # executescript would commit on its own; run the statements inside our transaction instead.
                for statement in _split_sql(migration.sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {migration.version}")

    def _backup(self, label: str) -> Path:
        """Copy the database under a temporary name and rename it only when complete: a kill mid-copy leaves a
        `.partial-` file (removed at the next backup), never a half-written `.bak` named like a good one."""
        target = self.path.with_name(f"{self.path.name}.{label}.bak")
        for stale in self.path.parent.glob(f".{self.path.name}.*.bak{_PARTIAL_BACKUP}*"):
            stale.unlink(missing_ok=True)
        partial = self.path.with_name(f".{target.name}{_PARTIAL_BACKUP}{os.getpid()}")
        try:
            copy = sqlite3.connect(partial)
            try:
                self.connection.backup(copy)
            finally:
                copy.close()
            make_private(partial)
            with open(partial, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        log.info("copied the database to %s before migrating", target)
        return target

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write, all or nothing. BEGIN IMMEDIATE takes the write lock up front, so no upgrade deadlock."""
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if _is_locked(error):
                busy = _("Companion's database is busy in another program; nothing was saved.")
                raise DatabaseLocked(busy) from error
            raise StoreError(_("Companion could not write to its database: {error}").format(error=error)) from error
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        else:
            self.connection.execute("COMMIT")

    def check_writable(self, wait_ms: int = 200) -> None:
        """Try a write and roll it back: at start, a lock held by another program (which WAL readers never see) or a
        read-only file shows up here as a typed error with its sentence, not in the first feature that writes."""
        self.connection.execute(f"PRAGMA busy_timeout = {wait_ms}")
        try:
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                self.connection.execute(
                    "INSERT INTO meta(key, value) VALUES('write_check', '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                )
            finally:
                self.connection.execute("ROLLBACK")
        except sqlite3.Error as error:
            raise _open_error(self.path, error) from error
        finally:
            self.connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

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
        return bool(self.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

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


def _read_only_connection(path: Path, *, immutable: bool) -> tuple[sqlite3.Connection, int]:
    uri = f"{path.absolute().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")  # i18n: not for reps
    connection = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA query_only = ON")
        return connection, int(connection.execute("PRAGMA user_version").fetchone()[0])
    except BaseException:
        connection.close()
        raise


def _read_only_error(path: Path, error: sqlite3.Error) -> StoreError:
    if _is_locked(error):
        return DatabaseLocked(
            _("Another program is holding Companion's database ({path}) locked. Try again in a moment.").format(
                path=path
            )
        )
    fault = _open_error(path, error)
    if isinstance(fault, DatabaseReadOnly):
        unreadable = _("Companion could not open its database {path} for reading ({error}).")
        return StoreError(unreadable.format(path=path, error=error))
    return fault


def _open_error(path: Path, error: sqlite3.Error) -> StoreError:
    """The rep's sentence for what SQLite said at open or migration; only real damage counts as corrupt, so a
    read-only or full disk never sends a good database into quarantine."""
    primary = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or _is_locked(error):
        return DatabaseLocked(
            _(
                "Another program is holding Companion's database ({path}) locked. Close it (or a second copy of "
                "Companion); Companion keeps trying and starts as soon as it is free."
            ).format(path=path)
        )
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_AUTH):
        return DatabaseReadOnly(
            _(
                "Companion is not allowed to write its database ({path}): the file, its folder or the disk is "
                "read-only. Make them writable for your user (or move the data folder) and start Companion again."
            ).format(path=path)
        )
    if primary == sqlite3.SQLITE_FULL:
        return DiskFull(_disk_full(path))
    if primary == sqlite3.SQLITE_IOERR:
        disk_error = _("The disk holding Companion's data ({folder}) reported an error ({error}).")
        return StoreError(disk_error.format(folder=path.parent, error=error))
    return DatabaseCorrupt(_("The database file {path} could not be read ({error}).").format(path=path, error=error))


def _os_error(path: Path, error: OSError) -> StoreError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(_disk_full(path))
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return DatabaseReadOnly(
            _(
                "Companion is not allowed to write in its data folder ({folder}). Make it writable for your "
                "user (or move the data folder) and start Companion again."
            ).format(folder=path.parent)
        )
    unusable = _("Companion could not use its data folder {folder} ({error}).")
    return StoreError(unusable.format(folder=path.parent, error=error.strerror or error))


def _disk_full(path: Path) -> str:
    return _(
        "The disk holding Companion's data ({folder}) is full. Free some space; Companion keeps trying "
        "and starts as soon as there is room."
    ).format(folder=path.parent)


def _too_new(current: int, target: int) -> str:
    return _(
        "This database was written by a newer Companion (schema {current}; this version knows up to "
        "{target}). Update Companion to open it; the file is untouched."
    ).format(current=current, target=target)


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
