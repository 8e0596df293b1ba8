"""The week in review: a week picker, the charts and numbers, and Export... with a format and the highlights choice.

It shows the same sections and SVG charts as the exported files. Building the summary and remembering the last
folder belong to the caller (companion/features/summary.py); the window asks through the callables it is given.
Building a week and writing an export run on the window's worker (`work`), never on the GUI thread: the window says
"Putting your week together…" meanwhile, and an export that takes over a second shows a calm progress line. Closing
the window cancels both; the feature stops the worker on quit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from companion.core.charts import HEIGHT, WIDTH, Chart, render_svg_for_screen
from companion.core.errors import CompanionError
from companion.core.summary import IsoWeek, WeeklySummary
from companion.core.summary_export import Section, Table, default_file_name, html_table, report_sections
from companion.ui.keyboard_model import escape_closes
from companion.ui.palette import dark_theme, error_style
from companion.ui.worker import BackgroundWork, CancelFlag

log = logging.getLogger(__name__)

SummaryBuilder = Callable[[IsoWeek, bool], WeeklySummary]  # (week, include highlights) -> summary; on a worker
PROGRESS_AFTER_MS = 1000  # an export quicker than this shows no progress at all
SHOW_ANYWAY_MS = 400  # a week that takes longer to build shows "Putting your week together…" meanwhile


@dataclass
class _PreparedWeek:
    """What the worker hands back: the week and its report's sections (pure core, made there)."""

    summary: WeeklySummary
    sections: list[Section]


@dataclass
class _LayingOut:
    """A built week going on screen a section per event-loop turn, into a page not shown until it is whole."""

    prepared: _PreparedWeek
    page: QWidget
    column: QVBoxLayout
    flag: CancelFlag
    next_section: int = 0


