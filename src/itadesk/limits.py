"""Every limit on what a user's file may hold, in one place, used by every reader.

The readers check these *before* they parse (bytes, the zip parts of an XLSX) and while they
read (rows, columns, cells, cell length, nesting depth), so a small hostile file can neither
take a worker's memory or time nor produce a page that echoes a huge value. The figures are far
above what a real results file, evidence register, criteria workbook or progress sheet holds
(tens to a few thousand rows, a few MB) and far below what hurts a 2-core server.

``LIMITS`` is read at call time (through ``active()``), so a caller (a test) may replace it with
``dataclasses.replace(LIMITS, ...)``; a reader of a kind of file that is legitimately larger (the
national results file: one row per agency of the country) raises them for its own call with
``raised(...)``, which affects nothing else (a context variable, so concurrent requests are apart).
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 2 * MB              # an uploaded or read file, before anything else
    max_rows: int = 5_000                # rows of a sheet, CSV lines, entries of a YAML/JSON file
    max_columns: int = 100               # columns of a sheet or CSV row
    max_cells: int = 50_000              # non-empty cells of a whole workbook or CSV (a plan's sheet: ~4,000)
    max_cell_chars: int = 32_767         # one cell or value (Excel's own limit per cell)
    max_depth: int = 32                  # nesting of YAML/JSON (real files nest 3–5 deep)
    max_nodes: int = 20_000              # values in a YAML/JSON file (a progress file holds ~2,000)
    max_problems: int = 30               # problems listed; the rest are counted ("และอีก N รายการ")
    excerpt_chars: int = 60              # how much of a bad value a message echoes
    xlsx_members: int = 300              # parts inside the XLSX zip
    xlsx_member_bytes: int = 32 * MB     # one part, uncompressed (as declared and enforced by zipfile)
    xlsx_total_bytes: int = 64 * MB      # all parts, uncompressed
    xlsx_other_xml_bytes: int = 4 * MB   # any other XML part (styles, workbook, relationships …)
    xlsx_ratio: int = 200                # uncompressed / compressed, for parts over 1 MB
    xlsx_shared_strings: int = 100_000   # entries of the shared-strings table
    xlsx_cell_elements: int = 100_000    # cells in the sheets' XML, empty formatted ones included
    xlsx_row_elements: int = 50_000      # rows in the sheets' XML, empty ones included
    year_min: int = 2500                 # a fiscal year is a Buddhist-era year in this range
    year_max: int = 2700


LIMITS = Limits()



@dataclass(frozen=True)
class SheetLimits:
    """Tighter limits of a kind of sheet whose content is known to be small."""

    rows: int            # data rows
    columns: int
    cell_chars: int      # one cell
    unpacked: int        # an XLSX's parts, all uncompressed


# Kinds of file whose limits differ from ``LIMITS`` (their readers use these, pages quote them):
OIT_PAGE_BYTES = 10 * MB              # one page or document the OIT checker downloads (the CLI's --max-mb)
EMBLEM_BYTES = 2 * MB                 # an agency's emblem (PNG or JPEG)
# An agency list (a province has a few hundred agencies) and a practice survey's answers.
AGENCY_LIST = SheetLimits(rows=2000, columns=30, cell_chars=300, unpacked=40 * MB)
SURVEY_ANSWERS = SheetLimits(rows=5000, columns=120, cell_chars=200, unpacked=40 * MB)
# The national results file: one row per agency of the country (8,325 in FY2567) and up to 18
# columns, far more than any agency's own file; its reader raises the limits for its call only.
NATIONAL = dict(
    max_bytes=30 * MB, max_rows=20_000, max_columns=40, max_cells=400_000, max_cell_chars=500,
    xlsx_shared_strings=200_000, xlsx_cell_elements=500_000, xlsx_row_elements=40_000,
    xlsx_member_bytes=128 * MB, xlsx_total_bytes=160 * MB,
)
_raised: ContextVar[Limits | None] = ContextVar("itadesk_raised_limits", default=None)


def active() -> Limits:
    """The limits in force for this call: ``LIMITS``, or what ``raised`` set."""
    return _raised.get() or LIMITS


@contextmanager
def raised(**changes):
    """Within the block, ``active()`` is ``LIMITS`` with ``changes`` (for one kind of large file)."""
    token = _raised.set(replace(LIMITS, **changes))
    try:
        yield
    finally:
        _raised.reset(token)


def size_text(size: int) -> str:
    """A size as pages and messages say it: 2097152 → '2 MB', 1536 → '1.5 KB'."""
    for unit, factor in (("MB", MB), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} ไบต์"


def upload_problem(name: str, size: int, most: int | None = None) -> str | None:
    """'<name>: ไฟล์ใหญ่เกิน 2 MB' when an upload of ``size`` bytes is over ``most`` (by default
    the limit in force), else None: checked before the upload is read."""
    most = active().max_bytes if most is None else most
    return f"{name}: ไฟล์ใหญ่เกิน {size_text(most)}" if size > most else None


def plausible_year(value: object) -> bool:
    """A Buddhist-era fiscal year (an int, not bool, within the range): checked before any lookup."""
    return (isinstance(value, int) and not isinstance(value, bool)
            and active().year_min <= value <= active().year_max)


def year_hint() -> str:
    return f"ปีงบประมาณต้องเป็นปี พ.ศ. {active().year_min}–{active().year_max} เช่น 2568"


def finite(value: float) -> bool:
    return math.isfinite(value)


class Excerpt(str):
    """The first characters of a long text, remembering how long the whole was."""

    length: int

    @classmethod
    def of(cls, text: str, most: int) -> Excerpt:
        shown = cls(text[:most])
        shown.length = len(text)
        return shown


def excerpt(value: object) -> str:
    """A short, safe rendering of a value for a message: never the whole of a huge value."""
    import reprlib

    shorten = reprlib.Repr()
    shorten.maxstring = shorten.maxother = active().excerpt_chars
    shorten.maxlist = shorten.maxtuple = shorten.maxdict = shorten.maxset = 5
    shorten.maxlevel = 2
    if isinstance(value, Excerpt):
        return repr(str(value)) + f"… (ยาว {value.length:,} ตัวอักษร)"
    if isinstance(value, str) and len(value) > active().excerpt_chars:
        return repr(value[:active().excerpt_chars]) + f"… (ยาว {len(value):,} ตัวอักษร)"
    if isinstance(value, bytes):
        value = value[:active().excerpt_chars]
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return "(ตัวเลขยาวเกินไป)"
    return shorten.repr(value)
