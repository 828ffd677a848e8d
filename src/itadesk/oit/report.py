"""XLSX report of an OIT self-check: a summary sheet, the fix-first list and one row per URL."""

from __future__ import annotations

from pathlib import Path

from itadesk.oit.checker import CheckRun
from itadesk.oit.verdict import OitPrediction
from itadesk.spreadsheet import append_row


def write_report_xlsx(run: CheckRun, prediction: OitPrediction, path: str | Path) -> Path:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    bold = Font(bold=True)

    summary = book.active
    summary.title = "สรุป"
    append_row(summary, ["หน่วยงาน", run.agency])
    append_row(summary, ["เว็บไซต์หลัก", run.website])
    append_row(summary, ["ปีงบประมาณของหลักฐาน", run.fiscal_year])
    append_row(summary, ["เกณฑ์ปี", run.criteria_year])
    append_row(summary, ["ตรวจเมื่อ", run.finished_at])
    for number, value in prediction.indicators.items():
        append_row(summary, [f"ตัวชี้วัดที่ {number} (คาดการณ์)", round(value, 2)])
    append_row(summary, ["OIT (คาดการณ์)", round(prediction.oit, 2)])
    append_row(summary, ["สมมติฐาน", "ผ่าน = 100, ไม่แน่ใจ = 50, ไม่ผ่าน = 0"])
    append_row(summary, [])
    append_row(summary, ["ข้อ", "ชื่อข้อ", "ผล", "คะแนน", "คะแนน ITA ที่ได้เพิ่มถ้าแก้", "เหตุผล", "หมายเหตุ"])
    for cell in summary[summary.max_row]:
        cell.font = bold
    for item in prediction.items:
        append_row(summary, [item.code, item.name, item.verdict_th, item.score, round(item.gain, 3),
                        "\n".join(item.reasons), "\n".join(item.notes)])

    fix = book.create_sheet("แก้ก่อน")
    append_row(fix, ["ลำดับ", "ข้อ", "ชื่อข้อ", "ผล", "คะแนน ITA ที่ได้เพิ่ม", "สิ่งที่ต้องแก้"])
    for n, item in enumerate(prediction.fix_first, start=1):
        append_row(fix, [n, item.code, item.name, item.verdict_th, round(item.gain, 3), "\n".join(item.reasons)])

    links = book.create_sheet("ลิงก์")
    append_row(links, ["ข้อ", "URL", "ผลการเปิด", "HTTP", "URL สุดท้าย", "การเปลี่ยนเส้นทาง", "อยู่บนเว็บไซต์หลัก",
                  "ชนิด", "ขนาด (ไบต์)", "คำสำคัญที่พบ", "คำสำคัญที่ไม่พบ", "ปีงบประมาณ", "ปีที่พบ",
                  "รายละเอียด", "เวลา (วินาที)", "ตรวจเมื่อ"])
    year_label = {"be": "พบ พ.ศ.", "ce": "พบเฉพาะ ค.ศ.", None: "ไม่พบ"}
    for c in run.checks:
        append_row(links, [
            c.code, c.url, c.outcome, c.status, c.final_url,
            " → ".join(f"{h.url} [{h.status}]" for h in c.redirects),
            {True: "ใช่", False: "ไม่ใช่", None: "-"}[c.on_main_domain],
            c.kind, c.size, ", ".join(c.keywords_found), ", ".join(c.keywords_missing),
            year_label[c.year_match], ", ".join(map(str, c.years_found)), c.detail, c.elapsed, c.checked_at,
        ])
    for sheet in (fix, links):
        for cell in sheet[1]:
            cell.font = bold
    path = Path(path)
    book.save(path)
    return path
