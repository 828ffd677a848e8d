"""Evidence register files: XLSX and YAML, round trips, and every problem reported at once."""

import openpyxl
import pytest

from itadesk.criteria import load_criteria
from itadesk.errors import InputError
from itadesk.oit.evidence import (
    EvidenceItem,
    EvidenceRegister,
    read_evidence,
    write_evidence_xlsx,
    write_evidence_yaml,
)

SITE = "https://www.example.go.th"


def sheet(tmp_path, rows, name="evidence.xlsx"):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_xlsx_with_meta_header_and_merged_rows(tmp_path):
    path = sheet(tmp_path, [
        ["หน่วยงาน", "เทศบาลตำบลตัวอย่าง"], ["ปีงบประมาณ", "๒๕๖๘"], ["เว็บไซต์", SITE],
        ["ข้อ", "URL 1", "URL 2", "หมายเหตุ"],
        ["o01", f"{SITE}/a", f"{SITE}/b", "โครงสร้างใหม่"],
        ["O๐๑", f"{SITE}/c"],
        [],
        ["O34", f"{SITE}/o34.pdf"],
    ])
    register = read_evidence(path, load_criteria(2567))
    assert register.fiscal_year == 2568 and register.agency == "เทศบาลตำบลตัวอย่าง" and register.website == SITE
    assert register.items["O1"] == EvidenceItem("O1", (f"{SITE}/a", f"{SITE}/b", f"{SITE}/c"), "โครงสร้างใหม่")
    assert list(register.items) == ["O1", "O34"]


def test_xlsx_problems_are_all_reported_with_row_and_value(tmp_path):
    path = sheet(tmp_path, [
        ["fiscal_year", 2568],
        ["O1", "ftp://example.go.th/a"],
        ["O99", f"{SITE}/x"],
        ["X1", f"{SITE}/x"],
        ["O2", *(f"{SITE}/{i}" for i in range(5)), None, None, f"{SITE}/6"],   # beyond note and name columns
        ["O3", *(f"{SITE}/{i}" for i in range(5))],
        ["O3", f"{SITE}/6"],                                                  # sixth URL for O3
        ["O4", "www.example.go.th/no-scheme"],
    ])
    with pytest.raises(InputError) as caught:
        read_evidence(path, load_criteria(2567))
    problems = {(p.row, str(p.value)) for p in caught.value.problems}
    assert (2, "ftp://example.go.th/a") in problems
    assert (3, "O99") in problems and (4, "X1") in problems
    assert 5 in {p.row for p in caught.value.problems}
    assert (7, "6") in problems
    assert (8, "www.example.go.th/no-scheme") in problems
    assert all(p.source == "evidence.xlsx" for p in caught.value.problems)


def test_yaml_forms_and_errors(tmp_path):
    good = tmp_path / "e.yaml"
    good.write_text(
        "agency: ทดสอบ\nfiscal_year: 2568\nwebsite: https://x.go.th\nitems:\n"
        "  O1: https://x.go.th/a\n  O2: [https://x.go.th/b]\n  O3: {urls: [https://x.go.th/c], note: ดู}\n", "utf-8")
    register = read_evidence(good, load_criteria(2567))
    assert register.urls("O3") == ("https://x.go.th/c",) and register.items["O3"].note == "ดู"
    bad = tmp_path / "bad.yaml"
    bad.write_text("fiscal_year: สองพัน\ncolour: red\nitems:\n  O1: [javascript:alert(1)]\n  O2: 5\n", "utf-8")
    with pytest.raises(InputError) as caught:
        read_evidence(bad, load_criteria(2567))
    rows = {p.row for p in caught.value.problems}
    assert {"fiscal_year", "colour", "items/O1", "items/O2"} <= rows
    with pytest.raises(InputError):
        read_evidence(tmp_path / "missing.yaml")
    (tmp_path / "e.csv").write_text("x")
    with pytest.raises(InputError):
        read_evidence(tmp_path / "e.csv")
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"not a zip")
    with pytest.raises(InputError):
        read_evidence(damaged)


def test_round_trips(tmp_path):
    criteria = load_criteria(2567)
    register = EvidenceRegister(2568, {"O1": EvidenceItem("O1", (f"{SITE}/a",), "n"),
                                       "O34": EvidenceItem("O34", (f"{SITE}/b", f"{SITE}/c"))}, "ทดสอบ", SITE)
    for path in (write_evidence_xlsx(register, tmp_path / "r.xlsx", criteria),
                 write_evidence_yaml(register, tmp_path / "r.yaml")):
        back = read_evidence(path, criteria)
        assert back.items == register.items and back.fiscal_year == 2568 and back.website == SITE
