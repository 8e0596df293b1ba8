"""Envelope key management over a real SQLite file: passphrase (scrypt) and recovery code paths.

The keyring path runs against a real Secret Service in tests/platform/test_journal_keyring.py.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from companion.core.clock import FakeClock
from companion.core.crypto import Vault, new_data_key
from companion.core.errors import KeyUnavailable, WrongPassphrase
from companion.core.journal import EntryKind, Journal, Writing
from companion.core.keys import (
    KeyManager,
    KeyMethod,
    KeysChangedMeanwhile,
    RecoveryCodeNeeded,
    ScryptParams,
    normalise_recovery_code,
    unlock_headless,
)
from companion.core.store import Store
from tests.core.test_data_controls import MemorySecrets

FAST = ScryptParams(log2_n=10)  # the cost is stored per wrap, so tests may use a cheap one


def manager(store: Store, vault: Vault | None = None, clock: FakeClock | None = None) -> KeyManager:
    return KeyManager(store, vault or Vault(), None, clock or FakeClock(), scrypt_params=FAST)


def file_hashes(db: Path) -> dict[str, str]:
    return {
        suffix: hashlib.sha256(path.read_bytes()).hexdigest()
        for suffix in ("", "-wal")
        if (path := db.with_name(db.name + suffix)).exists()
    }


def test_set_up_with_a_passphrase_then_reopen_with_it(store: Store) -> None:
    vault = Vault()
    keys = manager(store, vault)
    result = keys.set_up(passphrase="blue heron at dawn")
    assert result.method is KeyMethod.PASSPHRASE
    assert vault.is_unlocked
    entry = Journal(store, vault, FakeClock()).add(EntryKind.NOTE, Writing("kept safe"))

    reopened = Vault()
    manager(store, reopened).unlock_with_passphrase("blue heron at dawn")
    assert Journal(store, reopened, FakeClock()).get(entry.uid) == entry


def test_scrypt_parameters_are_recorded_beside_the_wrap(store: Store) -> None:
    manager(store).set_up(passphrase="blue heron at dawn")
    params = json.loads(
        store.connection.execute("SELECT params FROM key_wraps WHERE method='passphrase'").fetchone()[0]
    )
    assert params["kdf"] == "scrypt"
    assert (params["log2_n"], params["r"], params["p"]) == (10, 8, 1)
    assert len(bytes.fromhex(params["salt"])) == 16


def test_a_stronger_cost_later_still_opens_older_wraps(store: Store) -> None:
    manager(store).set_up(passphrase="blue heron at dawn")
    stronger = KeyManager(store, Vault(), None, FakeClock(), scrypt_params=ScryptParams(log2_n=11))
    stronger.unlock_with_passphrase("blue heron at dawn")  # reads log2_n=10 from the row, not its own default


def test_the_passphrase_is_never_stored(store: Store, tmp_path: Path) -> None:
    manager(store).set_up(passphrase="unmistakable-passphrase-42")
    store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for file in tmp_path.iterdir():
        if file.is_file():
            assert b"unmistakable-passphrase-42" not in file.read_bytes()


def test_a_wrong_passphrase_says_so_and_changes_nothing_on_disk(store: Store) -> None:
    manager(store).set_up(passphrase="blue heron at dawn")
    before = file_hashes(store.path)
    vault = Vault()
    with pytest.raises(WrongPassphrase) as caught:
        manager(store, vault).unlock_with_passphrase("blue heron at dusk")
    assert "Nothing was changed" in caught.value.message
    assert not vault.is_unlocked
    assert file_hashes(store.path) == before


def test_a_short_new_passphrase_is_refused_with_a_sentence(store: Store) -> None:
    with pytest.raises(WrongPassphrase, match="at least 8"):
        manager(store).set_up(passphrase="short")
    assert not manager(store).is_set_up()


def test_the_recovery_code_opens_the_journal_however_it_is_typed(store: Store) -> None:
    code = manager(store).set_up(passphrase="blue heron at dawn").recovery_code
    assert len(code.replace("-", "")) == 32
    typed = code.lower().replace("-", " ")
    vault = Vault()
    manager(store, vault).unlock_with_recovery_code(typed)
    assert vault.is_unlocked
    assert normalise_recovery_code(typed) == code


def test_a_wrong_recovery_code_changes_nothing(store: Store) -> None:
    manager(store).set_up(passphrase="blue heron at dawn")
    before = file_hashes(store.path)
    with pytest.raises(WrongPassphrase, match="recovery code"):
        manager(store).unlock_with_recovery_code("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    assert file_hashes(store.path) == before


def test_changing_the_passphrase_rewraps_the_key_only(store: Store) -> None:
    vault = Vault()
    keys = manager(store, vault)
    code = keys.set_up(passphrase="blue heron at dawn").recovery_code
    Journal(store, vault, FakeClock()).add(EntryKind.WIN, Writing("calmed a caller"))
    sealed_before = store.connection.execute("SELECT content FROM journal_entries").fetchall()

    keys.change_passphrase("grey wolf at noon")

    assert store.connection.execute("SELECT content FROM journal_entries").fetchall() == sealed_before
    with pytest.raises(WrongPassphrase):
        manager(store).unlock_with_passphrase("blue heron at dawn")
    fresh = Vault()
    manager(store, fresh).unlock_with_passphrase("grey wolf at noon")
    assert fresh.data_key == vault.data_key
    manager(store, Vault()).unlock_with_recovery_code(code)  # the recovery wrap was left alone


def test_regenerating_the_recovery_code_retires_the_old_one(store: Store) -> None:
    vault = Vault()
    keys = manager(store, vault)
    old = keys.set_up(passphrase="blue heron at dawn").recovery_code
    new = keys.regenerate_recovery_code()
    assert new != old
    with pytest.raises(WrongPassphrase):
        manager(store).unlock_with_recovery_code(old)
    manager(store).unlock_with_recovery_code(new)


def test_re_wrapping_needs_the_journal_unlocked(store: Store) -> None:
    manager(store).set_up(passphrase="blue heron at dawn")
    locked = manager(store)
    with pytest.raises(KeyUnavailable):
        locked.change_passphrase("grey wolf at noon")
    with pytest.raises(KeyUnavailable):
        locked.regenerate_recovery_code()


def test_keyring_failures_that_only_the_recovery_code_mends_say_so_by_their_type(store: Store) -> None:
    """The unlock dialog adds "enter your recovery code" unless the error is a RecoveryCodeNeeded: it tests the
    type, never the words, which are in the rep's language (issue 16)."""
    keys = manager(store)
    keys.set_up_with_keyring_key(keys.new_keyring_account(), new_data_key())
    with pytest.raises(RecoveryCodeNeeded, match="no longer holds"):
        manager(store).unlock_with_keyring_secret(None)
    with pytest.raises(RecoveryCodeNeeded, match="does not match"):
        manager(store).unlock_with_keyring_secret(new_data_key())
    with pytest.raises(KeyUnavailable, match="No keyring") as plain:
        manager(store).unlock_with_keyring()
    assert not isinstance(plain.value, RecoveryCodeNeeded)


