"""One keyboard model (issue 12): Enter does the primary action once and never changes a rating; rating rows are
one tab stop each, in reading order; a typed space presses nothing; the tag panel saves once per Enter, warns
about customer details first, and a repeated request id stores one row."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from companion.app import CompanionApp
from companion.core.crypto import new_data_key
from companion.core.ipc import Request
from companion.core.journal import CheckIn, Closing, EntryKind, GoodThing
from companion.features.rough_calls import RoughCallsFeature
from companion.ui.journal_dialogs import EntryDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)\(\)")


def shown(qtbot: QtBot, dialog: EntryDialog) -> EntryDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    return dialog


def submissions(dialog: EntryDialog) -> list[object]:
    got: list[object] = []
    dialog.submitted.connect(got.append)
    dialog.submitted.connect(lambda _content: dialog.succeeded())
    return got


def test_enter_in_the_check_in_saves_exactly_the_chosen_ratings_once(qtbot: QtBot) -> None:
    dialog = shown(qtbot, EntryDialog(EntryKind.CHECKIN))
    got = submissions(dialog)
    form = dialog.form
    assert dialog.focusWidget() is form.mood
    qtbot.keyClick(form.mood, Qt.Key.Key_4)
    qtbot.keyClick(form.mood, Qt.Key.Key_Space)  # a space presses nothing
    qtbot.keyClick(form.mood, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is form.energy
    qtbot.keyClick(form.energy, Qt.Key.Key_3)
    qtbot.keyClick(form.energy, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is form.intention
    qtbot.keyClicks(form.intention, "one breath first")
    qtbot.keyClick(form.intention, Qt.Key.Key_Return)
    assert got == [CheckIn(4, 3, "one breath first")]
    assert not dialog.isVisible()


def test_enter_on_a_rating_row_saves_and_keeps_the_rating(qtbot: QtBot) -> None:
    dialog = shown(qtbot, EntryDialog(EntryKind.CLOSING))
    got = submissions(dialog)
    rating = dialog.form.rating
    qtbot.keyClick(rating, Qt.Key.Key_4)
    qtbot.keyClick(rating, Qt.Key.Key_Return)
    assert got == [Closing(4, "", ())]


def test_enter_after_clicking_a_rating_does_not_press_it_again(qtbot: QtBot) -> None:
    dialog = shown(qtbot, EntryDialog(EntryKind.CLOSING))
    got = submissions(dialog)
    qtbot.mouseClick(dialog.form.rating.group.button(4), Qt.MouseButton.LeftButton)
    what, why = dialog.form.good_things[0]
    what.setFocus()
    qtbot.keyClicks(what, "calm caller")
    qtbot.keyClick(what, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is why
    qtbot.keyClick(why, Qt.Key.Key_Enter)
    assert got == [Closing(4, "", (GoodThing("calm caller", ""),))]


def test_rating_buttons_never_take_focus_or_act_as_default(qtbot: QtBot) -> None:
    dialog = EntryDialog(EntryKind.CHECKIN)
    qtbot.addWidget(dialog)
    for row in (dialog.form.mood, dialog.form.energy):
        for button in row.group.buttons():
            assert isinstance(button, QPushButton)
            assert not button.autoDefault() and not button.isDefault()
            assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert dialog.save_button.isDefault()


def test_arrow_keys_move_the_rating(qtbot: QtBot) -> None:
    dialog = EntryDialog(EntryKind.CHECKIN)
    qtbot.addWidget(dialog)
    row = dialog.form.mood
    qtbot.keyClick(row, Qt.Key.Key_Right)
    assert row.value() == 1
    qtbot.keyClick(row, Qt.Key.Key_Right)
    qtbot.keyClick(row, Qt.Key.Key_Right)
    qtbot.keyClick(row, Qt.Key.Key_Left)
    assert row.value() == 2


@pytest.fixture
def app(companion_app) -> CompanionApp:
    companion = companion_app()  # shut down by the fixture, as Quit does
    companion.vault.unlock_with_data_key(new_data_key())
    return companion


@pytest.fixture
def feature(app: CompanionApp) -> RoughCallsFeature:
    return app.add_feature(RoughCallsFeature())


def rough_call_rows(app: CompanionApp) -> list[tuple]:
    with sqlite3.connect(app.store.path) as conn:
        return conn.execute("SELECT id, severity FROM rough_calls").fetchall()


def test_enter_in_the_note_warns_first_then_stores_exactly_one_call(
    qtbot: QtBot, app: CompanionApp, feature: RoughCallsFeature
) -> None:
    panel = feature.open_panel()
    qtbot.waitExposed(panel)
    qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_3)
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, "wrote to jo@example.com")
    qtbot.keyClick(panel.note, Qt.Key.Key_Return)
    assert panel.note_warning.isVisible() and "an email address" in panel.note_warning.text()
    assert rough_call_rows(app) == []  # the warning comes first, always
    with qtbot.waitSignal(feature.tagged):
        qtbot.keyClick(panel.note, Qt.Key.Key_Return)
    assert [severity for _id, severity in rough_call_rows(app)] == [3]


def test_enter_in_own_tags_stores_exactly_one_call(qtbot: QtBot, app: CompanionApp, feature: RoughCallsFeature) -> None:
    panel = feature.open_panel()
    qtbot.waitExposed(panel)
    panel.own_tags.setFocus()
    qtbot.keyClicks(panel.own_tags, "refund")
    with qtbot.waitSignal(feature.tagged) as tagged:
        qtbot.keyClick(panel.own_tags, Qt.Key.Key_Return)
    assert len(rough_call_rows(app)) == 1
    stored = feature.repo.get(tagged.args[0].id)
    assert stored is not None and stored.categories == ("refund",)


def test_a_panel_saved_twice_stores_one_row(app: CompanionApp, feature: RoughCallsFeature) -> None:
    panel = feature.open_panel()
    request = panel.request()
    feature.save_tag(request)
    feature.save_tag(request)  # a second submit of the same panel: same request id
    assert len(rough_call_rows(app)) == 1
    panel.close()


def test_two_socket_tags_with_one_request_id_store_one_row(app: CompanionApp, feature: RoughCallsFeature) -> None:
    args = {"severity": 4, "tags": ["yelling"], "note": "", "request_id": "retry-1"}
    first = feature.handle_tag(Request("tag", args))
    again = feature.handle_tag(Request("tag", args))
    other = feature.handle_tag(Request("tag", {**args, "request_id": "retry-2"}))
    assert first.ok and again.ok and other.ok
    assert again.data["rough_call_id"] == first.data["rough_call_id"] and again.data["repeated"] is True
    assert len(rough_call_rows(app)) == 2
    refused = feature.handle_tag(Request("tag", {**args, "request_id": 7}))
    assert not refused.ok and "request id" in refused.message


def test_an_offer_after_the_panel_takes_the_focus_and_one_from_a_command_does_not(
    qtbot: QtBot, app: CompanionApp, feature: RoughCallsFeature
) -> None:
    panel = feature.open_panel()
    qtbot.waitExposed(panel)
    with qtbot.waitSignal(feature.offer_shown) as shown:
        qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_2)
        qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_Return)
    offer = shown.args[0]
    assert not offer.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is offer)
    offer.choose("not_now")
    feature.handle_tag(Request("tag", {"severity": 3}))  # a shortcut while the rep works elsewhere
    assert feature.offer is not None and feature.offer.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
