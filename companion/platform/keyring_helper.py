"""The keyring conversation in a short-lived child process, so keyring, secretstorage and jeepney (about 14 MB of
memory and 65 ms of imports) never load into the long-running tray app.

The parent speaks through `HelperSecretStore`, a SecretStore like KeyringSecretStore, with the same sentences on
failure. Each call starts `python -m companion.platform.keyring_helper` (the bundle's own executable with the
`keyring-helper` command when frozen), sends one JSON request on stdin and reads one JSON reply on stdout:

    {"op": "detect" | "get" | "put" | "delete", "account": "...", "secret": "<base64>"}
    {"name": "keyring (...)", "value": "<base64>" | null}        or        {"unavailable": "a sentence"}

The child activates no language, so its sentence is English; the parent shows it in the rep's language.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import shlex
import subprocess
import sys
import threading
from typing import Any

from companion.core.errors import KeyUnavailable
from companion.core.i18n import N_, _
from companion.platform.keyring_store import CALL_TIMEOUT_SECONDS, KeyringSecretStore, NoSecretStore

log = logging.getLogger(__name__)

# Detection and the call each have their own limit inside the child; the rest is the child's start.
CHILD_TIMEOUT_SECONDS = 2 * CALL_TIMEOUT_SECONDS + 5
FROZEN_COMMAND = "keyring-helper"
HELPER_OVERRIDE_ENV = "COMPANION_KEYRING_HELPER_COMMAND"


def helper_command() -> list[str]:
    override = os.environ.get(HELPER_OVERRIDE_ENV)
    if override:  # tests only: a helper made slow on purpose, to hold the start-up conversation open
        return shlex.split(override)
    if getattr(sys, "frozen", False):
        return [sys.executable, FROZEN_COMMAND]
    return [sys.executable, "-m", "companion.platform.keyring_helper"]


class Children:
    """The helper children in flight (calls run on worker threads), so a quit can end them instead of waiting."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[str]] = set()

    def start(self) -> subprocess.Popen[str]:
        with self._lock:
            child = subprocess.Popen(
                helper_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            self._running.add(child)
            return child

    def finished(self, child: subprocess.Popen[str]) -> None:
        with self._lock:
            self._running.discard(child)

    def abandon(self) -> None:
        with self._lock:
            running = list(self._running)
        for child in running:
            child.kill()


def _ask(request: dict[str, Any], timeout: float, children: Children | None = None) -> dict[str, Any]:
    """One request to a fresh child; every failure of the child itself becomes KeyUnavailable."""
    children = children or Children()
    try:
        child = children.start()
    except OSError as error:
        log.warning("the keyring helper could not start: %s", error)
        raise KeyUnavailable(_("The keyring could not be reached.")) from error
    try:
        stdout, stderr = child.communicate(json.dumps(request), timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise no_answer(request["op"], timeout) from None
    finally:
        children.finished(child)
    return read_reply(stdout, stderr, child.returncode)


def no_answer(op: str, timeout: float) -> KeyUnavailable:
    log.warning("the keyring helper did not answer within %.0f s (%s)", timeout, op)
    return KeyUnavailable(_("The keyring did not answer; it may be waiting to be unlocked."))


def read_reply(stdout: str, stderr: str, returncode: int | None) -> dict[str, Any]:
    """The child's one JSON reply; a child that failed, or answered "unavailable", becomes KeyUnavailable."""
    if stderr.strip():
        log.info("keyring helper: %s", stderr.strip())
    try:
        reply = json.loads(stdout)
    except ValueError:
        log.warning("the keyring helper failed (exit %s)", returncode)
        raise KeyUnavailable(_("The keyring could not be reached.")) from None
    if "unavailable" in reply:
        # The child has no language active: its sentence is the English one marked in keyring_store, shown here in
        # the rep's language.
        raise KeyUnavailable(_(reply["unavailable"]))
    return reply


def decode_value(reply: dict[str, Any]) -> bytes | None:
    value = reply.get("value")
    return None if value is None else base64.b64decode(value)


class HelperSecretStore:
    """SecretStore whose every call is one short-lived child process talking to the OS keyring."""

    def __init__(self, name: str, timeout: float = CHILD_TIMEOUT_SECONDS) -> None:
        self.name = name
        self._timeout = timeout
        self._children = Children()

    def get(self, account: str) -> bytes | None:
        return decode_value(self._ask({"op": "get", "account": account}))

    def put(self, account: str, secret: bytes) -> None:
        self._ask({"op": "put", "account": account, "secret": base64.b64encode(secret).decode("ascii")})

    def delete(self, account: str) -> None:
        self._ask({"op": "delete", "account": account})

    def abandon(self) -> None:
        """At quit: the children in flight are ended, so their calls raise KeyUnavailable at once. Later calls still
        work: Erase everything removes the keyring entry through this store after the features stopped."""
        self._children.abandon()

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        return _ask(request, self._timeout, self._children)


def secret_store_in_helper() -> HelperSecretStore:
    """The tray app's keyring, without looking first: each child detects the keyring for its own call anyway, so a
    separate "detect" child at start would only double the wait. A missing keyring shows up as KeyUnavailable on
    the first call, which the journal answers with the passphrase path, exactly as for NoSecretStore."""
    return HelperSecretStore(N_("system keyring, through a helper process"))


def detect_secret_store_in_helper() -> HelperSecretStore | NoSecretStore:
    """detect_secret_store() for the tray app: the keyring is looked for in a child, and used through children."""
    try:
        name = _ask({"op": "detect"}, CHILD_TIMEOUT_SECONDS)["name"]
    except KeyUnavailable as error:
        log.info("no usable keyring: %s", error.message)
        return NoSecretStore(error.message)
    # `--self-test` prints this name; `name` is the keyring module's own, the same in every language.
    return HelperSecretStore(_("{name} in a helper process").format(name=name))


def serve(request: dict[str, Any]) -> dict[str, Any]:
    """The child's side: detect afresh (the session bus may have changed), then do the one thing asked."""
    try:
        store = KeyringSecretStore.detect()
        op = request["op"]
        if op == "detect":
            return {"name": store.name}
        account = str(request["account"])
        if op == "get":
            value = store.get(account)
            return {"name": store.name, "value": None if value is None else base64.b64encode(value).decode("ascii")}
        if op == "put":
            store.put(account, base64.b64decode(request["secret"], validate=True))
        elif op == "delete":
            store.delete(account)
        else:
            return {"unavailable": N_("The keyring could not be reached.")}  # the tray app translates it
        return {"name": store.name}
    except KeyUnavailable as error:
        return {"unavailable": error.message}


def main() -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(name)s: %(message)s")  # i18n: not for reps
    reply = serve(json.loads(sys.stdin.read()))
    sys.stdout.write(json.dumps(reply))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
