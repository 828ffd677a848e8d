"""A plan's progress as an XLSX sheet to fill in, and the filled sheet read back (bulk update).

Sheet "ผลการดำเนินการ": a header row of Thai column titles, then one row per measure and round
(measure by measure, in plan order). The grey columns say which measure and round a row is and are
never read back, except two that identify the row: "รหัส (ห้ามแก้)" (the measure's key in this
plan) and "รอบรายงาน". The white columns are what the officer fills in: status (a drop-down of the
four Thai labels), what was done, output, outcome, problems, suggestions, the reason for a
cancelled measure and evidence links (one per line). A second sheet, "วิธีกรอก", explains this.

What an import means, as an officer expects it:

- A row with anything in its white columns is that measure's report for that round, as a whole:
  the status must be given, an emptied cell clears that field, the links replace the stored ones.
- A row whose white columns are all empty is not a report: it neither creates a "not started"
  report (the export leaves a round nobody reported empty, so a round trip changes nothing) nor
  clears one already stored (a colleague may have reported on the web after the download).
- Rows left out of the sheet change nothing, so a sheet can be split between departments.
- Columns may be moved and extra columns added; the header row is found by its titles.

Keys, rounds and statuses accept Thai digits and the aliases of :mod:`itadesk.progress`
("๑๗", "รอบ ๖ เดือน", "done" or "ดำเนินการแล้วเสร็จ"). Every problem is collected and reported
with sheet row, column title, value and what is expected; nothing is returned when any is found.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from itadesk.criteria import load_criteria
from itadesk.errors import InputError, Problem
from itadesk.links import too_many_report_links, url_problem
from itadesk.plan import MeasuresPlan
from itadesk.progress import (
    CANCELLED,
    PROGRESS_LABEL,
    STATUSES,
    TEXT_FIELDS,
    MeasureProgress,
    ProgressReport,
    ReportingRound,
    deadline,
    parse_round_months,
    parse_status,
)
from itadesk.spreadsheet import CellBudget, open_xlsx, write_cell, xlsx_rows
from itadesk.thai import digits, thai_date, to_arabic_digits

SHEET_TITLE = "ผลการดำเนินการ"
GUIDE_TITLE = "วิธีกรอก"
FONT_NAME = "TH SarabunPSK"     # what government Office installs have
FONT_SIZE = 14
MAX_ROWS = 5000                 # a plan has tens of measures; more rows is not this sheet
HEADER_SEARCH_ROWS = 10         # the header may sit below a few rows an officer inserted


@dataclass(frozen=True)
class SheetColumn:
    field: str
    title: str
    width: int
    editable: bool


COLUMNS = (
    SheetColumn("key", "รหัส (ห้ามแก้)", 10, False),
    SheetColumn("theme", "ประเด็น", 22, False),
    SheetColumn("measure", "มาตรการ/โครงการ/กิจกรรม", 40, False),
    SheetColumn("responsible", "ผู้รับผิดชอบ", 26, False),
    SheetColumn("due", "กำหนดแล้วเสร็จ", 16, False),
    SheetColumn("round", "รอบรายงาน", 13, False),
    SheetColumn("status", "สถานะ", 20, True),
    SheetColumn("done", "ผลการดำเนินการ", 45, True),
    SheetColumn("output", "ผลผลิต", 30, True),
    SheetColumn("outcome", "ผลลัพธ์/ผลสัมฤทธิ์", 30, True),
    SheetColumn("problems", "ปัญหาอุปสรรค", 30, True),
    SheetColumn("suggestions", "ข้อเสนอแนะ", 30, True),
    SheetColumn("reason", "เหตุผลที่ยกเลิก", 26, True),
    SheetColumn("evidence", "ลิงก์หลักฐาน (บรรทัดละลิงก์)", 45, True),
)
BY_FIELD = {c.field: c for c in COLUMNS}
EDITABLE = tuple(c.field for c in COLUMNS if c.editable)
REQUIRED = ("key", "round", *EDITABLE)


def _normal(title: object) -> str:
    return " ".join(str(title).split()).lower() if title is not None else ""


def _header_names(column: SheetColumn) -> set[str]:
    """The title, the title without its bracketed hint ("รหัส") and the field name ("key")."""
    short = re.sub(r"\s*\(.*\)\s*$", "", column.title)
    return {_normal(column.title), _normal(short), column.field}


_HEADER_FIELD = {name: c.field for c in COLUMNS for name in _header_names(c)}


@dataclass(frozen=True)
class SheetRow:
    """One filled row of an imported sheet: its row number, as Excel shows it, and the report."""

    row: int
    progress: MeasureProgress


# --------------------------------------------------------------------------- writing


def write_progress_xlsx(plan: MeasuresPlan, progress: ProgressReport, agency_name: str,
                        deadlines: Mapping[str, dt.date] | None = None, thai_digits: bool = True) -> bytes:
    """The plan and everything reported, one row per measure and round of ``progress.rounds``;
    a round nobody reported for a measure is left empty (see the module docstring)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    deadlines = deadlines or {}
    themes = _theme_names(plan)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    font, bold = Font(name=FONT_NAME, size=FONT_SIZE), Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    grey = PatternFill("solid", fgColor="EDEDED")
    header_fill = PatternFill("solid", fgColor="D9E2F3")

    for index, column in enumerate(COLUMNS, start=1):
        cell = write_cell(sheet, 1, index, column.title)
        cell.font, cell.fill = bold, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width

    row = 1
    for measure in plan.measures:
        due = thai_date(deadline(measure.measure_id, deadlines, plan.plan_year), thai_digits)
        theme = themes.get(measure.theme)
        theme_text = f"{digits(measure.theme, thai_digits)}. {theme}" if theme else digits(measure.theme, thai_digits)
        for rnd in progress.rounds:
            row += 1
            reported = progress.entries.get(measure.measure_id, {}).get(rnd.months)
            values = {
                "key": measure.measure_id, "theme": theme_text, "measure": measure.name,
                "responsible": measure.responsible, "due": due, "round": digits(rnd.name, thai_digits),
            }
            if reported is not None:
                values.update({name: getattr(reported, name) for name in TEXT_FIELDS})
                values["status"] = PROGRESS_LABEL[reported.status]
                values["evidence"] = "\n".join(reported.evidence)
            for index, column in enumerate(COLUMNS, start=1):
                text = values.get(column.field, "")
                cell = write_cell(sheet, row, index, text or None)   # text, never a formula
                cell.font, cell.alignment = font, wrap
                if not column.editable:
                    cell.fill = grey

    status_letter = get_column_letter(COLUMNS.index(BY_FIELD["status"]) + 1)
    if row > 1:
        labels = [PROGRESS_LABEL[s] for s in STATUSES]
        choice = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
        choice.errorTitle, choice.error = "สถานะไม่ถูกต้อง", "เลือกสถานะจากรายการ: " + ", ".join(labels)
        choice.showErrorMessage = True
        sheet.add_data_validation(choice)
        choice.add(f"{status_letter}2:{status_letter}{row}")
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{row}"
    sheet.freeze_panes = "D2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    _write_guide(book.create_sheet(GUIDE_TITLE), plan, progress, agency_name, thai_digits, font, bold)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _theme_names(plan: MeasuresPlan) -> dict[int, str]:
    try:
        return {t.number: t.name for t in load_criteria(plan.assessed_year).themes}
    except InputError:   # a year without a criteria file: the number alone
        return {}


