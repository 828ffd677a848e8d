"""Criteria as a workbook: export a year's criteria to .xlsx, edit it in a spreadsheet, import it back.

Layout (every sheet): row 1 holds Thai column headers for people, row 2 the English keys the
importer reads, data starts at row 3. Columns are found by their key, so they may be moved.
`meta` and `classification` are key/value lists (one setting per row); the other sheets are
tables with one row per tool, indicator, question, item, level, theme or round. Theme codes and
keywords are comma-separated in one cell.

Every problem in an imported workbook is reported with its sheet, row and value — never as a
traceback — and `install_criteria` writes nothing unless the whole year validates.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from itadesk.criteria.loader import (
    forget_loaded_criteria,
    parse_criteria,
    shipped_version,
    user_criteria_dir,
)
from itadesk.criteria.model import TOOL_CODES, Criteria
from itadesk.datafile import read_user_file
from itadesk.errors import InputError, Problem
from itadesk.spreadsheet import CellBudget, open_xlsx, write_cell, xlsx_rows

HEADER_ROW = 1  # Thai headers
KEY_ROW = 2     # English keys, read by the importer
FIRST_DATA_ROW = 3

STATUSES = ("confirmed", "unconfirmed", "inferred", "unknown")
COVERS = ("previous_fiscal_year",)
FUNCTIONS = ("measures_plan", "measures_report")


class _Bad(Exception):
    """A cell value that cannot be used; carries a Thai message."""


# ---------------------------------------------------------------------------
# cell converters: raw cell value -> value for the criteria dict (None = leave out)

def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _required_text(value: Any) -> str:
    text = _text(value)
    if text is None:
        raise _Bad("ต้องกรอกช่องนี้")
    return text


def _number(value: Any) -> float | int:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _Bad("ต้องกรอกตัวเลข")
    if isinstance(value, bool):
        raise _Bad("ต้องเป็นตัวเลข")
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or abs(value) > 1e12:
            raise _Bad("ต้องเป็นตัวเลขที่มีค่าจำกัด")
        return value
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?(?:[0-9]{1,15}(?:\.[0-9]{0,15})?|\.[0-9]{1,15})", text):
        raise _Bad("ต้องเป็นตัวเลข (ใช้จุดทศนิยม เช่น 0.3)")
    number = float(text)
    return int(number) if number.is_integer() and "." not in text else number


def _optional_number(value: Any) -> float | int | None:
    return None if _text(value) is None else _number(value)


def _integer(value: Any) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _Bad("ต้องกรอกจำนวนเต็ม")
    if isinstance(value, bool):
        raise _Bad("ต้องเป็นจำนวนเต็ม")
    if isinstance(value, int):
        if abs(value) > 10 ** 12:
            raise _Bad("ต้องเป็นจำนวนเต็มที่ไม่ใหญ่เกินไป")
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) <= 1e12:
        return int(value)
    text = str(value).strip()
    if re.fullmatch(r"[0-9]{1,12}", text):
        return int(text)
    raise _Bad("ต้องเป็นจำนวนเต็ม")


_TRUE = {"true", "yes", "y", "1", "ใช่", "จริง"}
_FALSE = {"false", "no", "n", "0", "ไม่", "ไม่ใช่", "เท็จ"}


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = (_text(value) or "").lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Bad("ต้องเป็น TRUE หรือ FALSE")


def _optional_true(value: Any) -> bool | None:
    """Flags stored only when set (e.g. `reversed`)."""
    if _text(value) is None:
        return None
    return True if _boolean(value) else None


def _choice(options: tuple[str, ...], normalise: Callable[[str], str] = str.lower, required: bool = True):
    def convert(value: Any) -> str | None:
        text = _text(value)
        if text is None:
            if required:
                raise _Bad(f"ต้องกรอกค่าใดค่าหนึ่งต่อไปนี้: {', '.join(options)}")
            return None
        text = normalise(text)
        if text not in options:
            raise _Bad(f"ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {', '.join(options)}")
        return text
    return convert


def _list(value: Any) -> list[str]:
    text = _text(value)
    if text is None:
        return []
    return [part for part in re.split(r"[,\s]+", text) if part]


def _keywords(value: Any) -> list[str] | None:
    text = _text(value)
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


_status = _choice(STATUSES)
_optional_status = _choice(STATUSES, required=False)
_tool = _choice(TOOL_CODES, normalise=str.upper)
_function = _choice(FUNCTIONS, required=False)
_covers = _choice(COVERS, required=False)


def _optional_list(value: Any) -> list[str] | None:
    return _list(value) or None


def _integers(value: Any) -> list[int] | None:
    parts = _list(value)
    if not parts:
        return None
    if not all(re.fullmatch(r"[0-9]+", p) for p in parts):
        raise _Bad("ต้องเป็นหมายเลขตัวชี้วัดคั่นด้วย , เช่น 6, 8")
    return [int(p) for p in parts]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    convert: Callable[[Any], Any]
    width: int = 14
    required: bool = True   # False: a workbook exported before the column existed still imports


ENTRY_COLUMNS = (
    Column("code", "รหัสข้อ", _required_text, 9),
    Column("indicator", "ตัวชี้วัดที่", _integer, 10),
    Column("name", "ชื่อข้อ", _text, 50),
    Column("status", "สถานะ", _status, 12),
    Column("topic", "หัวข้อ (topic)", _text, 28),
    Column("function", "บทบาท (function)", _function, 16),
    Column("text", "ข้อความคำถาม", _text, 50),
    Column("reversed", "คำถามเชิงลบ", _optional_true, 11),
    Column("keywords", "คำสำคัญ (คั่นด้วย ,)", _keywords, 20),
    Column("covers", "แสดงผลของปีงบประมาณก่อนหน้า (previous_fiscal_year)", _covers, 16, required=False),
    Column("sources", "แหล่งที่มา (รหัส คั่นด้วย ,)", _optional_list, 20, required=False),
    Column("note", "หมายเหตุ", _text, 30),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "tools": (
        Column("code", "เครื่องมือ", _tool, 10),
        Column("name", "ชื่อเครื่องมือ", _required_text, 45),
        Column("weight", "น้ำหนัก (รวมกัน = 1)", _number, 18),
        Column("status", "สถานะ", _status, 12),
        Column("sources", "แหล่งที่มา (รหัส คั่นด้วย ,)", _optional_list, 20, required=False),
    ),
    "indicators": (
        Column("number", "ตัวชี้วัดที่", _integer, 10),
        Column("tool", "เครื่องมือ", _tool, 10),
        Column("name", "ชื่อตัวชี้วัด", _text, 35),
        Column("status", "สถานะ", _status, 12),
        Column("topic", "หัวข้อ (topic)", _text, 22, required=False),
        Column("sources", "แหล่งที่มา (รหัส คั่นด้วย ,)", _optional_list, 20, required=False),
    ),
    "questions": ENTRY_COLUMNS,
    "items": ENTRY_COLUMNS,
    "levels": (
        Column("code", "รหัสระดับ", _required_text, 18),
        Column("name", "ชื่อระดับ", _required_text, 22),
        Column("min_ita", "คะแนน ITA ขั้นต่ำ", _number, 16),
        Column("min_each_tool", "คะแนนขั้นต่ำทุกเครื่องมือ", _optional_number, 22),
        Column("passed", "ผ่านเกณฑ์", _boolean, 10),
    ),
    "themes": (
        Column("number", "ประเด็นที่", _integer, 10),
        Column("key", "รหัสประเด็น", _required_text, 16),
        Column("name", "ชื่อประเด็น", _required_text, 55),
        Column("codes", "รหัสข้อ (คั่นด้วย ,)", _list, 45),
        Column("indicators", "ตัวชี้วัดของประเด็น (คั่นด้วย ,)", _integers, 18, required=False),
        Column("status", "สถานะ", _optional_status, 12),
    ),
    "rounds": (
        Column("name", "ชื่อรอบ", _required_text, 20),
        Column("months", "จำนวนเดือน", _integer, 12),
    ),
    "sources": (
        Column("key", "รหัสแหล่งที่มา", _required_text, 16),
        Column("citation", "แหล่งที่มา", _required_text, 90),
    ),
}
OPTIONAL_SHEETS = {"sources"}

SETTINGS: dict[str, tuple[Column, ...]] = {
    "meta": (
        Column("urn", "รหัสอ้างอิงเกณฑ์ (URN)", _required_text),
        Column("fiscal_year", "ปีงบประมาณ", _integer),
        Column("publisher", "ผู้กำหนดเกณฑ์", _required_text),
        Column("title", "ชื่อการประเมิน", _required_text),
        Column("source", "แหล่งที่มา", _required_text),
        Column("transcription_version", "ฉบับที่ของการถอดความ", _integer),
        Column("status", "สถานะ", _status),
        Column("note", "หมายเหตุ", _text),
        Column("indicator_split_status", "สถานะการแบ่งข้อ OIT เป็นตัวชี้วัดที่ 9/10", _optional_status),
        Column("indicator_split_note", "หมายเหตุการแบ่งข้อ OIT เป็นตัวชี้วัดที่ 9/10", _text),
    ),
    "classification": (
        Column("keep_at_least", "คะแนนตั้งแต่นี้ขึ้นไปถือว่ารักษาระดับ", _number),
        Column("urgent_below", "คะแนนต่ำกว่านี้ถือว่าต้องแก้ไขโดยเร่งด่วน", _number),
        Column("oit_zero_is_urgent", "ข้อ OIT ที่ได้ 0 ถือว่าต้องแก้ไขโดยเร่งด่วน", _boolean),
    ),
}

SHEET_ORDER = ("meta", "tools", "indicators", "questions", "items", "levels", "classification", "themes", "rounds",
               "sources")
SETTING_HEADERS = (("key", "รหัส"), ("label", "รายการ"), ("value", "ค่า"))


# ---------------------------------------------------------------------------
# typed criteria -> raw dict (the YAML shape)

def _with_sources(record: dict, sources: tuple[str, ...]) -> dict:
    if sources:
        record["sources"] = list(sources)
    return record


def criteria_to_raw(criteria: Criteria) -> dict:
    """The YAML-shaped dict of a typed Criteria; notes kept in `raw` (not typed) are carried along."""
    raw = criteria.raw or {}
    old_meta = raw.get("meta", {})
    meta = {
        "urn": criteria.urn,
        "fiscal_year": criteria.fiscal_year,
        "publisher": criteria.publisher,
        "title": criteria.title,
        "source": criteria.source,
        "transcription_version": old_meta.get("transcription_version", 1),
        "status": criteria.status,
    }
    for key in ("note", "indicator_split_status", "indicator_split_note"):
        if old_meta.get(key):
            meta[key] = old_meta[key]
    notes = {e.get("code"): e.get("note") for e in [*raw.get("questions", []), *raw.get("items", [])]}
    theme_status = {t.get("key"): t.get("status") for t in raw.get("themes", [])}

    def entry(e) -> dict:
        out: dict[str, Any] = {"code": e.code, "indicator": e.indicator}
        if e.topic:
            out["topic"] = e.topic
        if e.function:
            out["function"] = e.function
        if e.reversed:
            out["reversed"] = True
        out["status"] = e.status
        out["name"] = e.name
        if e.text:
            out["text"] = e.text
        if e.keywords:
            out["keywords"] = list(e.keywords)
        if e.covers:
            out["covers"] = e.covers
        if e.sources:
            out["sources"] = list(e.sources)
        if notes.get(e.code):
            out["note"] = notes[e.code]
        return out

    def level(lv) -> dict:
        out: dict[str, Any] = {"code": lv.code, "name": lv.name, "min_ita": lv.min_ita}
        if lv.min_each_tool is not None:
            out["min_each_tool"] = lv.min_each_tool
        out["passed"] = lv.passed
        return out

    def indicator(i) -> dict:
        out: dict[str, Any] = {"number": i.number, "tool": i.tool, "name": i.name, "status": i.status}
        if i.topic:
            out["topic"] = i.topic
        return _with_sources(out, i.sources)

    def theme(t) -> dict:
        out: dict[str, Any] = {"number": t.number, "key": t.key, "name": t.name, "codes": list(t.codes)}
        if t.indicators:
            out["indicators"] = list(t.indicators)
        if theme_status.get(t.key):
            out["status"] = theme_status[t.key]
        return out

    return {
        "meta": meta,
        "tools": [_with_sources({"code": t.code, "name": t.name, "weight": t.weight, "status": t.status}, t.sources)
                  for t in criteria.tools],
        "indicators": [indicator(i) for i in criteria.indicators],
        "questions": [entry(e) for e in criteria.entries if not e.is_oit_item],
        "items": [entry(e) for e in criteria.entries if e.is_oit_item],
        "levels": [level(lv) for lv in criteria.levels],
        "classification": {
            "keep_at_least": criteria.classification.keep_at_least,
            "urgent_below": criteria.classification.urgent_below,
            "oit_zero_is_urgent": criteria.classification.oit_zero_is_urgent,
        },
        "themes": [theme(t) for t in criteria.themes],
        "rounds": [{"name": r.name, "months": r.months} for r in criteria.rounds],
        **({"sources": [{"key": k, "citation": c} for k, c in criteria.sources.items()]} if criteria.sources else {}),
    }


# ---------------------------------------------------------------------------
# export

_HEADER_FONT = Font(bold=True)
_KEY_FONT = Font(italic=True, color="808080", size=9)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _cell_value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or None
    return value


def _write(ws, row: int, column: int, value: Any):
    return write_cell(ws, row, column, _cell_value(value))  # text stays text, never a formula


def _header(ws, pairs: list[tuple[str, str]], widths: list[int]) -> None:
    for col, ((key, label), width) in enumerate(zip(pairs, widths, strict=True), start=1):
        top = write_cell(ws, HEADER_ROW, col, label)
        top.font, top.fill = _HEADER_FONT, _HEADER_FILL
        write_cell(ws, KEY_ROW, col, key).font = _KEY_FONT
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)


def export_criteria_xlsx(criteria: Criteria, path: str | os.PathLike) -> Path:
    """Write one workbook holding the whole year's criteria; `import_criteria_xlsx` reads it back."""
    path = Path(path)
    path.write_bytes(criteria_workbook_bytes(criteria))
    return path


