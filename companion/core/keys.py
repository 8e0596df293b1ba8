"""Envelope key management: the one data key, stored only wrapped, in the `key_wraps` table.

The data key (companion/core/crypto.py) is wrapped with AES-256-GCM once per way of opening it:
- `keyring`: by a random key held in the OS keyring (the everyday path, no prompt);
- `passphrase`: by a key derived with scrypt from the rep's passphrase (parameters and salt stored beside it);
- `recovery`: by a key derived from the recovery code shown once at set-up.
Exactly one everyday method (keyring or passphrase) is active at a time; the recovery wrap is always there.
Changing the passphrase, switching method and regenerating the recovery code re-wrap the data key only: not one
record is re-encrypted. Unlocking reads and never writes, so a wrong passphrase changes nothing on disk.
"""

from __future__ import annotations

import base64
import getpass
import json
import logging
import os
import re
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import Enum

from companion.core.clock import Clock
from companion.core.crypto import ContentCipher, Vault, new_data_key, random_hex
from companion.core.errors import DecryptionFailed, KeyUnavailable, WrongPassphrase
from companion.core.i18n import _, ngettext
from companion.core.interfaces import SecretStore
from companion.core.store import Store

log = logging.getLogger(__name__)

KEY_ID_META = "key_id"
MIN_PASSPHRASE_LENGTH = 8
RECOVERY_CODE_BYTES = 20  # 160 bits: 32 base32 letters, shown as 8 groups of 4
_BASE32_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


class RecoveryCodeNeeded(KeyUnavailable):
    """The keyring cannot open the journal and only the recovery code will: the sentence already asks for it, so
    whoever shows it adds no "enter your recovery code" of their own."""


class KeyMethod(Enum):
    KEYRING = "keyring"
    PASSPHRASE = "passphrase"
    RECOVERY = "recovery"


EVERYDAY_METHODS = (KeyMethod.KEYRING, KeyMethod.PASSPHRASE)


@dataclass(frozen=True)
class ScryptParams:
    """scrypt cost: n=2**17, r=8 is about 128 MiB and a few hundred ms, the OWASP-recommended floor."""

    log2_n: int = 17
    r: int = 8
    p: int = 1

    @property
    def memory_bytes(self) -> int:
        return 128 * self.r * (1 << self.log2_n)


# The recovery code carries 160 random bits, so it needs no slow derivation; a light one keeps the shape uniform.
RECOVERY_SCRYPT = ScryptParams(log2_n=12)


def derive_key(secret: str, salt: bytes, params: ScryptParams) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=salt, length=32, n=2**params.log2_n, r=params.r, p=params.p)
    return kdf.derive(secret.encode("utf-8"))


def new_recovery_code() -> str:
    letters = base64.b32encode(os.urandom(RECOVERY_CODE_BYTES)).decode("ascii")
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def normalise_recovery_code(code: str) -> str:
    """Spaces, dashes, case and the digits people mistake for letters do not matter when typing the code back."""
    cleaned = re.sub(r"[^0-9A-Za-z]", "", code).upper().translate(_BASE32_LOOKALIKES)
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def _wrap_aad(method: KeyMethod) -> bytes:
    return f"companion/key_wrap/{method.value}".encode()


@dataclass(frozen=True)
class KeyWrap:
    method: KeyMethod
    wrapped: bytes
    params: dict[str, object]


@dataclass(frozen=True)
class SetUpResult:
    method: KeyMethod
    recovery_code: str


@dataclass(frozen=True)
class DerivedKey:
    """A wrapping key worked out from a passphrase or code with scrypt: the slow half of a wrap, needing no key."""

    key: bytes = field(repr=False)
    salt: bytes
    params: ScryptParams

    @classmethod
    def derive(cls, secret: str, params: ScryptParams) -> DerivedKey:
        salt = os.urandom(16)
        return cls(derive_key(secret, salt, params), salt, params)

    def wrap(self, method: KeyMethod, data_key: bytes) -> KeyWrap:
        wrapped = ContentCipher(self.key).seal(data_key, _wrap_aad(method))
        return KeyWrap(method, wrapped, {"kdf": "scrypt", **asdict(self.params), "salt": self.salt.hex()})


