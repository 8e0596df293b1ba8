"""The AES-256-GCM envelope the journal relies on: round trip, tamper and mix-up detection, unique nonces."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.core.crypto import NONCE_BYTES, ContentCipher, Vault, associated_data, new_data_key
from companion.core.errors import DecryptionFailed, KeyUnavailable

AAD = associated_data("journal", "0123abcd")


@given(plaintext=st.binary(max_size=4096), kind=st.sampled_from(["journal", "rough_call"]), uid=st.text(max_size=40))
def test_sealed_content_opens_to_the_same_bytes(plaintext: bytes, kind: str, uid: str) -> None:
    cipher = ContentCipher(new_data_key())
    aad = associated_data(kind, uid)
    sealed = cipher.seal(plaintext, aad)
    if len(plaintext) >= 16:  # shorter runs can turn up in random bytes by chance
        assert plaintext not in sealed
    assert cipher.open(sealed, aad) == plaintext


@given(position=st.integers(min_value=0, max_value=60), flip=st.integers(min_value=1, max_value=255))
def test_any_changed_byte_is_refused(position: int, flip: int) -> None:
    cipher = ContentCipher(new_data_key())
    sealed = bytearray(cipher.seal(b"I stayed calm with the caller at 10:40", AAD))
    sealed[position % len(sealed)] ^= flip
    with pytest.raises(DecryptionFailed):
        cipher.open(bytes(sealed), AAD)


def test_a_truncated_record_is_refused() -> None:
    cipher = ContentCipher(new_data_key())
    sealed = cipher.seal(b"short", AAD)
    with pytest.raises(DecryptionFailed):
        cipher.open(sealed[:-1], AAD)
    with pytest.raises(DecryptionFailed):
        cipher.open(sealed[:10], AAD)


def test_a_record_moved_to_another_id_or_kind_is_refused() -> None:
    cipher = ContentCipher(new_data_key())
    sealed = cipher.seal(b"mood 2", associated_data("journal", "aaaa"))
    with pytest.raises(DecryptionFailed):
        cipher.open(sealed, associated_data("journal", "bbbb"))
    with pytest.raises(DecryptionFailed):
        cipher.open(sealed, associated_data("rough_call", "aaaa"))


def test_another_key_cannot_open_a_record() -> None:
    sealed = ContentCipher(new_data_key()).seal(b"gratitude", AAD)
    with pytest.raises(DecryptionFailed) as caught:
        ContentCipher(new_data_key()).open(sealed, AAD)
    assert "another key" in caught.value.message


def test_nonces_never_repeat_across_100000_records() -> None:
    cipher = ContentCipher(new_data_key())
    nonces = {cipher.seal(b"x", AAD)[1 : 1 + NONCE_BYTES] for _ in range(100_000)}
    assert len(nonces) == 100_000


def test_a_locked_vault_refuses_with_a_sentence_and_forgets_its_key() -> None:
    vault = Vault()
    key = new_data_key()
    vault.unlock_with_data_key(key)
    sealed = vault.seal_record("journal", "u1", {"text": "hello"})
    assert vault.data_key == key
    vault.lock()
    with pytest.raises(KeyUnavailable, match="locked"):
        vault.open_record("journal", "u1", sealed)
    with pytest.raises(KeyUnavailable):
        _ = vault.data_key
