"""DOCX of a ProvinceSummaryDocument, built from docx_parts.py (fonts, memo,
tables with widths on every cell and a repeated header row), so it looks like the other documents."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from itadesk.documents.docx_parts import (
    REPORT_HEADING_PT,
    TEXT_WIDTH_CM,
    add_body_paragraph,
    add_closing_signatures,
    add_heading,
    add_memo,
    add_paragraph,
    add_rows,
    new_table,
    prepare_styles,
    scaled,
    setup_page,
    write_cell,
    write_numbered_steps,
)
from itadesk.documents.province import ProvinceSummaryDocument
from itadesk.thai import digits

LEVEL_COLUMNS = [("ระดับผลการประเมิน", 8.5), ("จำนวน (แห่ง)", 4.0), ("ร้อยละ", 4.0)]
BELOW_COLUMNS = [("ที่", 1.2), ("หน่วยงาน", 6.0), ("อำเภอ", 3.0), ("ประเภท", 2.6), ("ITA", 1.6), ("ระดับ", 2.6)]
WEAK_COLUMNS = [("ข้อ", 1.4), ("ข้อคำถาม/ข้อมูล", 9.1), ("เร่งด่วน", 2.0), ("ต้องพัฒนา", 2.0), ("มีคะแนน", 2.0)]


def _table(document, columns, rows, align_from: int = 99) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    table = new_table(document, [h for h, _ in columns], scaled(columns, TEXT_WIDTH_CM))
    for cells, values in zip(add_rows(table, len(rows)), rows, strict=False):
        for i, (tc, value) in enumerate(zip(cells, values, strict=False)):
            write_cell(tc, value, align=centre if i >= align_from else None)


def render_province_docx(doc: ProvinceSummaryDocument) -> bytes:
    document = Document()
    prepare_styles(document)
    setup_page(document.sections[0])
    add_memo(document, doc.memo)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    first = add_paragraph(document, doc.title, size_pt=REPORT_HEADING_PT, bold=True, align=centre)
    first.paragraph_format.page_break_before = True
    add_paragraph(document, doc.region_line, size_pt=REPORT_HEADING_PT, bold=True, align=centre, space_after_pt=6)
    add_heading(document, f"{digits(1, doc.thai_digits)}. ผลการประเมินโดยรวม")
    for text in doc.overview:
        add_body_paragraph(document, text)
    _table(document, LEVEL_COLUMNS, [*doc.level_rows, doc.total_row], align_from=1)
    add_heading(document, doc.below_title)
    if doc.below_rows:
        _table(document, BELOW_COLUMNS, doc.below_rows, align_from=4)
        if doc.below_note:
            add_paragraph(document, doc.below_note)
    else:
        add_paragraph(document, "ไม่มี")
    add_heading(document, doc.weakness_title)
    add_paragraph(document, doc.weakness_note)
    if doc.weakness_rows:
        _table(document, WEAK_COLUMNS, doc.weakness_rows, align_from=2)
    add_heading(document, doc.measures_title)
    if not doc.measures:
        add_paragraph(document, "ยังไม่มีข้อเสนอ (ไม่มีจุดอ่อนร่วมที่มีคะแนนรายข้อ)")
    for m in doc.measures:
        add_paragraph(document, m.name, bold=True, space_before_pt=6, keep_with_next=True)
        add_paragraph(document, f"ตอบข้อ {m.answers}", keep_with_next=True)
        table = new_table(document, ["ขั้นตอน/วิธีปฏิบัติ"], [TEXT_WIDTH_CM])
        write_numbered_steps(add_rows(table, 1)[0][0], m.steps, doc.thai_digits)
    add_closing_signatures(document, doc.memo.signers, TEXT_WIDTH_CM, 1)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
