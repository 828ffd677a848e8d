"""The national results file: one row per agency, as the NACC publishes the year's results.

Columns (header in English or Thai, any order, any case): name/ชื่อหน่วยงาน, type/ประเภทหน่วยงาน,
province/จังหวัด, district/อำเภอ (optional), ITA, IIT, EIT, OIT and IND1…IND10 (optional;
ตัวชี้วัดที่ 1…). Scores may use Thai or Arabic digits. Every problem is collected with its row
(the first ones listed, the rest counted: errors.cap) and nothing is returned when there is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from itadesk import limits
from itadesk.errors import InputError, Problem
from itadesk.provinces import canonical_province, closest_province
from itadesk.results import normalize_code, parse_score
from itadesk.spreadsheet import csv_rows, first_sheet, open_xlsx, xlsx_rows
from itadesk.thai import to_arabic_digits

REQUIRED_SCORES = ("ITA", "IIT", "EIT", "OIT")
INDICATORS = tuple(f"IND{n}" for n in range(1, 11))
SUFFIXES = (".csv", ".xlsx")

_TEXT_COLUMNS = {
    "name": ("name", "agency", "ชื่อหน่วยงาน", "หน่วยงาน", "ชื่อ"),
    "type": ("type", "agencytype", "ประเภทหน่วยงาน", "ประเภท"),
    "province": ("province", "จังหวัด"),
    "district": ("district", "อำเภอ", "เขต/อำเภอ", "อำเภอ/เขต"),
}
_HEADER_OF = {alias: key for key, aliases in _TEXT_COLUMNS.items() for alias in aliases}
LABELS = {"name": "ชื่อหน่วยงาน", "type": "ประเภทหน่วยงาน", "province": "จังหวัด", "district": "อำเภอ"}


@dataclass(frozen=True)
class NationalRow:
    row: int
    name: str
    type: str
    province: str
    district: str
    scores: dict[str, float]   # ITA, IIT, EIT, OIT and the indicators given


def clean_name(raw: object) -> str:
    """Whitespace collapsed; what is stored and matched exactly."""
    return " ".join(str(raw or "").split())


def _column(header: object) -> str | None:
    text = "".join(to_arabic_digits(str(header or "")).split()).lower()
    if text in _HEADER_OF:
        return _HEADER_OF[text]
    code = normalize_code(re.sub(r"^(คะแนน|score)", "", text))
    return code if code in REQUIRED_SCORES or code in INDICATORS else None


def _table(data: bytes, source: str) -> list[tuple[int, list[object]]]:
    """The non-blank rows, read by the shared bounded readers (spreadsheet.py) within
    limits.NATIONAL: a hostile file is refused before it is parsed, never read without bound."""
    suffix = Path(source).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError.single("ชนิดไฟล์ไม่รองรับ: ใช้ .csv หรือ .xlsx", source, value=suffix or "(ไม่มีนามสกุล)")
    with limits.raised(**limits.NATIONAL):
        if suffix == ".csv":
            return [(n, [*cells]) for n, cells in csv_rows(data, source)]
        with open_xlsx(data, source) as book:
            return [(n, list(cells)) for n, cells in xlsx_rows(first_sheet(book, source), source)]


def read_national(data: bytes, source: str) -> list[NationalRow]:
    """The file's rows, checked. Raises InputError with every problem by row."""
    table = _table(data, source)
    if not table:
        raise InputError.single("ไม่พบข้อมูลในไฟล์", source)
    header_row, header = table[0]
    columns = {i: _column(h) for i, h in enumerate(header)}
    found = {c for c in columns.values() if c}
    missing = [LABELS.get(c, c) for c in ("name", "type", "province", *REQUIRED_SCORES) if c not in found]
    if missing:
        raise InputError.single(
            "หัวตารางไม่ครบ: ต้องมีคอลัมน์ " + ", ".join(missing)
            + " (ใช้หัวภาษาอังกฤษ name,type,province,district,ITA,IIT,EIT,OIT,IND1… หรือภาษาไทย "
              "ชื่อหน่วยงาน,ประเภทหน่วยงาน,จังหวัด,อำเภอ,ITA,…)", source, header_row)
    problems: list[Problem] = []
    rows: list[NationalRow] = []
    first_seen: dict[tuple[str, str], int] = {}
    for number, cells in table[1:]:
        values: dict[str, object] = {}
        for i, cell in enumerate(cells):
            name = columns.get(i)
            if name:
                values[name] = cell
        row = _checked_row(number, values, source, problems)
        if row is None:
            continue
        key = (row.name, row.province)
        if key in first_seen:
            problems.append(Problem(f"หน่วยงานซ้ำในไฟล์ (พบครั้งแรกที่แถว {first_seen[key]})", source, number, row.name))
            continue
        first_seen[key] = number
        rows.append(row)
    if problems:
        raise InputError(problems)   # the first ones listed, the rest counted (errors.cap)
    if not rows:
        raise InputError.single("ไม่พบแถวข้อมูลหน่วยงานในไฟล์", source)
    return rows


def _checked_row(number: int, values: dict[str, object], source: str, problems: list[Problem]) -> NationalRow | None:
    ok = True
    text = {key: clean_name(values.get(key)) for key in _TEXT_COLUMNS}
    for key in ("name", "type", "province"):
        if not text[key]:
            problems.append(Problem(f"ไม่มี{LABELS[key]}", source, number))
            ok = False
        elif len(text[key]) > (200 if key == "name" else 100):
            problems.append(Problem(f"{LABELS[key]}ยาวเกินไป", source, number, text[key][:60]))
            ok = False
    province = canonical_province(text["province"]) if text["province"] else None
    if text["province"] and province is None:
        hint = closest_province(text["province"])
        problems.append(Problem("ไม่ใช่ชื่อจังหวัดของประเทศไทย" + (f" (หมายถึง {hint} หรือไม่)" if hint else ""),
                             source, number, text["province"]))
        ok = False
    scores: dict[str, float] = {}
    for code in (*REQUIRED_SCORES, *INDICATORS):
        raw = values.get(code)
        if raw is None or str(raw).strip() in ("", "-"):
            if code in REQUIRED_SCORES:
                problems.append(Problem(f"ไม่มีคะแนน {code}", source, number))
                ok = False
            continue
        value = parse_score(raw)
        if value is None or not 0 <= value <= 100:
            problems.append(Problem(f"คะแนน {code} ต้องเป็นตัวเลข ๐–๑๐๐ (เลขไทยหรือเลขอารบิก)", source, number, raw))
            ok = False
            continue
        scores[code] = value
    if not ok or province is None:
        return None
    district = text["district"].removeprefix("อำเภอ").removeprefix("อ.").strip()
    return NationalRow(number, text["name"], text["type"], province, district, scores)
