"""Every secret store keeps the SecretStore contract: the keyring on a real gnome-keyring, the same through the
helper process, and the store that has no keyring (every call refused with a sentence)."""

from __future__ import annotations

import uuid

import pytest

from companion.platform.keyring_helper import detect_secret_store_in_helper
from companion.platform.keyring_store import KeyringSecretStore, NoSecretStore
from tests.platform.contracts import assert_secret_store


@pytest.fixture
def on_the_keyring_bus(secret_service: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service["DBUS_SESSION_BUS_ADDRESS"])


def test_keyring(on_the_keyring_bus: None) -> None:
    assert_secret_store(KeyringSecretStore.detect(), f"contract-{uuid.uuid4().hex}")


def test_keyring_through_the_helper_process(on_the_keyring_bus: None) -> None:
    store = detect_secret_store_in_helper()
    assert not isinstance(store, NoSecretStore), store.name
    assert_secret_store(store, f"contract-{uuid.uuid4().hex}")


def test_no_keyring() -> None:
    assert_secret_store(NoSecretStore(), "contract-any")
