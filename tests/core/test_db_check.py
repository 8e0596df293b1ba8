"""The integrity check that runs after the tray shows (core/db_check.py): a sound file passes, a damaged page is
found, and the marker it leaves makes the next open check first and keep the damaged file aside."""

from __future__ import annotations

from pathlib import Path

from companion.core import db_check
from companion.core.store import Store


def filled_database(path: Path) -> None:
    store = Store.open(path)
    with store.transaction() as conn:
        conn.execute("CREATE TABLE padding(id INTEGER PRIMARY KEY, text TEXT)")
        conn.executemany("INSERT INTO padding(text) VALUES (?)", [("x" * 500,) for _ in range(400)])
    store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def damage_a_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range(page_size * 6, page_size * 6 + 64):  # the header of a page of the padding table
        data[offset] = 0xFF
    path.write_bytes(bytes(data))


def test_a_sound_database_passes_and_a_missing_one_is_fine(tmp_path):
    path = tmp_path / "companion.db"
    assert db_check.quick_check(path) == "ok"
    filled_database(path)
    assert db_check.quick_check(path) == "ok"
    assert not db_check.check_needed_at_start(path)


def test_damage_opens_without_the_check_is_found_in_the_background_and_kept_aside_next_start(tmp_path):
    path = tmp_path / "companion.db"
    filled_database(path)
    damage_a_page(path)
    store = Store.open(path, integrity_check=False)  # what the tray app does: the icon is not held up
    assert store.quarantined_path is None
    verdict = db_check.quick_check(path)
    assert verdict != "ok"
    db_check.remember_damage(path, verdict)
    store.close()

    assert db_check.check_needed_at_start(path)
    again = Store.open(path, integrity_check=db_check.check_needed_at_start(path))
    assert again.quarantined_path is not None and again.quarantined_path.exists()
    db_check.forget_damage(path)
    assert not db_check.check_needed_at_start(path)
    again.close()
