"""Serious calls get a human pointer (issue 12, item 13): severity 5 and the escalation add a kind line that the
rep does not carry this alone, with the support contact the rep entered in Settings; milder calls do not."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from companion.app import CompanionApp
from companion.core.crypto import new_data_key
from companion.core.paths import AppPaths
from companion.core.rough_calls import TagRequest
from companion.core.settings import SettingsHolder
from companion.core.words import support_sentence
from companion.features.rough_calls import RoughCallsFeature
from companion.ui.settings_window import SettingsWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)\(\)")
ALONE = "You don't have to carry this one alone."


@pytest.fixture
def app(companion_app) -> CompanionApp:
    companion = companion_app()  # shut down by the fixture, as Quit does
    companion.vault.unlock_with_data_key(new_data_key())
    return companion


def offer_text(feature: RoughCallsFeature) -> str:
    assert feature.offer is not None
    return "\n".join(label.text() for label in feature.offer.findChildren(QLabel))


def test_a_threatening_call_names_the_rep_s_support_contact(app: CompanionApp) -> None:
    settings = app.settings
    settings.update(settings.current.with_value("rough_calls", "support_contact", "Sam, team lead, ext. 214"))
    feature = app.add_feature(RoughCallsFeature())
    feature.save_tag(TagRequest(5))
    assert ALONE in offer_text(feature) and "Sam, team lead, ext. 214" in offer_text(feature)


def test_a_mild_call_gets_no_pointer(app: CompanionApp) -> None:
    feature = app.add_feature(RoughCallsFeature())
    feature.save_tag(TagRequest(2))
    assert ALONE not in offer_text(feature)


def test_the_escalation_gets_the_pointer_even_without_a_contact() -> None:
    line = support_sentence(2, True, "")
    assert line.startswith(ALONE) and "supervisor" in line
    assert support_sentence(4, False, "Sam") == ""


def test_the_contact_is_a_field_in_settings(qtbot, app_paths: AppPaths) -> None:
    window = SettingsWindow(SettingsHolder(app_paths.settings_file))
    qtbot.addWidget(window)
    assert ("rough_calls", "support_contact") in window.editors
