"""The report as documents a person reads: one self-contained HTML page (inline SVG charts) and Markdown."""

from __future__ import annotations

from html import escape

from companion.core import i18n
from companion.core.charts import render_svg
from companion.core.summary import WeeklySummary, made_text
from companion.core.summary_report import Table, report_sections

# --- HTML ---------------------------------------------------------------------------------------------------------

_CSS = """
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #1a1a1a; background: #fff; margin: 0 auto;
       max-width: 760px; padding: 24px; line-height: 1.45; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #999; padding-bottom: 0.2em; }
.chart svg { max-width: 100%; height: auto; }
.chart, table { break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #999; padding: 3px 8px; text-align: left; }
th { background: #eee; }
footer { margin-top: 2em; font-size: 0.85em; color: #333; border-top: 1px solid #999; padding-top: 0.5em; }
@page { margin: 16mm; }
@media print { body { padding: 0; max-width: none; } }
""".strip()


def to_html(summary: WeeklySummary) -> str:
    """One self-contained page: inline styles and SVG charts, no scripts, nothing fetched from anywhere."""
    body = [f"<h1>{escape(summary.title)}</h1>", f"<p>{made_text(summary.made_at)}</p>"]
    for section in report_sections(summary):
        body.append(f'<section id="{section.key}"><h2>{escape(section.title)}</h2>')
        body.extend(f"<p>{escape(paragraph)}</p>" for paragraph in section.paragraphs)
        if section.chart is not None:
            body.append(f'<figure class="chart">{render_svg(section.chart)}</figure>')
        body.extend(html_table(table) for table in section.tables)
        body.append("</section>")
    body.append(f"<footer>{escape(summary.footer)}</footer>")
    return (
        f'<!DOCTYPE html>\n<html lang="{html_language()}"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{escape(summary.title)}</title><style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def html_language() -> str:
    """The page's lang attribute (BCP 47: pt-BR), so screen readers speak it in the rep's language."""
    return i18n.current_language().replace("_", "-")


def html_table(table: Table, attributes: str = "") -> str:
    """A table as HTML; Qt's rich text (PDF, window) takes `attributes` such as border="1" where CSS cannot reach."""
    head = "".join(f'<th scope="col" align="left">{escape(cell)}</th>' for cell in table.headers)
    rows = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in table.rows)
    opening = f"<table {attributes}>" if attributes else "<table>"
    return f"{opening}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


# --- Markdown -----------------------------------------------------------------------------------------------------


def to_markdown(summary: WeeklySummary) -> str:
    lines = [f"# {summary.title}", "", made_text(summary.made_at), ""]
    for section in report_sections(summary):
        lines += [f"## {section.title}", ""]
        for paragraph in section.paragraphs:
            lines += [_md_escape(paragraph), ""]
        for table in section.tables:
            lines.append("| " + " | ".join(table.headers) + " |")
            lines.append("|" + "---|" * len(table.headers))
            lines += [
                "| " + " | ".join(_md_escape(cell).replace("|", "\\|") for cell in row) + " |" for row in table.rows
            ]
            lines.append("")
    lines += ["---", "", f"*{summary.footer}*", ""]
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    """The rep's own words stay words: no accidental headings, lists, links or emphasis in their note app."""
    for char in "\\`*_[]<>#":
        text = text.replace(char, "\\" + char)
    return text
