"""Hostile input files, generated (never stored): what a security probe uploaded to break the readers.

Each is small on disk (a compressed zip or a few bytes) and huge or malformed once read. The
sizes are scaled so the corpus is quick to build while every one still passes a limit of
``itadesk.limits`` by far; ``million_rows`` and ``wide_sheet`` keep the probe's own figures.
"""

from __future__ import annotations

import io
import zipfile
from functools import cache

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _workbook(title: str = "Sheet1", sheets: bool = True) -> str:
    inner = f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets>' if sheets else "<sheets/>"
    return f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} {_R_NS}>{inner}</workbook>'


def xlsx(rows_xml, shared: list[str] | None = None, *, title: str = "Sheet1", sheets: bool = True,
         shared_xml=None, level: int = 9) -> bytes:
    """A minimal XLSX whose sheet1.xml is '<sheetData>' + rows_xml + '</sheetData>'.

    ``rows_xml`` and ``shared_xml`` may be iterables of str chunks, streamed into the zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/workbook.xml", _workbook(title, sheets))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            if shared_xml is None:
                items = "".join(f"<si><t>{s}</t></si>" for s in (shared or []))
                shared_xml = [f'<sst {_NS} count="{len(shared or [])}" uniqueCount="{len(shared or [])}">',
                              items, "</sst>"]
            for chunk in shared_xml:
                part.write(chunk.encode())
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>'.encode())
            for chunk in ([rows_xml] if isinstance(rows_xml, str) else rows_xml):
                part.write(chunk.encode())
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def _column(n: int) -> str:
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def _row(number: int, values: list[str]) -> str:
    cells = "".join(f'<c r="{_column(i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
                    for i, v in enumerate(values, start=1))
    return f'<row r="{number}">{cells}</row>'


def _number_row(columns: int) -> str:
    """A row of numbers without cell references (allowed, and what makes such files tiny)."""
    return "<row>" + "<c><v>1</v></c>" * columns + "</row>"


# --------------------------------------------------------------------------- the corpus


@cache
def huge_shared_string(chars: int = 40 * 1024 * 1024) -> bytes:
    """One shared string of ``chars`` characters (the probe's was 1.5 G; any size over the part
    limit is refused the same way, before it is decompressed)."""
    chunk = "x" * (1024 * 1024)
    body = ['<sst ' + _NS + ' count="1" uniqueCount="1"><si><t>', *([chunk] * (chars // len(chunk))), "</t></si></sst>"]
    return xlsx(_row(1, ["fiscal_year", "2567"]) + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', shared_xml=body)


@cache
def long_cell(chars: int = 100_000) -> bytes:
    """A cell longer than Excel's own limit, inside a zip part of normal size."""
    return xlsx(_row(1, ["fiscal_year", "2567"]) + _row(2, ["ITA", "y" * chars]))


