"""A translation is a file, not a code change: the extraction finds every word of the Settings window, and a
compiled catalogue changes what the window shows, through the same gettext catalogue the core reads."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from companion.core import i18n
from companion.core.settings import Settings, SettingsHolder
from companion.ui.settings_texts import FIELD_TEXTS, GROUP_TITLES
from companion.ui.settings_window import SettingsWindow
from companion.ui.translations import LanguageFollower, install_translations
from tests.i18n_tool import i18n_tool


def words_in_table() -> set[str]:
    words = set(GROUP_TITLES.values())
    for text in FIELD_TEXTS.values():
        words |= {text.label, text.help, text.suffix, text.zero_text, text.item_label, *text.choices.values()}
    return words - {""} - set(i18n.LANGUAGE_NAMES.values())  # each language's own name is never translated


def test_the_extraction_finds_every_word_of_the_settings_table() -> None:
    found = {message.id for message in i18n_tool().extract() if isinstance(message.id, str)}
    assert words_in_table() <= found, sorted(words_in_table() - found)


def test_a_compiled_catalogue_changes_the_window_without_code_changes(qtbot, tmp_path: Path, app_paths) -> None:
    catalogue = Catalog(locale="de", domain=i18n.DOMAIN)
    catalogue.add("Suggest a break after", "Pause vorschlagen nach")
    catalogue.add("Work", "Arbeit")
    shipped = tmp_path / "locale" / "de" / "LC_MESSAGES"
    shipped.mkdir(parents=True)
    with (shipped / "companion.mo").open("wb") as handle:
        write_mo(handle, catalogue)

    app = QCoreApplication.instance()
    try:
        translators = install_translations(app, "de", catalogue_dir=tmp_path / "locale")
        assert translators
        window = SettingsWindow(SettingsHolder(app_paths.settings_file))
        qtbot.addWidget(window)
        assert window.tabs.tabText(0) == "Arbeit"
        assert "Pause vorschlagen nach" in [label.text() for label in window.findChildren(QLabel)]
        spin = window.editors[("work", "break_interval_minutes")].inputs[0]
        assert spin.accessibleName() == "Pause vorschlagen nach"
    finally:
        install_translations(app, "en")


def test_the_running_app_changes_language_when_settings_do_and_stops_following_at_shutdown(qapp, companion_app) -> None:
    """launch.py subscribes the LanguageFollower through the registry, so the staged shutdown unsubscribes it."""
    app = companion_app()
    follower = LanguageFollower(qapp, app.settings.current)
    app.registry.on_settings_changed(follower.settings_changed)
    try:
        app.settings.update(app.settings.current.with_value("language", "language", "de"))
        assert i18n.current_language() == "de"
        assert QCoreApplication.translate("SettingsWindow", "Language") == "Sprache"

        app.shutdown()
        app.settings.update(app.settings.current.with_value("language", "language", "fr"))
        assert i18n.current_language() == "de"
    finally:
        install_translations(qapp, "en")


def test_the_working_days_start_the_week_where_the_language_does(qtbot, app_paths) -> None:
    """Brazil's calendars start on Sunday, Germany's on Monday: the working-day boxes follow, and Tab follows them."""
    app = QCoreApplication.instance()
    try:
        for language, first in (("pt_BR", "domingo"), ("de", "Montag")):
            install_translations(app, language)
            window = SettingsWindow(SettingsHolder(app_paths.settings_file))
            qtbot.addWidget(window)
            boxes = window.editors[("work", "work_days")].inputs
            grid = boxes[0].parentWidget().layout()
            shown_first = grid.itemAtPosition(0, 0).widget()
            assert shown_first.accessibleName().lower().endswith(first.lower())
            assert (shown_first is boxes[6]) == (language == "pt_BR")  # the stored day numbers stay Monday = 0
            assert shown_first.nextInFocusChain() is grid.itemAtPosition(0, 1).widget()
    finally:
        install_translations(app, "en")


def test_an_open_settings_window_keeps_its_language_on_pages_first_shown_after_a_change(qtbot, qapp, app_paths) -> None:
    """Pages are built when first shown (issue 15); a language chosen in the window applies to windows opened
    after it, so the pages not shown yet are built in the window's language before the change applies."""
    holder = SettingsHolder(app_paths.settings_file)
    follower = LanguageFollower(qapp, holder.current)
    holder.subscribe(follower.settings_changed)
    try:
        window = SettingsWindow(holder)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        language = [f.name for f in fields(Settings)].index("language")
        assert window.apply_value("language", "language", "de")
        assert i18n.current_language() == "de"
        work_page = window.tabs.widget(0)
        window.show_page("privacy")
        labels = {label.text() for label in window.tabs.currentWidget().findChildren(QLabel)}
        assert "Lock the journal when I\u2019m away for" in labels  # English, as the rest of the open window
        assert QCoreApplication.translate("SettingsWindow", "Lock the journal when I\u2019m away for") not in labels
        assert work_page is window.tabs.widget(0) and window.tabs.widget(language) is not None
    finally:
        holder.unsubscribe(follower.settings_changed)
        install_translations(qapp, "en")