def _write_guide(sheet, plan: MeasuresPlan, progress: ProgressReport, agency_name: str, thai_digits: bool,
                 font, bold) -> None:
    from openpyxl.styles import Alignment

    rounds = ", ".join(digits(r.name, thai_digits) for r in progress.rounds)
    lines = [
        (f"ผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ "
         f"{digits(plan.plan_year, thai_digits)}", True),
        (agency_name, False),
        (f"รอบรายงาน: {rounds}", False),
        ("", False),
        ("วิธีกรอก", True),
        (f"๑. กรอกในแผ่นงาน “{SHEET_TITLE}” หนึ่งแถวต่อหนึ่งมาตรการและรอบรายงาน เฉพาะช่องสีขาว "
         "ช่องสีเทาเป็นข้อมูลของแผนมาตรการ แก้ไขในไฟล์นี้ไม่มีผล", False),
        ("๒. ห้ามแก้ช่อง “รหัส (ห้ามแก้)” และ “รอบรายงาน” เพราะใช้ระบุว่าแถวนั้นเป็นของมาตรการและรอบใด", False),
        ("๓. เลือกสถานะจากรายการ: " + ", ".join(PROGRESS_LABEL[s] for s in STATUSES)
         + " มาตรการที่ยกเลิกต้องกรอกเหตุผลที่ยกเลิก", False),
        ("๔. ลิงก์หลักฐานกรอกบรรทัดละหนึ่งลิงก์ ขึ้นต้นด้วย http:// หรือ https:// "
         "(ขึ้นบรรทัดใหม่ในช่องเดียวกัน: Alt+Enter) ลิงก์ในไฟล์จะแทนที่ลิงก์ที่บันทึกไว้ของรอบนั้น", False),
        ("๕. แถวที่กรอกช่องสีขาวช่องใดช่องหนึ่ง คือรายงานของรอบนั้นทั้งแถว ช่องที่ลบให้ว่างจะถูกล้าง", False),
        ("๖. แถวที่ช่องสีขาวว่างทั้งหมด และแถวที่ลบออกจากไฟล์ ไม่เปลี่ยนแปลงสิ่งที่บันทึกไว้ "
         "จึงแบ่งไฟล์ให้แต่ละหน่วยงานกรอกเฉพาะแถวของตนได้", False),
        ("๗. ถ้าไฟล์มีข้อผิดพลาดใด ๆ ระบบจะแจ้งแถว คอลัมน์ และค่าที่พบ และจะไม่บันทึกอะไรเลย "
         "รอบรายงานที่ปิดรอบแล้วแก้ผ่านไฟล์ไม่ได้", False),
    ]
    for number, (text, strong) in enumerate(lines, start=1):
        cell = write_cell(sheet, number, 1, text or None)
        cell.font = bold if strong else font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 110


