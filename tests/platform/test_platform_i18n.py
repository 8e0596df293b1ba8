"""What the backends say to the rep comes in the rep's language: a backend's name in About (while `name` itself stays
the English that logs and `status --json` read), the notifier's reason in `--self-test`, and a keyring sentence
that a helper child, which has no language of its own, sends across in English."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from companion.core import i18n
from companion.core.errors import KeyUnavailable
from companion.platform.calls_other import NoCallDetector
from companion.platform.keyring_helper import detect_secret_store_in_helper
from companion.platform.keyring_store import NoSecretStore
from companion.platform.notify import why_no_backend

GERMAN = {
    "Call detection": "Anruferkennung",
    "none (use “I'm on a call” in the tray)": "keine (nutze „Ich telefoniere“ im Infobereich)",
    "there is no D-Bus session bus to reach a notification service": "kein D-Bus-Sitzungsbus für Benachrichtigungen",
    "No system keyring is available on this computer.": "Auf diesem Computer gibt es keinen Schlüsselbund.",
}


@pytest.fixture
def german(tmp_path: Path) -> Iterator[None]:
    """A small compiled German catalogue, active for the test; English again afterwards."""
    catalogue = Catalog(locale="de", domain=i18n.DOMAIN)
    for english, german in GERMAN.items():
        catalogue.add(english, german)
    folder = tmp_path / "locale" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "companion.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    i18n.activate("de", directory=tmp_path / "locale")
    try:
        yield
    finally:
        i18n.activate("en")


def test_about_shows_a_backend_s_name_translated_while_the_name_stays_english(german, companion_app) -> None:
    registry = companion_app().registry
    detector = NoCallDetector()
    registry.add_about_fact("Call detection", detector.name)
    registry.add_about_fact("Empty", "")
    facts = dict(registry.about_facts)
    assert facts["Anruferkennung"] == GERMAN[detector.name]
    assert detector.name == "none (use “I'm on a call” in the tray)"  # what the log and status --json read
    assert facts["Empty"] == ""  # never gettext's catalogue header
    i18n.activate("en")
    assert dict(registry.about_facts)["Call detection"] == detector.name  # the language active when About reads


def test_the_notifier_s_reason_for_the_self_test_is_in_the_rep_s_language(german) -> None:
    reason = why_no_backend("linux", {"DBUS_SESSION_BUS_ADDRESS": "disabled:"})
    assert reason == "kein D-Bus-Sitzungsbus für Benachrichtigungen"
    assert why_no_backend("sunos5", {}) == "plyer has no notifications on sunos5"  # untranslated: the English


def test_a_keyring_sentence_from_the_helper_child_reaches_the_rep_in_their_language(german, monkeypatch) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")  # the child finds only keyring's fail backend
    secrets = detect_secret_store_in_helper()  # a real child process, which speaks English
    assert isinstance(secrets, NoSecretStore)
    assert secrets.reason == GERMAN["No system keyring is available on this computer."]
    with pytest.raises(KeyUnavailable) as raised:
        secrets.get("any")
    assert raised.value.message == secrets.reason
