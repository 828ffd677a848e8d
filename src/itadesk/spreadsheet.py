"""Reading users' spreadsheets (XLSX, CSV) within the limits, and writing cells that stay data.

Reading: :func:`open_xlsx` inspects the zip before openpyxl sees it (number of parts, each part's
and the total uncompressed size, compression ratio, size of the shared-strings table), then opens
it read-only; :func:`xlsx_rows` iterates a sheet within the row, column, cell and cell-length
limits and turns whatever openpyxl raises on a damaged file into an :class:`InputError`.
:func:`csv_rows` does the same for CSV (bare-CR line ends, huge fields). Every limit lives in
:mod:`itadesk.limits`.

Writing: :func:`write_cell` is the one way the product puts a value into a sheet it writes: text
starting with ``=``, ``+``, ``-``, ``@``, tab or CR is stored as text with a leading apostrophe
(OWASP's CSV-injection rule), control characters are cleaned; numbers stay numbers.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from itadesk import limits
from itadesk.errors import InputError
from itadesk.text import clean_text

DAMAGED = "อ่านไฟล์ XLSX ไม่ได้ (ไฟล์เสียหรือไม่ใช่ไฟล์ Excel .xlsx)"
_COUNT = re.compile(rb'\b(?:uniqueCount|count)="([0-9]{1,12})"')


def check_size(data: bytes, source: str) -> None:
    most = limits.active().max_bytes
    if len(data) > most:
        raise InputError.single(f"ไฟล์ใหญ่เกิน {most / limits.MB:g} MB", source, value=f"{len(data):,} ไบต์")


def check_xlsx_zip(data: bytes, source: str) -> None:
    """Refuse a zip whose parts would expand beyond the limits, before anything is decompressed."""
    lim = limits.active()
    check_size(data, source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, KeyError):
        raise InputError.single(DAMAGED, source) from None
    if len(members) > lim.xlsx_members:
        raise InputError.single(f"ไฟล์ XLSX มีส่วนประกอบเกิน {lim.xlsx_members:,} ส่วน", source, value=len(members))
    total = 0
    for member in members:
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError.single(DAMAGED + ": วิธีบีบอัดไม่รองรับ", source, value=member.filename)
        size = member.file_size
        total += size
        if size > lim.xlsx_member_bytes:
            raise InputError.single(
                f"ไฟล์ XLSX มีข้อมูลเมื่อขยายแล้วใหญ่เกิน {lim.xlsx_member_bytes // limits.MB} MB ต่อส่วน "
                "(มีข้อความยาวมากหรือแถวจำนวนมาก)", source, value=member.filename)
        name = member.filename.lower()
        if (name.endswith((".xml", ".rels")) and "worksheets/" not in name and not name.endswith("sharedstrings.xml")
                and size > lim.xlsx_other_xml_bytes):
            raise InputError.single(
                f"ไฟล์ XLSX มีส่วนประกอบ (เช่น รูปแบบตาราง) ใหญ่เกิน {lim.xlsx_other_xml_bytes // limits.MB} MB",
                source, value=member.filename)
        if size > limits.MB and size > lim.xlsx_ratio * max(member.compress_size, 1):
            raise InputError.single(
                f"ไฟล์ XLSX บีบอัดผิดปกติ (ขยายได้เกิน {lim.xlsx_ratio} เท่า)", source, value=member.filename)
    if total > lim.xlsx_total_bytes:
        raise InputError.single(
            f"ไฟล์ XLSX มีข้อมูลเมื่อขยายแล้วใหญ่เกิน {lim.xlsx_total_bytes // limits.MB} MB", source,
            value=f"{total:,} ไบต์")
    _count_sheet_elements(archive, members, source)
    shared = next((m for m in members if m.filename.lower().endswith("sharedstrings.xml")), None)
    if shared is not None:
        try:
            with archive.open(shared) as part:
                head = part.read(1024)
        except Exception:  # a damaged part: zipfile/zlib raise several types
            raise InputError.single(DAMAGED, source) from None
        counts = [int(n) for n in _COUNT.findall(head)]
        if counts and max(counts) > lim.xlsx_shared_strings:
            raise InputError.single(
                f"ไฟล์ XLSX มีข้อความเกิน {lim.xlsx_shared_strings:,} รายการ", source, value=max(counts))


_CELL_TAGS = (b"<c ", b"<c>", b"<c/>")
_ROW_TAGS = (b"<row ", b"<row>", b"<row/>")
_STRING_TAGS = (b"<si>", b"<si ")


def _count_sheet_elements(archive: zipfile.ZipFile, members, source: str) -> None:
    """Count the cells and rows of every worksheet part and the entries of the shared-strings table
    by scanning their bytes (no XML parsing): openpyxl spends tens of microseconds on each cell,
    empty formatted ones too, and loads the whole shared-strings table when it opens a file."""
    lim = limits.active()
    counts = {"cells": 0, "rows": 0, "strings": 0}
    checks = (
        ("cells", _CELL_TAGS, lim.xlsx_cell_elements,
         f"แผ่นงานมีช่องเกิน {lim.xlsx_cell_elements:,} ช่อง (รวมช่องว่างที่จัดรูปแบบไว้: ลบแถวและคอลัมน์ที่ไม่ใช้)"),
        ("rows", _ROW_TAGS, lim.xlsx_row_elements,
         f"แผ่นงานมีแถวเกิน {lim.xlsx_row_elements:,} แถว (รวมแถวว่าง: ลบแถวที่ไม่ใช้)"),
    )
    strings = (("strings", _STRING_TAGS, lim.xlsx_shared_strings,
                f"ไฟล์ XLSX มีข้อความเกิน {lim.xlsx_shared_strings:,} รายการ"),)
    for member in members:
        name = member.filename.lower()
        wanted = checks if "worksheets/" in name else strings if name.endswith("sharedstrings.xml") else ()
        if not wanted:
            continue
        tail = b""
        try:
            with archive.open(member) as part:
                while chunk := part.read(limits.MB):
                    window = tail + chunk
                    for key, tags, most, message in wanted:
                        # the tail was counted with the previous chunk: only tags crossing into this one
                        counts[key] += sum(window.count(tag) - tail.count(tag) for tag in tags)
                        if counts[key] > most:
                            raise InputError.single(message, source, value=member.filename)
                    tail = chunk[-5:]
        except InputError:
            raise
        except Exception:  # a damaged part: zipfile/zlib raise several types
            raise InputError.single(DAMAGED, source) from None


@contextlib.contextmanager
def open_xlsx(data: bytes, source: str):
    """An openpyxl workbook (read-only, values only) of a checked XLSX; closed afterwards."""
    import openpyxl

    if not data.startswith(b"PK\x03\x04"):
        raise InputError.single(DAMAGED, source)
    check_xlsx_zip(data, source)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged or non-XLSX file
        raise InputError.single(DAMAGED, source) from None
    try:
        yield book
    finally:
        with contextlib.suppress(Exception):
            book.close()


def first_sheet(book, source: str):
    try:
        sheets = book.worksheets
    except Exception:
        raise InputError.single(DAMAGED, source) from None
    if not sheets:
        raise InputError.single("ไฟล์ XLSX ไม่มีแผ่นงาน", source)
    return sheets[0]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class CellBudget:
    """Counts the non-empty cells read from one file, across its sheets."""

    def __init__(self) -> None:
        self.cells = 0


def xlsx_rows(sheet, source: str, *, min_row: int = 1, max_row: int | None = None, max_col: int | None = None,
              budget: CellBudget | None = None) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of the non-blank rows of a read-only sheet within the limits; text
    cleaned of control characters.

    Raises InputError (never anything else) for a damaged sheet or when a limit is passed: a
    non-empty row after ``LIMITS.max_rows``, a value beyond ``LIMITS.max_columns``, more than
    ``LIMITS.max_cells`` values, or a cell longer than ``LIMITS.max_cell_chars``.
    """
    lim = limits.active()
    budget = budget or CellBudget()
    width = min(max_col, lim.max_columns) if max_col else lim.max_columns
    where = f"{source}, แผ่นงาน {_title(sheet)}"
    try:
        rows = sheet.iter_rows(min_row=min_row, max_row=max_row, max_col=width + (0 if max_col else 1),
                               values_only=True)
    except Exception:
        raise InputError.single(DAMAGED, source) from None
    number = min_row - 1
    filler = None     # openpyxl yields one same empty tuple for every missing row: skipped at once
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception:  # a bad shared-string index, a broken part, a bad number …
            raise InputError.single(DAMAGED, source, number + 1) from None
        number += 1
        if values is filler:
            continue
        if all(_blank(v) for v in values):
            filler = values
            continue      # blank rows are never yielded: every reader skips them
        if number > lim.max_rows:
            raise InputError.single(f"แผ่นงานมีข้อมูลเกิน {lim.max_rows:,} แถว", where, number)
        if not max_col and len(values) > width and not _blank(values[width]):
            raise InputError.single(f"แผ่นงานมีข้อมูลเกิน {lim.max_columns} คอลัมน์", where, number)
        out: list[object] = []
        for column, value in enumerate(values[:width], start=1):
            if value is None:
                out.append(None)
                continue
            budget.cells += 1
            if isinstance(value, str):
                if len(value) > lim.max_cell_chars:
                    raise InputError.single(
                        f"ช่องในคอลัมน์ที่ {column} ยาวเกิน {lim.max_cell_chars:,} ตัวอักษร", where, number, value)
                value = clean_text(value)
            elif isinstance(value, float) and not limits.finite(value):
                value = str(value)
            out.append(value)
        if budget.cells > lim.max_cells:
            raise InputError.single(f"ไฟล์มีข้อมูลเกิน {lim.max_cells:,} ช่อง", where, number)
        yield number, tuple(out)


