"""Answers: one respondent's answer to one column (question or sub-item) is the index of the
option chosen on the column's scale (0 = first option). Files and forms give Thai labels
(``มากที่สุด``, ``ไม่มี``) or option numbers 1…k in the scale's order, Thai digits accepted.

``read_answers_file`` reads an answers file (CSV or XLSX: a header row of question codes, then
one row per respondent) within fixed bounds, and reports every problem by row and column.
These bounds are this module's own (simple and strict); a shared bounded reader may replace
them later.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from itadesk import limits
from itadesk.errors import InputError, Problem
from itadesk.spreadsheet import first_sheet, open_xlsx
from itadesk.surveys.definition import AnswerColumn, SurveyDefinition
from itadesk.thai import to_arabic_digits

SUFFIXES = (".csv", ".xlsx")
BLANK = {"", "-", "ไม่ตอบ", "ไม่ระบุ"}
# Columns an answers file may carry besides the questions; read past, never stored.
IGNORED_HEADERS = {"ลำดับ", "ลำดับที่", "ที่", "no", "no.", "#", "id", "หมายเหตุ", "note", "วันที่", "date",
                   "timestamp", "ประทับเวลา", "เวลา"}

_COLUMN = re.compile(r"^(?:ข้อ)?([ie])0*([1-9][0-9]?)(?:[._\-/]0*([1-9][0-9]?))?$")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", to_arabic_digits(text)).strip()


def normalize_column(raw: object) -> str | None:
    """``i1``, ``I01``, ``ข้อ e3``, ``i1.2`` (sub-item) → canonical key, else None."""
    match = _COLUMN.match(_squash(str(raw)).lower())
    if not match:
        return None
    prefix, number, sub = match.groups()
    return f"{prefix}{int(number)}" + (f".{int(sub)}" if sub else "")


def option_index(column: AnswerColumn, raw: object) -> int | None:
    """The option chosen; None for a blank answer. ValueError (Thai) when the answer is not on the scale."""
    if raw is None or isinstance(raw, bool):
        if raw is None:
            return None
        raise ValueError(_expected(column))
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = _squash(str(raw))
    if text in BLANK:
        return None
    options = column.scale.options
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(options):
            return number - 1
        raise ValueError(_expected(column))
    for i, option in enumerate(options):
        if text in {_squash(option.label), *(_squash(a) for a in option.aliases)}:
            return i
    raise ValueError(_expected(column))


def _expected(column: AnswerColumn) -> str:
    options = column.scale.options
    labels = " / ".join(f"{i} = {o.label}" for i, o in enumerate(options, start=1))
    return f"คำตอบข้อ {column.key} ต้องเป็นหนึ่งใน {labels}"


@dataclass(frozen=True)
class AnswerSheet:
    source: str
    columns: tuple[str, ...]               # question/sub-item keys found in the header
    rows: tuple[dict[str, int], ...]        # one per respondent, column key → option index

    def respondents(self, definition: SurveyDefinition, tool: str) -> int:
        keys = {c.key for c in definition.columns_of(tool)}
        return sum(1 for r in self.rows if keys & r.keys())


def _letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cells_csv(data: bytes, source: str):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.single("ไฟล์ CSV ต้องเข้ารหัส UTF-8", source) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text), dialect)
    except csv.Error:   # the library's English words never reach the user
        raise InputError.single("อ่านไฟล์ CSV ไม่ได้ (เครื่องหมายคำพูดไม่ครบคู่ หรือช่องยาวเกินไป)", source) from None


def _cells_xlsx(data: bytes, source: str):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise InputError.single("อ่านไฟล์ XLSX ไม่ได้ (ไฟล์เสียหรือไม่ใช่ไฟล์ Excel .xlsx)", source) from None
    most = limits.SURVEY_ANSWERS
    if inflated > most.unpacked:   # an XLSX is a zip: refuse one that inflates beyond this
        raise InputError.single(f"ไฟล์ XLSX ใหญ่เกินเมื่อขยาย (เกิน {limits.size_text(most.unpacked)})",
                                source, value=inflated)
    with open_xlsx(data, source) as book:   # the shared zip checks (parts, ratio, cells) and opening
        sheet = first_sheet(book, source)
        for cells in sheet.iter_rows(max_col=most.columns + 1, max_row=most.rows + 2, values_only=True):
            yield ["" if c is None else c for c in cells]


def read_answers(data: bytes, source: str, definition: SurveyDefinition, tool: str | None = None) -> AnswerSheet:
    """Parse an answers file; ``tool`` limits the questions to one survey (IIT or EIT).
    Raises InputError with every problem (row, column, value); returns nothing partial."""
    suffix = Path(source).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError.single("ชนิดไฟล์ไม่รองรับ: ใช้ .csv หรือ .xlsx", source, value=suffix or "(ไม่มีนามสกุล)")
    if len(data) > limits.active().max_bytes:
        raise InputError.single(f"ไฟล์ใหญ่เกิน {limits.size_text(limits.active().max_bytes)}", source, value=len(data))
    cells_of = _cells_csv if suffix == ".csv" else _cells_xlsx
    allowed = {c.key: c for c in (definition.columns_of(tool) if tool else
                                  [c for t in definition.tools for c in definition.columns_of(t)])}
    problems: list[Problem] = []
    header: list[tuple[int, str | None]] | None = None
    rows: list[dict[str, int]] = []
    data_rows = 0
    most = limits.SURVEY_ANSWERS
    for number, cells in enumerate(cells_of(data, source), start=1):
        if len(cells) > most.columns and any(str(c).strip() for c in cells[most.columns:]):
            raise InputError.single(f"มีคอลัมน์เกิน {most.columns} คอลัมน์", source, number)
        texts = [c if isinstance(c, (int, float)) else str(c).strip() for c in cells]
        if not any(str(t) for t in texts):
            continue
        long = [i for i, t in enumerate(texts) if len(str(t)) > most.cell_chars]
        for i in long:
            problems.append(Problem(f"ข้อความยาวเกิน {most.cell_chars} ตัวอักษร", source,
                                    f"แถว {number} คอลัมน์ {_letter(i)}"))
        if header is None:
            header = _header(texts, number, allowed, tool, source, problems)
            continue
        data_rows += 1
        if data_rows > most.rows:
            raise InputError.single(f"มีผู้ตอบเกิน {most.rows:,} แถวต่อไฟล์ (แบ่งเป็นหลายไฟล์)", source, number)
        answers: dict[str, int] = {}
        for i, key in header:
            if key is None or i >= len(texts) or i in long:
                continue
            try:
                index = option_index(allowed[key], texts[i])
            except ValueError as exc:
                problems.append(Problem(str(exc), source, f"แถว {number} คอลัมน์ {_letter(i)} ({key})", texts[i]))
                continue
            if index is not None:
                answers[key] = index
        if answers:
            rows.append(answers)
    if header is None:
        problems.append(Problem("ไม่พบแถวหัวตาราง (รหัสข้อ เช่น i1, i2 … หรือ e1, e2 …)", source))
    elif not rows and not problems:
        problems.append(Problem("ไม่พบคำตอบในไฟล์", source))
    if problems:
        raise InputError(problems)   # lists the first ones and counts the rest (errors.cap)
    return AnswerSheet(source, tuple(k for _, k in header if k), tuple(rows))  # type: ignore[union-attr]


def _header(texts, number: int, allowed: dict[str, AnswerColumn], tool: str | None, source: str,
            problems: list[Problem]) -> list[tuple[int, str | None]]:
    header: list[tuple[int, str | None]] = []
    seen: dict[str, str] = {}
    for i, text in enumerate(texts):
        raw = str(text).strip()
        where = f"แถว {number} คอลัมน์ {_letter(i)}"
        if raw == "" or raw.lower() in IGNORED_HEADERS:
            header.append((i, None))
            continue
        key = normalize_column(raw)
        if key is None or key not in allowed:
            scope = f"แบบวัด {tool}" if tool else "แบบวัด IIT/EIT"
            problems.append(Problem(f"ไม่รู้จักหัวคอลัมน์นี้ใน{scope} (ใช้รหัสข้อ เช่น "
                                    f"{', '.join(list(allowed)[:3])} …)", source, where, raw))
            header.append((i, None))
            continue
        if key in seen:
            problems.append(Problem(f"คอลัมน์ข้อ {key} ซ้ำ (พบแล้วที่คอลัมน์ {seen[key]})", source, where, raw))
            header.append((i, None))
            continue
        seen[key] = _letter(i)
        header.append((i, key))
    return header


def load_answers(path: str | Path, definition: SurveyDefinition, tool: str | None = None) -> AnswerSheet:
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.active().max_bytes + 1)
    except FileNotFoundError:
        raise InputError.single("ไม่พบไฟล์", str(path)) from None
    except IsADirectoryError:
        raise InputError.single("เป็นโฟลเดอร์ ไม่ใช่ไฟล์", str(path)) from None
    return read_answers(data, str(path), definition, tool)
