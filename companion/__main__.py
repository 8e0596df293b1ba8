"""The command line: `companion` starts the tray app; subcommands talk to it or work without it.

Commands that only forward a request (`show`, `tag`, ...) must not import Qt, so they start fast enough to sit
behind a keyboard shortcut.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence

from companion import __version__
from companion.core import i18n
from companion.core.i18n import N_, _
from companion.core.ipc import FORWARDED_COMMANDS
from companion.core.paths import AppPaths
from companion.text_prompt import STDIN

CommandHandler = Callable[[argparse.Namespace, AppPaths], int]
EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
VISIBLE_WARNING = N_(
    "Text given as an argument can be seen by other users of this computer (in the process list) and stays in "
    "your shell history; use '-' and type or pipe it instead, e.g. `companion journal --win -`."
)
JOURNAL_KINDS = ("win", "gratitude", "reflection", "note")
# One whole help sentence per kind (not "save TEXT as a {kind}"): a translation words each its own way.
QUICK_ENTRY_HELP = {
    "win": N_("save TEXT as a win; '-' or no TEXT reads it from standard input (typed at a prompt in a terminal)"),
    "gratitude": N_(
        "save TEXT as a gratitude; '-' or no TEXT reads it from standard input (typed at a prompt in a terminal)"
    ),
    "reflection": N_(
        "save TEXT as a reflection; '-' or no TEXT reads it from standard input (typed at a prompt in a terminal)"
    ),
    "note": N_("save TEXT as a note; '-' or no TEXT reads it from standard input (typed at a prompt in a terminal)"),
}


def build_parser() -> argparse.ArgumentParser:
    """The command line, its help in the active language (main activates the rep's before building it)."""
    parser = argparse.ArgumentParser(
        prog="companion",
        description=_("A private tray companion for customer-service reps. Run without a command to start it."),
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument("--data-dir", help=_("keep all data, settings and logs in this folder"))
    parser.add_argument("--verbose", action="store_true", help=_("also log to the terminal"))
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=_("check resources, keyring, notifier and database; print one line each"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    status = commands.add_parser("status", help=_("print today's figures (works without a running Companion)"))
    status.add_argument("--json", action="store_true", help=_("one JSON object, for scripts"))
    export = commands.add_parser(
        "export", help=_("save a weekly summary as a file (works without a running Companion and without a display)")
    )
    export.add_argument(
        "--week", default="last", help=_("an ISO week like 2026-W47, or 'this' or 'last' (the default)")
    )
    export.add_argument("--format", default="pdf", choices=["pdf", "html", "csv", "json", "markdown", "md"])
    export.add_argument("--output", help=_("the file to write (default: companion-week-YYYY-Www.EXT here)"))
    export.add_argument("--highlights", action="store_true", help=_("include your wins and gratitude in your words"))
    export.add_argument(
        "--events", action="store_true", help=_("with --format csv: also write each event to -events.csv")
    )
    for name in ("summary", "show", "settings"):
        commands.add_parser(name, help=_(FORWARDED_COMMANDS[name]))
    tag = commands.add_parser(
        "tag",
        help=_(FORWARDED_COMMANDS["tag"]),
        description=_(
            "Tag a rough call in the running Companion. Without --severity the tag panel opens; with it, "
            "the tag is saved at once and the cooldown is offered. Bind this to a keyboard shortcut."
        ),
    )
    tag.add_argument(
        "--severity",
        type=int,
        choices=range(1, 6),
        metavar="1-5",
        help=_("1 rough, 2 tough, 3 hostile, 4 abusive, 5 threatening or worse"),
    )
    tag.add_argument(
        "--tag",
        action="append",
        default=[],
        dest="tags",
        metavar="WORD",
        help=_("what happened (yelling, insults, threats... or your own word); repeat for more"),
    )
    tag.add_argument(
        "--note",
        default="",
        nargs="?",
        const=STDIN,
        metavar="TEXT|-",
        help=_(
            "a private note (kept only while your journal is unlocked). '-' or no TEXT reads it from "
            "standard input (typed at a prompt in a terminal). {VISIBLE_WARNING}"
        ).format(VISIBLE_WARNING=_(VISIBLE_WARNING)),
    )
    tag.add_argument(
        "--request-id",
        metavar="ID",
        help=_("the same ID sent again (a retry) stores the tag only once; by default each command gets a new one"),
    )
    journal = commands.add_parser(
        "journal",
        help=_(FORWARDED_COMMANDS["journal"]),
        description=_(
            "Without options the journal opens. With one of the options the text is saved at once as that "
            "kind of entry (bind it to a keyboard shortcut for a quick win)."
        ),
    )
    quick = journal.add_mutually_exclusive_group()
    for kind in JOURNAL_KINDS:
        quick.add_argument(f"--{kind}", metavar="TEXT|-", nargs="?", const=STDIN, help=_(QUICK_ENTRY_HELP[kind]))
    journal.epilog = _(VISIBLE_WARNING)
    commands.add_parser("break", help=_(FORWARDED_COMMANDS["break"]))
    call = commands.add_parser("call", help=_(FORWARDED_COMMANDS["call"]))
    call.add_argument("--on", dest="on", action="store_true", default=None, help=_("mark as on a call"))
    call.add_argument("--off", dest="on", action="store_false", help=_("no longer on a call"))
    commands.add_parser("quit", help=_(FORWARDED_COMMANDS["quit"]))
    return parser


def activate_language(argv: Sequence[str]) -> str:
    """Speak the rep's language from the first line on: the one chosen in Settings, else the system's.

    Before the parser is built (its help is translated) and before any command prints, so this reads `--data-dir`
    on its own, leniently: a mistake in the arguments is the real parser's to report, in the rep's language.
    """
    from companion.core.settings_file import saved_language

    early = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    early.add_argument("--data-dir")
    try:
        data_dir = early.parse_known_args(list(argv))[0].data_dir
    except (argparse.ArgumentError, SystemExit):
        data_dir = None
    try:
        return i18n.activate(saved_language(AppPaths.resolve(data_dir).settings_file))
    except FileNotFoundError:  # no resources folder, so no catalogues: English, and `--self-test` says what is missing
        return i18n.current_language()


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if getattr(sys, "frozen", False):  # the bundle has no `python -m`: its keyring helper runs through this command
        from companion.platform import keyring_helper

        if arguments[:1] == [keyring_helper.FROZEN_COMMAND]:
            return keyring_helper.main()
    activate_language(arguments)
    args = build_parser().parse_args(arguments)
    paths = AppPaths.resolve(args.data_dir)
    if args.self_test:
        from companion.selftest import run_self_test

        return run_self_test(paths)
    handler = COMMANDS.get(args.command or "run")
    assert handler is not None, args.command
    return handler(args, paths)


def run_app(args: argparse.Namespace, paths: AppPaths) -> int:
    from companion.launch import launch

    return launch(paths, verbose=args.verbose)


def forward(command: str, arguments: Callable[[argparse.Namespace], dict[str, object]] | None = None) -> CommandHandler:
    def handle(args: argparse.Namespace, paths: AppPaths) -> int:
        from companion.core.ipc import IpcError, Request
        from companion.ipc_client import ForeignSocket, NoRunningInstance, send
        from companion.text_prompt import TextRefused

        try:
            request = Request(command, arguments(args) if arguments else {})
        except TextRefused as refused:
            print(refused.sentence, file=sys.stderr)
            return EXIT_FAILURE
        try:
            reply = send(paths.data, request)
        except ForeignSocket as error:
            print(error, file=sys.stderr)
            return EXIT_FAILURE
        except NoRunningInstance:
            print(_("Companion is not running. Start it with `companion`."), file=sys.stderr)
            return EXIT_FAILURE
        except IpcError as error:
            print(_("Companion did not answer properly: {error}.").format(error=error), file=sys.stderr)
            return EXIT_FAILURE
        print(reply.message)
        return EXIT_OK if reply.ok else EXIT_FAILURE

    return handle


def show_status(args: argparse.Namespace, paths: AppPaths) -> int:
    from companion.core.clock import SystemClock
    from companion.core.errors import CompanionError
    from companion.core.ipc import IpcError, Request
    from companion.core.status import StatusPart, collect_status
    from companion.core.store import Store
    from companion.ipc_client import NoRunningInstance, send

    live: dict[str, object] = {"running": False}
    with contextlib.suppress(NoRunningInstance, IpcError, OSError):
        live = {**send(paths.data, Request("ping"), timeout=1.5).data, "running": True}
    if not paths.database.exists():
        report = StatusPart({"version": __version__}, [_("No data yet: start Companion to begin.")])
    else:
        try:
            store = Store.open_read_only(paths.database)  # only the tray app migrates or writes
        except CompanionError as error:
            print(error.message, file=sys.stderr)
            return EXIT_FAILURE
        try:
            report = collect_status(store, SystemClock())
        finally:
            store.close()
    values = {**report.values, **live}
    if args.json:
        print(json.dumps(values, sort_keys=True))
    else:
        print(_("Companion is running.") if values.get("running") else _("Companion is not running."))
        for line in report.lines:
            print(line)
    return EXIT_OK


def export_week(args: argparse.Namespace, paths: AppPaths) -> int:
    from companion.summary_cli import export_from_command_line

    return export_from_command_line(args, paths)


def journal_arguments(args: argparse.Namespace) -> dict[str, object]:
    from companion.text_prompt import rep_text

    for kind in JOURNAL_KINDS:
        text = getattr(args, kind)
        if text is not None:
            return {"kind": kind, "text": rep_text(text, kind)}
    return {}


def tag_arguments(args: argparse.Namespace) -> dict[str, object]:
    from companion.text_prompt import checked_text, rep_text

    if args.severity is None:
        return {}  # the panel opens; it asks for everything itself
    note = rep_text(args.note, "private_note") if args.note else ""
    # A fresh id per command unless the caller gives one: a retry of the same bytes after a timeout stores one row.
    request_id = args.request_id or os.urandom(8).hex()
    tags = [checked_text(tag) for tag in args.tags]
    return {"severity": args.severity, "tags": tags, "note": note, "request_id": request_id}


def call_arguments(args: argparse.Namespace) -> dict[str, object]:
    """No option flips "I'm on a call" (what the global hotkey does); --on and --off set it."""
    return {} if args.on is None else {"on": args.on}


FORWARDED_ARGUMENTS = {"tag": tag_arguments, "journal": journal_arguments, "call": call_arguments}
COMMANDS: dict[str, CommandHandler] = {
    "run": run_app,
    "status": show_status,
    "export": export_week,
    **{name: forward(name, FORWARDED_ARGUMENTS.get(name)) for name in FORWARDED_COMMANDS},
}


if __name__ == "__main__":
    sys.exit(main())
