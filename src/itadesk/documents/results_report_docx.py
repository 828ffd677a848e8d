"""DOCX rendering of a ResultsReportDocument (memo, summary, results table, signatures).

Everything about fonts, tables, the memo and signatures comes from ``docx_parts.py`` (shared with the
measures plan), so both documents look and behave alike in Word and
LibreOffice: TH SarabunPSK as the complex-script font on every run, widths on ``w:gridCol`` and
every ``w:tcW``, a header row repeated on every page.
"""

from __future__ import annotations

import io
from copy import deepcopy

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from itadesk.documents.docx_parts import (
    LANDSCAPE_TEXT_WIDTH_CM,
    REPORT_HEADING_PT,
    TABLE_PT,
    TEXT_WIDTH_CM,
    add_body_paragraph,
    add_closing_signatures,
    add_heading,
    add_memo,
    add_page_numbers,
    add_paragraph,
    add_rows,
    add_run,
    new_table,
    ppr_template,
    prepare_styles,
    scaled,
    setup_page,
    start_landscape_section,
    write_cell,
    write_numbered_steps,
)
from itadesk.documents.model import ReportRow, ResultsReportDocument
from itadesk.thai import digits

EMPTY = "-"
THEME_FILL = "F2F2F2"

RESULT_COLUMNS = [
    ("มาตรการ", 3.4),
    ("ขั้นตอน/วิธีปฏิบัติ", 4.4),
    ("ผู้รับผิดชอบ", 2.6),
    ("ระยะเวลา", 2.2),
    ("สถานะ", 2.0),
    ("ผลการดำเนินการ", 4.4),
    ("ผลผลิต/ผลลัพธ์", 3.6),
    ("ปัญหาอุปสรรค/ข้อเสนอแนะ", 2.6),
]
COUNT_COLUMNS = [("สถานะการดำเนินการ", 8.5), ("จำนวน (มาตรการ)", 4.0), ("ร้อยละของมาตรการทั้งหมด", 4.0)]


def _labelled_parts(tc, parts: list[tuple[str, str]]) -> None:
    """Paragraphs 'label: text' (label bold) in a cell, skipping empty ones; '-' when none."""
    shown = [(label, text) for label, text in parts if text and text != EMPTY]
    if not shown:
        write_cell(tc, EMPTY, align=WD_ALIGN_PARAGRAPH.CENTER)
        return
    for index, (label, text) in enumerate(shown):
        p = tc.p_lst[0] if index == 0 else tc.add_p()
        if label:
            add_run(p, f"{label}: ", TABLE_PT, bold=True)
        add_run(p, text, TABLE_PT)


def _write_theme_row(tcs: list, title: str, width_cm: float) -> None:
    """One cell across the whole table (grey, bold), kept with the first measure below it."""
    first = tcs[0]
    for tc in tcs[1:]:
        first.getparent().remove(tc)
    first.width = Cm(width_cm)
    span = OxmlElement("w:gridSpan")  # right after w:tcW, as the schema orders them
    span.set(qn("w:val"), str(len(tcs)))
    first.tcPr.find(qn("w:tcW")).addnext(span)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), THEME_FILL)
    first.tcPr.append(shd)
    p = first.p_lst[0]
    pPr = deepcopy(ppr_template(None, None))
    pPr.append(OxmlElement("w:keepNext"))
    p.insert(0, pPr)
    add_run(p, title, TABLE_PT, bold=True)
    first.getparent().get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _write_result_row(tcs: list, row: ReportRow, thai_digits: bool) -> None:
    name, steps, responsible, period, status, done, results, problems = tcs
    centre = WD_ALIGN_PARAGRAPH.CENTER
    write_cell(name, row.name)
    write_numbered_steps(steps, row.steps, thai_digits)
    write_cell(responsible, row.responsible)
    write_cell(period, row.period, align=centre)
    write_cell(status, row.status_label, bold=True, align=centre)
    _labelled_parts(done, [("", row.done)] + [("หลักฐาน", link) for link in row.evidence]
                    + [("ไฟล์หลักฐาน", name) for name in row.files])
    _labelled_parts(results, [("ผลผลิต", row.output), ("ผลลัพธ์", row.outcome)])
    _labelled_parts(problems, [("ปัญหาอุปสรรค", row.problems), ("ข้อเสนอแนะ", row.suggestions)])


