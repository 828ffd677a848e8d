"""An XLSX results sheet to fill in, laid out like the ITAS report (tools, indicators, questions, items)."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from itadesk.criteria import Criteria
from itadesk.spreadsheet import append_row

HEADER = ("code", "score", "ชื่อ (ไม่ต้องแก้ไข)", "เครื่องมือ / ตัวชี้วัด")
_GROUP_FILL = PatternFill("solid", fgColor="DDEBF7")


def template_rows(criteria: Criteria) -> list[tuple[str, str, str, bool]]:
    """(code, name, context, is_group_row) in ITAS order."""
    rows = [("ITA", "คะแนนภาพรวม ITA", "", True)]
    for tool in criteria.tools:
        rows.append((tool.code, tool.name, f"น้ำหนัก {tool.weight:.0%}", True))
        for indicator in criteria.indicators_of_tool(tool.code):
            rows.append((indicator.code, indicator.name or "", tool.code, True))
            for entry in criteria.entries_of_indicator[indicator.number]:
                rows.append((entry.code, entry.label, f"ตัวชี้วัดที่ {indicator.number}", False))
    return rows


def write_results_template(criteria: Criteria, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(results_template_bytes(criteria))
    return path


def results_template_bytes(criteria: Criteria) -> bytes:
    """The sheet to fill in for the year, as XLSX bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"ผลคะแนน {criteria.fiscal_year}"
    append_row(sheet, HEADER)
    append_row(sheet, ("fiscal_year", criteria.fiscal_year, "ปีงบประมาณที่ประเมิน (พ.ศ.)", ""))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for code, name, context, is_group in template_rows(criteria):
        append_row(sheet, (code, None, name, context))
        if is_group:
            for cell in sheet[sheet.max_row]:
                cell.fill = _GROUP_FILL
                cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 80
    sheet.column_dimensions["D"].width = 22
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
