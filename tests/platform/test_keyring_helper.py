"""The tray app's keyring through a short-lived child process, against a real Secret Service."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from companion.core.clock import FakeClock
from companion.core.crypto import Vault
from companion.core.errors import KeyUnavailable
from companion.core.keys import KeyManager, KeyMethod, ScryptParams
from companion.core.store import Store
from companion.platform import keyring_helper
from companion.platform.keyring_helper import HelperSecretStore, detect_secret_store_in_helper
from companion.platform.keyring_store import KeyringSecretStore, NoSecretStore, detect_secret_store

pytestmark = pytest.mark.desktop


@pytest.fixture
def helper_keyring(secret_service: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> HelperSecretStore:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service["DBUS_SESSION_BUS_ADDRESS"])
    store = detect_secret_store_in_helper()
    assert isinstance(store, HelperSecretStore), store.name
    assert "SecretService" in store.name
    return store


def test_the_helper_reads_and_writes_the_same_keyring_entries_as_the_app_would(helper_keyring: HelperSecretStore):
    in_process = detect_secret_store()
    assert isinstance(in_process, KeyringSecretStore)
    helper_keyring.put("helper-roundtrip", b"\x00\xffrandom bytes")
    assert in_process.get("helper-roundtrip") == b"\x00\xffrandom bytes"
    in_process.put("helper-roundtrip", b"written in process")
    assert helper_keyring.get("helper-roundtrip") == b"written in process"
    helper_keyring.delete("helper-roundtrip")
    assert helper_keyring.get("helper-roundtrip") is None
    helper_keyring.delete("helper-roundtrip")  # deleting twice is not an error


def test_the_journal_unlocks_through_the_helper(helper_keyring: HelperSecretStore, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "companion.db")
    try:
        fast = ScryptParams(log2_n=10)
        first = Vault()
        assert KeyManager(store, first, helper_keyring, FakeClock(), fast).set_up().method is KeyMethod.KEYRING
        later = Vault()
        KeyManager(store, later, detect_secret_store_in_helper(), FakeClock(), fast).unlock_with_keyring()
        assert later.data_key == first.data_key
    finally:
        store.close()


def test_keyring_never_loads_into_the_process_that_asks(secret_service: dict[str, str]) -> None:
    script = (
        "import sys\n"
        "from companion.platform.keyring_helper import detect_secret_store_in_helper\n"
        "store = detect_secret_store_in_helper()\n"
        "store.put('helper-probe', b'x'); assert store.get('helper-probe') == b'x'; store.delete('helper-probe')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'keyring', 'secretstorage', 'jeepney'})\n"
        "print(store.name, loaded)"
    )
    done = subprocess.run([sys.executable, "-c", script], env=secret_service, capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.strip().endswith("[]"), done.stdout
    assert "SecretService" in done.stdout


def test_with_no_keyring_the_helper_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")  # keyring then picks keyring.backends.fail
    secrets = detect_secret_store_in_helper()
    assert isinstance(secrets, NoSecretStore)
    with pytest.raises(KeyUnavailable, match="No system keyring is available"):
        secrets.get("any")  # the journal then asks for the passphrase


def test_a_helper_that_does_not_answer_is_a_keyring_that_did_not_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring_helper, "helper_command", lambda: [sys.executable, "-c", "import time; time.sleep(30)"])
    with pytest.raises(KeyUnavailable, match="did not answer"):
        HelperSecretStore("stuck", timeout=0.5).get("any")


def test_abandoning_ends_a_call_in_flight_at_once_and_later_calls_still_work(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """At quit the journal abandons its store: a key move's call waiting on a stuck child raises now, not after the
    child's time limit, and Erase everything can still use the store afterwards."""
    import threading

    from companion.core.interfaces import AbandonableSecretStore
    from tests import desktop

    running = tmp_path / "child-running"
    stuck = [sys.executable, "-c", f"import pathlib, time; pathlib.Path({str(running)!r}).touch(); time.sleep(60)"]
    monkeypatch.setattr(keyring_helper, "helper_command", lambda: stuck)
    store = HelperSecretStore("stuck", timeout=60)
    assert isinstance(store, AbandonableSecretStore)
    outcome: list[Exception] = []

    def call() -> None:
        try:
            store.get("any")
        except Exception as error:
            outcome.append(error)

    worker = threading.Thread(target=call)
    worker.start()
    desktop.wait_until(running.exists, what="the helper child to run")
    store.abandon()
    worker.join(10)
    assert not worker.is_alive()  # well inside the child's 60 s limit
    assert len(outcome) == 1 and isinstance(outcome[0], KeyUnavailable)
    monkeypatch.setattr(keyring_helper, "helper_command", lambda: [sys.executable, "-c", "print('{\"value\": null}')"])
    assert store.get("any") is None  # a later call is a fresh child, as erase needs


def test_a_helper_that_crashes_is_a_keyring_that_cannot_be_reached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring_helper, "helper_command", lambda: [sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(KeyUnavailable, match="could not be reached"):
        HelperSecretStore("broken").get("any")


def test_the_app_store_reaches_the_keyring_without_a_detect_child(secret_service, monkeypatch):
    from companion.platform.keyring_helper import secret_store_in_helper

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service["DBUS_SESSION_BUS_ADDRESS"])
    store = secret_store_in_helper()
    store.put("lazy-account", b"\x01" * 32)
    assert store.get("lazy-account") == b"\x01" * 32
    store.delete("lazy-account")
    assert store.get("lazy-account") is None


def test_the_app_store_without_a_keyring_says_so_on_first_use():
    from companion.core.errors import KeyUnavailable
    from companion.platform.keyring_helper import secret_store_in_helper

    with pytest.raises(KeyUnavailable):  # conftest's bus is `disabled:`: no keyring
        secret_store_in_helper().get("any")
