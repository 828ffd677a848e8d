"""The evidence register: for each OIT item, the URLs an agency will answer with (at most five).

XLSX layout (the first sheet; a header row is optional, these are the defaults)::

    หน่วยงาน     | เทศบาลตำบลตัวอย่าง
    ปีงบประมาณ   | 2568
    เว็บไซต์     | https://www.example.go.th
    ข้อ | URL 1 | URL 2 | URL 3 | URL 4 | URL 5 | หมายเหตุ
    O1  | https://www.example.go.th/structure | … |

A code may appear on several rows (one URL per row is fine); the URLs are merged. YAML::

    agency: เทศบาลตำบลตัวอย่าง
    fiscal_year: 2568
    website: https://www.example.go.th
    items:
      O1: [https://www.example.go.th/structure]
      O2: {urls: [https://…], note: ผู้บริหารชุดใหม่}

Codes go through :func:`itadesk.results.normalize_code` (``o01``, ``O๐๑``) and must be OIT
items of the criteria year. Every problem is collected and reported with file, row and value;
nothing is returned when any is found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from itadesk import limits
from itadesk.criteria import Criteria
from itadesk.datafile import parse_yaml_or_json, read_user_file
from itadesk.errors import InputError, Problem
from itadesk.links import MAX_ITEM_LINKS, url_problem
from itadesk.results import normalize_code
from itadesk.spreadsheet import append_row, first_sheet, open_xlsx, xlsx_rows
from itadesk.thai import to_arabic_digits

SUFFIXES = (".xlsx", ".yaml", ".yml")

AGENCY_KEYS = {"agency", "หน่วยงาน", "ชื่อหน่วยงาน"}
YEAR_KEYS = {"fiscal_year", "year", "fy", "ปีงบประมาณ", "ปี"}
WEBSITE_KEYS = {"website", "เว็บไซต์", "เว็บไซต์หลัก", "site"}
HEADER_CODES = {"code", "รหัส", "ข้อ", "item"}
NOTE_HEADERS = {"note", "หมายเหตุ", "notes"}
NAME_HEADERS = {"name", "ชื่อข้อ", "ชื่อ"}


@dataclass(frozen=True)
class EvidenceItem:
    code: str
    urls: tuple[str, ...]
    note: str = ""


@dataclass
class EvidenceRegister:
    """One agency's evidence for one fiscal year, keyed by canonical item code (O1…)."""

    fiscal_year: int
    items: dict[str, EvidenceItem] = field(default_factory=dict)
    agency: str = ""
    website: str = ""
    source: str = ""

    def urls(self, code: str) -> tuple[str, ...]:
        item = self.items.get(code)
        return item.urls if item else ()


