"""Retention, export and erase against a real SQLite file with sealed records."""

from __future__ import annotations

import json
import stat
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.core.crypto import Vault
from companion.core.data_controls import (
    DUMP_NAME,
    SEALED_KINDS,
    erase_everything,
    export_everything,
    months_before,
    prune_activity,
    tables_with_sealed_content,
)
from companion.core.errors import KeyUnavailable
from companion.core.keys import keyring_account_in
from companion.core.paths import AppPaths
from companion.core.settings import Settings, SettingsHolder
from companion.core.store import Store

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class MemorySecrets:
    """The SecretStore interface over a dict: the OS keyring is the boundary here (tests/desktop use the real one)."""

    name = "memory"

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def get(self, account: str) -> bytes | None:
        return self.entries.get(account)

    def put(self, account: str, secret: bytes) -> None:
        self.entries[account] = secret

    def delete(self, account: str) -> None:
        self.entries.pop(account, None)


def add_interval(store: Store, end: datetime, hours: float = 1.0) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO activity_intervals(state, start_utc, end_utc, utc_offset_minutes) VALUES('active', ?, ?, 0)",
            ((end - timedelta(hours=hours)).timestamp(), end.timestamp()),
        )


def add_rough_call(store: Store, vault: Vault, uid: str, note: str) -> None:
    blob = vault.seal_record("rough_call", uid, {"categories": ["shouting"], "note": note})
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO rough_calls(uid, at_utc, utc_offset_minutes, severity, content) VALUES(?, ?, 0, 4, ?)",
            (uid, NOW.timestamp(), blob),
        )


def add_keyring_wrap(store: Store, account: str) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO key_wraps(method, wrapped, params, created_utc) VALUES('keyring', ?, ?, ?)",
            (b"\x01wrapped", json.dumps({"account": account}), NOW.timestamp()),
        )


def interval_ends(store: Store) -> list[float]:
    return [row[0] for row in store.connection.execute("SELECT end_utc FROM activity_intervals ORDER BY end_utc")]


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 11, 23, 9, 0), 1, datetime(2026, 10, 23, 9, 0)),
        (datetime(2026, 3, 31, 12, 0), 1, datetime(2026, 2, 28, 12, 0)),
        (datetime(2024, 3, 31, 12, 0), 1, datetime(2024, 2, 29, 12, 0)),
        (datetime(2026, 1, 15), 13, datetime(2024, 12, 15)),
    ],
)
def test_months_before_counts_calendar_months(moment: datetime, months: int, expected: datetime) -> None:
    assert months_before(moment, months) == expected


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)), st.integers(0, 120))
def test_months_before_never_moves_forward_and_keeps_the_time(moment: datetime, months: int) -> None:
    earlier = months_before(moment, months)
    assert earlier <= moment
    assert earlier.time() == moment.time()
    assert (moment.year - earlier.year) * 12 + moment.month - earlier.month == months


def test_retention_prunes_only_intervals_older_than_the_months(store: Store) -> None:
    keep_recent = NOW - timedelta(days=20)
    keep_edge = datetime(2026, 8, 23, 9, 30, tzinfo=UTC)  # just inside three months
    drop = datetime(2026, 8, 23, 8, 30, tzinfo=UTC)
    drop_old = NOW - timedelta(days=400)
    for end in (keep_recent, keep_edge, drop, drop_old):
        add_interval(store, end)

    assert prune_activity(store, NOW, 3) == 2
    assert interval_ends(store) == [keep_edge.timestamp(), keep_recent.timestamp()]


def test_retention_zero_keeps_everything(store: Store) -> None:
    add_interval(store, NOW - timedelta(days=3000))
    assert prune_activity(store, NOW, 0) == 0
    assert len(interval_ends(store)) == 1


def test_every_sealed_table_in_the_schema_has_a_record_kind(store: Store) -> None:
    assert set(tables_with_sealed_content(store.connection)) == set(SEALED_KINDS)