# --------------------------------------------------------------------------- reading


def read_progress_xlsx(data: bytes, source: str, plan: MeasuresPlan,
                       rounds: Sequence[ReportingRound]) -> list[SheetRow]:
    """The filled rows of a progress sheet, validated against ``plan`` (measures keyed as in the
    export) and ``rounds``; InputError listing every problem (row, column, value, what is expected)."""
    if not data.startswith(b"PK\x03\x04"):
        raise InputError.single("ไม่ใช่ไฟล์ Excel .xlsx (ใช้ไฟล์ที่ดาวน์โหลดจากหน้าผลการดำเนินการ)", source)
    budget = CellBudget()
    with open_xlsx(data, source) as book:
        sheet, header_row, fields = _find_table(book, source, budget)
        reader = _RowReader(source, plan, rounds)
        for number, cells in xlsx_rows(sheet, source, min_row=header_row + 1, budget=budget):
            if all(_blank(c) for c in cells):
                continue
            if number > MAX_ROWS:
                reader.problems.append(Problem(
                    f"ไฟล์มีแถวเกิน {MAX_ROWS:,} แถว (แผ่นงานนี้มีหนึ่งแถวต่อหนึ่งมาตรการและรอบ)", source, number))
                break
            reader.read({field: cells[i] if i < len(cells) else None for i, field in fields.items()}, number)
    if reader.problems:
        raise InputError(reader.problems)
    return reader.rows


def _find_table(book, source: str, budget: CellBudget):
    """The sheet (SHEET_TITLE first), its header row number and {column index: field}."""
    try:
        sheets = sorted(book.worksheets, key=lambda s: s.title != SHEET_TITLE)
    except Exception:  # a damaged workbook part
        raise InputError.single("อ่านไฟล์ XLSX ไม่ได้ (ไฟล์เสียหรือไม่ใช่ไฟล์ Excel .xlsx)", source) from None
    for sheet in sheets:
        for number, cells in xlsx_rows(sheet, source, max_row=HEADER_SEARCH_ROWS, budget=budget):
            found = {i: _HEADER_FIELD[_normal(c)] for i, c in enumerate(cells) if _normal(c) in _HEADER_FIELD}
            if len(found) < 3:
                continue
            problems = []
            seen: dict[str, int] = {}
            for index, field in found.items():
                if field in seen:
                    problems.append(Problem(f"คอลัมน์ “{BY_FIELD[field].title}” ซ้ำกัน (ให้มีคอลัมน์เดียว)",
                                            source, number, cells[index]))
                seen[field] = index
            missing = [BY_FIELD[f].title for f in REQUIRED if f not in seen]
            if missing:
                problems.append(Problem(
                    "แถวหัวตารางไม่มีคอลัมน์ " + ", ".join(f"“{t}”" for t in missing)
                    + " (ต้องมีคอลัมน์รหัส รอบรายงาน และทุกคอลัมน์ที่กรอกได้ ดาวน์โหลดแบบฟอร์มใหม่ได้จากหน้าผลการดำเนินการ)",
                    source, number))
            if problems:
                raise InputError(problems)
            return sheet, number, {index: field for field, index in seen.items()}
    raise InputError.single(
        f"ไม่พบตารางผลการดำเนินการ: ต้องมีแผ่นงาน “{SHEET_TITLE}” ที่มีแถวหัวตาราง "
        f"“{BY_FIELD['key'].title}”, “{BY_FIELD['round'].title}”, “{BY_FIELD['status'].title}”, … "
        "(ใช้ไฟล์ที่ดาวน์โหลดจากหน้าผลการดำเนินการ)",
        source, value=", ".join(s.title for s in book.worksheets))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return thai_date(value, thai=False)
    return str(value).replace("\r\n", "\n").strip()