def criteria_workbook_bytes(criteria: Criteria) -> bytes:
    """The workbook `export_criteria_xlsx` writes, in memory (a download)."""
    import io

    raw = criteria_to_raw(criteria)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEET_ORDER:
        ws = wb.create_sheet(sheet)
        if sheet in SETTINGS:
            _header(ws, [(k, label) for k, label in SETTING_HEADERS], [24, 42, 70])
            for offset, column in enumerate(SETTINGS[sheet]):
                row = FIRST_DATA_ROW + offset
                _write(ws, row, 1, column.key)
                _write(ws, row, 2, column.label)
                _write(ws, row, 3, raw[sheet].get(column.key))
        else:
            columns = TABLES[sheet]
            _header(ws, [(c.key, c.label) for c in columns], [c.width for c in columns])
            for offset, record in enumerate(raw.get(sheet, [])):
                for col, column in enumerate(columns, start=1):
                    _write(ws, FIRST_DATA_ROW + offset, col, record.get(column.key))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# import

def _blank(values) -> bool:
    return all(_text(v) is None for v in values)


class _Reader:
    """Reads sheets into the raw dict, remembering which sheet and row each part came from."""

    def __init__(self, wb, source: str = "criteria.xlsx") -> None:
        self.wb = wb
        self.source = source
        self.budget = CellBudget()
        self.problems: list[Problem] = []
        self.where: dict[str, tuple[str, int | None]] = {}

    def problem(self, message: str, sheet: str, row: int | None = None, value: Any = None) -> None:
        self.problems.append(Problem(message, sheet, row, value))

    def _keys(self, sheet: str, wanted: list[str]):
        if sheet not in self.wb.sheetnames:
            if sheet not in OPTIONAL_SHEETS:
                self.problem(f"ไม่มีชีต {sheet} ในไฟล์", sheet)
            return None
        ws = self.wb[sheet]
        keys = {}
        key_row = next(self.rows(ws, min_row=KEY_ROW, max_row=KEY_ROW), (KEY_ROW, ()))[1]
        for col, cell in enumerate(key_row, start=0):
            key = _text(cell)
            if key and key not in keys:
                keys[key] = col
        missing = [k for k in wanted if k not in keys]
        if missing:
            self.problem(
                f"แถว {KEY_ROW} ต้องมีรหัสคอลัมน์ {', '.join(missing)} (อย่าลบหรือแก้แถวรหัสคอลัมน์)",
                sheet, KEY_ROW,
            )
            return None
        return ws, keys

    def rows(self, ws, min_row: int, max_row: int | None = None):
        return xlsx_rows(ws, self.source, min_row=min_row, max_row=max_row, budget=self.budget)

    def table(self, sheet: str, columns: tuple[Column, ...]) -> list[dict]:
        found = self._keys(sheet, [c.key for c in columns if c.required])
        if found is None:
            return []
        ws, keys = found
        columns = tuple(c for c in columns if c.key in keys)
        records: list[dict[str, object]] = []
        for row_number, values in self.rows(ws, FIRST_DATA_ROW):
            cells = {c.key: (values[keys[c.key]] if keys[c.key] < len(values) else None) for c in columns}
            if _blank(cells.values()):
                continue
            record = {}
            for column in columns:
                try:
                    value = column.convert(cells[column.key])
                except _Bad as bad:
                    self.problem(f"คอลัมน์ {column.key} ({column.label}): {bad}", sheet, row_number,
                                 cells[column.key])
                    continue
                if value is not None:
                    record[column.key] = value
                elif column.key == "name":
                    record["name"] = None  # names may be unknown, but the key is always present
            self.where[f"{sheet}/{len(records)}"] = (sheet, row_number)
            records.append(record)
        self.where.setdefault(sheet, (sheet, None))
        return records

    def settings(self, sheet: str, columns: tuple[Column, ...]) -> dict:
        found = self._keys(sheet, [k for k, _ in SETTING_HEADERS])
        if found is None:
            return {}
        ws, keys = found
        known = {c.key: c for c in columns}
        record: dict[str, Any] = {}
        seen: set[str] = set()
        for row_number, values in self.rows(ws, FIRST_DATA_ROW):
            key = _text(values[keys["key"]]) if keys["key"] < len(values) else None
            value = values[keys["value"]] if keys["value"] < len(values) else None
            if key is None:
                if _text(value) is not None:
                    self.problem("แถวนี้มีค่าแต่ไม่มีรหัส (คอลัมน์ key)", sheet, row_number, value)
                continue
            column = known.get(key)
            if column is None:
                self.problem(f"ไม่รู้จักรหัส {key} (ใช้ได้: {', '.join(known)})", sheet, row_number, key)
                continue
            if key in seen:
                self.problem(f"รหัส {key} ซ้ำ", sheet, row_number, key)
                continue
            seen.add(key)
            try:
                converted = column.convert(value)
            except _Bad as bad:
                self.problem(f"{key} ({column.label}): {bad}", sheet, row_number, value)
                continue
            self.where[f"{sheet}/{key}"] = (sheet, row_number)
            if converted is not None:
                record[key] = converted
        for column in columns:
            if column.key not in seen and column.convert is not _text:
                self.problem(f"ต้องมีแถวรหัส {column.key} ({column.label})", sheet)
        self.where.setdefault(sheet, (sheet, None))
        return record


