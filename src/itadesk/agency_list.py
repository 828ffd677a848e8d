"""A list of agencies to create (XLSX): one row per agency with its first admin's e-mail.

Sheet columns (found by their Thai titles in the first row; order free, extra columns ignored):
ชื่อหน่วยงาน, ประเภท, จังหวัด, อำเภอ, เว็บไซต์ (may be empty), อีเมลผู้ดูแล. Every problem is
reported with its row, column and value; nothing is returned when any is found.

The reader is bounded before and while it reads: the file's size, the unpacked size of the XLSX
(a small zip cannot unpack into gigabytes), the number of rows and columns, and each cell's length.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from itadesk import limits
from itadesk.errors import InputError, Problem
from itadesk.spreadsheet import first_sheet, open_xlsx
from itadesk.thai import to_thai_digits

COLUMNS = (
    ("name", "ชื่อหน่วยงาน", True),
    ("type", "ประเภท", True),
    ("province", "จังหวัด", True),
    ("district", "อำเภอ", True),
    ("website", "เว็บไซต์", False),
    ("admin_email", "อีเมลผู้ดูแล", True),
)
TITLE = {field: title for field, title, _ in COLUMNS}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WEBSITE = re.compile(r"^https?://[^\s/]+\.[^\s]+$", re.IGNORECASE)
EXAMPLE = ("องค์การบริหารส่วนตำบลตัวอย่าง", "องค์การบริหารส่วนตำบล", "นครราชสีมา", "โนนสูง",
           "https://www.example.go.th", "admin@example.go.th")


@dataclass(frozen=True)
class AgencyRow:
    row: int
    name: str
    type: str
    province: str
    district: str
    website: str
    admin_email: str


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def _check_container(data: bytes, source: str) -> None:
    if len(data) > limits.active().max_bytes:
        raise InputError.single(f"ไฟล์ใหญ่เกิน {limits.size_text(limits.active().max_bytes)}", source)
    if not data.startswith(b"PK\x03\x04"):
        raise InputError.single("ไม่ใช่ไฟล์ Excel .xlsx (ใช้แบบฟอร์มที่ดาวน์โหลดจากหน้านี้)", source)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise InputError.single("อ่านไฟล์ XLSX ไม่ได้ (ไฟล์เสียหรือไม่ใช่ไฟล์ Excel .xlsx)", source) from None
    if unpacked > limits.AGENCY_LIST.unpacked:
        raise InputError.single("ไฟล์มีข้อมูลมากเกินกว่ารายชื่อหน่วยงาน (เมื่อแตกไฟล์แล้วใหญ่เกินไป)", source)


def read_agency_list(data: bytes, source: str) -> list[AgencyRow]:
    _check_container(data, source)
    problems: list[Problem] = []
    rows: list[AgencyRow] = []
    with open_xlsx(data, source) as book:   # the shared zip checks (parts, ratio, cells) and opening
        lines = first_sheet(book, source).iter_rows(max_col=limits.AGENCY_LIST.columns, values_only=True)
        header = [_text(c) for c in next(lines, ())]
        where: dict[str, int] = {}
        for index, title in enumerate(header):
            field = next((f for f, t, _ in COLUMNS if t == title), None)
            if field is not None:
                where.setdefault(field, index)
        missing = [t for f, t, required in COLUMNS if required and f not in where]
        if missing:
            raise InputError.single(
                "แถวแรกต้องเป็นหัวตาราง ไม่พบคอลัมน์ " + ", ".join(f"“{t}”" for t in missing)
                + " (ดาวน์โหลดแบบฟอร์มได้จากหน้านี้)", source, 1)
        seen: dict[str, int] = {}
        for number, cells in enumerate(lines, start=2):
            most = limits.AGENCY_LIST.rows
            if number > most + 1:
                problems.append(Problem(f"ไฟล์มีเกิน {to_thai_digits(f'{most:,}')} หน่วยงาน แบ่งเป็นหลายไฟล์",
                                        source, _row(number)))
                break
            values = {f: _text(cells[i]) if i < len(cells) else "" for f, i in where.items()}
            if not any(values.values()):
                continue
            row_problems = _check_row(values, source, number)
            name = values["name"]
            if name and name in seen:
                row_problems.append(Problem(f"ชื่อหน่วยงานซ้ำกับแถว {to_thai_digits(seen[name])}",
                                            source, _row(number), name))
            seen.setdefault(name, number)
            if row_problems:
                problems += row_problems
            else:
                rows.append(AgencyRow(number, **{f: values.get(f, "") for f, _, _ in COLUMNS}))
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError.single("ไม่พบรายชื่อหน่วยงานในไฟล์ (ใส่ตั้งแต่แถวที่ ๒ ใต้หัวตาราง)", source)
    return rows


def _row(number: int) -> str:
    return f"แถว {to_thai_digits(number)}"


def _check_row(values: dict, source: str, number: int) -> list[Problem]:
    problems = []
    for field, title, required in COLUMNS:
        value = values.get(field, "")
        if required and not value:
            problems.append(Problem(f"ต้องกรอก “{title}”", source, _row(number)))
        elif len(value) > limits.AGENCY_LIST.cell_chars:
            problems.append(Problem(f"“{title}” ยาวเกิน {to_thai_digits(limits.AGENCY_LIST.cell_chars)} ตัวอักษร",
                                    source, _row(number)))
    email, website = values.get("admin_email", ""), values.get("website", "")
    if email and not EMAIL.match(email):
        problems.append(Problem("“อีเมลผู้ดูแล” ไม่ใช่อีเมล (เช่น admin@example.go.th)", source, _row(number), email))
    if website and not WEBSITE.match(website):
        problems.append(Problem("“เว็บไซต์” ต้องขึ้นต้นด้วย https:// หรือ http:// (เช่น https://www.example.go.th)",
                                source, _row(number), website))
    return problems


def agency_list_template() -> bytes:
    """The sheet to fill in: the header row and one example row to overwrite."""
    book = Workbook()
    sheet = book.active
    sheet.title = "รายชื่อหน่วยงาน"
    sheet.append([title for _, title, _ in COLUMNS])
    sheet.append(list(EXAMPLE))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEF", (40, 24, 16, 16, 32, 32), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
