"""Logging to a rotating, private file. Personal content never goes to the log: log ids and counts, not text."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from companion.core.paths import ensure_private_dir, make_private

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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
