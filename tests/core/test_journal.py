"""The journal repository over a real SQLite file: sealed content, search, filters, edit, delete, local days."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core.clock import FakeClock
from companion.core.crypto import Vault, new_data_key
from companion.core.errors import KeyUnavailable
from companion.core.journal import (
    CheckIn,
    Closing,
    EntryKind,
    GoodThing,
    Journal,
    Writing,
    journal_status,
    normalise_tags,
)
from companion.core.status import collect_status
from companion.core.store import Store


@pytest.fixture
def journal(store: Store, vault: Vault, clock: FakeClock) -> Journal:
    return Journal(store, vault, clock)


def all_bytes(folder: Path) -> bytes:
    return b"".join(file.read_bytes() for file in folder.iterdir() if file.is_file())


def test_every_kind_round_trips_through_the_file(journal: Journal, store: Store, vault: Vault, clock: FakeClock):
    written = [
        journal.add(EntryKind.CHECKIN, CheckIn(mood=3, energy=4, intention="listen first")),
        journal.add(EntryKind.CLOSING, Closing(4, "call back Mrs Ortiz", (GoodThing("lunch outside", "sun"),))),
        journal.add(EntryKind.WIN, Writing("turned an angry caller around", ("calls",))),
        journal.add(EntryKind.GRATITUDE, Writing("a kind colleague")),
        journal.add(EntryKind.REFLECTION, Writing("why that call stung", ()), rough_call_id=None),
        journal.add(EntryKind.NOTE, Writing("ask about the new script")),
    ]
    fresh = Journal(store, vault, clock)
    assert fresh.load() == 6
    for entry in written:
        assert fresh.get(entry.uid) == entry


def test_content_is_sealed_on_disk_and_kind_and_times_stay_plain(journal: Journal, store: Store, tmp_path: Path):
    journal.add(EntryKind.NOTE, Writing("zebra-crossing-7741 in plain words"))
    store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"zebra-crossing-7741" not in all_bytes(tmp_path)
    assert store.connection.execute("SELECT kind FROM journal_entries").fetchone()[0] == "note"


def test_search_matches_every_word_in_any_case_newest_first(journal: Journal, clock: FakeClock):
    older = journal.add(EntryKind.NOTE, Writing("The Billing team was helpful"))
    clock.advance(60)
    newer = journal.add(EntryKind.WIN, Writing("billing dispute solved, TEAM effort"))
    journal.add(EntryKind.NOTE, Writing("nothing to see"))
    assert journal.search("billing team") == [newer, older]
    assert journal.search("BILLING solved") == [newer]
    assert journal.search("absent") == []


def test_filters_by_kind_and_tag(journal: Journal):
    win = journal.add(EntryKind.WIN, Writing("kept my cool", normalise_tags("Calls, calm")))
    journal.add(EntryKind.NOTE, Writing("kept a list", ("admin",)))
    checkin = journal.add(EntryKind.CHECKIN, CheckIn(2, 2, "be gentle with myself"))
    assert journal.search(kinds={EntryKind.WIN}) == [win]
    assert journal.search(tag="#CALM") == [win]
    assert journal.search("kept", tag="admin")[0].kind is EntryKind.NOTE
    assert journal.search("gentle") == [checkin]
    assert journal.all_tags() == ["admin", "calls", "calm"]


def test_tags_are_tidied(journal: Journal):
    assert normalise_tags(" Calm, #team,, calm ; Focus") == ("calm", "team", "focus")


def test_edit_replaces_the_sealed_text_and_keeps_the_entry(journal: Journal, store: Store, vault: Vault, tmp_path):
    entry = journal.add(EntryKind.REFLECTION, Writing("first draft"))
    old_blob = store.connection.execute("SELECT content FROM journal_entries").fetchone()[0]
    edited = journal.update(entry, Writing("second thoughts", ("growth",)))
    assert edited.uid == entry.uid and edited.created_utc == entry.created_utc
    assert Journal(store, vault, FakeClock()).get(entry.uid) == edited
    assert bytes(old_blob) not in all_bytes(tmp_path)


def test_delete_leaves_no_trace_of_the_sealed_record(journal: Journal, store: Store, tmp_path: Path):
    keep = journal.add(EntryKind.NOTE, Writing("keep this one"))
    gone = journal.add(EntryKind.NOTE, Writing("delete this one " * 300))  # large enough for an overflow page
    blob = bytes(store.connection.execute("SELECT content FROM journal_entries WHERE uid=?", (gone.uid,)).fetchone()[0])
    journal.delete(gone.uid)
    assert journal.search() == [keep]
    assert blob[20:80] not in all_bytes(tmp_path)


def test_a_mismatched_content_type_is_refused(journal: Journal):
    with pytest.raises(ValueError):
        journal.add(EntryKind.CHECKIN, Writing("not a check-in"))
    with pytest.raises(ValueError, match="1 to 5"):
        CheckIn(mood=6, energy=3)


def test_reading_while_locked_says_the_journal_is_locked(store: Store, clock: FakeClock):
    with pytest.raises(KeyUnavailable, match="locked"):
        Journal(store, Vault(), clock).add(EntryKind.NOTE, Writing("x"))


def test_days_are_the_local_days_the_rep_lived(store: Store, vault: Vault):
    late_evening = datetime(2026, 11, 23, 23, 30, tzinfo=timezone(timedelta(hours=-5)))  # 04:30 UTC next day
    clock = FakeClock(late_evening)
    journal = Journal(store, vault, clock)
    entry = journal.add(EntryKind.CHECKIN, CheckIn(3, 3))
    assert entry.day == date(2026, 11, 23)
    assert journal.has_entry_on(EntryKind.CHECKIN, date(2026, 11, 23))
    assert not journal.has_entry_on(EntryKind.CHECKIN, date(2026, 11, 24))
    assert journal.entries_on(date(2026, 11, 23)) == [entry]


def test_status_counts_without_unlocking(journal: Journal, store: Store, clock: FakeClock):
    journal.add(EntryKind.CHECKIN, CheckIn(4, 4))
    journal.add(EntryKind.NOTE, Writing("x"))
    part = journal_status(store, clock)
    assert part.values == {"journal_entries": 2, "checked_in_today": True}
    assert part.lines == ["Journal: 2 entries; checked in today"]
    assert collect_status(store, clock).values["journal_entries"] == 2


def test_status_line_is_one_sentence_for_each_count(journal: Journal, store: Store, clock: FakeClock):
    """One ngettext sentence per state, never "entry" + "s" (issue 16): 0, 1 and 2 read right in English."""
    assert journal_status(store, clock).lines == ["Journal: 0 entries; no check-in today"]
    journal.add(EntryKind.NOTE, Writing("x"))
    assert journal_status(store, clock).lines == ["Journal: 1 entry; no check-in today"]
    journal.add(EntryKind.CHECKIN, CheckIn(4, 4))
    assert journal_status(store, clock).lines == ["Journal: 2 entries; checked in today"]


def test_forget_drops_decrypted_entries(journal: Journal):
    journal.add(EntryKind.NOTE, Writing("x"))
    assert len(journal.search()) == 1
    assert journal.is_loaded
    journal.forget()
    assert not journal.is_loaded


def test_markdown_export_reads_as_a_diary_and_warns(journal: Journal, clock: FakeClock):
    from companion.core.journal_export import NOT_ENCRYPTED_WARNING, render

    journal.add(EntryKind.CHECKIN, CheckIn(3, 4, "listen first"))
    clock.advance(3600)
    journal.add(EntryKind.CLOSING, Closing(4, "call Mrs Ortiz", (GoodThing("lunch outside", "sun"),)))
    clock.advance(86400)
    journal.add(EntryKind.WIN, Writing("kept calm", ("calls",)))
    text = render(journal.search(), "markdown")
    assert NOT_ENCRYPTED_WARNING in text
    assert text.index("## Monday 23 November 2026") < text.index("## Tuesday 24 November 2026")
    assert "- Intention: listen first" in text
    assert "- Good: lunch outside (why: sun)" in text and "- For tomorrow: call Mrs Ortiz" in text
    assert "kept calm\n\n#calls" in text


def test_json_export_keeps_every_field(journal: Journal):
    import json

    from companion.core.journal_export import render

    entry = journal.add(EntryKind.REFLECTION, Writing("after the call", ("growth",)))
    document = json.loads(render(journal.search(), "json"))
    assert document["format"] == "companion-journal"
    assert document["entries"] == [
        {
            "id": entry.uid,
            "kind": "reflection",
            "created": entry.local_time.isoformat(timespec="seconds"),
            "updated_utc": entry.updated_utc,
            "rough_call_id": None,
            "cooldown_id": None,
            "content": {"text": "after the call", "tags": ["growth"]},
        }
    ]
    with pytest.raises(ValueError):
        render([], "pdf")


WORDS = ["Calm", "calm", "refund", "Über", "straße", "call", "lunch", "team", "ß", "ok"]


@given(
    texts=st.lists(st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join), min_size=1, max_size=12),
    query=st.lists(st.sampled_from(WORDS), max_size=3).map(" ".join),
)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_search_finds_exactly_the_entries_holding_every_word(tmp_path: Path, texts: list[str], query: str):
    store = Store.open(tmp_path / f"{uuid.uuid4().hex}.db")
    try:
        vault = Vault()
        vault.unlock_with_data_key(new_data_key())
        journal = Journal(store, vault, FakeClock())
        written = {journal.add(EntryKind.NOTE, Writing(text)).uid: text for text in texts}
        expected = {uid for uid, text in written.items() if all(w.casefold() in text.casefold() for w in query.split())}
        assert {entry.uid for entry in journal.search(query)} == expected
    finally:
        store.close()


def test_the_days_at_the_widest_offsets_keep_their_entries(store: Store, vault: Vault):
    """entries_on narrows by UTC time first; entries written at the edges of a day at -12:00 and +14:00 still count."""
    for hours, minute in ((14, 0), (14, 1439), (-12, 0), (-12, 1439), (0, 0), (0, 1439)):
        at = datetime(2026, 11, 23, tzinfo=timezone(timedelta(hours=hours))) + timedelta(minutes=minute)
        Journal(store, vault, FakeClock(at)).add(EntryKind.NOTE, Writing(f"{hours} {minute}"))
    journal = Journal(store, vault, FakeClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)))
    for day in (date(2026, 11, 22), date(2026, 11, 23), date(2026, 11, 24)):
        assert {entry.uid for entry in journal.entries_on(day)} == {
            entry.uid for entry in journal.search() if entry.day == day
        }
    assert len(journal.entries_on(date(2026, 11, 23))) == 6