def _title(sheet) -> str:
    try:
        return str(sheet.title)
    except Exception:
        return "?"


def csv_rows(data: bytes, source: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a UTF-8 CSV within the limits; InputError for anything it cannot read."""
    lim = limits.active()
    check_size(data, source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.single("ไฟล์ CSV ต้องเข้ารหัส UTF-8", source) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")   # bare CR (old Mac) line ends are line ends
    if "\x00" in text:
        raise InputError.single("ไฟล์ CSV มีอักขระ NUL (ไม่ใช่ไฟล์ข้อความ)", source)
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    cells_seen = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise InputError.single(
                f"อ่านไฟล์ CSV ไม่ได้ (เครื่องหมายคำพูดไม่ครบคู่ หรือช่องยาวเกิน {lim.max_cell_chars:,} ตัวอักษร)",
                source, reader.line_num) from None
        number = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if number > lim.max_rows:
            raise InputError.single(f"ไฟล์มีข้อมูลเกิน {lim.max_rows:,} แถว", source, number)
        if len(cells) > lim.max_columns:
            raise InputError.single(f"แถวมีข้อมูลเกิน {lim.max_columns} คอลัมน์", source, number)
        for cell in cells:
            if len(cell) > lim.max_cell_chars:
                raise InputError.single(f"ช่องยาวเกิน {lim.max_cell_chars:,} ตัวอักษร", source, number, cell)
        cells_seen += len(cells)
        if cells_seen > lim.max_cells:
            raise InputError.single(f"ไฟล์มีข้อมูลเกิน {lim.max_cells:,} ช่อง", source, number)
        yield number, [clean_text(c) for c in cells]


# --------------------------------------------------------------------------- writing

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def cell_value(value: Any) -> Any:
    """What a written sheet stores for ``value``: numbers, dates and booleans as they are; text cleaned
    of control characters (a text cell may never become a formula: see :func:`write_cell`)."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", clean_text(value))


