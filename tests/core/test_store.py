"""The store: pragmas, private files, migrations with a copy taken first, newer schemas refused, broken files kept."""

import os
import sqlite3
import stat
from datetime import datetime
from pathlib import Path

import pytest

from companion.core.errors import DatabaseCorrupt, DatabaseLocked, DatabaseTooNew
from companion.core.store import Migration, Store, latest_version, load_migrations

NOW = datetime(2026, 11, 23, 9, 30)


def make_database_at_version(path: Path, version: int) -> None:
    """A database as an older Companion left it: the first `version` migrations applied."""
    store = Store.open(path, migrations=load_migrations()[:version], now=NOW)
    store.close()


def test_migrations_are_numbered_without_gaps_and_start_at_one():
    versions = [migration.version for migration in load_migrations()]
    assert versions == list(range(1, len(versions) + 1))
    assert latest_version() == len(versions) >= 4


def test_fresh_database_gets_the_latest_schema_and_pragmas(tmp_path):
    store = Store.open(tmp_path / "companion.db", now=NOW)
    conn = store.connection
    assert store.version == latest_version()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"meta", "activity_intervals", "breaks", "rough_calls", "cooldowns", "journal_entries"} <= tables
    assert store.backup_path is None  # nothing to back up on a fresh file
    store.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_database_folder_and_files_are_private(tmp_path):
    folder = tmp_path / "data"
    store = Store.open(folder / "companion.db", now=NOW)
    store.set_meta("touched", "yes")  # makes the -wal file exist
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in ("companion.db", "companion.db-wal", "companion.db-shm"):
        path = folder / name
        assert path.exists(), name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
    store.close()


@pytest.mark.parametrize("old_version", range(1, latest_version()))
def test_upgrade_from_each_older_version_keeps_data_and_takes_a_copy_first(tmp_path, old_version):
    path = tmp_path / "companion.db"
    make_database_at_version(path, old_version)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('written_by', ?)", (f"v{old_version}",))
    conn.close()

    store = Store.open(path, now=NOW)
    assert store.version == latest_version()
    assert store.get_meta("written_by") == f"v{old_version}"
    assert store.backup_path is not None and store.backup_path.exists()
    with sqlite3.connect(store.backup_path) as backup:
        assert backup.execute("PRAGMA user_version").fetchone()[0] == old_version
        assert backup.execute("SELECT value FROM meta WHERE key = 'written_by'").fetchone()[0] == f"v{old_version}"
    backup.close()
    store.close()


def test_a_database_from_a_newer_companion_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "companion.db"
    make_database_at_version(path, latest_version())
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer Companion"):
        Store.open(path, now=NOW)
    assert path.read_bytes() == before


def test_a_failing_migration_rolls_back_entirely(tmp_path):
    path = tmp_path / "companion.db"
    make_database_at_version(path, 1)
    broken = [*load_migrations()[:1], Migration(2, "0002_broken.sql", "CREATE TABLE half (x);\nSELECT * FROM nowhere;")]
    with pytest.raises(sqlite3.OperationalError):
        Store.open(path, migrations=broken, now=NOW)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0
    conn.close()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(b""), id="zero-bytes"),
        pytest.param(lambda p: p.write_bytes(b"this is not a database at all" * 100), id="garbage"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:1500]), id="truncated"),
    ],
)
def test_a_broken_database_is_moved_aside_and_a_fresh_one_started(tmp_path, damage):
    path = tmp_path / "companion.db"
    store = Store.open(path, now=NOW)
    for n in range(200):
        store.set_meta(f"key{n}", "x" * 200)
    store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    damage(path)
    damaged = path.read_bytes()

    store = Store.open(path, now=NOW)
    assert store.quarantined_path is not None
    assert store.quarantined_path.name.startswith("companion.db.broken-20261123-093000")
    assert store.quarantined_path.read_bytes() == damaged  # the rep's file is kept as it was
    assert store.version == latest_version()
    store.set_meta("still", "working")
    assert store.integrity_ok()
    store.close()


def test_a_broken_database_is_reported_not_moved_when_recovery_is_off(tmp_path):
    path = tmp_path / "companion.db"
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(DatabaseCorrupt, match="could not be read"):
        Store.open(path, recover_corrupt=False, now=NOW)
    assert path.read_bytes() == b"garbage" * 1000


def test_a_database_locked_by_another_program_gives_a_sentence(tmp_path):
    path = tmp_path / "companion.db"
    Store.open(path, now=NOW).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLocked, match="Another program"):
            Store.open(path, now=NOW)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not list(tmp_path.glob("companion.db.broken-*"))  # locked is not broken: nothing moved aside


def test_a_transaction_is_all_or_nothing(tmp_path):
    store = Store.open(tmp_path / "companion.db", now=NOW)
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('half', 'written')")
        raise RuntimeError("crash in the middle")
    assert store.get_meta("half") is None
    store.close()