@dataclass(frozen=True)
class KeyringMove:
    """The journal key on its way to a fresh keyring entry, made while the journal was open: the entry's new key
    and the data key wrapped by it. Putting `wrapping_key` in the keyring is the slow part (a worker's);
    `KeyManager.finish_keyring_move` then saves `wrap` without needing the journal open, so a keyring repair lands
    even if the rep locks while the keyring answers."""

    account: str
    wrapping_key: bytes = field(repr=False)
    wrap: KeyWrap = field(repr=False)
    instead_of: KeyWrap | None = field(repr=False)  # the everyday way in when the move began


class KeysChangedMeanwhile(Exception):
    """The journal's way in changed (another method, an erase) while a keyring move was under way: not saved."""


RECOVERY_CODE_META = "journal.recovery_code"
RECOVERY_CODE_KIND = "recovery_code"


class KeyManager:
    """Sets up, unlocks and re-wraps the data key. Unlocking puts the key into the Vault it was given."""

    def __init__(
        self,
        store: Store,
        vault: Vault,
        secrets_store: SecretStore | None,
        clock: Clock,
        scrypt_params: ScryptParams | None = None,
    ) -> None:
        self._store = store
        self._vault = vault
        self.secrets_store = secrets_store  # may be set later, once the keyring was looked for
        self._clock = clock
        self._scrypt = scrypt_params or ScryptParams()

    # --- what is there -------------------------------------------------------------------------------------

    def is_set_up(self) -> bool:
        return bool(self._wraps())

    def everyday_method(self) -> KeyMethod | None:
        wrap = self.everyday_wrap()
        return None if wrap is None else wrap.method

    def everyday_wrap(self) -> KeyWrap | None:
        return _everyday_of(self._wraps())

    @property
    def keyring_account(self) -> str:
        """The keyring entry's name: one per database, so two data folders never share a key."""
        key_id = self._store.get_meta(KEY_ID_META)
        if key_id is None:
            key_id = random_hex(8)
            self._store.set_meta(KEY_ID_META, key_id)
        return f"journal-key-{key_id}"

    # --- set-up --------------------------------------------------------------------------------------------

    def set_up(self, passphrase: str | None = None) -> SetUpResult:
        """First run: a new data key, wrapped by the keyring (no passphrase given) or the passphrase, and by a
        new recovery code. Raises KeyUnavailable when the keyring cannot hold the key: ask for a passphrase."""
        if passphrase is not None:
            return self._set_up(lambda data_key: self._passphrase_wrap(data_key, passphrase))
        account = self.new_keyring_account()
        wrapping_key = store_new_keyring_key(self._require_secrets(), account)
        return self.set_up_with_keyring_key(account, wrapping_key)

    def set_up_with_keyring_key(self, account: str, wrapping_key: bytes) -> SetUpResult:
        """Set-up in two steps, for callers that talk to the keyring off the GUI thread: `new_keyring_account`,
        then `store_new_keyring_key` (slow, may prompt), then this."""
        return self._set_up(lambda data_key: self._wrap_with_keyring_key(data_key, account, wrapping_key))

    def _set_up(self, wrap_with: Callable[[bytes], KeyWrap]) -> SetUpResult:
        if self.is_set_up():
            raise RuntimeError("the data key is already set up; use the re-wrap methods")
        data_key = new_data_key()
        code = new_recovery_code()
        wrap = wrap_with(data_key)
        self._vault.unlock_with_data_key(data_key)
        try:
            with self._store.transaction() as conn:
                self._save(conn, wrap)
                self._save(conn, self._recovery_wrap(data_key, code))
                self._keep_recovery_code(conn, code)
        except BaseException:
            self._vault.lock()
            raise
        log.info("journal key set up with %s and a recovery code", wrap.method.value)
        return SetUpResult(wrap.method, code)

    # --- unlocking (reads only) ----------------------------------------------------------------------------

    def unlock_with_keyring(self) -> None:
        account = self.keyring_account_in_use()
        self.unlock_with_keyring_secret(self._require_secrets().get(account))

    def keyring_account_in_use(self) -> str:
        account = keyring_account_in(self._store)
        if account is None:
            self._keyring_wrap_in_use()  # says why in a sentence: no keyring wrap, the passphrase opens the journal
            raise RecoveryCodeNeeded(_("Companion's record of its keyring entry is damaged. Enter your recovery code."))
        return account

    def _keyring_wrap_in_use(self) -> KeyWrap:
        wrap = self._wraps().get(KeyMethod.KEYRING)
        if wrap is None:
            raise KeyUnavailable(_("Your journal is protected by a passphrase, not by the keyring."))
        return wrap

    def unlock_with_keyring_secret(self, secret: bytes | None) -> None:
        """The second half of a keyring unlock, once the secret was read (possibly on another thread)."""
        wrap = self._keyring_wrap_in_use()
        if secret is None:
            raise RecoveryCodeNeeded(
                _(
                    "The keyring no longer holds Companion's key (it may have been reset). "
                    "Enter your recovery code to open your journal."
                )
            )
        try:
            data_key = ContentCipher(secret).open(wrap.wrapped, _wrap_aad(KeyMethod.KEYRING))
        except (DecryptionFailed, ValueError):
            raise RecoveryCodeNeeded(
                _("The key in your keyring does not match this journal. Enter your recovery code to open it.")
            ) from None
        self._vault.unlock_with_data_key(data_key)

    def unlock_with_passphrase(self, passphrase: str) -> None:
        self.unlock_with_data_key(self.secret_opener(KeyMethod.PASSPHRASE)(passphrase))

    def unlock_with_recovery_code(self, code: str) -> None:
        self.unlock_with_data_key(self.secret_opener(KeyMethod.RECOVERY)(code))

    def secret_opener(self, method: KeyMethod) -> Callable[[str], bytes]:
        """The slow half of a passphrase or recovery-code unlock (scrypt, about 0.4 s): the wrap is read from the
        store now, and the returned function touches neither the store nor the vault, so it may run on a worker
        thread. It returns the data key for `unlock_with_data_key`, or raises WrongPassphrase with a sentence."""
        wrap = self._wraps().get(method)
        if method is KeyMethod.PASSPHRASE and wrap is None:
            raise WrongPassphrase(_("Your journal has no passphrase; it opens with the keyring or the recovery code."))
        refused = (
            _("That passphrase did not open your journal. Nothing was changed; try again.")
            if method is KeyMethod.PASSPHRASE
            else _("That recovery code did not open your journal. Nothing was changed; check it.")
        )

        def open_with(secret: str) -> bytes:
            if method is KeyMethod.RECOVERY:
                secret = normalise_recovery_code(secret)
            data_key = None if wrap is None else self._open_derived(wrap, secret)
            if data_key is None:
                raise WrongPassphrase(refused)
            return data_key

        return open_with

    def unlock_with_data_key(self, data_key: bytes) -> None:
        self._vault.unlock_with_data_key(data_key)

    def unlock_with_secret(self, secret: str) -> None:
        """A passphrase or a recovery code, whichever it is (for a single terminal prompt)."""
        try:
            self.unlock_with_passphrase(secret)
        except WrongPassphrase:
            try:
                self.unlock_with_recovery_code(secret)
            except WrongPassphrase:
                raise WrongPassphrase(
                    _("That is neither your passphrase nor your recovery code. Nothing was changed.")
                ) from None

    # --- re-wrapping (needs the journal unlocked) ----------------------------------------------------------

    def change_passphrase(self, new_passphrase: str) -> None:
        """Also the way to move from the keyring to a passphrase: the keyring entry is removed afterwards."""
        self._forget_stale_entry(self.use_passphrase_key(self.passphrase_deriver(new_passphrase)()))

    def passphrase_deriver(self, new_passphrase: str) -> Callable[[], DerivedKey]:
        """The first half of `change_passphrase`: checks the passphrase here (WrongPassphrase if too short) and
        returns the slow part, scrypt (about 0.4 s), which needs no key and is safe on a worker thread."""
        self._check_passphrase(new_passphrase)
        params = self._scrypt
        return lambda: DerivedKey.derive(new_passphrase, params)

    def use_passphrase_key(self, derived: DerivedKey) -> str | None:
        """The second half: the journal now opens with that passphrase. Returns the keyring entry that no longer
        opens anything (None if there is none), for `forget_keyring_entry`, which talks to the keyring."""
        return self._replace_everyday(derived.wrap(KeyMethod.PASSPHRASE, self._vault.data_key), self.everyday_wrap())

    def use_keyring(self) -> None:
        """Move to the keyring (or repair a keyring entry that was lost); KeyUnavailable if the keyring refuses."""
        move = self.begin_keyring_move()
        store_keyring_key(self._require_secrets(), move.account, move.wrapping_key)
        self._forget_stale_entry(self.finish_keyring_move(move))

    def begin_keyring_move(self) -> KeyringMove:
        """The first part of `use_keyring`, while the journal is open: a fresh entry and key, the data key wrapped by
        it. Then `store_keyring_key` (slow: on a worker), then `finish_keyring_move`."""
        account, wrapping_key = self.new_keyring_account(), new_data_key()
        wrap = self._wrap_with_keyring_key(self._vault.data_key, account, wrapping_key)
        return KeyringMove(account, wrapping_key, wrap, self.everyday_wrap())

    def finish_keyring_move(self, move: KeyringMove) -> str | None:
        """The journal opens with the keyring entry from now on (open or locked now). Raises KeysChangedMeanwhile,
        writing nothing, if its way in is no longer what it was when the move began. Returns the keyring entry that
        no longer opens anything, as above."""
        return self._replace_everyday(move.wrap, move.instead_of)

    def regenerate_recovery_code(self) -> str:
        code = new_recovery_code()
        wrap = self._recovery_wrap(self._vault.data_key, code)
        with self._store.transaction() as conn:
            self._save(conn, wrap)
            self._keep_recovery_code(conn, code)
        log.info("recovery code regenerated")
        return code

    def recovery_code(self) -> str | None:
        """The current recovery code, for showing again once the journal is unlocked (None if never kept).

        It is kept sealed with the data key itself: whoever can open it already holds everything it protects.
        """
        sealed = self._store.get_meta(RECOVERY_CODE_META)
        if sealed is None:
            return None
        return str(self._vault.open_record(RECOVERY_CODE_KIND, "current", base64.b64decode(sealed))["code"])

    def _keep_recovery_code(self, conn: sqlite3.Connection, code: str) -> None:
        sealed = base64.b64encode(self._vault.seal_record(RECOVERY_CODE_KIND, "current", {"code": code})).decode()
        conn.execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (RECOVERY_CODE_META, sealed),
        )

    # --- helpers -------------------------------------------------------------------------------------------

    def _replace_everyday(self, wrap: KeyWrap, instead_of: KeyWrap | None) -> str | None:
        """The journal opens with `wrap` from now on, if `instead_of` is still its everyday wrap (checked in the
        write's own transaction; KeysChangedMeanwhile if not); returns the keyring entry that no longer opens it."""
        with self._store.transaction() as conn:
            old = self._wraps()
            if _everyday_of(old) != instead_of:
                changed = f"the everyday key wrap changed before {wrap.method.value} was saved"  # i18n: not for reps
                raise KeysChangedMeanwhile(changed)
            for method in EVERYDAY_METHODS:
                if method is not wrap.method:
                    conn.execute("DELETE FROM key_wraps WHERE method = ?", (method.value,))
            self._save(conn, wrap)
        log.info("journal key now opens with %s", wrap.method.value)
        old_keyring = old.get(KeyMethod.KEYRING)
        if old_keyring is not None and old_keyring.params.get("account") != wrap.params.get("account"):
            return str(old_keyring.params["account"])
        return None

    def _forget_stale_entry(self, account: str | None) -> None:
        if account is not None:
            self.forget_keyring_entry(account)

    def forget_keyring_entry(self, account: str) -> None:
        """Remove an entry that no longer opens anything (a helper child: safe on a worker thread). A keyring that
        refuses only leaves a useless entry behind, so that is logged, not raised."""
        try:
            self._require_secrets().delete(account)
        except KeyUnavailable:
            log.warning("could not remove the old keyring entry; it no longer opens anything")

    def new_keyring_account(self) -> str:
        """A fresh keyring entry name for this database: a failed move or repair leaves the old entry working."""
        return f"{self.keyring_account}-{random_hex(4)}"

    @staticmethod
    def _wrap_with_keyring_key(data_key: bytes, account: str, wrapping_key: bytes) -> KeyWrap:
        wrapped = ContentCipher(wrapping_key).seal(data_key, _wrap_aad(KeyMethod.KEYRING))
        return KeyWrap(KeyMethod.KEYRING, wrapped, {"account": account})

    def _passphrase_wrap(self, data_key: bytes, passphrase: str) -> KeyWrap:
        self._check_passphrase(passphrase)
        return self._derived_wrap(KeyMethod.PASSPHRASE, data_key, passphrase, self._scrypt)

    @staticmethod
    def _check_passphrase(passphrase: str) -> None:
        if len(passphrase) < MIN_PASSPHRASE_LENGTH:
            raise WrongPassphrase(
                ngettext(
                    "Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} character.",
                    "Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters.",
                    MIN_PASSPHRASE_LENGTH,
                ).format(MIN_PASSPHRASE_LENGTH=MIN_PASSPHRASE_LENGTH)
            )

    def _recovery_wrap(self, data_key: bytes, code: str) -> KeyWrap:
        return self._derived_wrap(KeyMethod.RECOVERY, data_key, normalise_recovery_code(code), RECOVERY_SCRYPT)

    @staticmethod
    def _derived_wrap(method: KeyMethod, data_key: bytes, secret: str, params: ScryptParams) -> KeyWrap:
        return DerivedKey.derive(secret, params).wrap(method, data_key)

    @staticmethod
    def _open_derived(wrap: KeyWrap, secret: str) -> bytes | None:
        params = ScryptParams(*(int(str(wrap.params[name])) for name in ("log2_n", "r", "p")))
        wrapping_key = derive_key(secret, bytes.fromhex(str(wrap.params["salt"])), params)
        try:
            return ContentCipher(wrapping_key).open(wrap.wrapped, _wrap_aad(wrap.method))
        except DecryptionFailed:
            return None

    def _require_secrets(self) -> SecretStore:
        if self.secrets_store is None:
            raise KeyUnavailable(_("No keyring is available on this computer."))
        return self.secrets_store

    def _wraps(self) -> dict[KeyMethod, KeyWrap]:
        rows = self._store.connection.execute("SELECT method, wrapped, params FROM key_wraps").fetchall()
        return {KeyMethod(m): KeyWrap(KeyMethod(m), bytes(w), json.loads(p)) for m, w, p in rows}

    def _save(self, conn: sqlite3.Connection, wrap: KeyWrap) -> None:
        conn.execute(
            "INSERT INTO key_wraps(method, wrapped, params, created_utc) VALUES(?, ?, ?, ?) "
            "ON CONFLICT(method) DO UPDATE SET wrapped = excluded.wrapped, params = excluded.params, "
            "created_utc = excluded.created_utc",
            (wrap.method.value, wrap.wrapped, json.dumps(wrap.params), self._clock.now().timestamp()),
        )