class _Builder:
    def __init__(self, source: str, criteria: Criteria | None) -> None:
        self.source = source
        self.criteria = criteria
        self.problems: list[Problem] = []
        self.urls: dict[str, list[str]] = {}
        self.notes: dict[str, list[str]] = {}
        self.first_row: dict[str, object] = {}
        self.agency = ""
        self.website = ""
        self.year: int | None = None
        self.year_row = None

    def problem(self, message: str, row, value=None) -> None:
        self.problems.append(Problem(message, self.source, row, value))

    def meta(self, key: str, value, row) -> bool:
        key = str(key).strip().lower()
        text = "" if value is None else str(value).strip()
        if key in AGENCY_KEYS:
            self.agency = text
        elif key in YEAR_KEYS:
            try:
                year = int(to_arabic_digits(text)) if len(text) <= 10 else None
            except ValueError:
                year = None
            if year is None:
                self.problem("ปีงบประมาณต้องเป็นตัวเลข พ.ศ. เช่น 2568", row, value)
                return True
            if not limits.plausible_year(year):
                self.problem(limits.year_hint(), row, value)
            elif self.year is not None and year != self.year:
                where = self.year_row if isinstance(self.year_row, str) else f"แถว {self.year_row}"
                self.problem(f"ปีงบประมาณขัดกัน: {where} "
                             f"ระบุปี {self.year} (ให้มีปีงบประมาณเดียวต่อไฟล์)", row, value)
                return True
            self.year, self.year_row = year, row
        elif key in WEBSITE_KEYS:
            reason = url_problem(text) if text else None
            if reason:
                self.problem(f"เว็บไซต์หลัก: {reason}", row, value)
            self.website = text
        else:
            return False
        return True

    def item(self, raw_code, urls: list, note, row) -> None:
        code = normalize_code(raw_code)
        if code is None or not code.startswith("O"):
            self.problem("รหัสข้อต้องเป็นข้อ OIT เช่น O1", row, raw_code)
            return
        if self.criteria is not None and code not in self.criteria.entry_by_code:
            self.problem(f"ไม่มีข้อ {code} ในเกณฑ์ปี {self.criteria.fiscal_year}", row, raw_code)
            return
        self.first_row.setdefault(code, row)
        bucket = self.urls.setdefault(code, [])
        for value in urls:
            if value is None or str(value).strip() == "":
                continue
            url = str(value).strip()
            reason = url_problem(url)
            if reason:
                self.problem(f"ข้อ {code}: {reason}", row, value)
                continue
            if url not in bucket:
                bucket.append(url)
        if len(bucket) > MAX_ITEM_LINKS:
            self.problem(f"ข้อ {code} มีลิงก์ได้ไม่เกิน {MAX_ITEM_LINKS} ลิงก์", row, len(bucket))
            del bucket[MAX_ITEM_LINKS:]
        if note is not None and str(note).strip():
            self.notes.setdefault(code, []).append(str(note).strip())

    def build(self, default_year: int | None) -> EvidenceRegister:
        year = self.year or default_year or (self.criteria.fiscal_year if self.criteria else None)
        if year is None:
            self.problem("ไม่ได้ระบุปีงบประมาณ (แถว ปีงบประมาณ หรือ fiscal_year)", None)
        if self.problems:
            raise InputError(self.problems)
        items = {
            code: EvidenceItem(code, tuple(u for u in urls if u), "; ".join(self.notes.get(code, [])))
            for code, urls in self.urls.items() if urls or self.notes.get(code)
        }
        ordered = dict(sorted(items.items(), key=lambda kv: int(kv[0][1:])))
        return EvidenceRegister(year, ordered, self.agency, self.website, self.source)  # type: ignore[arg-type]


def read_evidence(path: str | Path, criteria: Criteria | None = None,
                  fiscal_year: int | None = None) -> EvidenceRegister:
    """Read an evidence register (XLSX or YAML); InputError on any problem."""
    path = Path(path)
    source = path.name
    if path.suffix.lower() not in SUFFIXES:
        raise InputError.single("ไฟล์หลักฐานต้องเป็น .xlsx หรือ .yaml", source, value=path.suffix)
    data = read_user_file(path, source=source)
    if path.suffix.lower() == ".xlsx":
        return parse_evidence_xlsx(data, source, criteria, fiscal_year)
    return parse_evidence_yaml(data, source, criteria, fiscal_year)


def parse_evidence_xlsx(data: bytes, source: str, criteria: Criteria | None = None,
                        fiscal_year: int | None = None) -> EvidenceRegister:
    builder = _Builder(source, criteria)
    url_columns = list(range(1, 1 + MAX_ITEM_LINKS))
    note_column: int | None = 1 + MAX_ITEM_LINKS
    name_columns: set[int] = {2 + MAX_ITEM_LINKS}
    with open_xlsx(data, source) as book:
        for number, row_cells in xlsx_rows(first_sheet(book, source), source):
            cells = list(row_cells)
            while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
                cells.pop()
            if not cells or all(c is None or str(c).strip() == "" for c in cells):
                continue
            first = cells[0]
            key = "" if first is None else str(first).strip().lower()
            if key in HEADER_CODES:
                headers = ["" if c is None else str(c).strip().lower() for c in cells]
                url_columns = [i for i, h in enumerate(headers)
                               if i > 0 and h not in NOTE_HEADERS and h not in NAME_HEADERS]
                name_columns = {i for i, h in enumerate(headers) if h in NAME_HEADERS}
                note_column = next((i for i, h in enumerate(headers) if h in NOTE_HEADERS), None)
                continue
            if builder.meta(key, cells[1] if len(cells) > 1 else None, number):
                continue
            urls = [cells[i] for i in url_columns if i < len(cells)]
            extra = [c for i, c in enumerate(cells)
                     if i > 0 and i not in url_columns and i != note_column and i not in name_columns
                     and c not in (None, "")]
            if extra:
                builder.problem(f"มีลิงก์ได้ไม่เกิน {MAX_ITEM_LINKS} ลิงก์ต่อข้อ (พบข้อมูลเกินคอลัมน์)", number, extra[0])
            note = cells[note_column] if note_column is not None and note_column < len(cells) else None
            builder.item(first, urls, note, number)
    return builder.build(fiscal_year)


