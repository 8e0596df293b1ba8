"""The journal key through a real Secret Service (gnome-keyring-daemon, unlocked, on a private session bus)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from companion.core.clock import FakeClock
from companion.core.crypto import Vault
from companion.core.errors import KeyUnavailable, WrongPassphrase
from companion.core.journal import EntryKind, Journal, Writing
from companion.core.keys import KeyManager, KeyMethod, ScryptParams, keyring_account_in
from companion.core.store import Store
from companion.platform.keyring_store import SERVICE, KeyringSecretStore, NoSecretStore, detect_secret_store

pytestmark = pytest.mark.desktop
FAST = ScryptParams(log2_n=10)


@pytest.fixture
def real_keyring(secret_service: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> KeyringSecretStore:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service["DBUS_SESSION_BUS_ADDRESS"])
    store = detect_secret_store()
    assert isinstance(store, KeyringSecretStore), store.name
    assert "SecretService" in store.name
    return store


def keys_for(store: Store, secrets, vault: Vault | None = None) -> KeyManager:
    return KeyManager(store, vault or Vault(), secrets, FakeClock(), scrypt_params=FAST)


def keyring_account(store: Store) -> str:
    account = keyring_account_in(store)
    assert account is not None
    return account


def test_a_secret_is_stored_and_read_back_through_keyring(real_keyring: KeyringSecretStore) -> None:
    real_keyring.put("test-roundtrip", b"\x00\xffrandom bytes")
    assert real_keyring.get("test-roundtrip") == b"\x00\xffrandom bytes"
    assert keyring.get_password(SERVICE, "test-roundtrip") is not None  # the real keyring holds it
    real_keyring.delete("test-roundtrip")
    assert real_keyring.get("test-roundtrip") is None
    real_keyring.delete("test-roundtrip")  # deleting twice is not an error


def test_set_up_with_the_keyring_and_reopen_without_a_prompt(real_keyring: KeyringSecretStore, store: Store) -> None:
    vault = Vault()
    result = keys_for(store, real_keyring, vault).set_up()
    assert result.method is KeyMethod.KEYRING
    entry = Journal(store, vault, FakeClock()).add(EntryKind.NOTE, Writing("opened by the keyring"))

    reopened = Vault()
    keys_for(store, real_keyring, reopened).unlock_with_keyring()
    assert Journal(store, reopened, FakeClock()).get(entry.uid) == entry


def test_the_keyring_holds_a_random_key_not_a_passphrase(real_keyring: KeyringSecretStore, store: Store) -> None:
    vault = Vault()
    keys = keys_for(store, real_keyring, vault)
    keys.set_up()
    stored = real_keyring.get(keyring_account(store))
    assert stored is not None and len(stored) == 32
    assert stored != vault.data_key  # it wraps the data key; it is not the data key


def test_with_no_keyring_the_passphrase_path_is_taken(monkeypatch: pytest.MonkeyPatch, store: Store) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")  # keyring then picks keyring.backends.fail
    secrets = detect_secret_store()
    assert isinstance(secrets, NoSecretStore)
    keys = keys_for(store, secrets)
    with pytest.raises(KeyUnavailable):
        keys.set_up()
    assert keys.set_up(passphrase="walk at lunch time").method is KeyMethod.PASSPHRASE


class OnlyFailChainer:
    """keyring's chainer exposes the backends it chains as `backends`; here only the fail backend."""

    backends = (keyring.backends.fail.Keyring(),)


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring(), OnlyFailChainer()], ids=["fail", "chainer"])
def test_backends_that_cannot_keep_a_secret_are_refused(backend: object) -> None:
    with pytest.raises(KeyUnavailable, match="No system keyring"):
        KeyringSecretStore(backend)


def test_a_plaintext_keyring_is_refused() -> None:
    plaintext = type("PlaintextKeyring", (), {"__module__": "keyrings.alt.file"})()
    with pytest.raises(KeyUnavailable):
        KeyringSecretStore(plaintext)


def test_a_wiped_keyring_entry_is_recovered_with_the_recovery_code(
    real_keyring: KeyringSecretStore, store: Store
) -> None:
    vault = Vault()
    code = keys_for(store, real_keyring, vault).set_up().recovery_code
    entry = Journal(store, vault, FakeClock()).add(EntryKind.WIN, Writing("not lost"))
    keyring.delete_password(SERVICE, keyring_account(store))  # the rep reset their keyring

    locked = keys_for(store, real_keyring, Vault())
    with pytest.raises(KeyUnavailable, match="recovery code"):
        locked.unlock_with_keyring()

    recovered = Vault()
    keys = keys_for(store, real_keyring, recovered)
    keys.unlock_with_recovery_code(code)
    assert Journal(store, recovered, FakeClock()).get(entry.uid) == entry
    keys.use_keyring()  # a fresh keyring entry: tomorrow opens without the code again
    keys_for(store, real_keyring, Vault()).unlock_with_keyring()


def test_moving_between_keyring_and_passphrase_rewraps_only(real_keyring: KeyringSecretStore, store: Store) -> None:
    vault = Vault()
    keys = keys_for(store, real_keyring, vault)
    keys.set_up()
    Journal(store, vault, FakeClock()).add(EntryKind.NOTE, Writing("same ciphertext throughout"))
    sealed = store.connection.execute("SELECT content FROM journal_entries").fetchall()
    account = keyring_account(store)

    keys.change_passphrase("river stones")
    assert keys.everyday_method() is KeyMethod.PASSPHRASE
    assert real_keyring.get(account) is None  # the old keyring key is gone
    with pytest.raises(KeyUnavailable):
        keys_for(store, real_keyring).unlock_with_keyring()
    keys_for(store, real_keyring).unlock_with_passphrase("river stones")

    keys.use_keyring()
    assert keys.everyday_method() is KeyMethod.KEYRING
    with pytest.raises(WrongPassphrase):
        keys_for(store, real_keyring).unlock_with_passphrase("river stones")
    keys_for(store, real_keyring).unlock_with_keyring()
    assert store.connection.execute("SELECT content FROM journal_entries").fetchall() == sealed


def test_a_wrong_passphrase_leaves_the_file_hash_unchanged(real_keyring: KeyringSecretStore, store: Store) -> None:
    vault = Vault()
    keys = keys_for(store, real_keyring, vault)
    keys.set_up()
    keys.change_passphrase("river stones")
    store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    digest = hashlib.sha256(store.path.read_bytes()).hexdigest()
    with pytest.raises(WrongPassphrase):
        keys_for(store, real_keyring).unlock_with_passphrase("river stone")
    assert hashlib.sha256(store.path.read_bytes()).hexdigest() == digest
    assert store.path.with_name("companion.db-wal").stat().st_size == 0


def test_a_keyring_service_that_is_not_running_is_not_started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Starting gnome-keyring on demand would bring it up locked or empty, wanting a prompt: it counts as absent."""
    import os

    from tests import desktop

    bus = desktop.start_dbus({**os.environ, "HOME": str(tmp_path)})  # a bare session bus of our own
    try:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.env["DBUS_SESSION_BUS_ADDRESS"])
        secrets = detect_secret_store()
        with pytest.raises(KeyUnavailable, match="No keyring service is running"):
            secrets.put("probe", b"x")
        assert not desktop.bus_name_has_owner({**os.environ, **bus.env}, "org.freedesktop.secrets")
    finally:
        bus.stop()
