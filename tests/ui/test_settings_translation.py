"""A translation is a file, not a code change: Qt's own tools find every word of the Settings window, and a
compiled translation changes what the window shows."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QLabel

from companion.core.settings import SettingsHolder
from companion.ui import erase_dialog, settings_window
from companion.ui.settings_window import FIELD_TEXTS, GROUP_TITLES, SettingsWindow
from companion.ui.translations import install_translations

BIN = Path(sys.executable).parent


def qt_tool(name: str) -> str:
    tool = shutil.which(f"pyside6-{name}", path=str(BIN)) or shutil.which(f"pyside6-{name}")
    if tool is None:
        pytest.fail(f"pyside6-{name} is missing: it comes with PySide6-Essentials")
    return tool


def extract(tmp_path: Path) -> Path:
    catalogue = tmp_path / "companion_de.ts"
    sources = [settings_window.__file__, erase_dialog.__file__]
    subprocess.run([qt_tool("lupdate"), *sources, "-ts", str(catalogue)], check=True, capture_output=True)
    return catalogue


def words_in_table() -> set[str]:
    words = set(GROUP_TITLES.values())
    for text in FIELD_TEXTS.values():
        words |= {text.label, text.help, text.suffix, text.zero_text, text.item_label, *text.choices.values()}
    return words - {""}


def test_lupdate_finds_every_word_of_the_settings_table(tmp_path: Path) -> None:
    tree = ET.parse(extract(tmp_path))
    found = {message.findtext("source") for message in tree.iter("message")}
    assert words_in_table() <= found, sorted(words_in_table() - found)


def test_a_compiled_translation_changes_the_window_without_code_changes(qtbot, tmp_path: Path, app_paths) -> None:
    catalogue = extract(tmp_path)
    tree = ET.parse(catalogue)
    wanted = {"Suggest a break after": "Pause vorschlagen nach", "Work": "Arbeit"}
    for message in tree.iter("message"):
        source = message.findtext("source")
        if source in wanted:
            translation = message.find("translation")
            assert translation is not None
            translation.text = wanted[source]
            translation.attrib.pop("type", None)
    tree.write(catalogue, encoding="utf-8", xml_declaration=True)
    compiled = tmp_path / "companion_de.qm"
    subprocess.run([qt_tool("lrelease"), str(catalogue), "-qm", str(compiled)], check=True, capture_output=True)

    shipped = tmp_path / "translations"  # what resources/translations would hold
    shipped.mkdir()
    compiled.rename(shipped / "companion_de.qm")
    translators = install_translations(QCoreApplication.instance(), shipped, QLocale(QLocale.Language.German))
    assert translators
    try:
        window = SettingsWindow(SettingsHolder(app_paths.settings_file))
        qtbot.addWidget(window)
        assert window.tabs.tabText(0) == "Arbeit"
        assert "Pause vorschlagen nach" in [label.text() for label in window.findChildren(QLabel)]
        spin = window.editors[("work", "break_interval_minutes")].inputs[0]
        assert spin.accessibleName() == "Pause vorschlagen nach"
    finally:
        for translator in translators:
            QCoreApplication.removeTranslator(translator)
