"""Property-based tests (Hypothesis) over every reader of users' files and data.

Whatever the bytes or the JSON-like data, a reader gives its result or the product's InputError:
never another exception, and within a bounded time. Examples are few (the suite stays fast);
the deadline is generous because the machine is shared.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itadesk.agency import parse_agency
from itadesk.criteria import load_criteria
from itadesk.datafile import parse_yaml_or_json
from itadesk.errors import InputError
from itadesk.oit.evidence import parse_evidence_xlsx, parse_evidence_yaml
from itadesk.plan import MeasuresPlan, PlannedMeasure
from itadesk.progress import ProgressReport, ReportingRound, parse_progress
from itadesk.progress_sheet import read_progress_xlsx, write_progress_xlsx
from itadesk.results import check_scores, parse_results
from itadesk.spreadsheet import write_cell
from itadesk.text import clean_text

FAST = settings(max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)
CRITERIA = load_criteria(2567)
START = dt.date(2024, 10, 1)
ROUNDS = (ReportingRound("รอบ 6 เดือน", 6, START, dt.date(2025, 3, 31)),
          ReportingRound("รอบ 12 เดือน", 12, START, dt.date(2025, 9, 30)))
PLAN = MeasuresPlan(2567, 2568, [PlannedMeasure("11", 1, "จัดทำคู่มือ", ["ทบทวน"], "สำนักปลัด", "", "")])

# Text with everything users paste: Thai, control characters, surrogates, noncharacters, emoji.
ANY_CHAR = st.characters(codec=None, exclude_categories=())
TEXT = st.text(ANY_CHAR, max_size=40) | st.sampled_from(
    ["fiscal_year", "ITA", "IIT", "o08", "O๐๘", "i1", "IND10", "๙๕.๑๙", "inf", "-inf", "nan", "1e309", "1e300",
     "2567", "2568", "\ud800", "\x0b", "\uffff", "=1+1", "50\nIIT,99"])
NUMBER = (st.integers() | st.floats(allow_nan=True, allow_infinity=True)
          | st.integers(min_value=10 ** 20, max_value=10 ** 400))
SCALAR = st.none() | st.booleans() | NUMBER | TEXT
JSONISH = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(TEXT, inner, max_size=4), max_leaves=20)


def outcome(read):
    """The reader's result, or its InputError; any other exception fails the test."""
    try:
        return read()
    except InputError as err:
        assert err.problems, "an InputError says what is wrong"
        assert len(str(err)) < 20_000
        str(err).encode("utf-8")     # a page or a JSON answer can show it (no lone surrogate)
        return err


@FAST
@given(st.binary(max_size=3000), st.sampled_from([".csv", ".xlsx", ".yaml", ".yml", ".json"]))
def test_any_bytes_as_a_results_file(data, suffix):
    outcome(lambda: parse_results(data, "file" + suffix))


@FAST
@given(st.text(ANY_CHAR, max_size=600))
def test_any_text_as_a_results_csv(text):
    outcome(lambda: parse_results(text.encode("utf-8", "surrogatepass"), "file.csv"))


@FAST
@given(st.lists(st.lists(TEXT | NUMBER | st.none(), max_size=4), max_size=8))
def test_any_rows_as_a_results_csv_or_yaml(rows):
    lines = "\n".join(",".join(str(c) for c in row) for row in rows)
    outcome(lambda: parse_results(lines.encode("utf-8", "surrogatepass"), "rows.csv"))
    outcome(lambda: parse_results(("fiscal_year,2567\n" + lines).encode("utf-8", "surrogatepass"), "rows.csv"))


@FAST
@given(JSONISH)
def test_any_json_as_a_results_file_and_data_file(value):
    text = json.dumps(value, allow_nan=True)  # escapes surrogates as \ud800, writes NaN/Infinity
    result = outcome(lambda: parse_results(text.encode(), "scores.json"))
    assert not isinstance(result, InputError) or result.problems
    outcome(lambda: parse_yaml_or_json(text, "x.json", as_json=True))
    outcome(lambda: parse_results(json.dumps({"fiscal_year": 2567, "scores": value}, allow_nan=True).encode(),
                                  "scores.json"))


@FAST
@given(st.dictionaries(TEXT, SCALAR | JSONISH, max_size=8), NUMBER | TEXT)
def test_any_mapping_through_check_scores(scores, year):
    outcome(lambda: check_scores(scores, year, "API"))