def _everyday_of(wraps: dict[KeyMethod, KeyWrap]) -> KeyWrap | None:
    return next((wraps[method] for method in EVERYDAY_METHODS if method in wraps), None)


def keyring_account_in(store: Store) -> str | None:
    """The keyring entry that holds the journal's wrapping key, as set-up recorded it; None when there is none (a
    passphrase journal, nothing set up, or a record that cannot be read). Erase everything and unlock both ask."""
    try:
        row = store.connection.execute(
            "SELECT params FROM key_wraps WHERE method = ?", (KeyMethod.KEYRING.value,)
        ).fetchone()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    try:
        account = json.loads(row[0]).get("account")
    except (json.JSONDecodeError, AttributeError):
        return None
    return account if isinstance(account, str) and account else None


def store_new_keyring_key(secrets_store: SecretStore, account: str) -> bytes:
    """Put a new random wrapping key in the keyring and read it back; the slow part, safe off the GUI thread."""
    wrapping_key = new_data_key()
    store_keyring_key(secrets_store, account, wrapping_key)
    return wrapping_key


def store_keyring_key(secrets_store: SecretStore, account: str, wrapping_key: bytes) -> None:
    """Put `wrapping_key` in the keyring and read it back (KeyUnavailable if it is not kept); safe off the GUI
    thread."""
    secrets_store.put(account, wrapping_key)
    if secrets_store.get(account) != wrapping_key:
        raise KeyUnavailable(_("The keyring did not keep Companion's key."))


def unlock_headless(
    keys: KeyManager,
    ask_secret: Callable[[str], str] | None = None,
    interactive: bool | None = None,
) -> None:
    """Unlock without a tray, for headless commands: the keyring first, else a passphrase (or recovery code) read
    from the terminal with getpass. Raises KeyUnavailable (no terminal, nothing set up) or WrongPassphrase."""
    if not keys.is_set_up():
        raise KeyUnavailable(_("Your journal is not set up yet. Start Companion once to set it up."))
    try:
        keys.unlock_with_keyring()
        return
    except KeyUnavailable as error:
        reason = error.message
    interactive = sys.stdin.isatty() if interactive is None else interactive
    if not interactive:
        raise KeyUnavailable(
            _("{reason} Run this command from a terminal to type your passphrase.").format(reason=reason)
        )
    ask = ask_secret or getpass.getpass
    keys.unlock_with_secret(ask(_("{reason}\nPassphrase or recovery code: ").format(reason=reason)))
