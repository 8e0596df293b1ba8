"""The local-socket protocol between a second `companion` process and the running one.

One JSON object per line each way, small and strictly checked: anything malformed becomes an IpcError with a
sentence, never a traceback in the running app.
"""

from __future__ import annotations

import json
import os
import stat
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_MESSAGE_BYTES = 16 * 1024
# The commands a second `companion` forwards to the running one, with the help line `companion --help` gives each:
# the one list the command line, the socket's checks and the running app's handlers follow.
FORWARDED_COMMANDS: dict[str, str] = {
    "summary": "ask the running Companion to open your week in review",
    "show": "ask the running Companion to show itself",
    "settings": "open the Settings window of the running Companion",
    "tag": "tag a rough call: opens the tag panel, or saves at once with --severity",
    "journal": "open the journal in the running Companion, or save a quick entry",
    "break": "start a break now (asks the running Companion)",
    "call": "flip \"I'm on a call\" in the running Companion, or set it with --on / --off (for a keyboard shortcut)",
    "quit": "ask the running Companion to quit",
}
COMMANDS = frozenset({*FORWARDED_COMMANDS, "ping"})  # ping: `companion status` asks a running Companion for live facts


class IpcError(ValueError):
    pass


@dataclass(frozen=True)
class Request:
    command: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    ok: bool
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def encode_request(request: Request) -> bytes:
    return (json.dumps({"command": request.command, "args": request.args}) + "\n").encode("utf-8")


def decode_request(raw: bytes) -> Request:
    if len(raw) > MAX_MESSAGE_BYTES:
        raise IpcError(f"message of {len(raw)} bytes is larger than {MAX_MESSAGE_BYTES}")
    try:
        message = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IpcError(f"message is not JSON: {error}") from None
    except RecursionError:
        raise IpcError("message is nested too deeply") from None
    if not isinstance(message, dict):
        raise IpcError("message is not a JSON object")
    command = message.get("command")
    args = message.get("args", {})
    if not isinstance(command, str) or command not in COMMANDS:
        raise IpcError(f"unknown command {str(command)[:40]!r}")
    if not isinstance(args, dict):
        raise IpcError("args must be a JSON object")
    return Request(command, args)


def encode_reply(reply: Reply) -> bytes:
    return (json.dumps({"ok": reply.ok, "message": reply.message, "data": reply.data}) + "\n").encode("utf-8")


def decode_reply(raw: bytes) -> Reply:
    try:
        message = json.loads(raw.decode("utf-8"))
        return Reply(bool(message["ok"]), str(message.get("message", "")), dict(message.get("data", {})))
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        raise IpcError("the running Companion sent a reply that could not be read") from None


def socket_name(data_dir: Path) -> str:
    """Where the running instance listens: a socket file beside the data on POSIX, a named pipe on Windows.

    Keyed by the data folder, so a test's private data folder gets its own instance.
    """
    # crc32, not hashlib: it only needs to tell folders apart, and hashlib would map OpenSSL in at start.
    digest = f"{zlib.crc32(str(data_dir).encode('utf-8')):08x}"
    if os.name == "nt":
        return f"companion-{digest}"
    beside_data = data_dir / "companion.sock"
    if len(str(beside_data)) < 100:  # sun_path holds 108 bytes at most
        return str(beside_data)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:  # the rep's own 0700 folder, made by the session
        return str(Path(runtime) / f"companion-{digest}.sock")
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
        return f"Companion cannot use {folder} for its private socket ({error.strerror or error})."
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or stat.S_IMODE(info.st_mode) & 0o077:
        return (
            f"Companion will not use {folder} for its socket: it is not a private folder of your own "
            "(another user may have made it). Remove it or set XDG_RUNTIME_DIR; until then `companion tag` and "
            "`companion journal` cannot reach this Companion."
        )
    return None