@cache
def million_rows(rows: int = 1_000_000) -> bytes:
    """A million numeric rows (the probe's was 191 KB)."""
    row = _number_row(1)
    return xlsx((row * 1000 for _ in range(rows // 1000)), level=9)


@cache
def many_rows(rows: int = 12_000) -> bytes:
    """More rows than a sheet may hold, in a zip part well inside the size limits."""
    return xlsx(_row(n, ["ITA", "50"]) for n in range(1, rows + 1))


@cache
def wide_sheet(rows: int = 2_000, columns: int = 16_000) -> bytes:
    """2,000 × 16,000 cells (the probe's was 952 KB)."""
    row = _number_row(columns)
    return xlsx((row for _ in range(rows)), level=9)


@cache
def wide_row(columns: int = 16_000) -> bytes:
    """One row of 16,000 cells: beyond the column limit, small once expanded."""
    return xlsx(_row(1, ["ITA"] + ["1"] * (columns - 1)))


@cache
def many_cells(rows: int = 2_100, columns: int = 100) -> bytes:
    return xlsx(_row(n, ["i1"] + ["1"] * (columns - 1)) for n in range(1, rows + 1))


@cache
def many_shared_strings(count: int = 500_000) -> bytes:
    return xlsx(_row(1, ["ITA", "50"]), shared_xml=[
        f'<sst {_NS} count="{count}" uniqueCount="{count}">', *("<si><t>s</t></si>" for _ in range(count)), "</sst>"])


@cache
def uncounted_shared_strings(count: int = 150_000) -> bytes:
    """Distinct shared strings (so the zip ratio is normal) and no count attribute to trust."""
    return xlsx(_row(1, ["ITA", "50"]), shared_xml=[f"<sst {_NS}>", *(f"<si><t>s{n}</t></si>" for n in range(count)),
                                                    "</sst>"])


@cache
def big_styles(styles: int = 200_000) -> bytes:
    """6 MB of cell styles (openpyxl parses them all when it opens a file), varied so they compress
    like real ones."""
    base = zipfile.ZipFile(io.BytesIO(xlsx(_row(1, ["fiscal_year", "2567"]) + _row(2, ["ITA", "50"]))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in base.infolist():
            archive.writestr(member, base.read(member))
        archive.writestr("xl/styles.xml", f'<styleSheet {_NS}><cellXfs count="{styles}">'
                         + "".join(f'<xf numFmtId="{(n * 7919) % 99991}" fontId="0"/>' for n in range(styles))
                         + "</cellXfs></styleSheet>")
    return buffer.getvalue()


def row_gap() -> bytes:
    """Two rows a million apart: openpyxl makes up every missing row in between."""
    return xlsx(_row(1, ["fiscal_year", "2567"]) + _row(2, ["ITA", "50"]) + _row(1_048_576, ["IIT", "60"]))


def no_sheet() -> bytes:
    return xlsx("", sheets=False)


def bad_shared_string_index() -> bytes:
    return xlsx('<row r="1"><c r="A1" t="s"><v>99</v></c><c r="B1" t="s"><v>-5</v></c></row>', shared=["ITA"])


def not_a_zip() -> bytes:
    return b"PK\x03\x04" + b"\x00" * 200


def truncated_zip() -> bytes:
    return long_cell(10)[:300]


def yaml_alias_bomb() -> bytes:
    """The 'billion laughs' in YAML: nine levels of nine aliases (469 bytes)."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{prev}"] * 9) + "]")
    return ("\n".join(lines) + "\nfiscal_year: 2567\nscores: {ITA: *i}\n").encode()


def json_deep(depth: int = 5_000) -> bytes:
    return b'{"fiscal_year": 2567, "scores": ' + b"[" * depth + b"]" * depth + b"}"


def yaml_deep(depth: int = 5_000) -> bytes:
    return b"fiscal_year: 2567\nscores: " + b"[" * depth + b"]" * depth + b"\n"


def csv_field(chars: int = 200_000) -> bytes:
    return b'fiscal_year,2567\nITA,"' + b"9" * chars + b'"\n'


def csv_bare_cr() -> bytes:
    return b"fiscal_year,2567\rITA,72.97\rIIT,80\r"


def control_chars() -> bytes:
    return "fiscal_year,2567\nITA,\x0b72.97\x01\nIIT,8\x1b0\uffff\n".encode()


def surrogate_json() -> bytes:
    return b'{"fiscal_year": 2567, "scores": {"\\ud800": 1, "ITA": "\\udfff"}}'


RESULTS_TEXT = {
    "inf.csv": b"fiscal_year,inf\nITA,50\n",
    "1e309.csv": b"fiscal_year,1e309\nITA,50\n",
    "1e300.csv": b"fiscal_year,1e300\nITA,50\n",
    "nan-score.csv": b"fiscal_year,2567\nITA,nan\n",
    "inf.yaml": b"fiscal_year: .inf\nscores: {ITA: 50}\n",
    "inf-score.yaml": b"fiscal_year: 2567\nscores: {ITA: .inf, IIT: -.inf, EIT: .nan}\n",
    "huge-int.yaml": b"fiscal_year: 2567\nscores: {ITA: " + b"9" * 400 + b"}\n",
    "nan.json": b'{"fiscal_year": 2567, "scores": {"ITA": NaN, "IIT": Infinity}}',
    "1e309.json": b'{"fiscal_year": 2567, "scores": {"ITA": 1e309}}',
    "year-digits.json": b'{"fiscal_year": ' + b"9" * 300 + b', "scores": {"ITA": 50}}',
    "two-years.csv": b"fiscal_year,2567\nITA,50\nfiscal_year,2568\n",
    "bare-cr.csv": csv_bare_cr(),
    "control.csv": control_chars(),
    "surrogate.json": surrogate_json(),
    "alias-bomb.yaml": yaml_alias_bomb(),
    "deep.json": json_deep(),
    "deep.yaml": yaml_deep(),
    "field.csv": csv_field(),
    "nul.csv": b"fiscal_year,2567\nITA,5\x000\n",
    "latin1.csv": "fiscal_year,2567\nITA,50 é\n".encode("latin-1"),
    "quotes.json": b'"' + b'\\"' * 400_000,     # an unclosed string of escaped quotes (a regex trap)
}

XLSX = {
    "huge-cell.xlsx": huge_shared_string,
    "long-cell.xlsx": long_cell,
    "million-rows.xlsx": million_rows,
    "many-rows.xlsx": many_rows,
    "wide-sheet.xlsx": wide_sheet,
    "wide-row.xlsx": wide_row,
    "many-cells.xlsx": many_cells,
    "many-strings.xlsx": many_shared_strings,
    "uncounted-strings.xlsx": uncounted_shared_strings,
    "row-gap.xlsx": row_gap,
    "big-styles.xlsx": big_styles,
    "no-sheet.xlsx": no_sheet,
    "bad-index.xlsx": bad_shared_string_index,
    "not-zip.xlsx": not_a_zip,
    "truncated.xlsx": truncated_zip,
}


def corpus(*, xlsx_only: bool = False) -> dict[str, bytes]:
    """name → bytes of every hostile file (the XLSX ones only, for readers that take only XLSX)."""
    files = {name: make() for name, make in XLSX.items()}
    if not xlsx_only:
        files.update(RESULTS_TEXT)
    return files
