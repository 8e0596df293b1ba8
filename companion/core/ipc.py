"""The local-socket protocol between a second `companion` process and the running one.

One JSON object per line each way, small and strictly checked: anything malformed becomes an IpcError with a
sentence, never a traceback in the running app.
"""

from __future__ import annotations

import json
import os
import stat
import zlib
from pathlib import Path

from companion.core.frozen import FrozenRecord
from companion.core.i18n import N_, _, ngettext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (4 ms): `companion tag` loads this module
if TYPE_CHECKING:
    from typing import Any

MAX_MESSAGE_BYTES = 16 * 1024
# The commands a second `companion` forwards to the running one, with the help line `companion --help` gives each:
# the one list the command line, the socket's checks and the running app's handlers follow. The help lines are
# marked here and translated where argparse is given them (`_(FORWARDED_COMMANDS[name])`), in the rep's language.
FORWARDED_COMMANDS: dict[str, str] = {
    "summary": N_("ask the running Companion to open your week in review"),
    "show": N_("ask the running Companion to show itself"),
    "settings": N_("open the Settings window of the running Companion"),
    "tag": N_("tag a rough call: opens the tag panel, or saves at once with --severity"),
    "journal": N_("open the journal in the running Companion, or save a quick entry"),
    "break": N_("start a break now (asks the running Companion)"),
    "call": N_('flip "I\'m on a call" in the running Companion, or set it with --on / --off (for a keyboard shortcut)'),
    "quit": N_("ask the running Companion to quit"),
}
COMMANDS = frozenset({*FORWARDED_COMMANDS, "ping"})  # ping: `companion status` asks a running Companion for live facts


class IpcError(ValueError):
    pass


class Request(FrozenRecord):
    __slots__ = ("args", "command")
    command: str
    args: dict[str, Any]

    def __init__(self, command: str, args: dict[str, Any] | None = None) -> None:
        self.set_once("command", command)
        self.set_once("args", {} if args is None else args)


class Reply(FrozenRecord):
    __slots__ = ("data", "message", "ok")
    ok: bool
    message: str
    data: dict[str, Any]

    def __init__(self, ok: bool, message: str = "", data: dict[str, Any] | None = None) -> None:
        self.set_once("ok", ok)
        self.set_once("message", message)
        self.set_once("data", {} if data is None else data)


def encode_request(request: Request) -> bytes:
    return (json.dumps({"command": request.command, "args": request.args}) + "\n").encode("utf-8")


def decode_request(raw: bytes) -> Request:
    """The request in `raw`, or IpcError with the reason, which the running app sends back to the command line
    ("Companion did not understand that request: ...") in the rep's language."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise IpcError(
            ngettext(
                "message of {size} byte is larger than {limit}", "message of {size} bytes is larger than {limit}",
                len(raw),
            ).format(size=len(raw), limit=MAX_MESSAGE_BYTES)
        )  # fmt: skip
    try:
        message = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IpcError(_("message is not JSON: {error}").format(error=error)) from None
    except RecursionError:
        raise IpcError(_("message is nested too deeply")) from None
    if not isinstance(message, dict):
        raise IpcError(_("message is not a JSON object"))
    command = message.get("command")
    args = message.get("args", {})
    if not isinstance(command, str) or command not in COMMANDS:
        raise IpcError(_("unknown command {command}").format(command=repr(str(command)[:40])))
    if not isinstance(args, dict):
        raise IpcError(_("args must be a JSON object"))
    return Request(command, args)


def encode_reply(reply: Reply) -> bytes:
    return (json.dumps({"ok": reply.ok, "message": reply.message, "data": reply.data}) + "\n").encode("utf-8")


def decode_reply(raw: bytes) -> Reply:
    try:
        message = json.loads(raw.decode("utf-8"))
        return Reply(bool(message["ok"]), str(message.get("message", "")), dict(message.get("data", {})))
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        raise IpcError(_("the running Companion sent a reply that could not be read")) from None


def socket_name(data_dir: Path) -> str:
    """Where the running instance listens: a socket file beside the data on POSIX, a named pipe on Windows.

    Keyed by the data folder, so a test's private data folder gets its own instance.
    """
    # crc32, not hashlib: it only needs to tell folders apart, and hashlib would map OpenSSL in at start.
    digest = f"{zlib.crc32(str(data_dir).encode('utf-8')):08x}"
    if os.name == "nt":
        return f"companion-{digest}"  # i18n: not for reps
    beside_data = data_dir / "companion.sock"
    if len(str(beside_data)) < 100:  # sun_path holds 108 bytes at most
        return str(beside_data)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:  # the rep's own 0700 folder, made by the session
        return str(Path(runtime) / f"companion-{digest}.sock")  # i18n: not for reps
    # Never a bare name in a shared /tmp (another user could bind it first and receive the rep's words): a folder
    # that must be the rep's own and private, checked by `private_folder_problem` before use.
    return str(fallback_socket_folder() / f"{digest}.sock")


def fallback_socket_folder() -> Path:
    return Path(os.environ.get("TMPDIR") or "/tmp") / f"companion-{os.geteuid()}"


def private_folder_problem(folder: Path) -> str | None:
    """None when `folder` is a real folder (not a link) owned by this user with mode 0700; else a sentence."""
    try:
        info = os.lstat(folder)
    except OSError as error:
        return _("Companion cannot use {folder} for its private socket ({error}).").format(
            folder=folder, error=error.strerror or error
        )
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or stat.S_IMODE(info.st_mode) & 0o077:
        return _(
            "Companion will not use {folder} for its socket: it is not a private folder of your own "
            "(another user may have made it). Remove it or set XDG_RUNTIME_DIR; until then `companion tag` and "
            "`companion journal` cannot reach this Companion."
        ).format(folder=folder)
    return None
