"""The journal window's call notes: each sealed record is opened once while unlocked, again only when it changes,
and nothing opened outlives a lock. Real store, real AES-GCM."""

from __future__ import annotations

from companion.core.call_notes import OpenedRecords, call_notes, read_state
from companion.core.crypto import Vault
from companion.core.store import Store
from tests.core.test_data_controls import add_rough_call


class CountingVault(Vault):
    def __init__(self, key: bytes) -> None:
        super().__init__()
        self.unlock_with_data_key(key)
        self.opened = 0

    def open_record(self, kind: str, uid: str, sealed: bytes) -> dict:
        self.opened += 1
        return super().open_record(kind, uid, sealed)


def test_records_are_opened_once_and_again_only_when_they_change(store: Store, vault: Vault) -> None:
    add_rough_call(store, vault, "call-1", "he shouted about the refund")
    add_rough_call(store, vault, "call-2", "calm in the end")
    counting = CountingVault(vault.data_key)
    memory = OpenedRecords()
    first = call_notes(store, counting, "", memory)
    assert sorted(note.text for note in first) == ["calm in the end", "he shouted about the refund"]
    assert counting.opened == 2
    assert [note.text for note in call_notes(store, counting, "refund", memory)] == ["he shouted about the refund"]
    assert call_notes(store, counting, "", memory) == first and counting.opened == 2  # nothing opened again
    resealed = vault.seal_record("rough_call", "call-2", {"categories": [], "note": "written again"})
    with store.transaction() as conn:
        conn.execute("UPDATE rough_calls SET content = ? WHERE uid = 'call-2'", (resealed,))
    assert "written again" in [note.text for note in call_notes(store, counting, "", memory)]
    assert counting.opened == 3  # only the changed record


def test_a_lock_forgets_what_was_opened(store: Store, vault: Vault) -> None:
    add_rough_call(store, vault, "call-1", "private words")
    counting = CountingVault(vault.data_key)
    memory = OpenedRecords()
    assert len(call_notes(store, counting, "", memory)) == 1
    counting.lock()
    assert call_notes(store, counting, "", memory) == []
    counting.unlock_with_data_key(vault.data_key)
    call_notes(store, counting, "", memory)
    assert counting.opened == 2  # opened afresh: the memory was emptied while locked


def test_a_read_ahead_through_another_connection_serves_the_apps_next_search(store: Store, vault: Vault) -> None:
    add_rough_call(store, vault, "call-1", "read ahead")
    memory = OpenedRecords()
    as_of = read_state(store)  # on the GUI thread, before the worker reads
    other = Store.open_read_only(store.path)
    try:
        assert [note.text for note in call_notes(other, vault, "", memory, as_of)] == ["read ahead"]
    finally:
        other.close()
    assert memory.read_at == read_state(store)  # nothing written since: the app's next search reads no rows
    add_rough_call(store, vault, "call-2", "written after")
    assert memory.read_at != read_state(store)
    assert sorted(note.text for note in call_notes(store, vault, "", memory)) == ["read ahead", "written after"]
