"""`companion export`: a weekly summary to a file, headless (Qt offscreen, only for PDF), with or without a running
Companion. The database is read directly; SQLite's WAL lets a running Companion keep writing meanwhile."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.core.paths import AppPaths

if TYPE_CHECKING:
    from companion.core.summary_export import PdfRenderer

EXIT_OK, EXIT_FAILURE = 0, 1
HIGHLIGHTS_LOCKED = (
    "Your highlights need the journal unlocked, and `companion export` cannot unlock it yet; "
    "the summary was saved without them. Export from the summary window to include them."
)


def export_from_command_line(args: argparse.Namespace, paths: AppPaths) -> int:
    from companion.core.clock import SystemClock
    from companion.core.crypto import Vault
    from companion.core.errors import CompanionError
    from companion.core.store import Store
    from companion.core.summary import IsoWeek, build_summary
    from companion.core.summary_export import default_file_name, export_summary, normalise_format

    clock = SystemClock()
    if not paths.database.exists():
        print("There is nothing to summarise yet: start Companion on your work days first.", file=sys.stderr)
        return EXIT_FAILURE
    try:
        week = IsoWeek.parse(args.week, today=clock.now().date())
        fmt = normalise_format(args.format)
        output = Path(args.output).expanduser() if args.output else Path.cwd() / default_file_name(week, fmt)
        store = Store.open(paths.database, recover_corrupt=False)
        try:
            vault = Vault()  # until the journal can be unlocked headless, sealed figures stay closed here
            summary = build_summary(store, week, clock, vault, include_highlights=args.highlights, events=args.events)
        finally:
            store.close()
        written = export_summary(
            summary, fmt, output, events=args.events, pdf=_pdf_renderer() if fmt == "pdf" else None
        )
    except CompanionError as error:
        print(error.message, file=sys.stderr)
        return EXIT_FAILURE
    if args.highlights and summary.highlights is None:
        print(HIGHLIGHTS_LOCKED, file=sys.stderr)
    for path in written:
        print(f"Saved {path}")
    return EXIT_OK


_qt: list[Any] = []  # the QGuiApplication, kept alive while the PDF is drawn


def _pdf_renderer() -> PdfRenderer:
    """Qt for the PDF only, offscreen: no display, no tray, no running instance needed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from companion.ui.pdf_export import render_pdf
    from companion.ui.qtlog import route_qt_messages

    if QGuiApplication.instance() is None:
        route_qt_messages()
        _qt.append(QGuiApplication(sys.argv[:1]))
    return render_pdf
