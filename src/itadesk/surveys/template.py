"""An answers sheet to fill in from paper forms: sheet 1 has the header row of question codes
(one row per respondent below it), sheet 2 lists every question with its numbered answers."""

from __future__ import annotations

import io

from itadesk.surveys.definition import SurveyDefinition


def answers_template_xlsx(definition: SurveyDefinition, tool: str) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "คำตอบ"
    columns = definition.columns_of(tool)
    sheet.append(["ลำดับ", *(c.key for c in columns)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    guide = book.create_sheet("ข้อคำถาม")
    guide.append(["ข้อ", "คำถาม", "คำตอบ (ใส่ข้อความหรือเลข)", "หมายเหตุ"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in columns:
        options = " / ".join(f"{i} = {o.label}" for i, o in enumerate(column.scale.options, start=1))
        guide.append([column.key, column.text, options, "ข้อกลับทิศ (คะแนนกลับด้าน)" if column.reversed else ""])
    guide.column_dimensions["B"].width = 80
    guide.column_dimensions["C"].width = 60
    for row in guide.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
