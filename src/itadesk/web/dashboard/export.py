"""The dashboard's rows as an XLSX sheet (openpyxl), every filtered agency, not just one page."""

from __future__ import annotations

import io

from itadesk.spreadsheet import append_write_only_row
from itadesk.web.plans.models import Plan

PLAN_LABEL = {None: "ไม่มี", Plan.DRAFT: "ร่าง", Plan.APPROVED: "อนุมัติแล้ว"}
HEADER = ("หน่วยงาน", "ประเภท", "จังหวัด", "อำเภอ", "ITA", "ระดับ", "เปลี่ยนแปลงจากปีก่อน", "มาตรการปีถัดไป",
          "จำนวนมาตรการ", "แล้วเสร็จ", "เกินกำหนด", "รายงานผลล็อกแล้ว (รอบ เดือน)", "OIT คาดการณ์ (ตรวจล่าสุด)")
def dashboard_xlsx(rows, filters, level_names: dict[str, str], region: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(f"ITA {filters.year}")
    for column, width in zip("ABCDEFGHIJKLM", (42, 18, 16, 18, 9, 20, 12, 14, 10, 10, 10, 14, 14), strict=False):
        sheet.column_dimensions[column].width = width
    append_write_only_row(sheet, [f"ภาพรวมผลการประเมิน ITA ปีงบประมาณ {filters.year}: {region}"])
    shown = [f"{label} {value}" for label, value in (("อำเภอ", filters.district), ("ประเภท", filters.type),
                                                    ("ค้นหา", filters.q)) if value]
    if filters.level:
        shown.append(f"ระดับ {level_names.get(filters.level, 'ยังไม่มีผล')}")
    if filters.behind:
        shown.append("เฉพาะที่ล่าช้า")
    append_write_only_row(sheet, ["ตัวกรอง: " + (", ".join(shown) if shown else "ทั้งหมด")])
    append_write_only_row(sheet, HEADER)
    for a in rows.iterator(chunk_size=2000):
        append_write_only_row(sheet, (
            a.name, a.type, a.province, a.district,
            round(a.ita, 2) if a.ita is not None else None,
            level_names.get(a.level_code or "", "ยังไม่มีผล"),
            round(a.change, 2) if a.change is not None else None,
            PLAN_LABEL.get(a.plan_status, a.plan_status), a.measures, a.done, a.overdue, a.locked_months,
            round(a.predicted_oit, 2) if a.predicted_oit is not None else None,
        ))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
