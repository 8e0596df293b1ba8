"""The journal shows everything the rep wrote (issue 12, item 6): rough-call notes and cooldown reflections appear
in its timeline with their call (time, severity, what happened); the filter and the search find them; an empty
result says so."""

from __future__ import annotations

from companion.core.call_notes import call_notes
from companion.core.clock import FakeClock
from companion.core.journal import EntryKind, Journal, Writing
from companion.core.rough_calls import CooldownResult, Outcome, RoughCallRepository, TagRequest
from companion.ui.journal_window import CALL_NOTES, META_ROLE, JournalWindow


def seeded(store, vault, clock: FakeClock) -> RoughCallRepository:
    repo = RoughCallRepository(store, vault, clock)
    call = repo.tag(TagRequest(3, ("yelling", "blamed_me"), "asked for a refund twice"))
    cooldown = repo.offer_cooldown(call.id)
    now = clock.now()
    repo.record_session(cooldown, CooldownResult(Outcome.COMPLETED, "box", "default_180", now, now, 7, 3, "slower now"))
    Journal(store, vault, clock).add(EntryKind.NOTE, Writing("lunch with Kim"))
    return repo


def test_notes_and_reflections_come_back_with_their_call(store, vault, clock: FakeClock) -> None:
    seeded(store, vault, clock)
    found = call_notes(store, vault)
    assert {note.text for note in found} == {"asked for a refund twice", "slower now"}
    reflection = next(note for note in found if note.source == "cooldown")
    assert reflection.severity == 3 and "Blamed me personally" in reflection.call_line()
    assert [note.text for note in call_notes(store, vault, "REFUND")] == ["asked for a refund twice"]
    assert [note.text for note in call_notes(store, vault, "blamed")] != []  # what happened is searchable too


def test_the_journal_window_lists_filters_and_finds_them(qtbot, store, vault, clock: FakeClock) -> None:
    seeded(store, vault, clock)
    journal = Journal(store, vault, clock)
    window = JournalWindow(journal, call_notes=lambda query: call_notes(store, vault, query))
    qtbot.addWidget(window)
    window.show_unlocked()
    window.refresh()
    texts = [window.entry_list.item(i).text() for i in range(window.entry_list.count())]
    assert "asked for a refund twice" in texts and "slower now" in texts and "lunch with Kim" in texts
    metas = [window.entry_list.item(i).data(META_ROLE) or "" for i in range(window.entry_list.count())]
    assert any("3 hostile" in meta and "Yelling" in meta for meta in metas)
    window.kind_filter.setCurrentIndex(window.kind_filter.findData(CALL_NOTES))
    texts = [window.entry_list.item(i).text() for i in range(window.entry_list.count())]
    assert "lunch with Kim" not in texts and "slower now" in texts
    window.search.setText("refund")
    window.refresh()
    texts = [window.entry_list.item(i).text() for i in range(window.entry_list.count())]
    assert "asked for a refund twice" in texts and "slower now" not in texts
    window.search.setText("nothing like this")
    window.refresh()
    assert "Nothing matches" in window.count_label.text()
    window._search_timer.stop()  # typing started the search delay; the test owns it, the store closes next
    window.close()


def test_nothing_is_read_while_the_journal_is_locked(store, clock: FakeClock) -> None:
    from companion.core.crypto import Vault

    assert call_notes(store, Vault(), "") == []
