"""The week in review: a week picker, the charts and numbers, and Export... with a format and the highlights choice.

It shows the same sections and SVG charts as the exported files. Building the summary and remembering the last
folder belong to the caller (companion/features/summary.py); the window asks through the callables it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
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
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from companion.core.charts import HEIGHT, WIDTH, Chart, render_svg_for_screen
from companion.core.summary import IsoWeek, WeeklySummary
from companion.core.summary_export import Section, Table, default_file_name, html_table, report_sections
from companion.ui.keyboard_model import escape_closes
from companion.ui.palette import dark_theme, error_style

SummaryBuilder = Callable[[IsoWeek, bool], WeeklySummary]  # (week, include highlights) -> summary


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
        layout.addWidget(self.buttons)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    @property
    def format(self) -> str:
        return str(self.format_box.currentData())

    @property
    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def show_error(self, message: str) -> None:
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


class SummaryWindow(QWidget):
    """Shows the week; never writes a file. Export is an intent (`export_requested`) that the summary feature carries
    out (features/summary.py `serve_summary_window`); then `exported(paths)` and `folder_used(folder)`."""

    exported = Signal(list)
    folder_used = Signal(str)
    export_requested = Signal(object)  # ExportRequest: the summary feature writes, then export_done/export_failed

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
        self.show_week(self.week)
        if not self.summary.has_any_data:
            self.show_week(self.week.previous())  # early in a week, the finished one is the one to look back on

    def show_week(self, week: IsoWeek) -> None:
        self.week = week
        self.summary = self._build(week, False)
        self.week_label.setText(f"<b>{escape(self.summary.week.span_text())}</b> ({week})")
        self.next_button.setEnabled(week < self._this_week())  # the future has no figures yet
        self.status_label.clear()
        self.scroll.setWidget(self._content(self.summary))

    def chart_views(self) -> list[ChartView]:
        return self.scroll.widget().findChildren(ChartView)

    def _content(self, summary: WeeklySummary) -> QWidget:
        content = QWidget()
        column = QVBoxLayout(content)
        column.setSpacing(8)
        for section in report_sections(summary):
            self._add_section(column, section)
        footer = QLabel(f"<i>{escape(summary.footer)}</i>")
        column.addWidget(footer)
        column.addStretch(1)
        return content

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
        self.export_requested.emit(
            ExportRequest(
                self.week, dialog.highlights_box.isChecked(), dialog.format, dialog.path, dialog.events_box.isChecked()
            )
        )

    def export_done(self, written: list[Path]) -> None:
        dialog = self.export_dialog
        assert dialog is not None
        dialog.accept()
        self.status_label.setText(self.tr("Saved to %1").replace("%1", ", ".join(str(path) for path in written)))
        self.folder_used.emit(str(dialog.path.parent))
        self.exported.emit(written)

    def export_failed(self, message: str) -> None:
        if self.export_dialog is not None:
            self.export_dialog.show_error(message)  # the dialog stays open with the rep's choices

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.export_dialog is not None:
            self.export_dialog.close()
        super().closeEvent(event)


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
