"""Qt reads Companion's one gettext catalogue (core/i18n.py): `self.tr()`, `QCoreApplication.translate()` and
`QT_TRANSLATE_NOOP` tables in the widgets find their words in resources/locale/<lang>/LC_MESSAGES/companion.mo,
the same file the core's `_()` reads. Qt's own words (standard buttons, file dialogs) come from Qt's qtbase
catalogue. Adding a language needs no code change; without a catalogue the English in the code is shown."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from companion.core import i18n
from companion.core.settings import Settings

log = logging.getLogger(__name__)


class CatalogueTranslator(QTranslator):
    """Answers Qt's look-ups from the active gettext catalogue.

    The Qt context (a class name) is not part of the key: PySide6's `self.tr()` passes the run-time class, which
    for a subclass is not the class the word was written in, so keying by it would lose translations. For the same
    reason the disambiguation is not a key either (the extraction in scripts/i18n.py leaves both out); a word that
    needs two translations is written with `pgettext` instead.
    """

    def translate(  # type: ignore[override]
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        if not source_text:
            return None  # type: ignore[return-value]
        # A count (n >= 0, text with %n) is a plural entry: the language's rule picks the form, Qt then puts n in.
        translated = i18n.ngettext(source_text, source_text, n) if n >= 0 else i18n._(source_text)
        # None (a null QString) tells Qt "not here": it asks the next translator or shows the source text; an
        # empty string would be taken as the translation.
        return None if translated == source_text else translated  # type: ignore[return-value]

    def isEmpty(self) -> bool:
        return False


def qt_locale(language: str) -> QLocale:
    return QLocale(language)


def install_translations(
    qapp: QCoreApplication, chosen: str = "", qt_folder: Path | None = None, catalogue_dir: Path | None = None
) -> list[QTranslator]:
    """Activate `chosen` ("" = the system's language) for the core and for Qt, and set Qt's default locale to it
    (numbers, dates and the first day of the week in widgets follow). Translators are parented to the application
    and replace the ones a previous call installed, so the language can change while the app runs."""
    for old in qapp.findChildren(QTranslator):
        QCoreApplication.removeTranslator(old)
        old.deleteLater()
    language = i18n.activate(chosen, directory=catalogue_dir)
    QLocale.setDefault(qt_locale(language))
    installed: list[QTranslator] = []
    catalogue = CatalogueTranslator(qapp)
    QCoreApplication.installTranslator(catalogue)
    installed.append(catalogue)
    qt_translations = qt_folder or Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    qtbase = QTranslator(qapp)
    wants_qtbase = language != i18n.SOURCE_LANGUAGE and qt_translations.is_dir()
    if wants_qtbase and qtbase.load(qt_locale(language), "qtbase", "_", str(qt_translations)):
        QCoreApplication.installTranslator(qtbase)
        installed.append(qtbase)
    log.info("language %s (chosen: %s)", language, chosen or "the system's")
    return installed


class LanguageFollower:
    """Installs the language the settings name at start and again whenever the rep changes it in Settings."""

    def __init__(self, qapp: QCoreApplication, settings: Settings) -> None:
        self._qapp = qapp
        self.chosen = settings.language.language
        install_translations(qapp, self.chosen)

    def settings_changed(self, settings: Settings) -> None:
        if settings.language.language != self.chosen:
            self.chosen = settings.language.language
            install_translations(self._qapp, self.chosen)