def test_without_a_keyring_set_up_asks_for_a_passphrase(store: Store) -> None:
    keys = manager(store)
    with pytest.raises(KeyUnavailable, match="No keyring"):
        keys.set_up()
    assert not keys.is_set_up()


def test_headless_unlock_reads_the_passphrase_from_the_terminal(store: Store) -> None:
    manager(store).set_up(passphrase="blue heron at dawn")
    prompts: list[str] = []
    vault = Vault()

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return "blue heron at dawn"

    unlock_headless(manager(store, vault), ask_secret=ask, interactive=True)
    assert vault.is_unlocked
    assert "passphrase, not by the keyring" in prompts[0]


def test_headless_unlock_without_a_terminal_explains_itself(store: Store) -> None:
    manager(store).set_up(passphrase="blue heron at dawn")
    with pytest.raises(KeyUnavailable, match="from a terminal"):
        unlock_headless(manager(store), interactive=False)


def test_headless_unlock_accepts_the_recovery_code_too(store: Store) -> None:
    code = manager(store).set_up(passphrase="blue heron at dawn").recovery_code
    vault = Vault()
    unlock_headless(manager(store, vault), ask_secret=lambda prompt: code, interactive=True)
    assert vault.is_unlocked


def test_a_keyring_move_is_saved_with_the_journal_locked_but_never_over_a_change_of_method(store: Store) -> None:
    """The wrap is made while the journal is open and saved once the keyring has the key, locked or not (a keyring
    repair must not be lost to a lock); a change of method, or wraps gone meanwhile, and nothing is written."""
    vault, secrets = Vault(), MemorySecrets()
    keys = KeyManager(store, vault, secrets, FakeClock(), scrypt_params=FAST)
    keys.set_up()
    entry = Journal(store, vault, FakeClock()).add(EntryKind.NOTE, Writing("kept safe"))
    old_account = keys.keyring_account_in_use()

    move = keys.begin_keyring_move()
    secrets.put(move.account, move.wrapping_key)  # what the worker does while the rep locks
    vault.lock()
    assert keys.finish_keyring_move(move) == old_account  # saved; the old entry opens nothing now
    reopened = Vault()
    KeyManager(store, reopened, secrets, FakeClock()).unlock_with_keyring()
    assert Journal(store, reopened, FakeClock()).get(entry.uid) == entry

    vault.unlock_with_data_key(reopened.data_key)
    stale = keys.begin_keyring_move()
    keys.change_passphrase("blue heron at dawn")  # the rep chose a passphrase before the keyring answered
    with pytest.raises(KeysChangedMeanwhile):
        keys.finish_keyring_move(stale)
    assert keys.everyday_method() is KeyMethod.PASSPHRASE
    manager(store).unlock_with_passphrase("blue heron at dawn")

    late = keys.begin_keyring_move()
    store.connection.execute("DELETE FROM key_wraps")  # the journal's key records gone (as an erase leaves them)
    with pytest.raises(KeysChangedMeanwhile):
        keys.finish_keyring_move(late)
    assert not keys.is_set_up()
