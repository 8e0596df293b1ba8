"""The weekly summary as a PDF, drawn with Qt: the same sections as the HTML, the same SVG charts (as vectors),
real text that can be selected and searched, on A4 or Letter as the rep's locale expects.

Needs a QGuiApplication (offscreen is fine); `companion export` creates one headless.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
from PySide6.QtSvg import QSvgRenderer

from companion.core.charts import HEIGHT, WIDTH, render_svg
from companion.core.i18n import _
from companion.core.summary import WeeklySummary, made_text
from companion.core.summary_export import Section, html_table, report_sections

DPI = 300
MARGIN_MM = 16
BODY_POINTS = 10
GAP_POINTS = 8  # space between blocks
FONT_FAMILY = "DejaVu Sans"  # i18n: not for reps (a font name)
_CSS = (
    "h1 { font-size: 17pt; } h2 { font-size: 13pt; } p { margin-top: 0; margin-bottom: 4pt; } "
    "table { border-collapse: collapse; border-color: #8c8c8c; } "
    "th { background-color: #e6e6e6; text-align: left; } th, td { padding: 2pt 5pt; }"
)


def page_size_for(locale: QLocale | None = None) -> QPageSize:
    """Letter where the US measurement system is used (US, Canada's printers, ...), A4 everywhere else."""
    locale = locale or QLocale.system()
    letter = locale.measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)


def render_pdf(summary: WeeklySummary, locale: QLocale | None = None) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(DPI)
    writer.setTitle(summary.title)
    writer.setCreator("Companion")
    writer.setPageLayout(
        QPageLayout(page_size_for(locale), QPageLayout.Orientation.Portrait, QMarginsF(*[MARGIN_MM] * 4),
                    QPageLayout.Unit.Millimeter)
    )  # fmt: skip
    painter = QPainter(writer)
    try:
        _Pages(writer, painter, summary).draw(report_sections(summary))
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data().data())


def _font(points: float) -> QFont:
    font = QFont(FONT_FAMILY, round(points))
    # No ligatures: "offered" must stay o-f-f in the PDF's text, or searching and copying it fails.
    for feature in ("liga", "clig"):
        font.setFeature(QFont.Tag(feature), 0)
    return font


class _Pages:
    """Lays blocks down the page, starting a new page when the next block would not fit."""

    def __init__(self, writer: QPdfWriter, painter: QPainter, summary: WeeklySummary) -> None:
        self.writer = writer
        self.painter = painter
        self.summary = summary
        self.area = QRectF(writer.pageLayout().paintRectPixels(DPI))
        self.area.moveTo(0, 0)
        self.footer_height = self._document(f"<p>{escape(summary.footer)}</p>", 8).size().height()
        self.bottom = self.area.bottom() - self.footer_height - self._points(GAP_POINTS)
        self.y = 0.0
        self.page = 1

    def _points(self, points: float) -> float:
        return points * DPI / 72

    def _document(self, html: str, points: float = BODY_POINTS) -> QTextDocument:
        document = QTextDocument()
        document.documentLayout().setPaintDevice(self.writer)
        document.setDefaultFont(_font(points))
        document.setDefaultStyleSheet(_CSS)
        document.setDocumentMargin(0)
        document.setTextWidth(self.area.width())
        document.setHtml(html)
        return document

    def draw(self, sections: list[Section]) -> None:
        self._text(f"<h1>{escape(self.summary.title)}</h1><p>{escape(made_text(self.summary.made_at))}</p>")
        for section in sections:
            heading = f"<h2>{escape(section.title)}</h2>"
            paragraphs = "".join(f"<p>{escape(text)}</p>" for text in section.paragraphs)
            self._text(heading + paragraphs, keep_with_next=self._chart_height() if section.chart else 0)
            if section.chart is not None:
                self._chart(render_svg(section.chart))
            for table in section.tables:
                self._text(html_table(table, 'border="1" cellspacing="0" cellpadding="3" width="100%"'))
        self._footer()

    def _chart_height(self) -> float:
        return self.area.width() * HEIGHT / WIDTH

    def _fit(self, height: float) -> None:
        if self.y > 0 and self.y + height > self.bottom:
            self._footer()
            self.writer.newPage()
            self.page += 1
            self.y = 0.0

    def _text(self, html: str, keep_with_next: float = 0) -> None:
        document = self._document(html)
        height = document.size().height()
        self._fit(height + keep_with_next)
        self.painter.save()
        self.painter.translate(0, self.y)
        document.drawContents(self.painter)
        self.painter.restore()
        self.y += height + self._points(GAP_POINTS)

    def _chart(self, svg: str) -> None:
        height = self._chart_height()
        self._fit(height)
        renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
        renderer.render(self.painter, QRectF(0, self.y, self.area.width(), height))
        self.y += height + self._points(GAP_POINTS)

    def _footer(self) -> None:
        page = _("Page {page}.").format(page=self.page)
        document = self._document(f"<p>{escape(self.summary.footer)} {escape(page)}</p>", 8)
        self.painter.save()
        self.painter.translate(0, self.area.bottom() - self.footer_height)
        document.drawContents(self.painter)
        self.painter.restore()


def page_size_points(locale: QLocale | None = None) -> QSizeF:
    return page_size_for(locale).size(QPageSize.Unit.Point)