class _RowReader:
    def __init__(self, source: str, plan: MeasuresPlan, rounds: Sequence[ReportingRound]) -> None:
        self.source = source
        self.plan_year = plan.plan_year
        self.known = {m.measure_id for m in plan.measures}
        self.rounds = {r.months: r for r in rounds}
        self.round_names = ", ".join(r.name for r in rounds)
        self.problems: list[Problem] = []
        self.rows: list[SheetRow] = []
        self.first_row: dict[tuple[str, int], int] = {}

    def problem(self, number: int, field: str, message: str, value: object = None) -> None:
        self.problems.append(Problem(f"คอลัมน์ “{BY_FIELD[field].title}”: {message}", self.source, number, value))

    def read(self, cells: dict[str, object], number: int) -> None:
        if all(_blank(cells[f]) for f in EDITABLE):
            return
        before = len(self.problems)
        measure_id = self._measure(cells["key"], number)
        months = self._round(cells["round"], number)
        status = self._status(cells["status"], number)
        texts: dict[str, Any] = {name: _cell_text(cells[name]) for name in TEXT_FIELDS}
        if status == CANCELLED and not texts["reason"]:
            self.problem(number, "reason", "มาตรการที่ยกเลิกต้องระบุเหตุผลที่ยกเลิก", cells["status"])
        links = self._links(cells["evidence"], number)
        if measure_id is not None and months is not None:
            first = self.first_row.setdefault((measure_id, months), number)
            if first != number:
                self.problems.append(Problem(
                    f"มาตรการรหัส {measure_id} {self.rounds[months].name} ซ้ำกับแถว {first} "
                    "(หนึ่งแถวต่อหนึ่งมาตรการและรอบ ให้รวมเป็นแถวเดียว)", self.source, number, cells["key"]))
        if len(self.problems) == before and measure_id is not None and months is not None and status is not None:
            self.rows.append(SheetRow(number, MeasureProgress(measure_id, months, status, evidence=links, **texts)))

    def _measure(self, raw: object, number: int) -> str | None:
        key = to_arabic_digits(_cell_text(raw))
        if not key:
            self.problem(number, "key", "ไม่มีรหัสมาตรการ: ทุกแถวที่กรอกต้องมีรหัสจากไฟล์ที่ดาวน์โหลด "
                                        "(เพิ่มมาตรการผ่านไฟล์นี้ไม่ได้)")
            return None
        if key not in self.known:
            self.problem(number, "key", f"ไม่มีมาตรการรหัสนี้ในแผนมาตรการปีงบประมาณ {self.plan_year} "
                                        "(ห้ามแก้ช่องนี้ ใช้ไฟล์ที่ดาวน์โหลดจากแผนนี้)", raw)
            return None
        return key

    def _round(self, raw: object, number: int) -> int | None:
        months = parse_round_months(_cell_text(raw)) if not _blank(raw) else None
        if months not in self.rounds:
            message = "ไม่ได้ระบุรอบรายงาน" if _blank(raw) else "ไม่มีรอบรายงานนี้"
            self.problem(number, "round", f"{message} (ใช้ได้: {self.round_names})", raw)
            return None
        return months

    def _status(self, raw: object, number: int) -> str | None:
        labels = ", ".join(PROGRESS_LABEL[s] for s in STATUSES)
        if _blank(raw):
            self.problem(number, "status", f"ไม่ได้ระบุสถานะ แถวที่กรอกผลต้องเลือกสถานะ ({labels})")
            return None
        status = parse_status(_cell_text(raw))
        if status is None:
            self.problem(number, "status", f"ไม่รู้จักสถานะนี้ (เลือกได้: {labels})", raw)
        return status

    def _links(self, raw: object, number: int) -> list[str]:
        links: list[str] = []
        for link in _cell_text(raw).split():
            reason = url_problem(link)
            if reason:
                self.problem(number, "evidence", f"{reason} (กรอกบรรทัดละหนึ่งลิงก์)", link)
            elif link not in links:
                links.append(link)
        too_many = too_many_report_links(len(links))
        if too_many:
            self.problem(number, "evidence", too_many)
        return links