def _as_data(cell, original: Any) -> None:
    if isinstance(original, str):
        cell.data_type = "s"                   # text, whatever it starts with
        if looks_like_formula(original):
            cell.quotePrefix = True            # Excel's own "this is text" mark (the ' users type)


def write_cell(sheet, row: int, column: int, value: Any = None):
    """Put ``value`` into ``sheet`` at (row, column) as data, never as a formula; the cell is returned.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or CR (OWASP's CSV-injection list) is stored as
    a text cell with Excel's quote prefix, so it shows and reads back unchanged but never runs."""
    cell = sheet.cell(row=row, column=column)
    cell.value = cell_value(value)
    _as_data(cell, value)
    return cell


def append_row(sheet, values) -> None:
    """``sheet.append`` through the same rule as :func:`write_cell`."""
    values = list(values)
    sheet.append([cell_value(v) for v in values])
    row = sheet.max_row
    for column, original in enumerate(values, start=1):
        _as_data(sheet.cell(row=row, column=column), original)


def append_write_only_row(sheet, values) -> None:
    """``sheet.append`` for a write-only sheet (large exports) through the same rule."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for original in values:
        cell = WriteOnlyCell(sheet, value=cell_value(original))
        _as_data(cell, original)
        row.append(cell)
    sheet.append(row)
