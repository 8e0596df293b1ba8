"""The journal window with real widgets over a real SQLite file: write, search, filter, edit, delete, lock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QWidget

from companion.core.crypto import Vault, new_data_key
from companion.core.journal import CheckIn, EntryKind, Journal, Writing
from companion.core.store import Store
from companion.features.journal_writes import serve_journal_window
from companion.ui.journal_forms import WritingForm
from companion.ui.journal_window import HEADER_ROLE, META_ROLE, UID_ROLE, JournalWindow
from tests.desktop import ARTIFACTS


@pytest.fixture
def journal(store: Store, clock) -> Journal:
    vault = Vault()
    vault.unlock_with_data_key(new_data_key())
    return Journal(store, vault, clock)


@pytest.fixture
def window(qtbot, journal: Journal) -> JournalWindow:
    shown = JournalWindow(journal)
    serve_journal_window(shown, journal)  # as the journal feature does: the window asks, this writes
    qtbot.addWidget(shown)
    shown.show()
    shown.show_unlocked()
    qtbot.waitUntil(lambda: not shown.searching)  # the list fills as a search does, on the window's worker
    return shown


def listed_uids(window: JournalWindow) -> list[str]:
    items = (window.entry_list.item(row) for row in range(window.entry_list.count()))
    return [item.data(UID_ROLE) for item in items if not item.data(HEADER_ROLE)]


def all_visible_text(widget: QWidget) -> str:
    parts = [label.text() for label in widget.findChildren(QLabel)]
    parts += [field.text() for field in widget.findChildren(QLineEdit)]
    parts += [edit.toPlainText() for edit in widget.findChildren(QPlainTextEdit)]
    parts += [widget.entry_list.item(row).text() for row in range(widget.entry_list.count())]  # type: ignore[attr-defined]
    return "\n".join(parts)


def test_a_new_note_written_with_the_keyboard_is_saved(qtbot, window: JournalWindow, journal: Journal):
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.editor.form
    assert isinstance(form, WritingForm)
    qtbot.keyClicks(form.text, "Asked for help with the refund tool")
    qtbot.keyClicks(form.tags, "tools, Team")
    qtbot.keyClick(form.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = journal.search()
    assert [e.content for e in saved] == [Writing("Asked for help with the refund tool", ("tools", "team"))]
    assert listed_uids(window) == [saved[0].uid]
    assert window.editor.message.text() == "Saved."


def test_save_is_offered_only_when_there_is_something_to_save(qtbot, window: JournalWindow):
    window.start_new(EntryKind.WIN)
    assert not window.editor.save_button.isEnabled()
    qtbot.keyClicks(window.editor.form.text, "  ")
    assert not window.editor.save_button.isEnabled()
    qtbot.keyClicks(window.editor.form.text, "held my ground kindly")
    assert window.editor.save_button.isEnabled()


def test_search_narrows_the_list_as_the_rep_types(qtbot, window: JournalWindow, journal: Journal, clock):
    billing = journal.add(EntryKind.NOTE, Writing("Billing escalation went fine"))
    clock.advance(60)
    journal.add(EntryKind.GRATITUDE, Writing("Coffee with Sam"))
    window.refresh()
    assert len(listed_uids(window)) == 2
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "billing")
    qtbot.waitUntil(lambda: listed_uids(window) == [billing.uid])
    assert window.count_label.text() == "1 of 2 entries"
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(listed_uids(window)) == 2)


def test_filters_by_kind_and_tag(qtbot, window: JournalWindow, journal: Journal):
    win = journal.add(EntryKind.WIN, Writing("Solved it", ("calls",)))
    journal.add(EntryKind.NOTE, Writing("Order paper", ("admin",)))
    journal.add(EntryKind.CHECKIN, CheckIn(3, 4, "steady"))
    window.refresh()
    window.kind_filter.setCurrentIndex(window.kind_filter.findData("win"))
    assert listed_uids(window) == [win.uid]
    window.kind_filter.setCurrentIndex(0)
    window.tag_filter.setCurrentIndex(window.tag_filter.findData("admin"))
    assert [journal.get(uid).content.text for uid in listed_uids(window)] == ["Order paper"]


def test_an_empty_journal_invites_a_first_entry(window: JournalWindow):
    assert window.count_label.text() == "Nothing here yet. Start with a win, a thank-you or a note."


def test_a_reflection_about_a_rough_call_says_so(window: JournalWindow, journal: Journal, store: Store, clock):
    store.connection.execute(
        "INSERT INTO rough_calls(uid, at_utc, utc_offset_minutes, severity) VALUES('r1', ?, 0, 3)",
        (clock.now().timestamp(),),
    )
    entry = journal.add(EntryKind.REFLECTION, Writing("it was not about me"), rough_call_id=1)
    window.refresh()
    assert window.item_for(entry.uid).data(META_ROLE).endswith("Reflection · about a rough call")


def test_today_shows_the_check_in(window: JournalWindow, journal: Journal):
    assert "How are you arriving today?" in window.today_summary.text()
    journal.add(EntryKind.CHECKIN, CheckIn(4, 2, "one call at a time"))
    window.refresh()
    assert "mood 4/5, energy 2/5" in window.today_summary.text()
    assert "one call at a time" in window.today_summary.text()
    assert window.checkin_button.text() == "Check in again"


def test_edit_an_entry_in_place(qtbot, window: JournalWindow, journal: Journal):
    entry = journal.add(EntryKind.REFLECTION, Writing("That call stung"))
    window.refresh()
    window.entry_list.setCurrentItem(window.item_for(entry.uid))
    form = window.editor.form
    assert form.text.toPlainText() == "That call stung"
    form.text.moveCursor(form.text.textCursor().MoveOperation.End)
    qtbot.keyClicks(form.text, ", but I let it go")
    qtbot.mouseClick(window.editor.save_button, Qt.MouseButton.LeftButton)
    assert journal.get(entry.uid).content.text == "That call stung, but I let it go"
    assert listed_uids(window) == [entry.uid]


def test_delete_asks_first_then_removes_the_entry(qtbot, window: JournalWindow, journal: Journal):
    keep = journal.add(EntryKind.NOTE, Writing("keep"))
    gone = journal.add(EntryKind.NOTE, Writing("remove me"))
    window.refresh()
    window.entry_list.setCurrentItem(window.item_for(gone.uid))
    window.entry_list.setFocus()
    qtbot.keyClick(window.entry_list, Qt.Key.Key_Delete)
    box = window.findChild(QMessageBox, "confirm-delete")
    assert box is not None and box.isVisible()
    delete = next(b for b in box.buttons() if b.text() == "Delete")
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert listed_uids(window) == [keep.uid]
    assert journal.get(gone.uid) is None
    assert Journal(journal._store, journal._vault, journal._clock).search() == [keep]


def test_cancelling_a_delete_keeps_the_entry(qtbot, window: JournalWindow, journal: Journal):
    entry = journal.add(EntryKind.NOTE, Writing("still here"))
    window.refresh()
    window.entry_list.setCurrentItem(window.item_for(entry.uid))
    window.editor.delete_button.click()
    box = window.findChild(QMessageBox, "confirm-delete")
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert journal.get(entry.uid) == entry


def test_lock_clears_every_word_and_unlock_brings_them_back(qtbot, window: JournalWindow, journal: Journal):
    journal.add(EntryKind.NOTE, Writing("violet-canary-5512", ("violet-tag",)))
    window.refresh()
    window.entry_list.setCurrentRow(1)
    window.search.setText("violet")
    qtbot.waitUntil(lambda: len(listed_uids(window)) == 1)
    assert "violet-canary-5512" in all_visible_text(window)

    with qtbot.waitSignal(window.lock_requested):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    window.show_locked()
    assert window.is_showing_locked
    assert "violet" not in all_visible_text(window)
    assert window.tag_filter.count() == 0

    with qtbot.waitSignal(window.unlock_requested):
        qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
    window.show_unlocked()
    qtbot.waitUntil(lambda: not window.searching)  # the list fills as a search does
    assert "violet-canary-5512" in all_visible_text(window)


def test_unsaved_text_is_saved_before_locking(qtbot, window: JournalWindow, journal: Journal):
    window.start_new(EntryKind.NOTE)
    qtbot.keyClicks(window.editor.form.text, "half a thought")
    assert window.save_unsaved()
    assert [e.content.text for e in journal.search()] == ["half a thought"]


def test_the_window_looks_calm_and_readable(qtbot, window: JournalWindow, journal: Journal, clock):
    clock.jump_wall(-2 * 86400 + 7 * 3600)
    long_thought = "Why do refund calls get to me? Maybe because I cannot fix the policy, only soften it. " * 3
    journal.add(EntryKind.REFLECTION, Writing(long_thought.strip(), ("refunds", "growth")))
    clock.jump_wall(2 * 86400 - 7 * 3600)
    journal.add(EntryKind.CHECKIN, CheckIn(4, 3, "Listen all the way to the end before I answer."))
    clock.advance(3600)
    journal.add(EntryKind.WIN, Writing("A caller who started shouting thanked me at the end.", ("calls",)))
    clock.advance(3600)
    journal.add(EntryKind.GRATITUDE, Writing("Sam covered my queue so I could take a real lunch."))
    window.refresh()
    window.entry_list.setCurrentItem(window.item_for(listed_uids(window)[1]))
    assert window.editor.form is not None and window.editor.form.isVisible()
    button = window.checkin_button
    qtbot.waitUntil(lambda: button.width() >= button.sizeHint().width())  # the layout caught up with new texts
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "journal-window.png"
    assert window.grab().save(str(target))
    assert target.stat().st_size > 10_000


def test_the_check_in_form_works_from_the_keyboard(qtbot):
    from companion.ui.journal_forms import CheckInForm

    form = CheckInForm()
    qtbot.addWidget(form)
    form.show()
    assert form.content() is None
    with qtbot.waitSignal(form.changed):
        qtbot.keyClick(form.mood.group.button(1), Qt.Key.Key_4)
    qtbot.keyClick(form.energy.group.button(1), Qt.Key.Key_2)
    qtbot.keyClicks(form.intention, "breathe")
    assert form.content() == CheckIn(4, 2, "breathe")


def test_the_window_only_asks_a_save_and_a_delete_reach_the_journal_through_its_writer(qtbot, journal: Journal):
    alone = JournalWindow(journal)  # no writer connected: nothing may be written
    qtbot.addWidget(alone)
    alone.show()
    alone.show_unlocked()
    asked: list[object] = []
    alone.entry_save_requested.connect(asked.append)
    alone.start_new(EntryKind.NOTE)
    qtbot.keyClicks(alone.editor.form.text, "only a request")
    alone.editor.save()
    assert len(asked) == 1 and asked[0].content == Writing("only a request")
    assert journal.search() == []
    alone.editor.clear()  # closing would save the unsaved text again: nothing to keep here


def test_a_search_result_older_than_the_list_is_dropped(qtbot, window: JournalWindow, journal: Journal, clock):
    first = journal.add(EntryKind.NOTE, Writing("billing call one"))
    window.refresh()
    window.search.setText("billing")
    window._search_timer.stop()  # the test starts the search itself, and the event loop does not turn before...
    window.search_in_background()
    clock.advance(60)
    second = journal.add(EntryKind.NOTE, Writing("billing call two"))
    window.refresh()  # ...a save refreshes the list: the search above, still on the worker, knows only one entry
    assert listed_uids(window) == [second.uid, first.uid]
    qtbot.waitUntil(lambda: not window.searching)
    assert listed_uids(window) == [second.uid, first.uid]
    assert window.count_label.text() == "2 entries"


def test_typing_quickly_over_a_long_journal_keeps_every_key_and_the_order(qtbot, window: JournalWindow,
                                                                           journal: Journal, clock):  # fmt: skip
    for number in range(700):
        words = "refund angry customer" if number % 7 == 0 else "routine call"
        journal.add(EntryKind.NOTE if number % 2 else EntryKind.WIN, Writing(f"{words} {number}"))
        clock.advance(37 * 60)
    window.refresh()
    window.search.setFocus()
    typed_mid_fill: list[int] = []

    def type_the_rest_while_rows_go_in() -> None:
        # Pressed while the first search's rows are still going in, a batch per event-loop turn.
        if not typed_mid_fill and window.search.text() == "r" and window.searching:
            typed_mid_fill.append(window.entry_list.count())
            qtbot.keyClicks(window.search, "efund angry")

    window.entry_list.model().rowsInserted.connect(type_the_rest_while_rows_go_in)
    qtbot.keyClicks(window.search, "r")
    qtbot.waitUntil(lambda: typed_mid_fill != [] and not window.searching, timeout=10_000)
    window.entry_list.model().rowsInserted.disconnect(type_the_rest_while_rows_go_in)
    assert 0 < typed_mid_fill[0] < 400  # the rest was typed between two batches of the first search's rows
    assert window.search.text() == "r" + "efund angry" and window.search.hasFocus()
    assert listed_uids(window) == [entry.uid for entry in journal.search("refund angry")]
    assert window.count_label.text() == "100 of 700 entries"
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.searching and window.search.text() == "")
    assert listed_uids(window) == [entry.uid for entry in journal.search()][:400]
    assert window.count_label.text().startswith("Showing the newest 400 of 700")
    assert window.search.hasFocus()


def test_nothing_found_says_so_and_locking_drops_a_search_under_way(qtbot, window: JournalWindow, journal: Journal):
    journal.add(EntryKind.NOTE, Writing("violet-canary-4410"))
    window.refresh()
    qtbot.keyClicks(window.search, "nothing like this")
    qtbot.waitUntil(lambda: not window.searching)
    assert listed_uids(window) == []
    assert window.count_label.text() == "Nothing matches. Try other words, or All kinds."
    window.search.setText("violet")
    window._search_timer.stop()
    window.search_in_background()  # on the worker while the window locks
    window.show_locked()
    qtbot.waitUntil(lambda: not window.searching)
    assert "violet-canary" not in all_visible_text(window) and window.entry_list.count() == 0
