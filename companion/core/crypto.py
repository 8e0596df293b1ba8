"""Personal content, sealed: AES-256-GCM with one random data key, a fresh nonce per record, and the record's
kind and id bound as associated data so a ciphertext cannot be moved to another record unnoticed.

How the data key itself is kept (wrapped by a keyring key, a passphrase or a recovery code) lives in
companion/core/keys.py; this module only uses a key it is given. `cryptography` is imported on first use so the
tray appears before it loads.
"""

from __future__ import annotations

import json
import os
from typing import Any

from companion.core.errors import DecryptionFailed, KeyUnavailable
from companion.core.i18n import _

DATA_KEY_BYTES = 32
NONCE_BYTES = 12
FORMAT_VERSION = b"\x01"


def new_data_key() -> bytes:
    return os.urandom(DATA_KEY_BYTES)


def random_hex(nbytes: int) -> str:
    """A random id from the OS generator, as secrets.token_hex gives, without `secrets`: it imports hashlib, which
    maps OpenSSL's libcrypto (3.4 MB) into the long-running tray app for nothing."""
    return os.urandom(nbytes).hex()


def associated_data(kind: str, uid: str) -> bytes:
    return f"companion/{kind}/{uid}".encode()


class ContentCipher:
    def __init__(self, data_key: bytes) -> None:
        if len(data_key) != DATA_KEY_BYTES:
            raise ValueError("a data key is 32 bytes")  # i18n: not for reps
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(data_key)

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)  # 96 random bits: collision odds stay negligible far past 2**32 records
        return FORMAT_VERSION + nonce + self._aead.encrypt(nonce, plaintext, aad)

    def open(self, blob: bytes, aad: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag

        if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != FORMAT_VERSION:
            raise DecryptionFailed(_("This record is damaged and cannot be read."))
        nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, aad)
        except InvalidTag:
            raise DecryptionFailed(
                _("This record could not be opened: it was changed on disk, or sealed with another key.")
            ) from None


class Vault:
    """Holds the unwrapped data key while the journal is unlocked; every personal record goes through it."""

    def __init__(self) -> None:
        self._cipher: ContentCipher | None = None
        self._data_key: bytes | None = None  # kept so the key manager can re-wrap it without asking again

    @property
    def is_unlocked(self) -> bool:
        return self._cipher is not None

    def unlock_with_data_key(self, data_key: bytes) -> None:
        self._cipher = ContentCipher(data_key)
        self._data_key = data_key

    def lock(self) -> None:
        self._cipher = None
        self._data_key = None

    @property
    def data_key(self) -> bytes:
        """The unwrapped data key, for re-wrapping it (companion/core/keys.py); KeyUnavailable while locked."""
        self._require()
        assert self._data_key is not None
        return self._data_key

    def _require(self) -> ContentCipher:
        if self._cipher is None:
            raise KeyUnavailable(_("Your journal is locked. Unlock it to read or write personal notes."))
        return self._cipher

    def seal_record(self, kind: str, uid: str, content: dict[str, Any]) -> bytes:
        plaintext = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self._require().seal(plaintext, associated_data(kind, uid))

    def open_record(self, kind: str, uid: str, blob: bytes) -> dict[str, Any]:
        plaintext = self._require().open(blob, associated_data(kind, uid))
        record: dict[str, Any] = json.loads(plaintext.decode("utf-8"))
        return record
