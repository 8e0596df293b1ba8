"""A damaged journal record is one lost record, not a lost journal (issue 13): the real window over a real SQLite
file with one row's ciphertext spoiled opens, shows that entry as unreadable with its date, and the rest reads."""

from __future__ import annotations

from datetime import datetime

import pytest

from companion.core.crypto import Vault, new_data_key
from companion.core.ipc import Request
from companion.core.journal import UNREADABLE_ENTRY, EntryKind, Journal, Writing
from companion.core.store import Store
from companion.ui.journal_window import HEADER_ROLE, UID_ROLE, JournalWindow
from tests.ui.test_journal_feature import (  # noqa: F401 - idle, told and start_app are fixtures
    idle,
    set_up_with_passphrase,
    start_app,
    told,
    unlock,
)


@pytest.fixture
def journal(store: Store, clock) -> Journal:
    vault = Vault()
    vault.unlock_with_data_key(new_data_key())
    return Journal(store, vault, clock)


def spoil(store: Store, uid: str) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE journal_entries SET content = x'00112233' WHERE uid = ?", (uid,))


def test_the_window_opens_and_shows_the_damaged_entry_as_unreadable_with_its_date(qtbot, store, journal, clock):
    kept = journal.add(EntryKind.WIN, Writing("fixed the billing mix-up for a regular"))
    clock.advance(3600)
    lost = journal.add(EntryKind.REFLECTION, Writing("this one will be damaged"))
    spoil(store, lost.uid)
    journal.forget()  # as after a lock: the next read decrypts from the file
    clock.advance(3 * 86_400)  # read days later, so its day is shown as a date, not "Today"

    window = JournalWindow(journal)
    qtbot.addWidget(window)
    window.show()
    window.show_unlocked()
    qtbot.waitUntil(lambda: not window.searching)  # the list fills as a search does
    rows = [window.entry_list.item(row) for row in range(window.entry_list.count())]
    texts = {item.data(UID_ROLE): item.text() for item in rows if not item.data(HEADER_ROLE)}
    assert "fixed the billing mix-up" in texts[kept.uid]
    assert "could not be read" in texts[lost.uid]
    headers = " ".join(item.text() for item in rows if item.data(HEADER_ROLE))
    assert str(datetime.fromtimestamp(lost.created_utc).day) in headers  # its day is shown
    damaged = journal.get(lost.uid)
    assert damaged is not None and damaged.damaged and damaged.content == Writing(UNREADABLE_ENTRY)
    assert damaged.created_utc == lost.created_utc


def test_a_row_with_an_unknown_kind_is_one_lost_entry_too(store, journal):
    journal.add(EntryKind.NOTE, Writing("still here"))
    broken = journal.add(EntryKind.NOTE, Writing("gone"))
    with store.transaction() as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE journal_entries SET kind = 'nonsense' WHERE uid = ?", (broken.uid,))
    journal.forget()
    assert journal.load() == 2
    assert [e.content.text for e in journal.search() if not e.damaged] == ["still here"]


def test_a_quick_entry_saved_while_the_window_is_open_over_a_damaged_row_is_reported_saved(
    qtbot,
    start_app,  # noqa: F811 - the fixture imported above
    store,
    clock,
):
    set_up_with_passphrase(store, clock)
    app, feature = start_app()
    unlock(qtbot, feature)
    damaged = feature.journal.add(EntryKind.NOTE, Writing("to be spoiled"))
    spoil(store, damaged.uid)
    feature.journal.forget()
    handle = app.registry.commands["journal"]
    assert handle(Request("journal")).ok  # the window opens over the damaged row
    qtbot.waitUntil(lambda: feature.window is not None and feature.window.isVisible())
    reply = handle(Request("journal", {"kind": "win", "text": "stayed kind on a long call"}))
    assert reply.ok and reply.message == "Saved to your journal."
    assert feature.journal.get(reply.data["entry_uid"]) is not None
    listed = [feature.window.entry_list.item(row).data(UID_ROLE) for row in range(feature.window.entry_list.count())]
    assert reply.data["entry_uid"] in listed and damaged.uid in listed


def test_the_week_in_review_says_a_damaged_check_in_was_left_out(store, journal, clock):
    from companion.core.journal import CheckIn
    from companion.core.summary import build_summary
    from companion.core.summary_documents import to_html
    from companion.core.summary_report import report_sections
    from companion.core.summary_week import IsoWeek

    journal.add(EntryKind.CHECKIN, CheckIn(4, 3, "one call at a time"))
    clock.advance(86_400)
    lost = journal.add(EntryKind.CHECKIN, CheckIn(2, 2, "a hard morning"))
    spoil(store, lost.uid)
    summary = build_summary(store, IsoWeek.of(clock.now().date()), clock, journal._vault)
    assert summary.unreadable_records == 1
    assert summary.checkin_days == 1  # the readable check-in still counts
    section = next(s for s in report_sections(summary) if s.key == "unreadable")
    assert "1 saved entry from this week could not be read" in section.paragraphs[0]
    assert "could not be read: the stored copy is damaged" in to_html(summary)