@FAST
@given(st.dictionaries(TEXT, SCALAR, max_size=6))
def test_any_scores_of_a_real_year_are_checked_one_value_per_code(scores):
    result = outcome(lambda: check_scores(scores, 2567, "แบบฟอร์ม"))
    if not isinstance(result, InputError):
        assert set(result.scores) <= CRITERIA.all_codes
        assert all(0 <= v <= 100 for v in result.scores.values())


def _yaml_text(value) -> str | None:
    try:
        return yaml.safe_dump(value, allow_unicode=True)
    except (yaml.YAMLError, UnicodeEncodeError, ValueError):
        return None


@FAST
@given(JSONISH)
def test_any_yaml_data_through_every_yaml_reader(value):
    text = _yaml_text(value)
    if text is None:
        return
    data = text.encode("utf-8", "surrogatepass")
    outcome(lambda: parse_results(data, "x.yaml"))
    outcome(lambda: parse_evidence_yaml(data, "x.yaml", CRITERIA, 2567))
    parsed = outcome(lambda: parse_yaml_or_json(data, "x.yaml"))
    if not isinstance(parsed, InputError):
        outcome(lambda: parse_agency(parsed, "agency.yaml"))
        outcome(lambda: parse_progress(parsed, "progress.yaml", PLAN))


@FAST
@given(st.dictionaries(TEXT, JSONISH, max_size=5))
def test_any_progress_and_agency_data(value):
    outcome(lambda: parse_agency(value, "agency.yaml"))
    outcome(lambda: parse_progress({"11": value}, "progress.yaml", PLAN))
    outcome(lambda: parse_progress(value, "progress.yaml", PLAN))


def _workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            write_cell(sheet, r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


CELL = st.none() | TEXT | st.integers(min_value=-10 ** 15, max_value=10 ** 15) | st.floats(allow_nan=False,
                                                                                          allow_infinity=False)


@settings(FAST, max_examples=25)
@given(st.lists(st.lists(CELL, max_size=8), max_size=10))
def test_any_cells_through_every_xlsx_reader(rows):
    data = _workbook(rows)
    outcome(lambda: parse_results(data, "x.xlsx"))
    outcome(lambda: parse_evidence_xlsx(data, "x.xlsx", CRITERIA, 2567))
    outcome(lambda: read_progress_xlsx(data, "x.xlsx", PLAN, ROUNDS))


@pytest.fixture(scope="module")
def progress_sheet() -> bytes:
    return write_progress_xlsx(PLAN, ProgressReport(2568, ROUNDS, {}), "อบต.ทดสอบ")


@settings(FAST, max_examples=30)
@given(data=st.data())
def test_damaged_xlsx_bytes_through_every_xlsx_reader(progress_sheet, data):
    raw = bytearray(progress_sheet)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(raw) // 2, len(raw)))
    damaged = bytes(raw[:cut])
    outcome(lambda: parse_results(damaged, "x.xlsx"))
    outcome(lambda: parse_evidence_xlsx(damaged, "x.xlsx", CRITERIA, 2567))
    outcome(lambda: read_progress_xlsx(damaged, "x.xlsx", PLAN, ROUNDS))


@FAST
@given(st.text(ANY_CHAR, max_size=200))
def test_clean_text_leaves_no_control_character_and_is_stable(text):
    cleaned = clean_text(text)
    assert all(ch in "\n\t" or (ord(ch) >= 0x20 and not 0x7F <= ord(ch) <= 0x9F) for ch in cleaned)
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in cleaned)
    assert "\uffff" not in cleaned and "\ufffe" not in cleaned
    assert clean_text(cleaned) == cleaned
    cleaned.encode("utf-8")  # storable and printable


@FAST
@given(st.text(ANY_CHAR, max_size=60) | st.integers(-10 ** 15, 10 ** 15)
       | st.floats(-1e300, 1e300))
def test_a_written_cell_is_never_a_formula_and_reads_back(value):
    data = _workbook([[value]])
    cell = openpyxl.load_workbook(io.BytesIO(data)).active["A1"]
    assert cell.data_type != "f"
    if isinstance(value, str):
        assert (cell.value or "") == clean_text(value)        # shown and read back as typed, cleaned
        assert cell.quotePrefix == value.startswith(("=", "+", "-", "@", "\t", "\r"))
    else:
        assert cell.value == pytest.approx(value, rel=1e-14) and cell.data_type == "n"  # numbers stay numbers
