"""A corpus of hostile files (tests/support/hostile.py) through every core reader.

What a security probe uploaded to take a worker down or to get a 500: each must end in the
product's InputError (or a result), quickly, within bounded memory, with a short message that
never echoes a huge value.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from itadesk.agency import parse_agency
from itadesk.criteria import load_criteria
from itadesk.criteria.sheet import import_criteria_xlsx
from itadesk.datafile import parse_yaml_or_json
from itadesk.errors import InputError
from itadesk.oit.evidence import parse_evidence_xlsx, parse_evidence_yaml
from itadesk.plan import MeasuresPlan, PlannedMeasure
from itadesk.progress import ReportingRound, parse_progress
from itadesk.progress_sheet import read_progress_xlsx
from itadesk.results import check_scores, parse_results
from itadesk.spreadsheet import check_xlsx_zip
from tests.support import hostile

ROOT = Path(__file__).resolve().parents[1]
CRITERIA = load_criteria(2567)
START = dt.date(2024, 10, 1)
ROUNDS = (ReportingRound("รอบ 6 เดือน", 6, START, dt.date(2025, 3, 31)),)
PLAN = MeasuresPlan(2567, 2568, [PlannedMeasure("11", 1, "จัดทำคู่มือ", ["ทบทวน"], "สำนักปลัด", "", "")])
CORPUS = hostile.corpus()
XLSX = sorted(n for n in CORPUS if n.endswith(".xlsx"))
DATA = sorted(n for n in CORPUS if n.endswith((".yaml", ".json")))


def refused(read, *, seconds: float = 5.0, megabytes: float | None = None) -> str:
    """Run ``read``; it must raise InputError within the time (and, if given, Python-heap) budget.
    Returns the error's text."""
    if megabytes:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InputError) as caught:
            read()
    finally:
        peak = tracemalloc.get_traced_memory()[1] if megabytes else 0
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    message = str(caught.value)
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    if megabytes:
        assert peak < megabytes * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert len(message) < 5_000 and len(caught.value.problems) <= 31
    assert "Traceback" not in message
    return message


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_results_reader_refuses_every_hostile_file(name):
    if name in ("bare-cr.csv", "control.csv"):
        return  # readable files: see below
    refused(lambda: parse_results(CORPUS[name], name))


@pytest.mark.parametrize("name", XLSX)
def test_every_xlsx_reader_refuses_every_hostile_workbook(name, tmp_path):
    data = CORPUS[name]
    refused(lambda: parse_evidence_xlsx(data, name, CRITERIA, 2567))
    refused(lambda: read_progress_xlsx(data, name, PLAN, ROUNDS))
    path = tmp_path / name
    path.write_bytes(data)
    refused(lambda: import_criteria_xlsx(path))


@pytest.mark.parametrize("name", DATA)
def test_every_data_file_reader_refuses_every_hostile_yaml_or_json(name):
    data = CORPUS[name]
    as_json = name.endswith(".json")
    if name.endswith(".yaml"):
        refused(lambda: parse_evidence_yaml(data, name, CRITERIA, 2567))

    def parsed_then(check):
        return lambda: check(parse_yaml_or_json(data, name, as_json=as_json))

    refused(parsed_then(lambda raw: parse_agency(raw, name)))
    refused(parsed_then(lambda raw: parse_progress(raw, name, PLAN)))


def test_the_messages_say_what_is_wrong_without_echoing_the_value():
    assert "*alias" in refused(lambda: parse_results(CORPUS["alias-bomb.yaml"], "bomb.yaml"))
    assert "ลึกเกิน 32 ชั้น" in refused(lambda: parse_results(CORPUS["deep.json"], "deep.json"))
    assert "ลึกเกิน 32 ชั้น" in refused(lambda: parse_results(CORPUS["deep.yaml"], "deep.yaml"))
    for name in ("inf.csv", "1e309.csv", "1e300.csv"):
        message = refused(lambda name=name: parse_results(CORPUS[name], name))
        assert "ปีงบประมาณต้องเป็นปี พ.ศ. 2500–2700" in message and "แถว 1" in message
    assert "ค่าจำกัด" in refused(lambda: parse_results(CORPUS["inf.yaml"], "inf.yaml"))
    assert "ค่าจำกัด" in refused(lambda: parse_results(CORPUS["nan.json"], "nan.json"))
    assert "surrogate" in refused(lambda: parse_results(CORPUS["surrogate.json"], "s.json"))
    huge = refused(lambda: parse_results(CORPUS["huge-cell.xlsx"], "huge.xlsx"))
    assert "ใหญ่เกิน 32 MB" in huge and "xxxxxxxxxx" not in huge
    long = refused(lambda: parse_results(CORPUS["long-cell.xlsx"], "long.xlsx"))
    assert "ยาวเกิน 32,767 ตัวอักษร" in long and "แถว 2" in long and len(long) < 400
    assert "5,000 แถว" in refused(lambda: parse_results(CORPUS["many-rows.xlsx"], "rows.xlsx"))
    assert "100 คอลัมน์" in refused(lambda: parse_evidence_xlsx(CORPUS["wide-row.xlsx"], "w.xlsx", CRITERIA))
    assert "ไม่มีแผ่นงาน" in refused(lambda: parse_results(CORPUS["no-sheet.xlsx"], "none.xlsx"))
    assert "อ่านไฟล์ XLSX ไม่ได้" in refused(lambda: parse_results(CORPUS["bad-index.xlsx"], "bad.xlsx"))
    assert "อ่านไฟล์ CSV ไม่ได้" in refused(lambda: parse_results(CORPUS["field.csv"], "field.csv"))
    conflict = refused(lambda: parse_results(CORPUS["two-years.csv"], "two.csv"))
    assert "ปีงบประมาณขัดกัน" in conflict and "แถว 3" in conflict


