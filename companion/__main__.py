"""The command line: `companion` starts the tray app; subcommands talk to it or work without it.

Commands that only forward a request (`show`, `tag`, ...) must not import Qt, so they start fast enough to sit
behind a keyboard shortcut.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Sequence

from companion import __version__
from companion.core.paths import AppPaths

CommandHandler = Callable[[argparse.Namespace, AppPaths], int]
EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="companion",
        description="A private tray companion for customer-service reps. Run without a command to start it.",
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument("--data-dir", help="keep all data, settings and logs in this folder")
    parser.add_argument("--verbose", action="store_true", help="also log to the terminal")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    status = commands.add_parser("status", help="print today's figures (works without a running Companion)")
    status.add_argument("--json", action="store_true", help="one JSON object, for scripts")
    commands.add_parser("show", help="ask the running Companion to show itself")
    commands.add_parser("break", help="start a break now (asks the running Companion)")
    commands.add_parser("quit", help="ask the running Companion to quit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    paths = AppPaths.resolve(args.data_dir)
    handler = COMMANDS.get(args.command or "run")
    assert handler is not None, args.command
    return handler(args, paths)


def run_app(args: argparse.Namespace, paths: AppPaths) -> int:
    from companion.launch import launch

    return launch(paths, verbose=args.verbose)


def forward(command: str) -> CommandHandler:
    def handle(args: argparse.Namespace, paths: AppPaths) -> int:
        from companion.core.ipc import IpcError, Request
        from companion.ipc_client import NoRunningInstance, send

        try:
            reply = send(paths.data, Request(command))
        except NoRunningInstance:
            print("Companion is not running. Start it with `companion`.", file=sys.stderr)
            return EXIT_FAILURE
        except IpcError as error:
            print(f"Companion did not answer properly: {error}.", file=sys.stderr)
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
        report = StatusPart({"version": __version__}, ["No data yet: start Companion to begin."])
    else:
        try:
            store = Store.open(paths.database, recover_corrupt=False)
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
        print("Companion is running." if values.get("running") else "Companion is not running.")
        for line in report.lines:
            print(line)
    return EXIT_OK


COMMANDS: dict[str, CommandHandler] = {
    "run": run_app,
    "status": show_status,
    "show": forward("show"),
    "break": forward("break"),
    "quit": forward("quit"),
}


if __name__ == "__main__":
    sys.exit(main())
