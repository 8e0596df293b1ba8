"""Runs the database's quick_check on a worker thread after the tray shows (core/db_check.py says why)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject

from companion.core import db_check
from companion.ui.worker import BackgroundWork

log = logging.getLogger(__name__)


def check_in_background(database: Path, on_damage: Callable[[], None], parent: QObject) -> BackgroundWork:
    """Start the check; `on_damage` runs on the GUI thread if it fails. The caller stops the returned worker."""
    work = BackgroundWork(parent)

    def checked(verdict: str) -> None:
        if verdict == "ok":
            log.info("database check: ok")
            return
        db_check.remember_damage(database, verdict)
        on_damage()

    def failed(error: BaseException) -> None:
        log.warning("the database check could not run: %s", error)

    work.run(lambda: db_check.quick_check(database), checked, failed)
    return work