def test_bare_cr_line_ends_and_control_characters_are_read_as_meant():
    assert parse_results(CORPUS["bare-cr.csv"], "mac.csv").scores == {"ITA": 72.97, "IIT": 80.0}
    assert parse_results(CORPUS["control.csv"], "pasted.csv").scores == {"ITA": 72.97, "IIT": 80.0}


def test_problems_are_capped_with_a_count_of_the_rest():
    lines = ["fiscal_year,2567"] + [f"X{n},{n}" for n in range(100)]
    err = refused(lambda: parse_results("\n".join(lines).encode(), "many.csv"))
    assert err.count("\n") == 30 and err.splitlines()[-1].startswith("และอีก 70 รายการ")


def test_scores_typed_into_a_form_are_one_value_each():
    with pytest.raises(InputError) as caught:
        check_scores({"ITA": "50\nIIT,99"}, 2567, "แบบฟอร์ม")
    assert "คะแนนของ ITA ต้องเป็นตัวเลข" in str(caught.value)
    for bad in ("inf", "nan", "1e309", float("inf"), float("nan"), 10 ** 400):
        with pytest.raises(InputError):
            check_scores({"ITA": bad}, 2567, "API")
    for year in (10 ** 300, 1e300, -1, 0, 9999, True):
        with pytest.raises(InputError) as caught:
            check_scores({"ITA": 50}, year, "API")
        assert "2500–2700" in str(caught.value)
    assert check_scores({"ITA": "๗๒.๙๗", "iit": 80}, 2567, "API").scores == {"ITA": 72.97, "IIT": 80.0}


# --------------------------------------------------------------------------- memory

@pytest.mark.parametrize("name", ["huge-cell.xlsx", "long-cell.xlsx", "many-rows.xlsx", "wide-row.xlsx",
                                  "alias-bomb.yaml", "field.csv"])
def test_the_python_heap_stays_small_while_refusing(name):
    refused(lambda: parse_results(CORPUS[name], name), megabytes=40)

_WORST = ["huge-cell.xlsx", "million-rows.xlsx", "wide-sheet.xlsx", "many-cells.xlsx", "many-strings.xlsx",
          "alias-bomb.yaml", "deep.json", "deep.yaml", "field.csv"]

_CHILD = """
import json, resource, sys, time
from pathlib import Path
folder = Path(sys.argv[1])
from itadesk.results import parse_results
from itadesk.oit.evidence import parse_evidence_xlsx
from itadesk.errors import InputError
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
limit = int(sys.argv[2]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
out = {}
for path in sorted(folder.iterdir()):
    started = time.perf_counter()
    readers = [parse_results] + ([parse_evidence_xlsx] if path.suffix == ".xlsx" else [])
    kinds = set()
    for read in readers:
        try:
            read(path.read_bytes(), path.name)
            kinds.add("ok")
        except InputError:
            kinds.add("InputError")
    out[path.name] = ["/".join(sorted(kinds)), round(time.perf_counter() - started, 2)]
out["_growth_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(json.dumps(out))
"""


def test_worst_files_are_refused_under_a_hard_memory_limit(tmp_path):
    """In a child process whose address space is capped (RLIMIT_AS), the worst files end in
    InputError quickly; the process's peak memory grows by less than 100 MB."""
    for name in _WORST:
        (tmp_path / name).write_bytes(CORPUS[name])
    import os

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    done = subprocess.run([sys.executable, "-c", _CHILD, str(tmp_path), "1536"], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    growth = report.pop("_growth_mb")
    assert {name: kind for name, (kind, _) in report.items()} == {name: "InputError" for name in _WORST}
    assert all(seconds < 5 for _, seconds in report.values()), report
    assert growth < 100, f"peak memory grew by {growth:.0f} MB"


def test_cells_are_counted_exactly_across_the_scan_chunks(monkeypatch):
    import dataclasses

    from itadesk import limits

    cells = 300_000                   # 1.2 MB of "<c/>": the scan reads it in 1 MB chunks
    data = hostile.xlsx("<row>" + "<c/>" * cells + "</row>")
    for most, accepted in ((cells, True), (cells - 1, False)):
        monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, xlsx_cell_elements=most,
                                                                  xlsx_ratio=10 ** 6))
        try:
            check_xlsx_zip(data, "cells.xlsx")     # what the readers run before openpyxl
        except InputError as err:
            assert not accepted and "ช่องเกิน" in str(err), str(err)
        else:
            assert accepted
