"""Translations: one gettext catalogue per language for every sentence a rep can read, in the core and in Qt.

One way, everywhere: a sentence is marked where it is written, with `_("...")` (or `ngettext` for a count, or
`pgettext` when one English word needs two translations), extracted by Babel into resources/locale/companion.pot
(`make i18n`), translated in resources/locale/<lang>/LC_MESSAGES/companion.po and compiled to companion.mo next to
it. Qt widgets that already say `self.tr("...")`, `QCoreApplication.translate(context, "...")` or
`QT_TRANSLATE_NOOP(context, "...")` read the very same catalogue: ui/translations.py installs a QTranslator that
asks this module, so there is one file per language for a translator and one completeness test (see the README).

The language follows the system (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads them) unless the rep picks
one in Settings. A sentence with no translation, or a language with no catalogue, shows the English in the code:
gettext returns the msgid itself, so a rep never sees a key.

Qt-free and cheap: activating a language reads one small .mo file (measured in benchmarks/footprint); the
locale-aware formats of dates and numbers live in core/locale_format.py and load Babel only when first used.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "companion"
SOURCE_LANGUAGE = "en"
# The languages Companion ships a catalogue and data files for; the Settings choice lists these ("" = the system's).
LANGUAGES: tuple[str, ...] = ("en", "es", "pt_BR", "fr", "de")
LANGUAGE_NAMES: dict[str, str] = {  # each in its own language: a rep who cannot read English must still find theirs
    "en": "English",
    "es": "Español",
    "pt_BR": "Português (Brasil)",  # i18n: not for reps (named in itself)
    "fr": "Français",
    "de": "Deutsch",
}

_active: gettext.NullTranslations = gettext.NullTranslations()
_active_language: str = SOURCE_LANGUAGE


def locale_dir() -> Path:
    """resources/locale, wherever the resources are (source tree, wheel or bundle)."""
    from companion.resources import resources_root

    return resources_root() / "locale"


def localized_resource_path(*parts: str, language: str | None = None) -> Path:
    """A data file in the rep's language: resources/locale/<language>/<parts...> when that language has one, else
    the English original at resources/<parts...>. `language` defaults to the active one."""
    from companion.resources import resource_path, resources_root

    chosen = language or _active_language
    if chosen != SOURCE_LANGUAGE:
        translated = resources_root().joinpath("locale", chosen, *parts)
        if translated.is_file():
            return translated
    return resource_path(*parts)


def system_languages(env: Mapping[str, str] | None = None) -> list[str]:
    """The rep's preferred languages, most wanted first, as gettext reads them from the environment.

    "de_DE.UTF-8" gives ["de_DE", "de"]; "C" and "POSIX" mean no preference.
    """
    env = os.environ if env is None else env
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:
            wanted = []
            for item in value.split(":"):
                code = item.split(".")[0].split("@")[0]
                if code and code not in {"C", "POSIX"}:
                    wanted.append(code)
                    if "_" in code:
                        wanted.append(code.split("_")[0])
            return wanted
    return []


def resolve_language(chosen: str, env: Mapping[str, str] | None = None) -> str:
    """The shipped language to use: the rep's choice if it is one, else the first system language Companion has.
    A language shipped only in another variety gets that variety (pt_PT reads pt_BR), which is closer than English.
    """
    if chosen in LANGUAGES:
        return chosen
    for code in system_languages(env):
        if code in LANGUAGES:
            return code
        matches = [language for language in LANGUAGES if language.split("_")[0] == code]
        if matches:
            return matches[0]
    return SOURCE_LANGUAGE


def load_catalogue(language: str, directory: Path | None = None) -> gettext.NullTranslations:
    """The compiled catalogue for one language, or English (the msgids themselves) when there is none.

    English has a catalogue too, holding only the forms of counted sentences: Qt's `tr("%n entries", "", n)` is
    written once in the code, and "1 entry" has to come from somewhere.
    """
    return gettext.translation(DOMAIN, str(directory or locale_dir()), languages=[language], fallback=True)


def activate(chosen: str = "", env: Mapping[str, str] | None = None, directory: Path | None = None) -> str:
    """Make `chosen` ("" = the system's language) the language of every later `_()`; returns the language used."""
    global _active, _active_language
    language = resolve_language(chosen, env)
    _active = load_catalogue(language, directory)
    _active_language = language
    return language


def current_language() -> str:
    return _active_language


def _(message: str) -> str:
    """The rep's-language version of an English sentence (the sentence itself when there is none)."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for `count` by the language's own plural rule (French says "0 pause", English "0 breaks").

    The text keeps its placeholders: `ngettext("{count} break", "{count} breaks", n).format(count=n)`.
    """
    return _active.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """For one English word that needs two translations ("Break" the noun on a button, "break" the verb...)."""
    return _active.pgettext(context, message)


def N_(message: str) -> str:
    """Marks a sentence for extraction where it is defined (a table, a constant); `_()` translates it when shown."""
    return message
