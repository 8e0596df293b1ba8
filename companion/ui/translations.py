"""Translations are files: resources/translations/companion_<locale>.qm, made with pyside6-lupdate and
pyside6-lrelease. Adding one needs no code change; without one, the English in the code is shown."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)


def install_translations(qapp: QCoreApplication, folder: Path, locale: QLocale | None = None) -> list[QTranslator]:
    """Load Companion's translation for the locale (and Qt's own, for standard buttons) if there is one.

    The translators are parented to the application, so they live as long as it does.
    """
    locale = locale or QLocale.system()
    installed = []
    for name, directory in (
        ("companion", folder),
        ("qtbase", Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))),
    ):
        translator = QTranslator(qapp)
        if directory.is_dir() and translator.load(locale, name, "_", str(directory)):
            QCoreApplication.installTranslator(translator)
            installed.append(translator)
            log.info("loaded the %s translation for %s", name, locale.name())
    return installed
