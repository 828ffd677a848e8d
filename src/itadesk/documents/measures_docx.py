"""DOCX rendering of a MeasuresDocument (memo, cover, analysis, measures, signatures), built
from ``docx_parts.py`` so it looks like the other documents."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from itadesk.documents.docx_parts import (
    COVER_AGENCY_PT,
    COVER_TITLE_PT,
    LANDSCAPE_TEXT_WIDTH_CM,
    REPORT_HEADING_PT,
    TEXT_WIDTH_CM,
    add_body_paragraph,
    add_closing_signatures,
    add_heading,
    add_memo,
    add_page_numbers,
    add_paragraph,
    add_picture,
    add_rows,
    merge_repeats,
    new_table,
    prepare_styles,
    scaled,
    setup_page,
    start_landscape_section,
    write_cell,
    write_numbered_steps,
)
from itadesk.documents.model import MeasureRow, MeasuresDocument, QuestionRow, ThemeSection
from itadesk.status import CLASSIFICATION_LABEL

TOOLS_CHART_WIDTH_CM = 12.0
INDICATORS_CHART_WIDTH_CM = 15.5

# Column widths (cm) of the tables; proportions are kept when a table is given another width.
INDICATOR_COLUMNS = [("เครื่องมือ", 2.4), ("ตัวชี้วัดที่", 2.2), ("ตัวชี้วัด", 9.1), ("คะแนน", 2.8)]
SCORE_COLUMNS = [("เครื่องมือ", 2.3), ("ข้อคำถาม/ข้อมูล", 9.0), ("คะแนน", 2.2),
                 ("ผลการวิเคราะห์", 3.0)]
CHANGE_COLUMN = ("เปลี่ยนแปลง", 2.2)
MEASURE_COLUMNS = [
    ("ประเด็น", 4.2),
    ("มาตรการ/โครงการ/กิจกรรม", 4.6),
    ("ขั้นตอน/วิธีปฏิบัติ", 6.9),
    ("ผู้รับผิดชอบ", 3.2),
    ("ระยะเวลาดำเนินการ", 2.9),
    ("การติดตามประเมินผล", 3.4),
]


def _add_cover(document, doc: MeasuresDocument, *, page_break: bool) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for index, line in enumerate(doc.cover_title):
        paragraph = add_paragraph(document, line, size_pt=COVER_TITLE_PT, bold=True,
                                   align=centre, space_before_pt=150 if index == 0 else None)
        if index == 0 and page_break:
            paragraph.paragraph_format.page_break_before = True
    add_paragraph(document, doc.agency_name, size_pt=COVER_AGENCY_PT, bold=True, align=centre,
                   space_before_pt=200)
    add_paragraph(document, doc.agency_place, size_pt=COVER_AGENCY_PT, bold=True, align=centre)


def _add_report_heading(document, doc: MeasuresDocument) -> None:
    for index, line in enumerate(doc.heading):
        paragraph = add_paragraph(document, line, size_pt=REPORT_HEADING_PT, bold=True,
                                   align=WD_ALIGN_PARAGRAPH.CENTER)
        if index == 0:
            paragraph.paragraph_format.page_break_before = True
    add_paragraph(document, f"{doc.agency_name} {doc.agency_place}", size_pt=REPORT_HEADING_PT,
                   bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after_pt=6)
    if doc.summary:
        add_heading(document, "บทสรุปผู้บริหาร")
        for text in doc.summary:
            add_body_paragraph(document, text)


def _add_indicator_narrative(document, doc: MeasuresDocument) -> None:
    """One paragraph per indicator, between the executive summary and section ๑ (as in the PDF)."""
    if doc.narrative:
        add_heading(document, doc.titles.narrative)
        for text in doc.narrative:
            add_body_paragraph(document, text)


def _add_overall_section(document, doc: MeasuresDocument, charts: tuple[bytes, bytes]) -> None:
    add_heading(document, doc.titles.overall)
    add_body_paragraph(document, doc.overall_text)
    tools_png, indicators_png = charts
    add_picture(document, tools_png, TOOLS_CHART_WIDTH_CM, doc.titles.figure_tools)
    add_picture(document, indicators_png, INDICATORS_CHART_WIDTH_CM, doc.titles.figure_indicators)


def _add_indicator_section(document, doc: MeasuresDocument) -> None:
    add_heading(document, doc.titles.indicators)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    table = new_table(document, [h for h, _ in INDICATOR_COLUMNS],
                       scaled(INDICATOR_COLUMNS, TEXT_WIDTH_CM))
    rows = add_rows(table, len(doc.indicators), keep_whole=True)
    for (tool, number, name, score), bar in zip(rows, doc.indicators, strict=False):
        write_cell(tool, bar.group, align=centre)
        write_cell(number, bar.short_label, align=centre)
        write_cell(name, bar.name)
        write_cell(score, bar.text, align=centre)
    merge_repeats([row[0] for row in rows], [bar.group for bar in doc.indicators])
    if doc.notes:
        add_paragraph(document, "หมายเหตุ", bold=True, space_before_pt=6)
        for note in doc.notes:
            add_body_paragraph(document, note)


def _add_theme_analysis(document, theme: ThemeSection) -> None:
    add_heading(document, f"ประเด็นที่ {theme.number} {theme.name}", level=2)
    if theme.overview:
        add_body_paragraph(document, theme.overview)
    with_change = any(row.change for row in theme.rows)
    columns = SCORE_COLUMNS + ([CHANGE_COLUMN] if with_change else [])
    table = new_table(document, [h for h, _ in columns], scaled(columns, TEXT_WIDTH_CM))
    rows = add_rows(table, len(theme.rows), keep_whole=True)
    for cells, question in zip(rows, theme.rows, strict=False):
        _write_question_row(cells, question, with_change)
    merge_repeats([row[0] for row in rows], [q.tool for q in theme.rows])
    for label, paragraphs in (("ข้อที่ต้องพัฒนา", theme.improve), ("รักษาระดับ", theme.keep)):
        if paragraphs:
            add_paragraph(document, label, bold=True, space_before_pt=6, keep_with_next=True)
            for text in paragraphs:
                add_body_paragraph(document, text)


def _write_question_row(cells: list, question: QuestionRow, with_change: bool) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    write_cell(cells[0], question.tool, align=centre)
    write_cell(cells[1], f"{question.code} {question.text}")
    write_cell(cells[2], question.score, align=centre)
    write_cell(cells[3], CLASSIFICATION_LABEL.get(question.status, question.status), align=centre)
    if with_change:
        write_cell(cells[4], question.change, align=centre)


def _add_measures_table(document, measures: list[MeasureRow], width_cm: float,
                        thai_digits: bool) -> None:
    table = new_table(document, [h for h, _ in MEASURE_COLUMNS],
                       scaled(MEASURE_COLUMNS, width_cm))
    rows = add_rows(table, len(measures), keep_whole=[m.keeps_whole() for m in measures])
    for (issue, name, steps, responsible, period, monitoring), measure in zip(rows, measures, strict=False):
        write_cell(issue, measure.issue)
        write_cell(name, measure.name)
        write_numbered_steps(steps, measure.steps, thai_digits)
        write_cell(responsible, measure.responsible)
        write_cell(period, measure.period, align=WD_ALIGN_PARAGRAPH.CENTER)
        write_cell(monitoring, measure.monitoring)
    merge_repeats([row[0] for row in rows], [m.issue for m in measures])


def _add_measures_section(document, doc: MeasuresDocument) -> None:
    """Section ๔ on landscape pages: one measures table per theme."""
    start_landscape_section(document)
    add_heading(document, doc.titles.measures)
    for theme in doc.themes:
        if theme.measures:
            add_heading(document, f"ประเด็นที่ {theme.number} {theme.name}", level=2)
            _add_measures_table(document, theme.measures, LANDSCAPE_TEXT_WIDTH_CM,
                                doc.thai_digits)


def _make_charts(doc: MeasuresDocument) -> tuple[bytes, bytes]:
    from itadesk.documents.charts import indicators_chart_png, tools_chart_png

    return (tools_chart_png(doc.ita, doc.tools, doc.thai_digits, doc.pass_mark),
            indicators_chart_png(doc.indicators, doc.thai_digits, doc.pass_mark))


# --------------------------------------------------------------------------- entry point


def render_measures_docx(doc: MeasuresDocument, *, charts: tuple[bytes, bytes] | None = None,
                         landscape_measures: bool = True) -> bytes:
    """The whole document as DOCX bytes.

    ``charts`` (tools PNG, indicators PNG) may be passed in when they were already made,
    e.g. for the PDF of the same document. With ``landscape_measures`` the measures tables
    are gathered in a landscape section ๔; otherwise each follows its theme's analysis.
    """
    document = Document()
    prepare_styles(document)
    setup_page(document.sections[0])
    # python-docx's template starts with no paragraphs; the first part goes on page 1.
    if doc.memo is not None:
        add_memo(document, doc.memo)
    _add_cover(document, doc, page_break=doc.memo is not None)
    _add_report_heading(document, doc)
    _add_indicator_narrative(document, doc)
    _add_overall_section(document, doc, charts or _make_charts(doc))
    _add_indicator_section(document, doc)
    add_heading(document, doc.titles.themes)
    for theme in doc.themes:
        _add_theme_analysis(document, theme)
        if not landscape_measures and theme.measures:
            add_paragraph(document, "มาตรการ/โครงการ/กิจกรรม", bold=True, space_before_pt=6,
                           keep_with_next=True)
            _add_measures_table(document, theme.measures, TEXT_WIDTH_CM, doc.thai_digits)
    if landscape_measures and any(theme.measures for theme in doc.themes):
        _add_measures_section(document, doc)
        width = LANDSCAPE_TEXT_WIDTH_CM
    else:
        width = TEXT_WIDTH_CM
    # two to a row, a lone last one centred, as in the PDF
    add_closing_signatures(document, doc.signatures, width, min(2, len(doc.signatures) or 1))
    add_page_numbers(document, doc.thai_digits)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