class ChartView(QSvgWidget):
    """An SVG chart that keeps its proportions as the window is resized."""

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.load(QByteArray(render_svg_for_screen(chart, dark_theme(self)).encode("utf-8")))
        self.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self.setAccessibleName(chart.title)
        self.setAccessibleDescription(chart.describe())
        self.setToolTip(chart.describe())
        self.setMinimumSize(QSize(WIDTH // 2, HEIGHT // 2))

    def sizeHint(self) -> QSize:
        return QSize(WIDTH, HEIGHT)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(width * HEIGHT / WIDTH)


class ExportDialog(QDialog):
    """Format, highlights and where to save. The window does the saving; an error stays here, in words."""

    def __init__(
        self,
        week: IsoWeek,
        folder: Path,
        journal_unlocked: bool,
        parent: QWidget | None = None,
        include_highlights: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export your week"))
        self._week = week
        self.format_box = QComboBox()
        formats = [("pdf", self.tr("PDF document")), ("html", self.tr("Web page (HTML)")),
                   ("csv", self.tr("Spreadsheet (CSV)")), ("json", self.tr("Data (JSON)")),
                   ("markdown", self.tr("Note (Markdown)"))]  # fmt: skip
        for key, label in formats:
            self.format_box.addItem(label, key)
        self.highlights_box = QCheckBox(self.tr("Include my highlights (wins and gratitude, in my own words)"))
        self.highlights_box.setChecked(include_highlights)  # the rep's standing choice in Settings > Exports
        self.events_box = QCheckBox(self.tr("Also save each event in a second file"))
        self.path_edit = QLineEdit(str(folder / default_file_name(week, "pdf")))
        self.path_edit.setMinimumWidth(380)
        choose = QPushButton(self.tr("Choose..."))
        choose.clicked.connect(self._choose_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(choose)
        self.locked_note = QLabel(self.tr("Your journal is locked, so highlights and ratings will be left out."))
        self.locked_note.setWordWrap(True)
        self.locked_note.setVisible(not journal_unlocked)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(error_style(self.error_label))
        self.error_label.hide()
        self.progress_label = QLabel(self.tr("Saving your week\u2026"))
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)  # how long is not known: a quiet busy bar, no percentage
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(8)
        self.progress_bar.setAccessibleName(self.progress_label.text())
        for widget in (self.progress_label, self.progress_bar):
            widget.hide()
        self.progress_timer = QTimer(self)
        self.progress_timer.setSingleShot(True)
        self.progress_timer.setInterval(PROGRESS_AFTER_MS)
        self.progress_timer.timeout.connect(self._show_progress)
        form = QFormLayout()
        form.addRow(self.tr("Format:"), self.format_box)
        form.addRow("", self.highlights_box)
        form.addRow("", self.events_box)
        form.addRow(self.tr("Save as:"), path_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.locked_note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.buttons)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    @property
    def format(self) -> str:
        return str(self.format_box.currentData())

    @property
    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    @property
    def saving(self) -> bool:
        return not self.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()

    def start_saving(self) -> None:
        """Save pressed: no second Save while this one runs; progress only if it takes over a second."""
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.error_label.hide()
        self.progress_timer.start()

    def stop_saving(self) -> None:
        self.progress_timer.stop()
        for widget in (self.progress_label, self.progress_bar):
            widget.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)

    def _show_progress(self) -> None:
        for widget in (self.progress_label, self.progress_bar):
            widget.show()

    def show_error(self, message: str) -> None:
        self.stop_saving()
        self.error_label.setText(message)
        self.error_label.show()

    def _format_changed(self) -> None:
        self.events_box.setEnabled(self.format == "csv")
        current = self.path
        # Follow the format while the name is still ours; a name the rep typed is theirs to keep.
        if current.name.startswith("companion-week-"):
            self.path_edit.setText(str(current.with_name(default_file_name(self._week, self.format))))

    def _choose_path(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Save your week as"), str(self.path))
        if chosen:
            self.path_edit.setText(chosen)


@dataclass(frozen=True)
class ExportRequest:
    """What the rep chose in the export dialog."""

    week: IsoWeek
    include_highlights: bool
    fmt: str
    path: Path
    events: bool
    cancel: CancelFlag  # set when the rep closes the window or cancels the dialog: nothing is written then


class SummaryWindow(QWidget):
    """Shows the week; never writes a file. Export is an intent (`export_requested`) that the summary feature carries
    out (features/summary.py `serve_summary_window`, on `work`); then `exported(paths)` and `folder_used(folder)`."""

    exported = Signal(list)
    folder_used = Signal(str)
    export_requested = Signal(object)  # ExportRequest: the summary feature writes, then export_done/export_failed
    week_shown = Signal(object)  # IsoWeek: its summary is built and on screen

    def __init__(
        self,
        build: SummaryBuilder,
        this_week: Callable[[], IsoWeek],
        last_folder: Callable[[], Path],
        journal_unlocked: Callable[[], bool],
        parent: QWidget | None = None,
        include_highlights: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Your week in review"))
        self._build = build
        self._this_week = this_week
        self._last_folder = last_folder
        self._journal_unlocked = journal_unlocked
        self._include_highlights = include_highlights
        self.week = this_week()
        self.summary: WeeklySummary | None = None
        self.export_dialog: ExportDialog | None = None
        self.work = BackgroundWork(self)  # builds and exports; the owner stops it on quit (features/summary.py)
        self._building: CancelFlag | None = None  # from asking the worker until the week is on screen
        self._exporting: CancelFlag | None = None
        self._laying_out: _LayingOut | None = None
        # The sections' widgets (rich-text tables are 5 ms each to measure) are made one section per turn, so the
        # week's first paint does not hold up the GUI thread for 50 ms and more (issue 15).
        self._layout_timer = QTimer(self)
        self._layout_timer.setSingleShot(True)
        self._layout_timer.setInterval(0)
        self._layout_timer.timeout.connect(self._lay_out_next)
        self._present_timer = QTimer(self)  # see present()
        self._present_timer.setSingleShot(True)
        self._present_timer.setInterval(SHOW_ANYWAY_MS)
        self._present_timer.timeout.connect(self._present_now)
        self.previous_button = QPushButton(self.tr("< Previous week"))
        self.next_button = QPushButton(self.tr("Next week >"))
        self.this_week_button = QPushButton(self.tr("This week"))
        self.export_button = QPushButton(self.tr("Export..."))
        self.week_label = QLabel()
        self.week_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.week_label.setWordWrap(True)  # the dates wrap onto two lines before Export is pushed off a small screen
        self.previous_button.clicked.connect(lambda: self.show_week(self.week.previous()))
        self.next_button.clicked.connect(lambda: self.show_week(self.week.next()))
        self.this_week_button.clicked.connect(lambda: self.show_week(self._this_week()))
        self.export_button.clicked.connect(self.open_export)
        escape_closes(self)
        picker = QHBoxLayout()
        for widget in (self.previous_button, self.week_label, self.next_button, self.this_week_button):
            picker.addWidget(widget, 1 if widget is self.week_label else 0)
        picker.addSpacing(12)
        picker.addWidget(self.export_button)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addLayout(picker)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.status_label)
        screen = self.screen().availableGeometry()
        self.resize(min(780, screen.width() - 40), min(860, screen.height() - 60))
        self.show_week(self.week, step_back_if_empty=True)  # early in a week, the finished one is the one to look at

    def show_week(self, week: IsoWeek, step_back_if_empty: bool = False) -> None:
        """Say which week, then build it on the worker; a newer choice replaces one still being built."""
        self.week = week
        self.summary = None
        self.week_label.setText(f"<b>{escape(week.span_text())}</b> ({week})")
        self.next_button.setEnabled(week < self._this_week())  # the future has no figures yet
        self.export_button.setEnabled(False)
        self.status_label.clear()
        waiting = QLabel(self.tr("Putting your week together\u2026"))
        waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stop_laying_out()
        self.scroll.setWidget(waiting)
        if self._building is not None:
            self._building.cancel()
        flag = self._building = CancelFlag()
        build = self._build

        def prepare() -> _PreparedWeek:
            summary = build(week, False)
            return _PreparedWeek(summary, report_sections(summary))

        self.work.run(prepare, lambda prepared: self._built(prepared, step_back_if_empty, flag),
                      self._build_failed, cancel=flag)  # fmt: skip

    @property
    def building(self) -> bool:
        return self._building is not None

    def present(self) -> None:
        """Show the window with its week on it (a moment: the worker builds it), not an empty page that fills a
        tenth of a second later; a week that takes longer than SHOW_ANYWAY_MS shows the calm word meanwhile."""
        if self.building and not self.isVisible():
            self._present_timer.start()
        else:
            self._present_now()

    def _present_now(self) -> None:
        self._present_timer.stop()
        self._present_timer.setInterval(SHOW_ANYWAY_MS)
        self.show()
        self.raise_()
        self.activateWindow()

    def _built(self, prepared: _PreparedWeek, step_back_if_empty: bool, flag: CancelFlag) -> None:
        summary = prepared.summary
        if step_back_if_empty and not summary.has_any_data:
            self._building = None
            self.show_week(summary.week.previous())
            return
        page = QWidget()
        column = QVBoxLayout(page)
        column.setSpacing(8)
        self._laying_out = _LayingOut(prepared, page, column, flag)
        self._lay_out_next()

    def _lay_out_next(self) -> None:
        job = self._laying_out
        if job is None or job.flag.cancelled:
            self._stop_laying_out()
            return
        sections = job.prepared.sections
        if job.next_section < len(sections):
            self._add_section(job.column, sections[job.next_section])
            job.next_section += 1
            self._layout_timer.start()
            return
        summary = job.prepared.summary
        job.column.addWidget(QLabel(f"<i>{escape(summary.footer)}</i>"))
        job.column.addStretch(1)
        self._laying_out = None
        self._building = None
        self.summary = summary
        self.export_button.setEnabled(True)
        self.scroll.setWidget(job.page)
        if self._present_timer.isActive():
            self._present_timer.start(0)  # the window's first paint in a turn of its own
        self.week_shown.emit(summary.week)

    def _stop_laying_out(self) -> None:
        """A newer week asked for, or the window closed: the half-made page goes."""
        self._layout_timer.stop()
        if self._laying_out is not None:
            self._laying_out.page.deleteLater()
            self._laying_out = None

    def _build_failed(self, error: BaseException) -> None:
        self._building = None
        self.scroll.setWidget(QWidget())
        self.status_label.setText(_sentence(error, self.tr("Companion could not put this week together.")))
        if self._present_timer.isActive():
            self._present_now()

    def chart_views(self) -> list[ChartView]:
        return self.scroll.widget().findChildren(ChartView)

    def _add_section(self, column: QVBoxLayout, section: Section) -> None:
        heading = QLabel(f"<h3>{escape(section.title)}</h3>")
        heading.setAccessibleName(section.title)
        column.addWidget(heading)
        for text in section.paragraphs:
            paragraph = QLabel(text)
            paragraph.setWordWrap(True)
            paragraph.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            column.addWidget(paragraph)
        if section.chart is not None:
            column.addWidget(ChartView(section.chart))
        for table in section.tables:
            column.addWidget(_table_view(table))

    def open_export(self) -> ExportDialog:
        highlights = self._include_highlights()
        dialog = ExportDialog(self.week, self._last_folder(), self._journal_unlocked(), self, highlights)
        dialog.buttons.accepted.connect(self.export_from_dialog)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def export_from_dialog(self) -> None:
        """The rep pressed Save: ask for the files (the summary feature writes them) and wait for the answer."""
        dialog = self.export_dialog
        assert dialog is not None
        if dialog.saving:
            return
        flag = self._exporting = CancelFlag()
        dialog.rejected.connect(lambda: self._export_cancelled(flag))  # Cancel or Escape while saving
        dialog.start_saving()
        self.export_requested.emit(
            ExportRequest(
                self.week,
                dialog.highlights_box.isChecked(),
                dialog.format,
                dialog.path,
                dialog.events_box.isChecked(),
                flag,
            )
        )

    @property
    def exporting(self) -> bool:
        return self._exporting is not None

    def _export_cancelled(self, flag: CancelFlag) -> None:
        """Nothing is written and nothing comes back; a later export starts afresh."""
        flag.cancel()
        if self._exporting is flag:
            self._exporting = None
            if self.export_dialog is not None:
                self.export_dialog.stop_saving()

    def export_done(self, written: list[Path]) -> None:
        self._exporting = None
        dialog = self.export_dialog
        assert dialog is not None
        dialog.stop_saving()
        dialog.accept()
        self.status_label.setText(self.tr("Saved to %1").replace("%1", ", ".join(str(path) for path in written)))
        self.folder_used.emit(str(dialog.path.parent))
        self.exported.emit(written)

    def export_failed(self, message: str) -> None:
        self._exporting = None
        if self.export_dialog is not None:
            self.export_dialog.show_error(message)  # the dialog stays open with the rep's choices

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing cancels a build or an export still running (its result is dropped, no file is written)."""
        self.work.cancel_all()
        self._stop_laying_out()
        self._present_timer.stop()
        self._building = self._exporting = None
        if self.export_dialog is not None:
            self.export_dialog.stop_saving()
            self.export_dialog.close()
        super().closeEvent(event)


def _sentence(error: BaseException, fallback: str) -> str:
    """A CompanionError already is a sentence; anything else is logged and told as `fallback`."""
    if isinstance(error, CompanionError):
        return error.message
    log.error("summary work failed", exc_info=error)
    return fallback


def _table_view(table: Table) -> QScrollArea:
    """A table scrolls sideways on its own when it is wider than the window (many columns, long words at 200 %),
    so the sentences around it keep wrapping at the window's width instead of running off to the right."""
    label = QLabel(html_table(table, 'border="1" cellspacing="0" cellpadding="4"'))
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    holder = QScrollArea()
    holder.setWidget(label)
    holder.setFrameShape(QScrollArea.Shape.NoFrame)
    holder.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    holder.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    holder.setMinimumWidth(120)
    scrollbar = holder.horizontalScrollBar().sizeHint().height()
    holder.setFixedHeight(label.sizeHint().height() + scrollbar + 2)
    return holder