def test_export_holds_the_opened_records_the_settings_and_earlier_exports(
    store: Store, vault: Vault, app_paths: AppPaths, tmp_path: Path
) -> None:
    add_rough_call(store, vault, "call-1", "they shouted about the bill")
    add_interval(store, NOW)
    add_keyring_wrap(store, "journal-key-1")
    app_paths.exports.mkdir()
    (app_paths.exports / "week-2026-W47.html").write_text("<html>week</html>")
    settings = Settings().with_value("work", "break_interval_minutes", 70)

    target = export_everything(store, vault, settings, app_paths, tmp_path / "out" / "everything.zip", NOW)

    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == ["README.txt", DUMP_NAME, "exports/week-2026-W47.html"]
        dump = json.loads(archive.read(DUMP_NAME))
        assert "NOT encrypted" in archive.read("README.txt").decode()
        assert archive.read("exports/week-2026-W47.html") == b"<html>week</html>"
    assert dump["tables"]["rough_calls"][0]["content"] == {
        "categories": ["shouting"],
        "note": "they shouted about the bill",
    }
    assert dump["tables"]["activity_intervals"][0]["end_utc"] == NOW.timestamp()
    assert "key_wraps" not in dump["tables"]
    assert dump["settings"]["work"]["break_interval_minutes"] == 70
    assert dump["schema_version"] == store.version


def test_export_refuses_while_the_journal_is_locked(store: Store, vault: Vault, app_paths: AppPaths, tmp_path: Path):
    add_rough_call(store, vault, "call-1", "a note")
    vault.lock()
    with pytest.raises(KeyUnavailable, match="Unlock your journal"):
        export_everything(store, vault, Settings(), app_paths, tmp_path / "everything.zip", NOW)
    assert not (tmp_path / "everything.zip").exists()


def test_export_of_an_empty_database_needs_no_key(store: Store, app_paths: AppPaths, tmp_path: Path) -> None:
    target = export_everything(store, Vault(), Settings(), app_paths, tmp_path / "everything.zip", NOW)
    with zipfile.ZipFile(target) as archive:
        assert json.loads(archive.read(DUMP_NAME))["tables"]["journal_entries"] == []


def test_erase_removes_database_settings_logs_exports_and_the_keyring_entry(
    store: Store, vault: Vault, app_paths: AppPaths
) -> None:
    add_rough_call(store, vault, "call-1", "a note")
    add_keyring_wrap(store, "journal-key-1")
    secrets = MemorySecrets()
    secrets.put("journal-key-1", b"k" * 32)
    secrets.put("someone-else", b"x")
    SettingsHolder(app_paths.settings_file).update(Settings())
    app_paths.log_file.write_text("log\n")
    app_paths.log_file.with_name("companion.log.1").write_text("older log\n")
    app_paths.exports.mkdir()
    (app_paths.exports / "week.csv").write_text("a,b\n")
    backup = app_paths.database.with_name("companion.db.before-v5-20261101.bak")
    backup.write_bytes(b"old copy")
    assert keyring_account_in(store) == "journal-key-1"

    report = erase_everything(app_paths, store, secrets)

    assert report.problems == []
    assert report.keyring_entry_removed
    assert secrets.entries == {"someone-else": b"x"}
    for gone in (app_paths.database, backup, app_paths.settings_file, app_paths.log_file, app_paths.exports):
        assert not gone.exists(), gone
    assert not list(app_paths.logs.iterdir())
    assert not list(app_paths.data.glob("companion.db*"))


def test_erase_without_a_keyring_says_what_is_left(store: Store, app_paths: AppPaths) -> None:
    add_keyring_wrap(store, "journal-key-1")
    report = erase_everything(app_paths, store, None)
    assert not app_paths.database.exists()
    assert not report.keyring_entry_removed
    assert report.problems == ["The key in your keyring could not be reached; remove 'Companion' from it by hand."]
