"""The recovery code can be shown again after unlocking: kept sealed with the data key, never in plain."""

import pytest

from companion.core.clock import FakeClock
from companion.core.crypto import Vault
from companion.core.errors import KeyUnavailable
from companion.core.keys import RECOVERY_CODE_META, KeyManager, ScryptParams
from companion.core.store import Store

FAST = ScryptParams(log2_n=10, r=8, p=1)


@pytest.fixture
def keys(tmp_path):
    store = Store.open(tmp_path / "companion.db")
    yield KeyManager(store, Vault(), None, FakeClock(), FAST), store
    store.close()


def test_the_code_from_set_up_is_shown_again_after_unlocking(keys, tmp_path):
    manager, store = keys
    code = manager.set_up(passphrase="a long enough passphrase").recovery_code
    assert manager.recovery_code() == code
    assert code.encode() not in (tmp_path / "companion.db").read_bytes() + store.get_meta(RECOVERY_CODE_META).encode()

    vault = Vault()
    reopened = KeyManager(store, vault, None, FakeClock(), FAST)
    with pytest.raises(KeyUnavailable):
        reopened.recovery_code()  # locked: nothing to show
    reopened.unlock_with_passphrase("a long enough passphrase")
    assert reopened.recovery_code() == code


def test_a_new_code_replaces_the_one_shown(keys):
    manager, _ = keys
    first = manager.set_up(passphrase="a long enough passphrase").recovery_code
    second = manager.regenerate_recovery_code()
    assert second != first
    assert manager.recovery_code() == second
