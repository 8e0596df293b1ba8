"""`companion export`: a weekly summary to a file, headless (Qt offscreen, only for PDF), with or without a running
Companion. The database is read directly; SQLite's WAL lets a running Companion keep writing meanwhile."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.core.i18n import N_, _
from companion.core.paths import AppPaths

if TYPE_CHECKING:
    from companion.core.clock import Clock
    from companion.core.crypto import Vault
    from companion.core.store import Store
    from companion.core.summary_export import PdfRenderer

EXIT_OK, EXIT_FAILURE = 0, 1
HIGHLIGHTS_LOCKED = N_("Your highlights need the journal unlocked; the summary was saved without them.")


def export_from_command_line(args: argparse.Namespace, paths: AppPaths) -> int:
    from companion.core.clock import SystemClock
    from companion.core.crypto import Vault
    from companion.core.errors import CompanionError
    from companion.core.exports_record import remember_exports_in_file
    from companion.core.store import Store
    from companion.core.summary import build_summary
    from companion.core.summary_export import (
        default_file_name,
        events_path,
        export_summary,
        normalise_format,
        refuse_unusual_target,
    )
    from companion.core.summary_week import IsoWeek

    clock = SystemClock()
    if not paths.database.exists():
        print(_("There is nothing to summarise yet: start Companion on your work days first."), file=sys.stderr)
        return EXIT_FAILURE
    try:
        week = IsoWeek.parse(args.week, today=clock.now().date())
        fmt = normalise_format(args.format)
        output = Path(args.output).expanduser() if args.output else Path.cwd() / default_file_name(week, fmt)
        refuse_unusual_target(output)
        if args.events and fmt == "csv":
            refuse_unusual_target(events_path(output))
        store = Store.open_read_only(paths.database)  # only the tray app migrates or writes
        try:
            vault = Vault()  # sealed figures stay closed unless the rep asked for highlights and could unlock
            unlock_problem = _unlock_for_highlights(store, vault, clock) if args.highlights else None
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
        print(_(HIGHLIGHTS_LOCKED), unlock_problem or _("Export from the summary window to include them."),
              file=sys.stderr)  # fmt: skip
    for path in written:
        print(_("Saved {path}").format(path=path))
    if not remember_exports_in_file(paths.database, written, clock.now().timestamp()):
        print(_("Companion could not note where this file is, so Erase everything will not remove it; "
                "delete it yourself when you no longer need it."), file=sys.stderr)  # fmt: skip
    return EXIT_OK


def _unlock_for_highlights(store: Store, vault: Vault, clock: Clock) -> str | None:
    """Highlights are the rep's own words: the keyring opens the journal, else a passphrase typed at the terminal.
    Returns why it stayed locked, as a sentence, or None."""
    from companion.core.errors import KeyUnavailable, WrongPassphrase
    from companion.headless import unlock_headless

    try:
        unlock_headless(store, vault, clock)
    except (KeyUnavailable, WrongPassphrase) as error:
        return error.message
    return None


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