def _add_results_table(document, doc: ResultsReportDocument, width_cm: float) -> None:
    widths = scaled(RESULT_COLUMNS, width_cm)
    table = new_table(document, [h for h, _ in RESULT_COLUMNS], widths)
    flags, previous = [], None
    for row in doc.rows:   # a theme's title row keeps itself whole (_write_theme_row)
        flags += ([False] if row.theme != previous else []) + [row.keeps_whole()]
        previous = row.theme
    cells = iter(add_rows(table, len(flags), keep_whole=flags))
    previous = None
    for row in doc.rows:
        if row.theme != previous:
            _write_theme_row(next(cells), row.theme, width_cm)
            previous = row.theme
        _write_result_row(next(cells), row, doc.thai_digits)


def _add_summary(document, doc: ResultsReportDocument) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for index, line in enumerate(doc.heading):
        paragraph = add_paragraph(document, line, size_pt=REPORT_HEADING_PT, bold=True, align=centre)
        if index == 0 and doc.memo is not None:
            paragraph.paragraph_format.page_break_before = True
    add_paragraph(document, f"{doc.agency_name} {doc.agency_place}", size_pt=REPORT_HEADING_PT,
                   bold=True, align=centre, space_after_pt=6)
    add_heading(document, doc.summary_title)
    for text in doc.summary_text:
        add_body_paragraph(document, text)
    add_paragraph(document, space_before_pt=6)
    table = new_table(document, [h for h, _ in COUNT_COLUMNS], scaled(COUNT_COLUMNS, TEXT_WIDTH_CM))
    rows = add_rows(table, len(doc.counts) + 1, keep_whole=True)
    for (label, count, percent), status_row in zip(rows, doc.counts, strict=False):
        write_cell(label, status_row.label)
        write_cell(count, status_row.count, align=centre)
        write_cell(percent, status_row.percent, align=centre)
    label, count, percent = rows[-1]
    write_cell(label, "รวม", bold=True)
    write_cell(count, doc.total, bold=True, align=centre)
    write_cell(percent, digits("100.00", doc.thai_digits), bold=True, align=centre)

    if doc.theme_counts:
        add_paragraph(document, "จำนวนมาตรการจำแนกตามประเด็นและสถานะการดำเนินการ", bold=True,
                       space_before_pt=10, keep_with_next=True)
        columns = [("ประเด็น", 7.3)] + [(line.label, 2.0) for line in doc.counts] + [("รวม", 1.2)]
        table = new_table(document, [h for h, _ in columns], scaled(columns, TEXT_WIDTH_CM))
        rows = add_rows(table, len(doc.theme_counts), keep_whole=True)
        for tcs, theme_row in zip(rows, doc.theme_counts, strict=True):
            write_cell(tcs[0], theme_row.theme)
            for tc, value in zip(tcs[1:], [*theme_row.counts, theme_row.total], strict=True):
                write_cell(tc, value, align=centre)


def render_results_report_docx(doc: ResultsReportDocument) -> bytes:
    """The whole report as DOCX bytes: memo, summary (portrait), results table and signatures
    (landscape)."""
    document = Document()
    prepare_styles(document)
    setup_page(document.sections[0])
    if doc.memo is not None:
        add_memo(document, doc.memo)
    _add_summary(document, doc)
    start_landscape_section(document)
    add_heading(document, doc.results_title)
    _add_results_table(document, doc, LANDSCAPE_TEXT_WIDTH_CM)
    add_closing_signatures(document, doc.signatures, LANDSCAPE_TEXT_WIDTH_CM,
                           min(3, len(doc.signatures) or 1))
    add_page_numbers(document, doc.thai_digits)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