def _value_at(raw: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(raw, list) and part.isdigit() and int(part) < len(raw):
            raw = raw[int(part)]
        elif isinstance(raw, dict) and part in raw:
            raw = raw[part]
        else:
            return None
    return raw


def _locate(problem: Problem, where: dict[str, tuple[str, int | None]], raw: dict, default: str) -> Problem:
    """Turn a loader problem ('items/3/indicator') into one that names the sheet and row."""
    path = str(problem.row) if problem.row is not None else ""
    parts = [p for p in path.split("/") if p]
    for depth in range(len(parts), 0, -1):
        prefix = "/".join(parts[:depth])
        if prefix in where:
            sheet, row = where[prefix]
            rest = parts[depth:]
            message = f"คอลัมน์ {rest[0]}: {problem.message}" if rest and not rest[0].isdigit() else problem.message
            value = problem.value if problem.value is not None else _value_at(raw, parts)
            if isinstance(value, (dict, list)) and not problem.value:
                value = None
            return Problem(message, sheet, row, value)
    return Problem(problem.message, default, None, problem.value)


def _raw_from_workbook(data: bytes, source: str, name: str) -> tuple[dict, dict[str, tuple[str, int | None]]]:
    with open_xlsx(data, source) as wb:
        reader = _Reader(wb, name)
        raw: dict[str, Any] = {}
        for sheet in SHEET_ORDER:
            if sheet in SETTINGS:
                raw[sheet] = reader.settings(sheet, SETTINGS[sheet])
            elif sheet in OPTIONAL_SHEETS and sheet not in wb.sheetnames:
                continue
            else:
                raw[sheet] = reader.table(sheet, TABLES[sheet])
    if reader.problems:
        raise InputError(reader.problems)
    return raw, reader.where


def _parse_located(raw: dict, where: dict[str, tuple[str, int | None]], source: str) -> Criteria:
    try:
        return parse_criteria(raw, source=source)
    except InputError as err:
        raise InputError([_locate(p, where, raw, source) for p in err.problems]) from None


def import_criteria_xlsx(path: str | os.PathLike) -> Criteria:
    """Read a workbook written by `export_criteria_xlsx` (possibly edited) and validate it.

    Raises InputError naming sheet, row and value for every problem found.
    """
    path = Path(path)
    raw, where = _raw_from_workbook(read_user_file(path), str(path), path.name)
    return _parse_located(raw, where, path.name)


def read_criteria_workbook(data: bytes, name: str) -> Criteria:
    """`import_criteria_xlsx` for a workbook already in memory (an upload named ``name``)."""
    raw, where = _raw_from_workbook(data, name, name)
    return _parse_located(raw, where, name)


# ---------------------------------------------------------------------------
# install

_FILE_HEADER = (
    "# ITA criteria for fiscal year {year}, installed by itadesk (import of a criteria workbook).\n"
    "# It overrides the criteria shipped with itadesk for the same year while its meta.transcription_version\n"
    "# is newer than theirs; delete it to go back.\n"
)


def install_criteria(criteria_or_raw: Criteria | dict, directory: str | os.PathLike | None = None) -> Path:
    """Validate, then write ita-<year>.yaml into the user criteria folder (or `directory`) atomically.

    A year also shipped with the program is written into the user folder as a newer version of it
    (``transcription_version`` one above the shipped one, unless already above), so it is the
    year in force until a program update ships a still newer transcription.

    Nothing is written when validation fails (InputError). Returns the written path.
    """
    if isinstance(criteria_or_raw, Criteria):
        raw = criteria_to_raw(criteria_or_raw)
    elif isinstance(criteria_or_raw, dict):
        raw = criteria_or_raw
    else:
        raise InputError.single("ต้องเป็นเกณฑ์การประเมิน (Criteria) หรือข้อมูลเกณฑ์ (dict)",
                                value=type(criteria_or_raw).__name__)
    criteria = parse_criteria(raw, source="criteria")
    folder = Path(directory) if directory is not None else user_criteria_dir()
    shipped = shipped_version(criteria.fiscal_year)
    if folder == user_criteria_dir() and shipped is not None and raw["meta"]["transcription_version"] <= shipped:
        # An import corrects the shipped year: it must be newer to be the one in force.
        raw = {**raw, "meta": {**raw["meta"], "transcription_version": shipped + 1}}
    text = _FILE_HEADER.format(year=criteria.fiscal_year) + yaml.safe_dump(
        raw, allow_unicode=True, sort_keys=False, width=200
    )
    # what will be read back must be what was validated
    parse_criteria(yaml.safe_load(text), source="criteria")

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"ita-{criteria.fiscal_year}.yaml"
    fd, temp = tempfile.mkstemp(prefix=f".ita-{criteria.fiscal_year}-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    forget_loaded_criteria()
    return target