def parse_evidence_yaml(data: bytes, source: str, criteria: Criteria | None = None,
                        fiscal_year: int | None = None) -> EvidenceRegister:
    raw = parse_yaml_or_json(data, source)
    if not isinstance(raw, dict) or not isinstance(raw.get("items"), (dict, list)):
        raise InputError.single("ไฟล์ต้องมี items: รายการข้อ OIT และลิงก์", source)
    builder = _Builder(source, criteria)
    for key, value in raw.items():
        if key == "items":
            continue
        if not builder.meta(str(key), value, str(key)):
            builder.problem("ไม่รู้จักหัวข้อนี้ (ใช้ได้: agency, fiscal_year, website, items)", str(key), key)
    entries = raw["items"]
    pairs = entries.items() if isinstance(entries, dict) else [
        (e.get("code") if isinstance(e, dict) else None, e) for e in entries
    ]
    for index, (code, value) in enumerate(pairs, start=1):
        where = f"items/{code if code is not None else index}"
        note = None
        if isinstance(value, str):
            urls: list = [value]
        elif isinstance(value, list):
            urls = value
        elif isinstance(value, dict):
            urls = value.get("urls") or ([value["url"]] if value.get("url") else [])
            note = value.get("note")
            if not isinstance(urls, list):
                builder.problem("urls ต้องเป็นรายการ", where, urls)
                continue
        elif value is None:
            urls = []
        else:
            builder.problem("ต้องเป็น URL หรือรายการ URL", where, value)
            continue
        bad = [u for u in urls if not isinstance(u, str)]
        if bad:
            builder.problem("URL ต้องเป็นข้อความ", where, bad[0])
            continue
        builder.item(code, urls, note, where)
    return builder.build(fiscal_year)


def write_evidence_xlsx(register: EvidenceRegister, path: str | Path, criteria: Criteria | None = None) -> Path:
    """Write the register in the XLSX layout read back by :func:`read_evidence`.

    With ``criteria`` every OIT item of the year gets a row (a template to fill in).
    """
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "หลักฐาน OIT"
    append_row(sheet, ["หน่วยงาน", register.agency])
    append_row(sheet, ["ปีงบประมาณ", register.fiscal_year])
    append_row(sheet, ["เว็บไซต์", register.website])
    append_row(sheet, ["ข้อ", *(f"URL {i}" for i in range(1, MAX_ITEM_LINKS + 1)), "หมายเหตุ", "ชื่อข้อ"])
    codes = list(register.items)
    if criteria is not None:
        codes = [e.code for e in criteria.entries if e.is_oit_item]
    for code in codes:
        item = register.items.get(code, EvidenceItem(code, ()))
        urls = list(item.urls) + [None] * (MAX_ITEM_LINKS - len(item.urls))
        name = criteria.entry_by_code[code].label if criteria is not None else None
        append_row(sheet, [code, *urls, item.note or None, name])
    sheet.column_dimensions["A"].width = 8
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 40
    path = Path(path)
    book.save(path)
    return path


def register_to_dict(register: EvidenceRegister) -> dict:
    items = {}
    for code, item in register.items.items():
        items[code] = {"urls": list(item.urls), "note": item.note} if item.note else list(item.urls)
    return {"agency": register.agency, "fiscal_year": register.fiscal_year,
            "website": register.website, "items": items}


def write_evidence_yaml(register: EvidenceRegister, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(yaml.safe_dump(register_to_dict(register), allow_unicode=True, sort_keys=False), "utf-8")
    return path
