"""Translations: the language the rep gets, English when there is no translation (never a key), plural forms by
each catalogue's own rule, and the catalogues complete and in step with the code."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest

from companion.core import i18n
from companion.core.settings import Settings
from tests.i18n_tool import i18n_tool

TRANSLATED = ("es", "pt_BR", "fr", "de")
COUNTS = (0, 1, 2, 5, 21)
# msgstr index each language's catalogue must pick for COUNTS (CLDR: French and Brazilian Portuguese say 0 and 1
# in the singular; Spanish, French and Portuguese have a third form for millions, which these counts never reach).
EXPECTED_FORM = {
    "en": [1, 0, 1, 1, 1],
    "de": [1, 0, 1, 1, 1],
    "es": [2, 0, 2, 2, 2],
    "fr": [0, 0, 2, 2, 2],
    "pt_BR": [0, 0, 2, 2, 2],
}


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.activate("en")


def test_the_system_language_is_followed_and_a_choice_wins() -> None:
    assert i18n.resolve_language("", {"LANG": "de_DE.UTF-8"}) == "de"
    assert i18n.resolve_language("", {"LANGUAGE": "pt_BR:pt", "LANG": "de_DE.UTF-8"}) == "pt_BR"
    assert i18n.resolve_language("", {"LANG": "pt_PT.UTF-8"}) == "pt_BR"  # the nearest shipped Portuguese
    assert i18n.resolve_language("", {"LC_ALL": "C"}) == "en"
    assert i18n.resolve_language("", {"LANG": "ja_JP.UTF-8"}) == "en"
    assert i18n.resolve_language("fr", {"LANG": "de_DE.UTF-8"}) == "fr"
    assert Settings().language.language == ""  # the default follows the system
    assert Settings().with_value("language", "language", "de").language.language == "de"
    with pytest.raises(ValueError):
        Settings().with_value("language", "language", "xx")


def test_a_sentence_without_a_translation_shows_the_english_never_a_key(tmp_path: Path) -> None:
    assert i18n.activate("de") == "de"
    assert i18n._("Language") == "Sprache"
    assert i18n._("A sentence nobody has translated yet.") == "A sentence nobody has translated yet."
    assert i18n.activate("de", directory=tmp_path) == "de"  # no catalogue at all: English
    assert i18n._("Language") == "Language"


@pytest.mark.parametrize("language", ["en", *TRANSLATED])
def test_plural_forms_follow_each_catalogue_s_rule(language: str) -> None:
    catalogue = gettext.translation(i18n.DOMAIN, str(i18n.locale_dir()), languages=[language])
    assert isinstance(catalogue, gettext.GNUTranslations)
    counted = [key[0] for key in catalogue._catalog if isinstance(key, tuple) and key[1] == 0]
    assert counted, f"{language} has no translated plural entry"
    for msgid in counted:
        forms = [catalogue._catalog[(msgid, index)] for index in range(3) if (msgid, index) in catalogue._catalog]
        chosen = [catalogue.ngettext(msgid, msgid, count) for count in COUNTS]
        assert chosen == [forms[index] for index in EXPECTED_FORM[language]], (language, msgid)
    i18n.activate(language)
    entries = [i18n.ngettext("%n entries", "%n entries", count).replace("%n", str(count)) for count in COUNTS]
    assert (
        entries
        == {
            "en": ["0 entries", "1 entry", "2 entries", "5 entries", "21 entries"],
            "de": ["0 Einträge", "1 Eintrag", "2 Einträge", "5 Einträge", "21 Einträge"],
            "es": ["0 entradas", "1 entrada", "2 entradas", "5 entradas", "21 entradas"],
            "fr": ["0 entrée", "1 entrée", "2 entrées", "5 entrées", "21 entrées"],
            "pt_BR": ["0 entrada", "1 entrada", "2 entradas", "5 entradas", "21 entradas"],
        }[language]
    )


def test_the_catalogues_are_in_step_with_the_code() -> None:
    """Every marked sentence is in the template and every .po, and every .mo is compiled from its .po."""
    tool = i18n_tool()
    stale = [str(path.relative_to(tool.ROOT)) for path in tool.changed_files(tool.planned_files())]
    assert stale == [], f"run `make i18n`: {stale}"
    assert set(tool.languages()) == set(i18n.LANGUAGES)


def test_every_sentence_in_the_code_is_marked_for_translation() -> None:
    """A sentence no translation call wraps never reaches a catalogue (`python scripts/i18n.py --unmarked` lists
    them; a line that never reaches a rep says so with the comment `# i18n: not for reps`)."""
    unmarked = i18n_tool().unmarked_sentences()
    assert unmarked == [], f"{len(unmarked)} unmarked sentences, e.g.\n" + "\n".join(unmarked[:10])


def test_the_unmarked_sentence_finder_tells_sentences_from_code() -> None:
    looks = i18n_tool().looks_like_a_sentence
    assert looks("Your journal is locked.") and looks("{count} rough calls this week")
    assert looks("Companion will not use {folder}: set XDG_RUNTIME_DIR; it is safer.")  # a colon, then a semicolon
    for code in ("SELECT id FROM entries", "companion.db", "https://example.org/x", 'border="1" cellpadding="4"',
                 "QPushButton { border: 1px solid; }", "%H:%M", "rough_calls",
                 "font-weight: bold; color: #444;"):  # fmt: skip
        assert not looks(code), code


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_sentence_is_translated_and_none_is_fuzzy(language: str) -> None:
    """The completeness gate for the shipped languages (English needs only its plural forms, tested above)."""
    tool = i18n_tool()
    catalogue = tool.read_catalogue(tool.po_path(language), language)
    missing = [message.id for message in catalogue if message.id and not all(
        message.string if isinstance(message.string, tuple) else [message.string])]  # fmt: skip
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
    assert (len(missing), len(fuzzy)) == (0, 0), (
        f"{language}: {len(missing)} untranslated, {len(fuzzy)} fuzzy, e.g. {(missing + fuzzy)[:5]}"
    )


def test_english_has_every_plural_form() -> None:
    tool = i18n_tool()
    catalogue = tool.read_catalogue(tool.po_path("en"), "en")
    incomplete = [message.id for message in catalogue if message.pluralizable and not all(message.string)]
    assert incomplete == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_language_has_its_own_reframes_break_ideas_and_prompts_with_the_same_shape(language: str) -> None:
    import json

    from companion.core.i18n import localized_resource_path
    from companion.core.reframes import load_reframes
    from companion.resources import resource_path

    def ids(path: Path) -> list[str]:
        return [reframe.id for reframe in load_reframes(path)]

    own = localized_resource_path("text", "reframes.json", language=language)
    assert language in own.parts
    assert ids(own) == ids(resource_path("text", "reframes.json"))
    for parts in (("text", "break_ideas.json"), ("journal", "prompts.json")):
        translated = json.loads(localized_resource_path(*parts, language=language).read_text(encoding="utf-8"))
        english = json.loads(resource_path(*parts).read_text(encoding="utf-8"))
        assert translated != english
        if "ideas" in english:
            assert len(translated["ideas"]) == len(english["ideas"])
        else:
            assert {key: set(value) for key, value in translated.items()} == {
                key: set(value) for key, value in english.items()}  # fmt: skip
    assert localized_resource_path("text", "reframes.json", language="en") == resource_path("text", "reframes.json")


def test_dates_numbers_and_the_first_weekday_follow_the_language() -> None:
    from datetime import date, time

    from companion.core import locale_format
    from companion.core.summary_week import IsoWeek
    from companion.core.text import date_text

    day = date(2026, 11, 16)
    assert date_text(day, weekday=True) == "Monday 16 November 2026"  # English keeps the product's own words
    assert IsoWeek(2026, 47).span_text() == "16 to 22 November 2026"
    i18n.activate("de")
    assert date_text(day, weekday=True) == "Montag, 16. November 2026"
    assert IsoWeek(2026, 47).span_text() == "16.–22. Nov. 2026"
    assert locale_format.format_number(1234.5, decimals=1) == "1.234,5"
    assert locale_format.format_time(time(17, 30)) == "17:30"
    assert locale_format.first_weekday() == 0
    i18n.activate("es")
    assert date_text(day, weekday=True) == "lunes, 16 de noviembre de 2026"
    i18n.activate("pt_BR")
    assert locale_format.first_weekday() == 6  # Sunday, in Brazil
    assert locale_format.week_days_in_order()[:2] == [6, 0]
    assert locale_format.format_number(1234.5, language="fr", decimals=1) == "1\u202f234,5"
    assert locale_format.format_time(time(17, 30), language="en") == "5:30\u202fPM"


def _placeholders(text: str) -> set[str]:
    """What the code fills in: `{name}` for str.format, `%n`/`%1` for Qt, `%s`/`%d`/`%(name)s` for logging-style."""
    import re

    return set(re.findall(r"\{[^{}]*\}|%\(\w+\)[sd]|%[sdn1-9]", text))


@pytest.mark.parametrize("language", ("en", *TRANSLATED))
def test_every_translation_fills_in_exactly_what_the_english_does(language: str) -> None:
    """A translation that drops `{count}` loses the number; one that adds or misspells a name raises KeyError in
    `.format()` in front of the rep. Each form of a plural is held to the English plural's placeholders (a language's
    "one" form may leave the number out, as "eine Pause" does, but never add one)."""
    tool = i18n_tool()
    catalogue = tool.read_catalogue(tool.po_path(language), language)
    wrong = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        if message.pluralizable:
            english = _placeholders(message.id[1]) | _placeholders(message.id[0])
            forms = [form for form in message.string if form]
            if any(not _placeholders(form) <= english for form in forms) or (
                forms and _placeholders(forms[-1]) != _placeholders(message.id[1])
            ):
                wrong.append((message.id[0], message.string))
        elif _placeholders(message.string) != _placeholders(message.id):
            wrong.append((message.id, message.string))
    assert wrong == [], f"{language}: {len(wrong)} translations with other placeholders, e.g. {wrong[:3]}"
