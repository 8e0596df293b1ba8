"""Logging to a rotating, private file. Personal content never goes to the log: log ids and counts, not text."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from pathlib import Path
from types import TracebackType

from companion.core.paths import ensure_private_dir, make_private

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # i18n: not for reps


def configure_logging(log_file: Path, *, verbose: bool = False) -> None:
    ensure_private_dir(log_file.parent)
    handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    make_private(log_file)
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.addHandler(handler)
    if verbose:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(stream)
    logging.captureWarnings(True)
    log_uncaught_exceptions()


def stop_logging_to(folder: Path) -> None:
    """Close the handlers writing into `folder` (Erase everything removes it; no log line may recreate it)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        filename = getattr(handler, "baseFilename", None)
        if filename and Path(filename).parent == folder:
            root.removeHandler(handler)
            handler.close()


crash_log = logging.getLogger("companion.crash")


def log_uncaught_exceptions() -> None:
    """Every uncaught exception reaches companion.log with its traceback: those raised in the main code, in Qt
    slots (PySide6 hands a slot's exception to sys.excepthook and carries on) and in threads.

    The rep never sees a traceback; the log keeps it for a bug report.
    """
    sys.excepthook = _log_exception
    threading.excepthook = _log_thread_exception


def _log_exception(kind: type[BaseException], value: BaseException, traceback: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, traceback)
        return
    crash_log.error("uncaught exception", exc_info=(kind, value, traceback))


def _log_thread_exception(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    name = args.thread.name if args.thread is not None else "?"
    details = (args.exc_type, args.exc_value, args.exc_traceback)
    crash_log.error("uncaught exception in thread %s", name, exc_info=details)
