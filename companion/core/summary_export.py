"""The weekly summary as files: PDF, HTML, CSV, JSON and Markdown, written privately and atomically.

Each format is made elsewhere: the report's sections in core/summary_report.py, HTML and Markdown in
core/summary_documents.py, JSON and CSV in core/summary_data.py, the PDF on the Qt side (companion/ui/pdf_export.py).
Files are written to a private temporary file and renamed, so a failed export leaves nothing half-written behind.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

from companion.core.errors import ExportError
from companion.core.i18n import _
from companion.core.paths import unusual_target, write_private_atomically
from companion.core.summary import WeeklySummary
from companion.core.summary_data import events_csv, to_csv, to_json
from companion.core.summary_documents import html_table as html_table  # re-exported for the windows, see below
from companion.core.summary_documents import to_html, to_markdown
from companion.core.summary_report import Section as Section  # re-exported
from companion.core.summary_report import Table as Table  # re-exported
from companion.core.summary_report import report_sections as report_sections  # re-exported
from companion.core.summary_week import IsoWeek

# html_table, Section, Table and report_sections are re-exported (`as` above) because ui/summary_window.py and
# ui/pdf_export.py import them from here; new code imports them from core/summary_report.py and summary_documents.py.

FORMATS = {"pdf": "pdf", "html": "html", "csv": "csv", "json": "json", "markdown": "md"}
FORMAT_ALIASES = {"md": "markdown", "htm": "html"}

PdfRenderer = Callable[[WeeklySummary], bytes]


def normalise_format(name: str) -> str:
    cleaned = FORMAT_ALIASES.get(name.strip().lower(), name.strip().lower())
    if cleaned not in FORMATS:
        raise ExportError(
            _("Companion cannot export '{name}'; choose one of pdf, html, csv, json or markdown.").format(name=name)
        )
    return cleaned


def default_file_name(week: IsoWeek, fmt: str) -> str:
    return f"companion-week-{week}.{FORMATS[normalise_format(fmt)]}"  # i18n: not for reps (a file name)


def events_path(path: Path) -> Path:
    """Where the events CSV goes: beside the main CSV, `-events` added to its name."""
    return path.with_name(f"{path.stem}-events{path.suffix or '.csv'}")


def render(summary: WeeklySummary, fmt: str, pdf: PdfRenderer | None = None) -> bytes:
    fmt = normalise_format(fmt)
    if fmt == "pdf":
        if pdf is None:
            raise ExportError(_("PDF export needs Companion's display parts, which are not available here."))
        return pdf(summary)
    text = {"html": to_html, "json": to_json, "markdown": to_markdown}.get(fmt)
    return (text(summary) if text else to_csv([summary])).encode("utf-8")


def export_summary(
    summary: WeeklySummary,
    fmt: str,
    path: Path,
    *,
    events: bool = False,
    pdf: PdfRenderer | None = None,
    before_write: Callable[[], None] = lambda: None,
) -> list[Path]:
    """Write the summary as `fmt` to `path` (and the events CSV beside it if asked); the files written.

    `before_write` runs once everything is rendered and nothing is written yet: an export on a worker raises there
    when the rep closed the window meanwhile, so a cancelled export leaves no file."""
    fmt = normalise_format(fmt)
    data = render(summary, fmt, pdf)
    events_data = events_csv([summary]).encode("utf-8") if events and fmt == "csv" else None
    before_write()
    written = [save_export(path, data)]
    if events_data is not None:
        written.append(save_export(events_path(path), events_data))
    return written


def save_export(path: Path, data: bytes) -> Path:
    """Write atomically; a failure becomes an ExportError with a sentence, and no partial file is left."""
    refuse_unusual_target(path)
    try:
        write_private_atomically(path, data)
    except OSError as error:
        raise ExportError(_explain_write_error(path, error)) from error
    return path


def refuse_unusual_target(path: Path) -> None:
    """Only regular files are written: a link, pipe, device or folder at `path` is refused with a sentence."""
    found = unusual_target(path)
    if found is not None:
        raise ExportError(
            _(
                "{path} is {found}, not an ordinary file, so Companion did not write there. Choose a new file name."
            ).format(path=path, found=found)
        )


def _explain_write_error(path: Path, error: OSError) -> str:
    name, parent = path.name, path.parent
    if error.errno in {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}:
        return _(
            "There is not enough room to save {name} in {parent}. Free some space or choose another place."
        ).format(name=name, parent=parent)
    if error.errno in {errno.EACCES, errno.EPERM, errno.EROFS}:
        return _("Companion is not allowed to save in {parent}. Choose another folder, such as your Documents.").format(
            parent=parent
        )
    if error.errno in {errno.ENOENT, errno.ENOTDIR}:
        return _("The folder {parent} does not exist. Choose another place to save {name}.").format(
            name=name, parent=parent
        )
    if error.errno == errno.EISDIR:
        return _("{path} is a folder. Choose a file name to save the summary as.").format(path=path)
    return _("Companion could not save {name} in {parent} ({reason}).").format(
        name=name, parent=parent, reason=error.strerror or error
    )
